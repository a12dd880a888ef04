"""The shell pages: home, methodology, login, language switch, navigation by role."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_programme_in_vietnamese_by_default(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Quyết định 1520/QĐ-TTg" in content
    assert "Đăng nhập" in content


def test_home_page_is_available_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content
    assert "Decision 1520/QĐ-TTg" in content
    assert "Log in" in content


def test_methodology_page_states_the_worked_example(client):
    content = client.get(reverse("methodology")).content.decode()
    assert "58,3" in content
    assert "cần đẩy nhanh" in content


def test_login_with_wrong_password_shows_an_error_and_stays_anonymous(
    client, officer_a
):
    response = client.post(
        reverse("login"), {"username": officer_a.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client, officer_a):
    response = client.post(
        reverse("login"), {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_a.pk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_link_is_shown_to_administrators_only(
    client, administrator, ministry_user
):
    client.force_login(ministry_user)
    assert reverse("admin:index") not in client.get("/").content.decode()
    client.force_login(administrator)
    assert reverse("admin:index") in client.get("/").content.decode()


def test_administrator_reaches_the_admin_and_ministry_staff_does_not(
    client, administrator, ministry_user
):
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    client.force_login(ministry_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_numbers_are_formatted_the_vietnamese_way():
    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5"
