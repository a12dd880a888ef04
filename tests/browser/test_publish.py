"""Ministry staff publish an official release through the controls: the menu,
the year and notes, the confirmation, the release's page and the list; in
Vietnamese on a phone and in English on a laptop."""

import pytest

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.releases.models import Release
from tests.browser.conftest import LAPTOP, PHONE, assert_accessible, login
from tests.browser.journeys.conftest import JourneyRecorder, check_page
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.browser

NOTES = "Số liệu chính thức năm 2025.\nĐã duyệt toàn bộ Hà Nội."


@pytest.fixture
def reports_2025(geography):
    for number, status in enumerate(
        [ReportStatus.APPROVED, ReportStatus.APPROVED, ReportStatus.SUBMITTED]
    ):
        ReportFactory(
            institution=InstitutionFactory(
                code=f"PUB-{number}",
                category=Category.LIBRARY_DISTRICT,
                province=PROVINCE_A,
                opened_year=2000,
            ),
            year=2025,
            status=status,
            lll_services=True,
        )


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("vi", PHONE), ("en", LAPTOP)],
    ids=["vi-phone", "en-laptop"],
)
def test_ministry_staff_publish_a_release_and_find_it_in_the_list(
    browser, live_server, reports_2025, language, viewport
):
    def say(vi: str, en: str) -> str:
        return vi if language == "vi" else en

    UserFactory(
        username="ministry-publish",
        role="ministry_staff",
        first_name="Lan",
        last_name="Nguyễn Thị",
    )
    context = browser.new_context(
        viewport=viewport,
        locale="vi-VN" if language == "vi" else "en-US",
        extra_http_headers={"Accept-Language": language},
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.recorder = JourneyRecorder(page)
    login(page, "ministry-publish")

    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("link", name=say("Bản công bố", "Releases")).click()
    page.wait_for_load_state()
    check_page(page)
    assert page.get_by_test_id("empty-state").is_visible()

    page.get_by_test_id("release-publish").click()
    page.wait_for_load_state()
    check_page(page)
    year = page.get_by_label(say("Năm số liệu", "Data year"))
    assert say("2 đã duyệt, 1 chưa duyệt", "2 approved, 1 not approved") in (
        year.inner_text()
    )
    year.select_option("2025")
    page.get_by_label(say("Ghi chú", "Notes")).fill(NOTES)
    assert_accessible(page)
    page.get_by_test_id("release-next").click()
    page.wait_for_load_state()
    check_page(page)
    assert_accessible(page)

    confirm = page.get_by_test_id("release-confirm")
    assert "2025-1" in confirm.get_by_test_id("confirm-what").inner_text()
    assert "2" in confirm.get_by_test_id("confirm-approved").inner_text()
    assert confirm.get_by_test_id("confirm-left-out").is_visible()
    assert Release.objects.count() == 0
    page.get_by_test_id("release-confirm-publish").click()
    page.wait_for_url("**/reports/releases/2025-1/")
    check_page(page)
    assert say("Đã công bố bản 2025-1", "Release 2025-1 was published") in (
        page.inner_text("main")
    )
    assert page.get_by_test_id("release-notes").inner_text() == NOTES
    assert page.get_by_test_id("release-published-by").inner_text() == "Nguyễn Thị Lan"

    # Back once: the browser's history holds the confirmation, whose second
    # submit publishes nothing more.
    page.go_back()
    page.wait_for_load_state()
    if page.get_by_test_id("release-confirm-publish").is_visible():
        page.get_by_test_id("release-confirm-publish").click()
        page.wait_for_load_state()
        check_page(page)
    assert list(Release.objects.values_list("number", "notes")) == [("2025-1", NOTES)]

    page.goto("/reports/releases/")
    check_page(page)
    assert_accessible(page)
    row = page.get_by_test_id("release-2025-1")
    assert row.is_visible()
    assert "Nguyễn Thị Lan" in row.inner_text()
    context.close()
