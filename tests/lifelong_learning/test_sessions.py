"""The login page says why a person is there, and an ended session is told
apart from a first visit."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SHEET = reverse("reports:sheet")


def test_a_save_after_the_session_ended_leads_to_a_login_page_that_says_so(
    client, officer_a
):
    client.force_login(officer_a)
    # The session ends on the server (expiry), the browser still sends its cookie.
    client.session.flush()
    client.cookies[settings.SESSION_COOKIE_NAME] = "ended-session-key"

    response = client.post(f"{SHEET}?year=2024", {"action": "save"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "expired=1" in response.url
    assert "next=" in response.url
    page = client.get(response.url)
    assert "Phiên làm việc đã hết hạn" in page.text
    assert 'data-testid="login-reason"' in page.text


def test_a_first_visit_is_asked_to_log_in_without_talk_of_expiry(client):
    response = client.get(SHEET)

    assert "expired" not in response.url
    page = client.get(response.url)
    assert "Hãy đăng nhập để mở trang đó." in page.text
    assert "hết hạn" not in page.text


def test_the_login_page_opened_directly_gives_no_reason(client):
    page = client.get(reverse("login"))

    assert 'data-testid="login-reason"' not in page.text
