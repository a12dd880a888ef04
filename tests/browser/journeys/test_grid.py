"""Ministry staff follow the year's collection on the reporting status grid:
choose the year, read one category's column (on a phone, through the category
picker), open the review of a cell, then approve a chosen cell after the
confirmation that names it. Through the controls only, in both languages, at
phone and laptop size (see conftest)."""

import pytest
from django.db.models import Count
from django.utils import translation

from institutions.models import Category
from reports.entry.models import AnnualReport, ReportStatus

pytestmark = pytest.mark.browser

YEAR = 2025


def _waiting_cell() -> tuple[str, str, int]:
    """A (province, category) of the demo with submitted reports in YEAR, and
    how many."""
    row = (
        AnnualReport.objects.filter(year=YEAR, status=ReportStatus.SUBMITTED)
        .values("institution__province_id", "institution__category")
        .annotate(n=Count("pk"))
        .order_by("-n", "institution__province_id", "institution__category")
        .first()
    )
    return row["institution__province_id"], row["institution__category"], row["n"]


def _label(journey, category: str) -> str:
    """The category's name in the page's language."""
    with translation.override(journey.say("vi", "en")):
        return str(Category(category).label)


def _open_grid(journey, category: str) -> None:
    page = journey.page
    journey.login("ministry")
    journey.nav(journey.say("Duyệt báo cáo", "Review"))
    journey.check()
    page.get_by_test_id("grid-link").click()
    page.wait_for_load_state()
    journey.check()
    page.get_by_label(journey.say("Năm", "Year"), exact=True).select_option(str(YEAR))
    if journey.phone:
        # One category's column at a time on a phone, chosen here.
        page.get_by_label(
            journey.say("Loại hình hiển thị", "Category shown"), exact=True
        ).select_option(category)
    page.get_by_role("button", name=journey.say("Xem", "Show"), exact=True).click()
    page.wait_for_load_state()
    journey.check()


def test_ministry_reads_the_grid_and_opens_the_review_of_a_cell(journey):
    page = journey.page
    province, category, _waiting = _waiting_cell()
    _open_grid(journey, category)
    cell = page.get_by_test_id(f"cell-{province}-{category}")
    assert cell.is_visible()
    assert cell.get_attribute("data-state") == "submitted"
    label = _label(journey, category)
    with journey.page.expect_navigation():
        cell.get_by_role("link").first.click()
    journey.check()
    assert f"/reports/review/{province}/{YEAR}/" in page.url
    assert f"category={category}" in page.url
    assert label in page.locator("main").inner_text()


def test_ministry_approves_a_chosen_cell_after_the_confirmation(journey):
    page = journey.page
    province, category, waiting = _waiting_cell()
    _open_grid(journey, category)
    page.locator(f"#choose-{province}-{category}").check()
    page.get_by_test_id("grid-approve").click()
    page.wait_for_load_state()
    journey.check()
    confirmation = page.get_by_test_id("grid-approve-confirm")
    assert str(waiting) in page.get_by_test_id("confirm-count").inner_text()
    assert _label(journey, category) in confirmation.inner_text()
    assert (
        AnnualReport.objects.filter(
            year=YEAR,
            status=ReportStatus.SUBMITTED,
            institution__province_id=province,
            institution__category=category,
        ).count()
        == waiting
    )
    page.get_by_test_id("confirm-approve").click()
    page.wait_for_load_state()
    journey.check()
    assert not AnnualReport.objects.filter(
        year=YEAR,
        status=ReportStatus.SUBMITTED,
        institution__province_id=province,
        institution__category=category,
    ).exists()
    cell = page.get_by_test_id(f"cell-{province}-{category}")
    assert cell.get_attribute("data-state") != "submitted"
