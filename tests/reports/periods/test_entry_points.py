"""A reporting period's dates hold at every entry point: the single report
form, the year sheet, the upload (preview and confirm), ``import_reports`` and
the admin's report form refuse entry before opening and after closing (the
province's extension included) with the period's sentence, through the one
write path (``reports_check``); review goes on after closing, and a report the
ministry returned may be corrected until it is submitted again. The banner
shows the due date on every page of a province's year."""

import datetime
import io

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from institutions.models import Category
from reports.entry import workflow
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import ReportEntry, reports_check
from reports.periods.models import PeriodExtension, ReportingPeriod
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import ReportFactory
from tests.reports.conftest import csv_write

pytestmark = pytest.mark.django_db

D = datetime.date
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
OPEN_DAY = datetime.datetime(2025, 3, 19, 10, 0, tzinfo=VIETNAM)
CLOSED_DAY = datetime.datetime(2025, 5, 3, 10, 0, tzinfo=VIETNAM)
BEFORE_DAY = datetime.datetime(2025, 1, 10, 10, 0, tzinfo=VIETNAM)
SHEET = reverse("reports:sheet")
A_2024 = {"year": 2024, "category": Category.LIBRARY_DISTRICT}
CLOSED_VI = "đã khóa sổ ngày 30/04/2025"


@pytest.fixture
def clock(monkeypatch):
    """The portal's clock, set by ``clock.set(moment)``."""

    class Clock:
        def set(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

    clock = Clock()
    clock.set(OPEN_DAY)
    return clock


@pytest.fixture
def period(geography):
    return ReportingPeriod.objects.create(
        year=2024,
        opens_on=D(2025, 1, 15),
        due_on=D(2025, 3, 31),
        closes_on=D(2025, 4, 30),
    )


def edit_url(institution, year=2024):
    return reverse("reports:edit", args=[institution.pk, year])


def sheet_post(client, institution, values):
    data = {"action": "save"}
    for name, value in values.items():
        data[f"r{institution.pk}-{name}"] = value
    return client.post(SHEET, data, query_params=A_2024)


# The one write path ----------------------------------------------------------------


def test_reports_check_refuses_entry_before_opening_and_after_closing(
    clock, period, library_a
):
    def errors():
        entry = ReportEntry(library_a, 2024, {"lll_services": True}, 0)
        (check,) = reports_check(user=None, entries=[entry])
        return check.errors.get(NON_FIELD_ERRORS)

    clock.set(BEFORE_DAY)
    assert "mở từ ngày 15/01/2025" in errors()
    clock.set(OPEN_DAY)
    assert errors() is None
    clock.set(CLOSED_DAY)
    assert CLOSED_VI in errors()


def test_the_closing_day_ends_at_midnight_in_vietnam(clock, period, library_a):
    entry = ReportEntry(library_a, 2024, {"lll_services": True}, 0)
    # 23:59 on 30/04 in Hà Nội is 16:59 UTC: still open.
    clock.set(datetime.datetime(2025, 4, 30, 16, 59, tzinfo=datetime.UTC))
    assert reports_check(user=None, entries=[entry])[0].ok
    # 00:30 on 01/05 in Hà Nội is still 30/04 in UTC: closed.
    clock.set(datetime.datetime(2025, 4, 30, 17, 30, tzinfo=datetime.UTC))
    assert not reports_check(user=None, entries=[entry])[0].ok


def test_an_extension_keeps_one_province_open(clock, period, library_a, library_b):
    PeriodExtension.objects.create(
        period=period,
        province_id=PROVINCE_B,
        due_on=D(2025, 4, 15),
        closes_on=D(2025, 5, 15),
        reason="Bão lũ",
    )
    clock.set(CLOSED_DAY)
    checks = reports_check(
        user=None,
        entries=[
            ReportEntry(library_a, 2024, {"lll_services": True}, 0),
            ReportEntry(library_b, 2024, {"lll_services": True}, 0),
        ],
    )
    assert [check.ok for check in checks] == [False, True]


def test_a_year_without_a_period_is_not_limited(clock, library_a):
    clock.set(CLOSED_DAY)
    entry = ReportEntry(library_a, 2024, {"lll_services": True}, 0)
    assert reports_check(user=None, entries=[entry])[0].ok


# Each entry point ------------------------------------------------------------------


def test_the_report_form_refuses_after_closing(
    client, clock, period, officer_a, library_a
):
    clock.set(CLOSED_DAY)
    client.force_login(officer_a)
    response = client.post(edit_url(library_a), {"version": 0, "lll_services": "1"})
    assert response.status_code == 400
    assert CLOSED_VI in response.text
    assert not AnnualReport.objects.exists()


def test_the_year_sheet_refuses_after_closing(
    client, clock, period, officer_a, library_a
):
    clock.set(CLOSED_DAY)
    client.force_login(officer_a)
    response = sheet_post(client, library_a, {"version": 0, "lll_services": "1"})
    assert response.status_code == 409
    assert CLOSED_VI in response.text
    assert not AnnualReport.objects.exists()
    clock.set(OPEN_DAY)
    response = sheet_post(client, library_a, {"version": 0, "lll_services": "1"})
    assert response.status_code == 302
    assert AnnualReport.objects.get().lll_services is True


def _upload(client, tmp_path):
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "lll_services": "có"}],
    )
    with path.open("rb") as handle:
        return client.post(
            reverse("reports:upload"), {"file": handle, "status": "draft"}
        )


