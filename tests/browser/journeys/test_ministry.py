"""Ministry staff's journeys: reviewing (return one report with its own
comment, approve another province's sheet after the confirmation), and
reading the dashboards through every filter, with the national PDF. Done
through the controls only, in both languages, at phone and laptop size."""

import pytest

from reports.entry.models import AnnualReport, ReportStatus, SheetReturn

pytestmark = pytest.mark.browser

HANOI = "01"
DAKLAK = "66"
YEAR = 2025


def _open_review_sheet(journey, province: str) -> None:
    page = journey.page
    journey.nav(journey.say("Duyệt báo cáo", "Review"))
    journey.check()
    page.get_by_label(journey.say("Năm", "Year"), exact=True).select_option(str(YEAR))
    page.get_by_test_id("review-filter").get_by_role(
        "button", name=journey.say("Xem", "Show")
    ).click()
    page.wait_for_load_state()
    journey.check()
    page.get_by_test_id(f"review-row-{province}-{YEAR}").get_by_role(
        "link"
    ).first.click()
    page.wait_for_load_state()
    journey.check()


def test_ministry_returns_one_report_and_approves_another_provinces_sheet(journey):
    page = journey.page
    returned = (
        AnnualReport.objects.filter(
            institution__province_id=HANOI, year=YEAR, status=ReportStatus.SUBMITTED
        )
        .select_related("institution")
        .order_by("institution__name_sort")
        .first()
    )
    others = set(
        AnnualReport.objects.filter(
            institution__province_id=HANOI, year=YEAR, status=ReportStatus.SUBMITTED
        ).exclude(pk=returned.pk)
    )
    journey.login("ministry")

    _open_review_sheet(journey, HANOI)
    row = page.get_by_test_id(f"review-report-{returned.institution.code}")
    row.get_by_test_id("return-one-open").click()
    row.get_by_test_id("return-one-comment").fill("Thiếu số lượt tham quan")
    row.get_by_test_id("return-one").click()
    page.wait_for_load_state()
    journey.check()
    returned.refresh_from_db()
    assert (returned.status, returned.review_comment) == (
        ReportStatus.RETURNED,
        "Thiếu số lượt tham quan",
    )
    # The comment went to that report only.
    for other in others:
        other.refresh_from_db()
        assert (other.status, other.review_comment) == (ReportStatus.SUBMITTED, "")
    assert not SheetReturn.objects.exists()

    _open_review_sheet(journey, DAKLAK)
    submitted = AnnualReport.objects.filter(
        institution__province_id=DAKLAK, year=YEAR, status=ReportStatus.SUBMITTED
    )
    count = submitted.count()
    assert count > 1
    page.get_by_test_id("approve-all").click()
    page.wait_for_load_state()
    journey.check()
    # Asked once, with the number and the names.
    assert str(count) in page.get_by_test_id("confirm-count").inner_text()
    listed = page.get_by_test_id("confirm-list").inner_text()
    for report in submitted.select_related("institution"):
        assert report.institution.name in listed
    assert (
        AnnualReport.objects.filter(
            institution__province_id=DAKLAK, year=YEAR, status=ReportStatus.SUBMITTED
        ).count()
        == count
    )
    page.get_by_test_id("confirm-approve").click()
    page.wait_for_load_state()
    journey.check()
    assert not submitted.all().exists()
    assert (
        AnnualReport.objects.filter(
            institution__province_id=DAKLAK, year=YEAR, status=ReportStatus.APPROVED
        ).count()
        >= count
    )
    # Nothing is left to approve, so the button is gone.
    assert page.get_by_test_id("approve-all").count() == 0


def test_ministry_reads_each_dashboard_filter_and_opens_the_pdf(journey):
    page = journey.page
    journey.login("ministry")
    journey.nav(journey.say("Bảng điều khiển", "Dashboard"))
    journey.check()
    filters = page.get_by_test_id("dashboard-filters")
    show = journey.say("Xem", "Show")
    for year in ("2022", "2023", "2024", "2025"):
        filters.locator("select[name=year]").select_option(year)
        filters.get_by_role("button", name=show).click()
        page.wait_for_load_state()
        journey.check()
        assert f"year={year}" in page.url
        assert year in page.locator("h1").inner_text()
        assert filters.locator("select[name=year]").input_value() == year
    filters.locator("input[name=approved]").check()
    filters.get_by_role("button", name=show).click()
    page.wait_for_load_state()
    journey.check()
    assert filters.locator("input[name=approved]").is_checked()
    filters.locator("select[name=province]").select_option(DAKLAK)
    filters.get_by_role("button", name=show).click()
    page.wait_for_load_state()
    journey.check()
    assert f"/provinces/{DAKLAK}/" in page.url
    assert "Đắk Lắk" in page.locator("h1").inner_text()
    assert filters.locator("input[name=approved]").is_checked()
    assert filters.locator("select[name=year]").input_value() == "2025"

    with page.expect_download() as download_info:
        page.get_by_test_id("national-pdf-link").click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
