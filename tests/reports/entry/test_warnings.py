"""Warnings that must be explained: the three rules, explanations kept with
their warning, a draft saved without one, a submission refused without one
through every entry point (the service, the year sheet and its submit step,
the report's form and submit button, the upload and ``import_reports``), and
the explanation kept in the history of an approved report."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.entry import workflow
from reports.entry.formats import IMPORT_COLUMNS
from reports.entry.imports import reports_import
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import report_save
from reports.entry.warnings import warning_message, warnings_find
from tests.factories import ReportFactory
from tests.reports.conftest import csv_write, libraries

from .test_views import A_2024, SHEET, logged_in, sheet_post, texts, upload

pytestmark = pytest.mark.django_db

WHY = "Thư viện mở thêm phòng đọc cho thiếu nhi"


def save(user, institution, *, status=ReportStatus.DRAFT, explanations=None, **values):
    report = AnnualReport.objects.filter(institution=institution, year=2024).first()
    return report_save(
        user=user,
        institution=institution,
        year=2024,
        values=values,
        expected_version=report.version if report is not None else 0,
        status=status,
        explanations=explanations,
    )


# The three rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "now", "warned"),
    [
        (100, 301, True),  # more than threefold last year's
        (100, 300, False),
        (0, 50, True),  # a count given where last year's was zero
        (0, 0, False),
        (300, 99, False),  # a fall is not one of the three
        (10, 0, False),
        (None, 50, False),  # nothing to compare with
    ],
)
def test_a_count_is_warned_when_over_threefold_or_given_after_zero(
    library_a, before, now, warned
):
    previous = ReportFactory(institution=library_a, year=2023, learning_visits=before)
    found = warnings_find({"learning_visits": now}, previous)
    assert [w["field"] for w in found] == (["learning_visits"] if warned else [])


@pytest.mark.parametrize(
    ("before", "now", "warned"),
    [
        (True, False, True),
        (False, True, False),
        (True, True, False),
        (None, False, False),
    ],
)
def test_a_criterion_is_warned_when_it_turned_from_yes_to_no(
    library_a, before, now, warned
):
    previous = ReportFactory(institution=library_a, year=2023, lll_services=before)
    found = warnings_find({"lll_services": now}, previous)
    assert bool(found) is warned


def test_each_warning_says_what_it_found_in_vietnamese(library_a):
    previous = ReportFactory(
        institution=library_a,
        year=2023,
        lll_services=True,
        learning_visits=1000,
        study_visits=0,
    )
    found = warnings_find(
        {"lll_services": False, "learning_visits": 5000, "study_visits": 40},
        previous,
    )
    messages = [w["message"] for w in found]
    assert "thay đổi hơn ba lần: 1.000 năm 2023, nay là 5.000" in messages[1]
    assert messages[2].endswith("bằng 0 năm 2023, nay là 40.")
    assert "năm 2023" in messages[0]


def test_a_warning_of_an_earlier_rule_keeps_its_stored_words():
    fall = {
        "field": "learning_visits",
        "year": 2023,
        "before": 300,
        "value": 10,
        "message": "stored words",
    }
    assert warning_message(fall) == "stored words"


# The service: draft allowed, submission refused ------------------------------------


def test_a_draft_with_an_unexplained_warning_is_saved(officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    report = save(officer_a, library_a, learning_visits=100)
    assert report.status == ReportStatus.DRAFT
    assert [w.get("explanation") for w in report.warnings] == [None]


def test_a_report_with_an_unexplained_warning_is_not_submitted(officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    with pytest.raises(ValidationError) as refused:
        save(officer_a, library_a, status=ReportStatus.SUBMITTED, learning_visits=100)
    message = refused.value.message_dict["explanation_learning_visits"][0]
    assert message.startswith("Hãy giải thích cảnh báo này trước khi gửi")
    assert not AnnualReport.objects.filter(year=2024).exists()


def test_an_explained_warning_is_submitted_and_stored_trimmed(officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    report = save(
        officer_a,
        library_a,
        status=ReportStatus.SUBMITTED,
        explanations={"learning_visits": f"  {WHY}  "},
        learning_visits=100,
    )
    stored = AnnualReport.objects.get(pk=report.pk)
    assert stored.status == ReportStatus.SUBMITTED
    assert stored.warnings[0]["explanation"] == WHY


@pytest.mark.parametrize("text", ["  ab  ", "x" * 501])
def test_an_explanation_must_have_3_to_500_characters(officer_a, library_a, text):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    with pytest.raises(ValidationError) as refused:
        save(
            officer_a,
            library_a,
            explanations={"learning_visits": text},
            learning_visits=100,
        )
    (message,) = refused.value.message_dict["explanation_learning_visits"]
    assert message.startswith("Hãy viết lời giải thích dài từ 3 đến 500 ký tự")


def test_a_save_keeping_the_same_warning_keeps_its_explanation(officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    save(
        officer_a, library_a, explanations={"learning_visits": WHY}, learning_visits=100
    )
    report = save(officer_a, library_a, lll_services=True)
    assert report.warnings[0]["explanation"] == WHY
    # Another value is another warning: it needs its own explanation.
    report = save(officer_a, library_a, learning_visits=200)
    assert "explanation" not in report.warnings[0]


def test_an_explanation_alone_is_a_change_with_a_new_version(officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    first = save(officer_a, library_a, learning_visits=100)
    second = save(
        officer_a, library_a, explanations={"learning_visits": WHY}, learning_visits=100
    )
    assert second.version == first.version + 1
    assert second.warnings[0]["explanation"] == WHY


def test_an_explanation_where_there_is_no_warning_is_ignored(officer_a, library_a):
    report = save(
        officer_a,
        library_a,
        status=ReportStatus.SUBMITTED,
        explanations={"learning_visits": "x"},
        learning_visits=100,
    )
    assert (report.status, report.warnings) == (ReportStatus.SUBMITTED, [])


# The workflow: the submit button and the sheet's submit step -----------------------


def test_the_submit_button_refuses_an_unexplained_warning_naming_it(
    client, officer_a, library_a
):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    report = save(officer_a, library_a, learning_visits=100)
    logged_in(client, officer_a)
    response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302
    (message,) = texts(response)
    assert message.startswith("Chưa gửi báo cáo nào: hãy giải thích từng cảnh báo")
    assert message.endswith(f": {library_a.name}.")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_sheet_is_not_submitted_while_a_warning_is_unexplained(officer_a, geography):
    first, second, third = libraries(3)
    for institution in (first, second):
        ReportFactory(institution=institution, year=2023, learning_visits=10)
        save(officer_a, institution, learning_visits=100)
    save(officer_a, third, learning_visits=5)
    sheet = {"province_code": first.province_id, "year": 2024}
    with pytest.raises(ValidationError) as refused:
        workflow.report_sheet_submit(user=officer_a, category=first.category, **sheet)
    assert refused.value.messages[0].endswith(f": {first.name}, {second.name}.")
    assert not AnnualReport.objects.exclude(status=ReportStatus.DRAFT).exists()
    for institution in (first, second):
        save(
            officer_a,
            institution,
            explanations={"learning_visits": WHY},
            learning_visits=100,
        )
    count = workflow.report_sheet_submit(
        user=officer_a, category=first.category, **sheet
    )
    assert count == 3


def test_an_approved_report_keeps_the_explanation_in_its_history(
    officer_a, ministry_user, library_a
):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    report = save(
        officer_a,
        library_a,
        status=ReportStatus.SUBMITTED,
        explanations={"learning_visits": WHY},
        learning_visits=100,
    )
    workflow.report_approve(user=ministry_user, report=report)
    latest = report.history.order_by("-history_date", "-history_id").first()
    assert latest.status == ReportStatus.APPROVED
    assert latest.warnings[0]["explanation"] == WHY


# The year sheet -------------------------------------------------------------------


def test_the_sheet_shows_an_explanation_box_beside_each_warning(
    client, officer_a, library_a
):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    logged_in(client, officer_a)
    sheet_post(client, {library_a: {"version": 0, "learning_visits": "100"}})
    page = client.get(SHEET, A_2024).text
    warning = page.split('data-testid="row-warning"')[1].split("</div>")[0]
    assert f'name="r{library_a.pk}-explanation_learning_visits"' in warning


def test_the_sheet_saves_the_explanation_and_then_submits(client, officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    logged_in(client, officer_a)
    sheet_post(client, {library_a: {"version": 0, "learning_visits": "100"}})
    # The submit step refuses, naming the institution, before asking.
    confirm = reverse("reports:sheet_submit")
    query = {**A_2024, "province": library_a.province_id}
    response = client.get(confirm, query)
    assert response.status_code == 302
    assert texts(response)[-1].endswith(f": {library_a.name}.")
    response = sheet_post(
        client,
        {
            library_a: {
                "version": 1,
                "learning_visits": "100",
                "explanation_learning_visits": WHY,
            }
        },
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=2024)
    assert report.warnings[0]["explanation"] == WHY
    response = client.get(confirm, query)
    assert response.status_code == 200
    client.post(
        f"{confirm}?year=2024&category={library_a.category}"
        f"&province={library_a.province_id}",
        {"selection": response.context["selection"]},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_sheet_refuses_a_too_short_explanation(client, officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    logged_in(client, officer_a)
    response = sheet_post(
        client,
        {
            library_a: {
                "version": 0,
                "learning_visits": "100",
                "explanation_learning_visits": " ok ",
            }
        },
    )
    assert response.status_code == 400
    assert "Lời giải thích cần ít nhất 3 ký tự (lời này có 2 ký tự)." in response.text
    assert not AnnualReport.objects.filter(year=2024).exists()


# The report's form ------------------------------------------------------------------


def test_the_report_form_saves_a_draft_refuses_to_submit_then_submits(
    client, officer_a, library_a
):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    logged_in(client, officer_a)
    url = reverse("reports:edit", args=[library_a.pk, 2024])
    data = {"version": 0, "learning_visits": "100", "action": "save"}
    assert client.post(url, data).status_code == 302
    page = client.get(url).text
    assert 'name="explanation_learning_visits"' in page
    response = client.post(url, {**data, "version": 1, "action": "submit"})
    assert response.status_code == 400
    assert "Hãy giải thích cảnh báo này trước khi gửi" in response.text
    assert AnnualReport.objects.get(year=2024).status == ReportStatus.DRAFT
    response = client.post(
        url,
        {**data, "version": 1, "action": "submit", "explanation_learning_visits": WHY},
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=2024)
    assert report.status == ReportStatus.SUBMITTED
    assert report.warnings[0]["explanation"] == WHY


def test_the_reviewer_sees_each_warning_with_its_explanation(
    client, officer_a, ministry_user, library_a
):
    ReportFactory(
        institution=library_a, year=2023, learning_visits=10, lll_services=True
    )
    report = save(
        officer_a,
        library_a,
        explanations={"learning_visits": WHY},
        learning_visits=100,
        lll_services=False,
    )
    logged_in(client, ministry_user)
    page = client.get(report.get_absolute_url()).text
    warnings = page.split('data-testid="warnings"')[1].split("</ul>")[0]
    assert f"Giải thích:</span> {WHY}" in warnings
    assert "Chưa có lời giải thích." in warnings


# The upload and the command -------------------------------------------------------


def report_file(tmp_path, **values):
    row = {"institution_code": "LIB-A", "year": "2024", "learning_visits": "100"}
    return csv_write(tmp_path / "r.csv", [{**row, **values}], columns=IMPORT_COLUMNS)


def test_an_upload_to_submit_needs_the_explanation_column(
    client, officer_a, library_a, tmp_path
):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    logged_in(client, officer_a)
    preview = client.get(upload(client, report_file(tmp_path), "submitted").url)
    (error,) = preview.context["result"].errors
    assert (error.row, error.column) == (2, "explanation")
    assert "dòng 2" in str(error)
    preview = client.get(
        upload(client, report_file(tmp_path, explanation=WHY), "submitted").url
    )
    assert preview.context["result"].ok
    client.post(preview.wsgi_request.path, {"status": "submitted"})
    report = AnnualReport.objects.get(year=2024)
    assert report.status == ReportStatus.SUBMITTED
    assert report.warnings[0]["explanation"] == WHY


def test_the_explanation_column_is_ignored_where_the_row_has_no_warning(
    library_a, tmp_path
):
    result = reports_import(path=report_file(tmp_path, explanation="x"))
    assert result.ok, result.errors
    assert AnnualReport.objects.get().warnings == []


def test_a_draft_upload_keeps_an_unexplained_warning(library_a, tmp_path):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    result = reports_import(path=report_file(tmp_path), status="draft")
    assert result.ok and len(result.warnings) == 1
    assert "explanation" not in AnnualReport.objects.get(year=2024).warnings[0]


def test_import_reports_refuses_an_unexplained_warning_naming_the_row(
    library_a, tmp_path
):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_reports",
            str(report_file(tmp_path)),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "dòng 2, cột explanation" in err.getvalue()
    assert not AnnualReport.objects.filter(year=2024).exists()
    call_command(
        "import_reports",
        str(report_file(tmp_path, explanation=WHY)),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    report = AnnualReport.objects.get(year=2024)
    assert report.status == ReportStatus.SUBMITTED
    assert report.warnings[0]["explanation"] == WHY