def test_the_upload_preview_refuses_after_closing(
    client, clock, period, officer_a, library_a, tmp_path
):
    clock.set(CLOSED_DAY)
    client.force_login(officer_a)
    preview = client.get(_upload(client, tmp_path).url)
    assert preview.context["result"].errors
    assert CLOSED_VI in preview.text


def test_the_upload_confirm_refuses_once_closed(
    client, clock, period, officer_a, library_a, tmp_path
):
    client.force_login(officer_a)
    url = _upload(client, tmp_path).url
    assert not client.get(url).context["result"].errors
    # The preview was fine; the ministry closed the period before the
    # confirmation.
    ReportingPeriod.objects.filter(pk=period.pk).update(
        due_on=D(2025, 3, 18), closes_on=D(2025, 3, 18)
    )
    response = client.post(url, {"status": "draft"})
    # The import (on the worker) refuses it; its page says why.
    page = client.get(response.url)
    assert page.context["job"].state == "failed"
    assert "đã khóa sổ ngày 18/03/2025" in page.text
    assert not AnnualReport.objects.exists()


def test_import_reports_refuses_after_closing(clock, period, library_a, tmp_path):
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "lll_services": "có"}],
    )
    clock.set(CLOSED_DAY)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=io.StringIO(), stderr=err)
    assert "2024" in err.getvalue()
    assert not AnnualReport.objects.exists()


def test_the_admins_report_form_refuses_after_closing(
    client, clock, period, administrator, library_a
):
    clock.set(CLOSED_DAY)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:reports_annualreport_add"),
        {"institution": library_a.pk, "year": 2024, "lll_services": "true"},
    )
    assert response.status_code == 200
    assert CLOSED_VI in response.text
    assert not AnnualReport.objects.exists()


# Review after closing, and a returned report's correction ------------------------


def test_review_goes_on_after_closing(
    clock, period, ministry_user, library_a, museum_a
):
    first = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    second = ReportFactory(institution=museum_a, status=ReportStatus.SUBMITTED)
    clock.set(CLOSED_DAY)
    workflow.report_approve(user=ministry_user, report=first)
    workflow.report_return(user=ministry_user, report=second, comment="Thiếu số liệu")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "returned")


