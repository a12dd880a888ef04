"""The error pages (400, 403, 404, 500 and the CSRF failure): in the reader's
language, in the portal's layout with a way home, saying what happened and what
to do; the 500 page without the database."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, InstitutionFactory

pytestmark = pytest.mark.django_db

BRAND = {
    "vi": "Học tập suốt đời trong thư viện, bảo tàng, trung tâm văn hóa",
    "en": "Lifelong learning in libraries, museums and cultural centres",
}


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _assert_portal_page(content: str, language: str) -> None:
    assert f'<html lang="{language}">' in content
    assert BRAND[language] in content
    assert 'data-testid="error-home"' in content
    assert 'href="/"' in content


def test_settings_serve_the_error_pages_as_in_production():
    assert settings.DEBUG is False
    assert settings.CSRF_FAILURE_VIEW == "lifelong_learning.views.csrf_failure"


def test_404_is_vietnamese_by_default(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    _assert_portal_page(content, "vi")
    assert "Không tìm thấy trang" in content
    assert "Kiểm tra lại địa chỉ" in content
    assert "Not Found" not in content


def test_404_is_english_when_english_was_chosen(client):
    _english(client)
    content = client.get("/no-such-page/").content.decode()
    _assert_portal_page(content, "en")
    assert "Page not found" in content
    assert "Check the address" in content


def test_404_of_a_missing_object_does_not_show_djangos_message(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("institutions:detail", args=[999_999]))
    assert response.status_code == 404
    content = response.content.decode()
    assert "Không tìm thấy trang" in content
    assert "No Institution matches" not in content


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("vi", "Mục này thuộc tỉnh khác"),
        ("en", "This belongs to another province"),
    ],
)
def test_403_says_the_object_belongs_to_another_province(
    client, officer_a, province_b, language, sentence
):
    other = InstitutionFactory(province=province_b.code)
    client.force_login(officer_a)
    if language == "en":
        _english(client)
    for url in (
        other.get_absolute_url(),
        reverse("institutions:update", args=[other.pk]),
        reverse("reports:edit", args=[other.pk, 2024]),
        reverse("reports:sheet") + f"?province={province_b.code}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        content = response.content.decode()
        _assert_portal_page(content, language)
        assert sentence in content, url
        assert officer_a.profile.province.name in content, url


def test_403_without_a_province_reason_says_the_account_lacks_the_permission(
    client, officer_a
):
    client.force_login(officer_a)
    response = client.get(reverse("audit"))
    assert response.status_code == 403
    content = response.content.decode()
    _assert_portal_page(content, "vi")
    assert "Tài khoản của bạn không có quyền" in content
    assert "quản trị viên" in content


def test_403_of_the_national_pdf_says_who_it_is_for(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("reports:report_pdf"))
    assert response.status_code == 403
    assert "Bộ" in response.content.decode()
    assert "Báo cáo toàn quốc" in response.content.decode()


def test_400_page_in_the_portal_layout(client):
    # A Host header the portal does not serve is a bad request.
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    content = response.content.decode()
    _assert_portal_page(content, "vi")
    assert "Yêu cầu không hợp lệ" in content


@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [
        ("vi", "Biểu mẫu đã hết hạn", "tải lại trang"),
        ("en", "The form has expired", "reload the page"),
    ],
)
def test_csrf_failure_explains_the_expired_form(language, heading, advice):
    client = Client(enforce_csrf_checks=True)
    if language == "en":
        _english(client)
    response = client.post(
        reverse("login"), {"username": "someone", "password": TEST_PASSWORD}
    )
    assert response.status_code == 403
    content = response.content.decode()
    _assert_portal_page(content, language)
    assert heading in content
    assert advice in content
    assert "CSRF verification failed" not in content


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.lifelong_learning.error_urls"
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.lifelong_learning.error_urls")
@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [
        ("vi", "Lỗi máy chủ", "Hãy thử lại sau ít phút"),
        ("en", "Server error", "Try again in a few minutes"),
    ],
)
def test_500_page_renders_without_the_database(
    failing_client, django_db_blocker, officer_a, language, heading, advice
):
    # A logged-in person's session cookie must not make the page read the
    # (unreachable) session or user.
    failing_client.force_login(officer_a)
    if language == "en":
        _english(failing_client)
    with django_db_blocker.block():
        response = failing_client.get("/broken/")
    assert response.status_code == 500
    content = response.content.decode()
    _assert_portal_page(content, language)
    assert heading in content
    assert advice in content
    # Who is logged in is unknown here: no "log in" button for a logged-in person.
    assert "/accounts/login/" not in content
