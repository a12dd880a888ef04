"""Reads of annual reports: the sheet, its counts, the review queue, history."""

import pytest

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.entry.selectors import (
    report_history_entries,
    report_years,
    review_queue,
    review_sheet_counts,
    review_sheet_reports,
    sheet_counts,
    sheet_fields,
    sheet_page,
)
from reports.entry.services import report_save
from reports.entry.workflow import report_submit
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory
from tests.reports.conftest import libraries

pytestmark = pytest.mark.django_db

SHEET = {"province_code": PROVINCE_A, "year": 2024, "category": "library_district"}


def test_sheet_fields_follow_the_applicability_table():
    assert sheet_fields(Category.LIBRARY_COMMUNE) == (
        "lll_services",
        "digital_transformation",
        "learning_visits",
    )
    assert sheet_fields(Category.MUSEUM) == (
        "education_programme",
        "digital_exhibitions",
        "study_visits",
    )
    assert sheet_fields(Category.CULTURE_VILLAGE) == (
        "clubs_and_classes",
        "regular_activities",
    )


def test_sheet_page_has_active_institutions_with_this_and_last_years_report(
    geography,
):
    first, second = libraries(2)
    InstitutionFactory(
        code="OPENS-2025", category=Category.LIBRARY_DISTRICT, opened_year=2025
    )
    InstitutionFactory(code="MUSEUM", category=Category.MUSEUM)
    libraries(1, province=PROVINCE_B, prefix="B")
    this_year = ReportFactory(institution=first, year=2024)
    last_year = ReportFactory(institution=first, year=2023)
    page, rows = sheet_page(**SHEET)
    assert page.paginator.count == 2
    assert [row.institution for row in rows] == [first, second]
    assert (rows[0].report, rows[0].previous, rows[0].version) == (
        this_year,
        last_year,
        1,
    )
    assert (rows[1].report, rows[1].previous, rows[1].version) == (None, None, 0)


def test_sheet_page_queries_do_not_grow_with_the_sheet(
    geography, django_assert_num_queries
):
    for institution in libraries(40):
        ReportFactory(institution=institution, year=2023)
        ReportFactory(institution=institution, year=2024)
    with django_assert_num_queries(3):
        _page, rows = sheet_page(**SHEET, page_number=2, per_page=25)
        assert len(rows) == 15
        assert all(row.report and row.previous for row in rows)


def test_sheet_counts(geography):
    first, second, third, _fourth = libraries(4)
    ReportFactory(institution=first, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=second, status=ReportStatus.APPROVED)
    ReportFactory(institution=third, status=ReportStatus.RETURNED)
    ReportFactory(institution=third, year=2023, status=ReportStatus.APPROVED)
    counts = sheet_counts(**SHEET)
    assert (counts.active, counts.reported, counts.with_report) == (4, 2, 3)
    assert (counts.returned, counts.draft, counts.not_reported) == (1, 0, 1)


def test_review_queue_counts_by_province_and_year_in_constant_queries(
    geography, django_assert_num_queries
):
    a_first, a_second, _a_third = libraries(3)
    (b_first,) = libraries(1, province=PROVINCE_B, prefix="B")
    ReportFactory(institution=a_first, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=a_second, status=ReportStatus.DRAFT)
    ReportFactory(institution=a_first, year=2023, status=ReportStatus.APPROVED)
    ReportFactory(institution=b_first, status=ReportStatus.RETURNED)
    with django_assert_num_queries(3):
        rows = review_queue(years=[2024, 2023])
    assert len(rows) == 68
    by_key = {(row.province.code, row.year): row.counts for row in rows}
    a = by_key[(PROVINCE_A, 2024)]
    assert (a.active, a.submitted, a.draft, a.not_reported) == (3, 1, 1, 1)
    assert by_key[(PROVINCE_A, 2023)].approved == 1
    assert by_key[(PROVINCE_B, 2024)].returned == 1
    waiting = review_queue(years=[2024, 2023], waiting_only=True)
    assert [(row.province.code, row.year) for row in waiting] == [(PROVINCE_A, 2024)]
    assert report_years() == [2024, 2023]


def test_review_sheet_counts_and_reports(geography, museum_a):
    (library,) = libraries(1)
    ReportFactory(institution=library, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=museum_a, status=ReportStatus.APPROVED)
    counts = {c.category: c.counts for c in review_sheet_counts(**SHEET_PY)}
    assert set(counts) == {Category.LIBRARY_DISTRICT, Category.MUSEUM}
    assert counts[Category.MUSEUM].approved == 1
    reports = review_sheet_reports(**SHEET_PY, status=ReportStatus.SUBMITTED)
    assert [r.institution for r in reports] == [library]
    reports = review_sheet_reports(**SHEET_PY, category=Category.MUSEUM)
    assert [r.institution for r in reports] == [museum_a]


SHEET_PY = {"province_code": PROVINCE_A, "year": 2024}


def test_history_entries_list_changes_with_users(officer_a, library_a):
    report = report_save(
        user=officer_a,
        institution=library_a,
        year=2024,
        values={"lll_services": True, "learning_visits": 10},
        expected_version=0,
    )
    report_save(
        user=officer_a,
        institution=library_a,
        year=2024,
        values={"learning_visits": 12},
        expected_version=report.version,
    )
    report_submit(user=officer_a, report=report)
    newest, middle, oldest = report_history_entries(report)
    assert [c["field"] for c in newest["changes"]] == ["status"]
    assert (newest["changes"][0]["old"], newest["changes"][0]["new"]) == (
        "draft",
        "submitted",
    )
    assert [(c["field"], c["old"], c["new"]) for c in middle["changes"]] == [
        ("learning_visits", 10, 12)
    ]
    assert {c["field"] for c in oldest["changes"]} == {
        "lll_services",
        "learning_visits",
        "status",
    }
    assert oldest["user"] == officer_a
    assert oldest["version"] == 1
