"""Everyone's journeys: the error pages, changing one's own password, logging
out, and finding the national PDF and the API documentation."""

import re

import pytest

from institutions.models import Institution
from reports.demo.sample import DEMO_PASSWORD

from ..conftest import assert_accessible

pytestmark = pytest.mark.browser

NEW_PASSWORD = "hoc-tap-suot-doi-2030"
DAKLAK = "66"


def _check_error_page(journey, status: int, heading: str) -> None:
    page = journey.page
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == journey.language
    assert page.locator("h1").inner_text() == heading
    assert str(status) in page.get_by_test_id("error-page").inner_text()
    assert page.get_by_test_id("error-what").inner_text().strip()
    assert page.get_by_test_id("error-todo").inner_text().strip()
    journey.check()
    assert_accessible(page)
    # The header is there, and the way home works.
    assert page.locator("header .navbar-brand").is_visible()
    page.get_by_test_id("error-home").click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(page_origin(page)))


def page_origin(page) -> str:
    return re.match(r"https?://[^/]+", page.url).group(0)


def test_page_not_found(journey):
    page = journey.page
    response = page.goto("/trang-khong-co/")
    assert response.status == 404
    _check_error_page(
        journey, 404, journey.say("Không tìm thấy trang", "Page not found")
    )


def test_another_provinces_institution_is_refused_with_the_reason(journey):
    other = Institution.objects.filter(province_id=DAKLAK).order_by("pk").first()
    journey.login("officer-hanoi")
    # A link someone from Đắk Lắk shared.
    response = journey.page.goto(other.get_absolute_url())
    assert response.status == 403
    what = journey.page.get_by_test_id("error-what").inner_text()
    assert journey.say("thuộc tỉnh khác", "belongs to another province") in what
    assert "Hà Nội" in what
    _check_error_page(
        journey, 403, journey.say("Không có quyền truy cập", "Access denied")
    )


def test_a_form_sent_after_its_security_cookie_went_is_explained(journey):
    page = journey.page
    journey.open_menu()
    page.locator("header").get_by_role(
        "link", name=journey.say("Đăng nhập", "Log in")
    ).click()
    page.locator("input[name=username]").fill("officer-hanoi")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    # The browser lost the form's security cookie while the page was open.
    page.context.clear_cookies(name="csrftoken")
    page.locator("main button[type=submit]").click()
    _check_error_page(
        journey, 403, journey.say("Biểu mẫu đã hết hạn", "The form has expired")
    )


def test_a_malformed_request(journey):
    # An address with more parameters than the portal accepts.
    query = "&".join(f"p{number}=1" for number in range(1100))
    response = journey.page.goto(f"/accounts/login/?{query}")
    assert response.status == 400
    _check_error_page(journey, 400, journey.say("Yêu cầu không hợp lệ", "Bad request"))


def test_server_error(journey, settings):
    settings.ROOT_URLCONF = "tests.lifelong_learning.error_urls"
    response = journey.page.goto("/broken/")
    assert response.status == 500
    _check_error_page(journey, 500, journey.say("Lỗi máy chủ", "Server error"))


def new_password_label(journey):
    """The first new-password field (not its confirmation)."""
    return re.compile(r"^\W*" + journey.say("Mật khẩu mới", "New password") + r"\W*$")


def test_change_own_password_and_log_in_with_it(journey):
    page = journey.page
    journey.login("officer-daklak")
    journey.open_menu()
    page.get_by_test_id("user-menu").click()
    page.get_by_role(
        "link", name=journey.say("Đổi mật khẩu", "Change password")
    ).click()
    page.wait_for_url("**/accounts/password_change/")
    journey.check()
    assert_accessible(page)
    form = page.locator("main form")
    form.get_by_label(journey.say("Mật khẩu cũ", "Old password")).fill(DEMO_PASSWORD)
    # Too short first: Django's validators say why.
    form.get_by_label(new_password_label(journey)).fill("ngan")
    form.get_by_label(
        journey.say("Xác nhận mật khẩu mới", "New password confirmation")
    ).fill("ngan")
    form.get_by_role(
        "button", name=journey.say("Đổi mật khẩu", "Change password")
    ).click()
    page.wait_for_load_state()
    assert journey.say("quá ngắn", "too short") in page.locator("main").inner_text()
    journey.check()
    form.get_by_label(journey.say("Mật khẩu cũ", "Old password")).fill(DEMO_PASSWORD)
    form.get_by_label(new_password_label(journey)).fill(NEW_PASSWORD)
    form.get_by_label(
        journey.say("Xác nhận mật khẩu mới", "New password confirmation")
    ).fill(NEW_PASSWORD)
    form.get_by_role(
        "button", name=journey.say("Đổi mật khẩu", "Change password")
    ).click()
    page.wait_for_url("**/accounts/password_change/done/")
    assert (
        journey.say("Đã đổi mật khẩu", "Password changed")
        in page.locator("h1").inner_text()
    )
    journey.check()
    journey.logout()
    # The new password opens the account.
    journey.login("officer-daklak", NEW_PASSWORD)
    journey.open_menu()
    assert page.get_by_test_id("user-menu").is_visible()
    journey.check()


def test_log_out_says_so(journey):
    page = journey.page
    journey.login("ministry")
    journey.logout()
    page.wait_for_url(lambda url: url.rstrip("/") == page_origin(page))
    alert = page.get_by_role("alert")
    assert journey.say("Bạn đã đăng xuất.", "You have logged out.") in (
        alert.inner_text()
    )
    journey.open_menu()
    assert (
        page.locator("header")
        .get_by_role("link", name=journey.say("Đăng nhập", "Log in"))
        .is_visible()
    )
    journey.check()


def test_ministry_downloads_the_national_pdf_from_the_dashboard(journey):
    page = journey.page
    journey.login("ministry")
    journey.nav(journey.say("Bảng điều khiển", "Dashboard"))
    link = page.get_by_test_id("national-pdf-link")
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(
        r"national-report-20\d\d\.pdf", download.value.suggested_filename
    )
    journey.check()


def test_api_docs_from_the_footer(journey):
    page = journey.page
    journey.login("officer-hanoi")
    page.get_by_test_id("footer-api-docs").click()
    page.wait_for_url("**/api/v1/docs/")
    assert page.locator("main > h1").inner_text() == journey.say(
        "Tài liệu API", "API documentation"
    )
    intro = page.get_by_test_id("api-intro").inner_text()
    assert journey.say("API JSON chỉ đọc", "read-only JSON API") in intro
    # Swagger UI, served by the portal, lists the endpoints.
    page.locator("#swagger-ui .opblock").first.wait_for()
    assert page.locator("#swagger-ui .opblock").count() >= 4
    page.wait_for_load_state("networkidle")
    # Swagger UI's own words are English and marked so (lang="en").
    journey.check()