def test_a_returned_report_may_be_corrected_after_closing_until_submitted(
    client, clock, period, officer_a, ministry_user, library_a
):
    report = ReportFactory(
        institution=library_a, lll_services=False, status=ReportStatus.SUBMITTED
    )
    clock.set(CLOSED_DAY)
    workflow.report_return(user=ministry_user, report=report, comment="Sai số liệu")
    client.force_login(officer_a)  # after the clock moved
    # Corrected twice (the first save leaves it a draft), then submitted.
    report.refresh_from_db()
    response = sheet_post(
        client, library_a, {"version": report.version, "lll_services": "1"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.lll_services) == ("draft", True)
    response = client.post(
        edit_url(library_a),
        {"version": report.version, "lll_services": "1", "learning_visits": "40"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    workflow.report_submit(user=officer_a, report=report)
    report.refresh_from_db()
    # Submitted again: the period's closing holds once more.
    workflow.report_return(user=ministry_user, report=report, comment="Xem lại")
    report.refresh_from_db()
    workflow.report_submit(user=officer_a, report=report)
    report.refresh_from_db()
    assert report.status == "submitted"
    response = client.post(
        edit_url(library_a),
        {"version": report.version, "lll_services": "0", "action": "save"},
    )
    assert response.status_code == 400
    assert CLOSED_VI in response.text


def test_a_draft_never_returned_is_refused_after_closing(
    client, clock, period, officer_a, library_a
):
    report = ReportFactory(institution=library_a, lll_services=False)
    clock.set(CLOSED_DAY)
    client.force_login(officer_a)
    response = sheet_post(
        client, library_a, {"version": report.version, "lll_services": "1"}
    )
    assert response.status_code == 409
    assert CLOSED_VI in response.text
    report.refresh_from_db()
    assert report.lll_services is False


def test_a_draft_entered_in_time_cannot_be_submitted_after_closing(
    client, clock, period, officer_a, library_a
):
    report = ReportFactory(institution=library_a, lll_services=True)
    clock.set(CLOSED_DAY)
    with pytest.raises(ValidationError, match=r"30/04/2025|2025-04-30"):
        workflow.report_submit(user=officer_a, report=report)
    client.force_login(officer_a)
    response = client.post(
        reverse("reports:submit", args=[report.pk]), {"version": report.version}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.first_submitted_at is None
    assert response.status_code in (302, 400, 409)


# The banner ------------------------------------------------------------------------


def test_the_banner_shows_the_due_date_on_the_pages_of_a_year(
    client, clock, period, officer_a, library_a
):
    PeriodExtension.objects.create(
        period=period,
        province_id=PROVINCE_A,
        due_on=D(2025, 4, 3),
        closes_on=D(2025, 5, 15),
        reason="Sáp nhập tỉnh",
    )
    client.force_login(officer_a)
    pages = [
        client.get(SHEET, A_2024),
        client.get(edit_url(library_a)),
        client.get(reverse("reports:upload"), {"year": 2024}),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "Hạn nộp 03/04/2025 — còn 15 ngày" in page.text
        assert 'data-testid="period-extended"' in page.text
        assert "Sáp nhập tỉnh" in page.text
    clock.set(datetime.datetime(2025, 4, 6, 9, 0, tzinfo=VIETNAM))
    client.force_login(officer_a)
    assert "quá hạn 3 ngày" in client.get(SHEET, A_2024).text


def test_the_banner_is_shown_to_ministry_staff_on_the_review_page(
    client, clock, period, ministry_user, library_a
):
    client.force_login(ministry_user)
    page = client.get(reverse("reports:review_sheet", args=[PROVINCE_A, 2024]))
    assert "Hạn nộp 31/03/2025 — còn 12 ngày" in page.text


def test_no_banner_for_a_year_without_a_period(client, clock, officer_a, library_a):
    client.force_login(officer_a)
    page = client.get(SHEET, A_2024)
    assert page.status_code == 200
    assert 'data-testid="period-banner"' not in page.text
