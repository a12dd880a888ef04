"""A provincial officer's journeys: the year sheet from the landing page to a
confirmed submission, the upload of a filled template, and finding what the
ministry returned. Done through the controls only, in both languages, at
phone and laptop size (see conftest)."""

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from institutions.models import Category, Institution
from reports.demo.sample import DEMO_PASSWORD
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.workflow import report_return

pytestmark = pytest.mark.browser

HANOI = "01"
YEAR = 2025


def _show_sheet(journey, category: str, year: int = YEAR) -> None:
    page = journey.page
    page.get_by_label(journey.say("Năm", "Year"), exact=True).select_option(str(year))
    page.get_by_label(journey.say("Loại hình", "Category"), exact=True).select_option(
        value=category
    )
    page.get_by_role("button", name=journey.say("Xem", "Show"), exact=True).click()
    page.wait_for_load_state()
    journey.check()


def _count_inputs(page, code: str):
    return page.get_by_test_id(f"row-{code}").locator("input[inputmode=numeric]")


def test_officer_fills_the_year_sheet_fixes_an_error_and_submits(journey):
    page = journey.page
    museums = list(
        Institution.objects.filter(province_id=HANOI, category=Category.MUSEUM)
        .active_in(YEAR)
        .order_by("name_sort")
    )
    first, second = museums[0], museums[1]
    journey.login("officer-hanoi")
    journey.check()
    journey.nav(journey.say("Nhập số liệu", "Data entry"))
    journey.check()
    _show_sheet(journey, Category.MUSEUM)

    grouped = journey.say("1.234", "1,234")
    cell = _count_inputs(page, first.code).first
    field = cell.get_attribute("name").split("-", 1)[1]
    cell.fill(grouped)
    _count_inputs(page, second.code).first.fill("12 lượt")
    page.get_by_test_id("sheet-save").click()
    page.wait_for_load_state()
    journey.check()
    # Nothing was saved; the error names what is accepted, beside the cell.
    error = page.get_by_test_id(f"row-{second.code}").locator(".invalid-feedback")
    assert journey.say("số nguyên", "whole number") in error.first.inner_text()
    report = AnnualReport.objects.filter(institution=first, year=YEAR).first()
    assert report is None or getattr(report, field) != 1234

    _count_inputs(page, second.code).first.fill("12")
    page.get_by_test_id("sheet-save").click()
    page.wait_for_load_state()
    journey.check()
    saved = AnnualReport.objects.get(institution=first, year=YEAR)
    assert getattr(saved, field) == 1234
    shown = _count_inputs(page, first.code).first.input_value()
    assert shown.replace(".", "").replace(",", "") == "1234"

    page.get_by_test_id("sheet-submit").click()
    page.wait_for_load_state()
    journey.check()
    # The confirmation names every report that will be sent.
    listed = page.get_by_test_id("confirm-list").inner_text()
    drafts = AnnualReport.objects.filter(
        institution__province_id=HANOI,
        institution__category=Category.MUSEUM,
        year=YEAR,
        status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
    ).select_related("institution")
    assert drafts.exists()
    for draft in drafts:
        assert draft.institution.name in listed
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state()
    journey.check()
    assert page.get_by_test_id("sheet-table").is_visible()
    assert not drafts.all().exists()
    assert AnnualReport.objects.get(pk=saved.pk).status == ReportStatus.SUBMITTED


