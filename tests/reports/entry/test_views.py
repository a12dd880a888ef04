"""Pages of annual reports: the year sheet, one report and the workflow
actions on them, with the province fence of every role (the review pages are
tested in test_review.py)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.http import urlencode
from openpyxl import load_workbook

from institutions.models import Category
from institutions.templatetags.people import person_name
from reports.entry.formats import IMPORT_COLUMNS
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.views import sheet_url
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory
from tests.reports.conftest import csv_write, libraries

pytestmark = pytest.mark.django_db

SHEET = reverse("reports:sheet")
A_2024 = {"year": 2024, "category": Category.LIBRARY_DISTRICT}


def logged_in(client, user):
    client.force_login(user)
    return client


def sheet_post(client, rows: dict, *, action="save", query=None, extra=None):
    """Posts a sheet page: ``rows`` maps an institution to its values and
    version (``{"version": 0, "lll_services": "1"}``)."""
    data = {"action": action}
    for institution, values in rows.items():
        for name, value in values.items():
            data[f"r{institution.pk}-{name}"] = value
    data.update(extra or {})
    return client.post(SHEET, data, query_params=query or A_2024)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Access and the province fence ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:sheet"),
        reverse("reports:review"),
        reverse("reports:upload"),
        reverse("reports:detail", args=[1]),
        reverse("reports:edit", args=[1, 2024]),
        reverse("reports:review_sheet", args=["01", 2024]),
    ],
)
def test_anonymous_users_are_sent_to_the_login_page(client, geography, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_officer_gets_403_on_another_provinces_sheet(client, officer_a, library_b):
    logged_in(client, officer_a)
    response = client.get(SHEET, {**A_2024, "province": PROVINCE_B})
    assert response.status_code == 403
    response = sheet_post(
        client,
        {library_b: {"version": 0, "lll_services": "1"}},
        query={**A_2024, "province": PROVINCE_B},
    )
    assert response.status_code == 403
    assert not AnnualReport.objects.exists()


def test_officer_gets_403_on_another_provinces_report(
    client, officer_a, library_b, report_b
):
    logged_in(client, officer_a)
    assert client.get(report_b.get_absolute_url()).status_code == 403
    edit = reverse("reports:edit", args=[library_b.pk, 2024])
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"version": 1, "lll_services": "0"})
    assert response.status_code == 403
    submit = reverse("reports:submit", args=[report_b.pk])
    assert client.post(submit).status_code == 403
    report_b.refresh_from_db()
    assert (report_b.lll_services, report_b.status) == (True, "draft")


def test_officer_gets_403_on_another_provinces_upload(client, officer_a, geography):
    logged_in(client, officer_a)
    query = {**A_2024, "province": PROVINCE_B}
    assert client.get(reverse("reports:upload"), query).status_code == 403
    assert client.get(reverse("reports:upload_template"), query).status_code == 403


def test_officer_gets_403_on_review_pages(client, officer_a, report_b):
    logged_in(client, officer_a)
    assert client.get(reverse("reports:review")).status_code == 403
    url = reverse("reports:review_sheet", args=[PROVINCE_B, 2024])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "approve"}).status_code == 403


def test_the_api_refuses_another_provinces_reports_to_an_officer(
    client, officer_a, report_b
):
    """The read-only API (reports/api.py) fences like the pages: 403."""
    logged_in(client, officer_a)
    response = client.get(f"/api/v1/reports/{report_b.pk}/")
    assert response.status_code == 403
    response = client.get("/api/v1/reports/", {"province": PROVINCE_B})
    assert response.status_code == 403
    assert report_b.pk not in [
        r["id"] for r in client.get("/api/v1/reports/").json()["results"]
    ]


def test_officer_sheet_defaults_to_own_province(client, officer_a, library_a):
    logged_in(client, officer_a)
    response = client.get(SHEET, A_2024)
    assert response.status_code == 200
    assert response.context["province"].code == PROVINCE_A
    assert "province" not in response.context["filter_form"].fields
    assert library_a.name in response.text


def test_ministry_staff_see_any_sheet_read_only(client, ministry_user, library_b):
    ReportFactory(institution=library_b, learning_visits=1234)
    logged_in(client, ministry_user)
    response = client.get(SHEET, {**A_2024, "province": PROVINCE_B})
    assert response.status_code == 200
    assert not response.context["can_edit"]
    assert "1.234" in response.text
    assert f'name="r{library_b.pk}-learning_visits"' not in response.text
    assert 'data-testid="sheet-save"' not in response.text
    response = sheet_post(
        client,
        {library_b: {"version": 1, "learning_visits": "5"}},
        query={**A_2024, "province": PROVINCE_B},
    )
    assert response.status_code == 403
    assert AnnualReport.objects.get().learning_visits == 1234


def test_administrator_edits_any_provinces_sheet(client, administrator, library_b):
    logged_in(client, administrator)
    response = sheet_post(
        client,
        {library_b: {"version": 0, "lll_services": "1"}},
        query={**A_2024, "province": PROVINCE_B},
    )
    assert response.status_code == 302
    assert AnnualReport.objects.get().lll_services is True


def test_navigation_shows_data_entry_and_review_by_role(
    client, officer_a, ministry_user
):
    logged_in(client, officer_a)
    page = client.get("/").text
    assert "Nhập số liệu" in page and SHEET in page
    assert reverse("reports:review") not in page
    logged_in(client, ministry_user)
    page = client.get("/").text
    assert reverse("reports:review") in page


# The year sheet ------------------------------------------------------------------


def test_sheet_lists_active_institutions_with_last_years_values(
    client, officer_a, geography
):
    first, second = libraries(2)
    closed = InstitutionFactory(
        code="CLOSED",
        name="Thư viện đã đóng",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
        closed_year=2024,
    )
    ReportFactory(institution=first, year=2023, learning_visits=4321, lll_services=True)
    logged_in(client, officer_a)
    response = client.get(SHEET, A_2024)
    rows = response.context["sheet"].forms
    assert [form.institution for form in rows] == [first, second]
    assert closed.name not in response.text
    assert "2023: 4.321" in response.text
    assert "2023: Có" in response.text
    fields = [name for name, *_ in rows[0].visible_value_fields]
    assert [field.name for field in fields] == [
        "lll_services",
        "digital_transformation",
        "learning_visits",
    ]
    assert f'name="r{first.pk}-study_visits"' not in response.text
    label = f"{first.name}: Cung cấp dịch vụ học tập suốt đời"
    assert label in response.text


def test_sheet_saves_changed_rows_as_drafts_and_shows_the_counter(
    client, officer_a, geography
):
    first, second, third = libraries(3)
    untouched = ReportFactory(institution=third, learning_visits=9)
    logged_in(client, officer_a)
    response = sheet_post(
        client,
        {
            first: {"version": 0, "lll_services": "1", "learning_visits": "120"},
            second: {"version": 0, "lll_services": "", "learning_visits": ""},
            third: {"version": 1, "learning_visits": "9"},
        },
    )
    assert response.status_code == 302
    assert "Đã lưu" in texts(response)[0]
    report = AnnualReport.objects.get(institution=first)
    assert (report.lll_services, report.learning_visits, report.status) == (
        True,
        120,
        "draft",
    )
    assert not AnnualReport.objects.filter(institution=second).exists()
    untouched.refresh_from_db()
    assert untouched.version == 1
    response = client.get(SHEET, A_2024)
    assert response.context["counts"].active == 3
    assert response.context["counts"].draft == 2
    assert "0 / 3" not in response.text
    assert "0/3 thiết chế đã báo cáo" in response.text


def test_sheet_submit_sends_the_sheet_and_counts_reported(client, officer_a, geography):
    first, second = libraries(2)
    logged_in(client, officer_a)
    response = sheet_post(
        client,
        {
            first: {"version": 0, "lll_services": "1"},
            second: {"version": 0, "lll_services": "0"},
        },
        action="submit",
    )
    # The values are saved, then the person is asked before anything is sent.
    assert response.status_code == 302
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"draft"}
    confirm_url = reverse("reports:sheet_submit")
    assert response.url.startswith(confirm_url)
    confirm = client.get(response.url)
    assert confirm.context["reports"] == list(
        AnnualReport.objects.order_by("institution__name_sort")
    )
    assert first.name in confirm.text and second.name in confirm.text
    selection = confirm.context["selection"]
    response = client.post(response.url, {"selection": selection})
    assert response.status_code == 302
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"submitted"}
    response = client.get(SHEET, A_2024)
    assert "2/2 thiết chế đã báo cáo" in response.text


def test_sheet_submit_refuses_when_the_sheet_changed_after_the_confirmation(
    client, officer_a, geography
):
    first, second = libraries(2)
    logged_in(client, officer_a)
    sheet_post(client, {first: {"version": 0, "lll_services": "1"}})
    confirm_url = reverse("reports:sheet_submit")
    confirm = client.get(confirm_url, A_2024)
    selection = confirm.context["selection"]
    # Another draft appears before the person confirms.
    sheet_post(client, {second: {"version": 0, "lll_services": "0"}})

    response = client.post(
        confirm_url + "?" + urlencode(A_2024), {"selection": selection}
    )

    assert response.status_code == 302
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"draft"}
    assert any(second.name in text for text in texts(response))


def test_sheet_submit_without_drafts_says_there_is_nothing_to_submit(
    client, officer_a, library_a
):
    ReportFactory(institution=library_a, year=2024, status="approved")
    logged_in(client, officer_a)

    response = client.get(reverse("reports:sheet_submit"), A_2024)

    assert response.status_code == 302
    assert texts(response) == [
        "Không có gì để gửi: bảng này không có báo cáo nháp hay bị trả lại."
    ]
    # Nothing to act on, so no button to act with.
    page = client.get(SHEET, A_2024).text
    assert 'data-testid="sheet-submit"' not in page
    assert 'data-testid="sheet-save"' not in page


def test_sheet_shows_warnings_after_saving(client, officer_a, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    logged_in(client, officer_a)
    response = sheet_post(client, {library_a: {"version": 0, "learning_visits": "99"}})
    warnings = [
        m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"
    ]
    assert len(warnings) == 1 and library_a.name in str(warnings[0])
    page = client.get(SHEET, A_2024).text
    assert 'data-testid="row-warning"' in page


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("learning_visits", "abc", "số nguyên"),
        ("learning_visits", "-5", "số nguyên"),
        ("learning_visits", "1.5", "số nguyên"),
        ("learning_visits", "99999999999", "2147483647"),
        ("lll_services", "maybe", "Hãy chọn"),
        ("study_visits", "12", "không áp dụng"),
    ],
)
def test_sheet_refuses_bad_input_and_saves_nothing(
    client, officer_a, geography, name, value, message
):
    first, second = libraries(2)
    logged_in(client, officer_a)
    response = sheet_post(
        client,
        {
            first: {"version": 0, "lll_services": "1"},
            second: {"version": 0, name: value},
        },
    )
    assert response.status_code in (400, 409)
    assert message in response.text
    assert second.name in response.text
    assert not AnnualReport.objects.exists()


def test_sheet_refuses_a_concurrent_edit_and_shows_both_versions(
    client, officer_a, administrator, library_a
):
    ReportFactory(institution=library_a, learning_visits=100)
    logged_in(client, officer_a)
    opened = client.get(SHEET, A_2024)
    version = opened.context["sheet"].forms[0].initial["version"]
    # Someone else saves after the officer opened the sheet.
    stored = AnnualReport.objects.get()
    stored.learning_visits = 200
    stored.version += 1
    stored.updated_by = administrator
    stored.save()
    response = sheet_post(
        client, {library_a: {"version": version, "learning_visits": "150"}}
    )
    assert response.status_code == 409
    assert AnnualReport.objects.get().learning_visits == 200
    conflict = response.context["sheet"].conflicts[0]
    row = {item["field"]: item for item in conflict.conflict}["learning_visits"]
    assert (row["mine"], row["stored"]) == (150, 200)
    assert 'data-testid="conflict"' in response.text
    assert person_name(administrator) in response.text
    # The form now carries the stored version: saving again applies the values.
    assert f'name="r{library_a.pk}-version" value="2"' in response.text
    response = sheet_post(client, {library_a: {"version": 2, "learning_visits": "150"}})
    assert response.status_code == 302
    assert AnnualReport.objects.get().learning_visits == 150


def test_sheet_shows_approved_rows_locked_and_refuses_posted_changes(
    client, officer_a, library_a
):
    ReportFactory(
        institution=library_a, learning_visits=100, status=ReportStatus.APPROVED
    )
    logged_in(client, officer_a)
    page = client.get(SHEET, A_2024)
    form = page.context["sheet"].forms[0]
    assert form.read_only
    assert f'name="r{library_a.pk}-learning_visits"' not in page.text
    assert "bi-lock-fill" in page.text
    # The sheet was opened before the approval: the values are still posted.
    response = sheet_post(client, {library_a: {"version": 1, "learning_visits": "300"}})
    assert response.status_code == 409
    assert "đã duyệt và bị khóa" in response.text
    assert AnnualReport.objects.get().learning_visits == 100


def test_sheet_ignores_institutions_not_on_the_page(client, officer_a, library_b):
    logged_in(client, officer_a)
    response = sheet_post(client, {library_b: {"version": 0, "lll_services": "1"}})
    assert response.status_code == 302
    assert not AnnualReport.objects.exists()


def test_sheet_is_paginated_and_saves_the_current_page(client, officer_a, geography):
    institutions = libraries(30)
    logged_in(client, officer_a)
    page_two = client.get(SHEET, {**A_2024, "page": 2})
    assert [f.institution for f in page_two.context["sheet"].forms] == institutions[25:]
    response = sheet_post(
        client,
        {institutions[26]: {"version": 0, "lll_services": "1"}},
        query={**A_2024, "page": 2},
    )
    assert response.status_code == 302
    assert "page=2" in response.url
    assert AnnualReport.objects.get().institution == institutions[26]


def test_sheet_page_runs_a_constant_number_of_queries(
    client, officer_a, geography, django_assert_max_num_queries
):
    for institution in libraries(25):
        ReportFactory(institution=institution, year=2023, learning_visits=5)
        ReportFactory(institution=institution, year=2024, learning_visits=6)
    logged_in(client, officer_a)
    with django_assert_max_num_queries(14):
        response = client.get(SHEET, A_2024)
    assert len(response.context["sheet"].forms) == 25


# One report --------------------------------------------------------------------


def edit_url(institution, year=2024):
    return reverse("reports:edit", args=[institution.pk, year])


def test_single_report_form_saves_a_draft_and_submits(client, officer_a, library_a):
    logged_in(client, officer_a)
    page = client.get(edit_url(library_a))
    assert page.status_code == 200
    assert 'name="study_visits"' not in page.text
    response = client.post(
        edit_url(library_a),
        {"version": 0, "lll_services": "1", "learning_visits": "50", "action": "save"},
    )
    report = AnnualReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == "draft"
    response = client.post(
        edit_url(library_a),
        {
            "version": 1,
            "lll_services": "1",
            "learning_visits": "55",
            "action": "submit",
        },
    )
    report.refresh_from_db()
    assert (report.status, report.learning_visits) == ("submitted", 55)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="transitions"' in page.text
    assert 'data-testid="history"' in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"learning_visits": "-1"}, "số nguyên"),
        ({"learning_visits": "12a"}, "số nguyên"),
        ({"lll_services": "2"}, "Hãy chọn"),
        ({"study_visits": "3"}, "không áp dụng"),
        ({"education_programme": "1"}, "không áp dụng"),
    ],
)
def test_single_report_form_refuses_bad_input(
    client, officer_a, library_a, data, message
):
    logged_in(client, officer_a)
    response = client.post(edit_url(library_a), {"version": 0, **data})
    assert response.status_code == 400
    assert message in response.text
    assert not AnnualReport.objects.exists()


def test_single_report_form_refuses_a_year_outside_the_active_years(
    client, officer_a, geography
):
    institution = InstitutionFactory(opened_year=2025, province=PROVINCE_A)
    logged_in(client, officer_a)
    page = client.get(edit_url(institution))
    assert 'data-testid="inactive"' in page.text
    response = client.post(edit_url(institution), {"version": 0, "lll_services": "1"})
    assert response.status_code == 400
    assert "không hoạt động" in response.text
    assert not AnnualReport.objects.exists()


def test_single_report_form_refuses_a_concurrent_edit(
    client, officer_a, administrator, library_a
):
    report = ReportFactory(institution=library_a, lll_services=True)
    report.version = 4
    report.updated_by = administrator
    report.save()
    logged_in(client, officer_a)
    response = client.post(edit_url(library_a), {"version": 3, "lll_services": "0"})
    assert response.status_code == 409
    assert AnnualReport.objects.get().lll_services is True
    assert 'data-testid="conflict"' in response.text
    assert 'data-testid="mine-lll_services">Không' in response.text
    assert 'data-testid="stored-lll_services">Có' in response.text
    assert 'name="version" value="4"' in response.text


def test_single_report_form_refuses_an_approved_report(client, officer_a, library_a):
    ReportFactory(institution=library_a, lll_services=True, status="approved")
    logged_in(client, officer_a)
    page = client.get(edit_url(library_a))
    assert 'data-testid="locked"' in page.text
    assert 'data-testid="report-form"' not in page.text
    response = client.post(edit_url(library_a), {"version": 1, "lll_services": "0"})
    assert response.status_code == 409
    assert AnnualReport.objects.get().lll_services is True


def test_admin_form_refuses_an_approved_report(client, administrator, library_a):
    report = ReportFactory(institution=library_a, lll_services=True, status="approved")
    logged_in(client, administrator)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    response = client.post(
        url, {"expected_version": 1, "lll_services": "false", "learning_visits": ""}
    )
    assert response.status_code == 200
    assert AnnualReport.objects.get().lll_services is True


def test_ministry_sees_any_report_read_only_with_review_actions(
    client, ministry_user, report_b
):
    report_b.status = ReportStatus.SUBMITTED
    report_b.save()
    logged_in(client, ministry_user)
    page = client.get(report_b.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="report-form"' not in page.text
    assert 'data-testid="approve"' in page.text
    response = client.post(
        reverse("reports:edit", args=[report_b.institution_id, 2024]),
        {"version": 1, "lll_services": "0"},
    )
    assert response.status_code == 403


# Workflow actions --------------------------------------------------------------


def test_officer_submits_and_ministry_approves_through_the_pages(
    client, officer_a, ministry_user, library_a
):
    report = ReportFactory(institution=library_a, lll_services=True)
    logged_in(client, officer_a)
    client.post(reverse("reports:submit", args=[report.pk]))
    assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"
    logged_in(client, ministry_user)
    report.refresh_from_db()
    seen = report.version
    # An approval carries the version the reviewer saw …
    response = client.post(reverse("reports:approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "submitted"
    response = client.post(
        reverse("reports:approve", args=[report.pk]), {"version": seen}
    )
    assert response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == "approved"


def test_single_approval_is_refused_when_the_report_changed_since_it_was_seen(
    client, officer_a, ministry_user, library_a
):
    report = ReportFactory(
        institution=library_a, status=ReportStatus.SUBMITTED, learning_visits=10
    )
    seen = report.version
    # The officer changes the submitted report while the reviewer looks at it.
    report.learning_visits = 2_000_000_000
    report.version += 1
    report.save()
    logged_in(client, ministry_user)

    response = client.post(
        reverse("reports:approve", args=[report.pk]), {"version": seen}
    )

    report.refresh_from_db()
    assert report.status == "submitted"
    assert library_a.name in texts(response)[0]


def test_return_and_reopen_need_a_comment(client, ministry_user, library_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    response = client.post(reverse("reports:return", args=[report.pk]), {})
    assert "Hãy nêu" in texts(response)[0]
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(reverse("reports:return", args=[report.pk]), {"comment": "Sai"})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Sai")
    report.status = ReportStatus.APPROVED
    report.save()
    client.post(reverse("reports:reopen", args=[report.pk]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == "approved"
    client.post(reverse("reports:reopen", args=[report.pk]), {"comment": "Lỗi nhập"})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Lỗi nhập")


def test_officer_may_not_reopen(client, officer_a, library_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.APPROVED)
    logged_in(client, officer_a)
    url = reverse("reports:reopen", args=[report.pk])
    assert client.post(url, {"comment": "x"}).status_code == 403


def test_wrong_transition_is_reported_not_applied(client, ministry_user, library_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.DRAFT)
    logged_in(client, ministry_user)
    response = client.post(
        reverse("reports:approve", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    assert "Chỉ báo cáo đã gửi" in texts(response)[0]
    report.refresh_from_db()
    assert report.status == "draft"


def test_action_redirects_only_to_this_site(client, ministry_user, library_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    response = client.post(
        reverse("reports:approve", args=[report.pk]),
        {"next": "https://evil.test/", "version": report.version},
    )
    assert response.url == report.get_absolute_url()


# Upload ------------------------------------------------------------------------


def upload(client, path, status="draft", query=None):
    with path.open("rb") as handle:
        return client.post(
            reverse("reports:upload"),
            {"file": handle, "status": status},
            query_params=query or {},
        )


def test_upload_previews_then_confirms(client, officer_a, library_a, tmp_path):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    path = csv_write(
        tmp_path / "r.csv",
        [
            {
                "institution_code": "LIB-A",
                "year": "2024",
                "learning_visits": "500",
                "explanation": "Phòng đọc mới mở cả năm",
            }
        ],
        columns=IMPORT_COLUMNS,
    )
    logged_in(client, officer_a)
    response = upload(client, path, status="submitted")
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.new, len(result.warnings), result.written) == (1, 1, False)
    assert 'data-testid="import-preview"' in preview.text
    assert 'data-testid="import-warnings"' in preview.text
    assert not AnnualReport.objects.filter(year=2024).exists()
    confirmed = client.post(response.url, {"status": "submitted"})
    assert confirmed.status_code == 302
    # The import's page shows its warning and leads to the sheet of the year
    # and category just uploaded.
    page = client.get(confirmed.url)
    assert 'data-testid="import-warnings"' in page.text
    assert page.context["job"].result["next_url"] == sheet_url(
        province_code=library_a.province_id,
        year=2024,
        category=library_a.category,
    )
    report = AnnualReport.objects.get(year=2024)
    assert (report.learning_visits, report.status) == (500, "submitted")
    assert report.updated_by == officer_a
    # The upload is used up: its preview leads to its import.
    assert client.get(response.url).url == confirmed.url


def test_upload_shows_every_error_and_offers_no_confirmation(
    client, officer_a, library_a, library_b, tmp_path
):
    path = csv_write(
        tmp_path / "r.csv",
        [
            {"institution_code": "LIB-A", "year": "2024", "study_visits": "3"},
            {"institution_code": "LIB-B", "year": "2024"},
        ],
    )
    logged_in(client, officer_a)
    response = upload(client, path)
    preview = client.get(response.url)
    errors = preview.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [
        (2, "study_visits"),
        (3, "institution_code"),
    ]
    assert 'data-testid="import-confirm"' not in preview.text
    assert client.post(response.url, {"status": "draft"}).status_code == 400
    assert not AnnualReport.objects.exists()


def test_upload_refuses_an_approved_report(client, officer_a, library_a, tmp_path):
    ReportFactory(institution=library_a, status=ReportStatus.APPROVED)
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "lll_services": "0"}],
    )
    logged_in(client, officer_a)
    preview = client.get(upload(client, path).url)
    assert "đã duyệt và bị khóa" in preview.text
    assert AnnualReport.objects.get().lll_services is None


def test_upload_of_another_users_file_is_not_found(
    client, officer_a, officer_b, library_a, tmp_path
):
    path = csv_write(
        tmp_path / "r.csv", [{"institution_code": "LIB-A", "year": "2024"}]
    )
    logged_in(client, officer_a)
    url = upload(client, path).url
    logged_in(client, officer_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "draft"}).status_code == 404


def test_upload_refuses_other_file_types(client, officer_a, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF")
    logged_in(client, officer_a)
    response = upload(client, path)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_ministry_staff_may_not_upload(client, ministry_user, geography):
    logged_in(client, ministry_user)
    assert client.get(reverse("reports:upload")).status_code == 403


def test_template_is_prefilled_and_imports_back(client, officer_a, geography, tmp_path):
    first, second, locked = libraries(3)
    ReportFactory(institution=first, lll_services=True, learning_visits=40)
    ReportFactory(institution=first, year=2023, learning_visits=30)
    ReportFactory(institution=locked, status=ReportStatus.APPROVED)
    InstitutionFactory(code="MUS", category=Category.MUSEUM, province=PROVINCE_A)
    logged_in(client, officer_a)
    response = client.get(reverse("reports:upload_template"), A_2024)
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    rows = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert rows[0] == [
        "institution_code",
        "year",
        "lll_services",
        "digital_transformation",
        "learning_visits",
        "explanation",
    ]
    assert rows[1:] == [
        ["L-000", 2024, "có", None, 40, None],
        ["L-001", 2024, None, None, None, None],
    ]
    reference = [[c.value for c in r] for r in workbook.worksheets[1].iter_rows()]
    assert reference[1][:2] == ["L-000", first.name]
    assert reference[1][-1] == 30
    # The officer fills the second row and uploads the template.
    sheet["C3"] = "không"
    sheet["E3"] = 15
    workbook.save(path)
    preview = client.get(upload(client, path).url)
    result = preview.context["result"]
    assert result.ok, result.errors
    assert (result.new, result.unchanged) == (1, 1)
    client.post(preview.wsgi_request.path, {"status": "draft"})
    report = AnnualReport.objects.get(institution=second)
    assert (report.lll_services, report.learning_visits) == (False, 15)


def test_stored_warnings_are_shown_in_the_readers_language(
    client, officer_a, library_a
):
    ReportFactory(institution=library_a, year=2023, learning_visits=1000)
    logged_in(client, officer_a)
    sheet_post(client, {library_a: {"version": 0, "learning_visits": "5000"}})
    report = AnnualReport.objects.get(year=2024)
    page = client.get(report.get_absolute_url(), headers={"accept-language": "vi"})
    assert "thay đổi hơn ba lần: 1.000 năm 2023, nay là 5.000" in page.text
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(report.get_absolute_url())
    assert "changed more than threefold: 1,000 in 2023, 5,000 now" in page.text


def test_sheet_refuses_to_overwrite_a_report_created_after_it_was_opened(
    client, officer_a, administrator, library_a
):
    logged_in(client, officer_a)
    opened = client.get(SHEET, A_2024)
    assert opened.context["sheet"].forms[0].initial["version"] == 0
    ReportFactory(institution=library_a, lll_services=True, updated_by=administrator)
    response = sheet_post(client, {library_a: {"version": 0, "lll_services": "0"}})
    assert response.status_code == 409
    assert 'data-testid="stored-lll_services">Có' in response.text
    assert AnnualReport.objects.get().lll_services is True


# Returned work on the landing page ------------------------------------------


def test_officer_landing_page_says_what_came_back_and_links_to_it(
    client, officer_a, ministry_user, geography
):
    first, second, third = libraries(3)
    own = ReportFactory(institution=first, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=second, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=third, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    client.post(reverse("reports:return", args=[own.pk]), {"comment": "Thiếu số lượt"})
    url = reverse("reports:review_sheet", args=[PROVINCE_A, 2024])
    client.post(url, {"action": "return", "comment": "Cả bảng cần rà soát"})
    logged_in(client, officer_a)

    landing = client.get(reverse("reports:dashboard"), follow=True)

    text = landing.content.decode()
    section = text.split('data-testid="returned-work"')[1].split("</section>")[0]
    assert "3 báo cáo bị trả lại cho bạn" in section
    # The sheet's comment once, the report's own comment beside its name.
    assert section.count("Cả bảng cần rà soát") == 1
    assert f"{first.name}</a>: Thiếu số lượt" in section
    link = (
        f"{reverse('reports:sheet')}?province={PROVINCE_A}&amp;year=2024"
        f"&amp;category={first.category}"
    )
    assert f'href="{link}"' in section
    sheet = client.get(link.replace("&amp;", "&"))
    assert sheet.status_code == 200
    assert sheet.content.decode().count("Cả bảng cần rà soát") == 1
    # The ministry's own landing page has no such panel.
    logged_in(client, ministry_user)
    page = client.get(reverse("reports:dashboard"), follow=True)
    assert 'data-testid="returned-work"' not in page.content.decode()


@pytest.mark.parametrize("sent", [{}, {"expected_version": "1"}])
def test_admin_save_without_the_version_seen_does_not_overwrite_newer_values(
    client, administrator, library_a, sent
):
    report = ReportFactory(institution=library_a, learning_visits=10)
    # An officer saved newer values after the administrator opened the form.
    report.learning_visits = 99
    report.version = 2
    report.save()
    logged_in(client, administrator)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])

    response = client.post(url, {**sent, "learning_visits": "5", "lll_services": ""})

    assert response.status_code == 200  # the form again, with the refusal
    report.refresh_from_db()
    assert (report.learning_visits, report.version) == (99, 2)