def test_officer_uploads_the_filled_template_and_lands_on_that_sheet(journey, tmp_path):
    page = journey.page
    journey.login("officer-hanoi")
    journey.nav(journey.say("Nhập số liệu", "Data entry"))
    _show_sheet(journey, Category.LIBRARY_DISTRICT)
    page.get_by_test_id("sheet-upload").click()
    page.wait_for_load_state()
    journey.check()
    with page.expect_download() as download_info:
        page.get_by_test_id("template-download").click()
    template = tmp_path / "bang-nhap-2025.xlsx"
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("learning_visits") + 1
    sheet.cell(row=2, column=column, value=4321)
    code = sheet.cell(row=2, column=header.index("institution_code") + 1).value
    workbook.save(template)

    page.locator("input[type=file]").set_input_files(str(template))
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    journey.check()
    assert page.get_by_test_id("import-preview").is_visible()
    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state()
    journey.check()
    # The import's page (run at once by the tests' worker) leads to the sheet
    # of the year and category just uploaded.
    assert page.get_by_test_id("job-progress").get_attribute("data-state") == "done"
    page.get_by_test_id("job-next").click()
    page.wait_for_load_state()
    journey.check()
    assert "category=library_district" in page.url and f"year={YEAR}" in page.url
    assert AnnualReport.objects.get(institution__code=code, year=YEAR).learning_visits
    value = _count_inputs(page, code).first.input_value()
    assert value.replace(".", "").replace(",", "") == "4321"


def test_officer_finds_a_returned_report_from_the_landing_page(journey):
    page = journey.page
    report = (
        AnnualReport.objects.filter(
            institution__province_id=HANOI, status=ReportStatus.SUBMITTED
        )
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    ministry = get_user_model().objects.get(username="ministry")
    report_return(user=ministry, report=report, comment="Kiểm tra lại số lượt")
    journey.login("officer-hanoi")
    journey.check()
    panel = page.get_by_test_id("returned-work")
    assert "Kiểm tra lại số lượt" in panel.inner_text()
    assert report.institution.name in panel.inner_text()
    panel.get_by_test_id(
        f"open-returned-{report.year}-{report.institution.category}"
    ).click()
    page.wait_for_load_state()
    journey.check()
    row = page.get_by_test_id(f"row-{report.institution.code}")
    assert "Kiểm tra lại số lượt" in row.inner_text()
    _count_inputs(page, report.institution.code).first.fill("77")
    page.get_by_test_id("sheet-submit").click()
    page.wait_for_load_state()
    journey.check()
    assert report.institution.name in page.get_by_test_id("confirm-list").inner_text()
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state()
    journey.check()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # The corrected report is no longer among what came back.
    journey.nav(journey.say("Bảng điều khiển", "Dashboard"))
    journey.check()
    assert "Kiểm tra lại số lượt" not in page.locator("main").inner_text()


def test_officer_keeps_what_was_typed_when_the_session_ends(journey):
    from django.contrib.sessions.models import Session

    page = journey.page
    museum = (
        Institution.objects.filter(province_id=HANOI, category=Category.MUSEUM)
        .active_in(YEAR)
        .order_by("name_sort")
        .first()
    )
    journey.login("officer-hanoi")
    journey.nav(journey.say("Nhập số liệu", "Data entry"))
    _show_sheet(journey, Category.MUSEUM)
    cell = _count_inputs(page, museum.code).first
    field = cell.get_attribute("name").split("-", 1)[1]
    cell.fill("2468")
    # The session ends on the server while the sheet is open.
    Session.objects.all().delete()
    page.get_by_test_id("sheet-save").click()
    page.wait_for_load_state()
    journey.check()
    assert "/accounts/login/" in page.url
    reason = page.get_by_test_id("login-reason").inner_text()
    assert journey.say("hết hạn", "ended") in reason
    page.locator("input[name=username]").fill("officer-hanoi")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()
    journey.check()
    # Back on the sheet, the typed value is put back and said so.
    assert page.get_by_test_id("sheet-restored").is_visible()
    assert _count_inputs(page, museum.code).first.input_value() == "2468"
    assert (
        getattr(AnnualReport.objects.get(institution=museum, year=YEAR), field) != 2468
    )
    page.get_by_test_id("sheet-save").click()
    page.wait_for_load_state()
    journey.check()
    assert (
        getattr(AnnualReport.objects.get(institution=museum, year=YEAR), field) == 2468
    )
    assert page.get_by_test_id("sheet-restored").count() == 0
