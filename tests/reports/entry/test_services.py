"""Writes of report values, one report or many by one path: checks (the
warnings are in test_warnings.py), locking, stale versions and who may write
where."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from reports.entry import services
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from reports.entry.services import (
    ReportEntry,
    ReportLocked,
    ReportsRefused,
    StaleReport,
    report_save,
    report_values_check,
    reports_check,
    reports_save,
)
from tests.factories import InstitutionFactory, ReportFactory
from tests.reports.conftest import libraries

pytestmark = pytest.mark.django_db


def stored_version(institution, year=2024) -> int:
    """The version a person opening the report reads: 0 before there is one."""
    report = AnnualReport.objects.filter(institution=institution, year=year).first()
    return report.version if report is not None else 0


def save(user, institution, year=2024, **values):
    return report_save(
        user=user,
        institution=institution,
        year=year,
        values=values,
        expected_version=stored_version(institution, year),
    )


# Saving --------------------------------------------------------------------------


def test_save_creates_a_draft_with_version_history_and_transition(officer_a, library_a):
    report = save(officer_a, library_a, lll_services=True, learning_visits=120)
    assert report.status == ReportStatus.DRAFT
    assert report.version == 1
    assert report.updated_by == officer_a
    assert report.history.get().history_user == officer_a
    transition = report.transitions.get()
    assert (transition.from_status, transition.to_status) == ("", "draft")
    assert transition.user == officer_a


def test_save_updates_given_fields_only_and_bumps_the_version(officer_a, library_a):
    save(officer_a, library_a, lll_services=True, learning_visits=120)
    report = save(officer_a, library_a, learning_visits=150)
    assert (report.lll_services, report.learning_visits) == (True, 150)
    assert report.version == 2
    assert report.history.count() == 2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"study_visits": 12}, "study_visits", "không áp dụng"),
        ({"education_programme": True}, "education_programme", "không áp dụng"),
        ({"learning_visits": -1}, "learning_visits", "từ 0 trở lên"),
        ({"learning_visits": 2_147_483_648}, "learning_visits", "không quá"),
    ],
)
def test_save_refuses_values_that_break_the_rules(
    officer_a, library_a, values, field, message
):
    with pytest.raises(ValidationError) as error:
        save(officer_a, library_a, **values)
    assert message in " ".join(error.value.message_dict[field])
    assert not AnnualReport.objects.exists()


def test_non_applicable_field_left_empty_is_accepted(officer_a, library_a):
    report = save(officer_a, library_a, study_visits=None, lll_services=False)
    assert report.lll_services is False


@pytest.mark.parametrize("year", [1999, 2025])
def test_save_refuses_a_year_outside_the_active_years(officer_a, geography, year):
    institution = InstitutionFactory(opened_year=2000, closed_year=2025)
    with pytest.raises(ValidationError) as error:
        save(officer_a, institution, year=year, lll_services=True)
    assert "không hoạt động" in " ".join(error.value.message_dict["year"])


def test_check_refuses_a_year_out_of_range(library_a):
    check = report_values_check(institution=library_a, year=3000, values={})
    assert "1800" in check.errors["year"]


def test_officer_may_not_save_in_another_province(officer_b, library_a):
    with pytest.raises(PermissionDenied):
        save(officer_b, library_a, lll_services=True)
    assert not AnnualReport.objects.exists()


def test_ministry_staff_may_not_enter_values(ministry_user, library_a):
    with pytest.raises(PermissionDenied):
        save(ministry_user, library_a, lll_services=True)


def test_administrator_may_save_in_any_province(administrator, library_b):
    assert save(administrator, library_b, lll_services=True).pk


def test_approved_report_is_locked(officer_a, administrator, library_a):
    ReportFactory(institution=library_a, status=ReportStatus.APPROVED)
    for user in (officer_a, administrator):
        with pytest.raises(ReportLocked):
            save(user, library_a, lll_services=False)
    assert AnnualReport.objects.get().lll_services is None


def test_save_based_on_an_older_version_is_refused_with_both_versions(
    officer_a, library_a
):
    save(officer_a, library_a, learning_visits=100)
    save(officer_a, library_a, learning_visits=200)  # someone else: version 2
    with pytest.raises(StaleReport) as stale:
        report_save(
            user=officer_a,
            institution=library_a,
            year=2024,
            values={"learning_visits": 300},
            expected_version=1,
        )
    assert stale.value.report.learning_visits == 200
    assert stale.value.submitted_values == {"learning_visits": 300}
    assert AnnualReport.objects.get().learning_visits == 200


def test_new_report_expected_but_someone_created_it(officer_a, library_a):
    save(officer_a, library_a, learning_visits=100)
    with pytest.raises(StaleReport):
        report_save(
            user=officer_a,
            institution=library_a,
            year=2024,
            values={"learning_visits": 5},
            expected_version=0,
        )


def test_save_from_a_version_that_was_deleted_since_is_refused_as_stale(
    officer_a, library_a
):
    with pytest.raises(StaleReport) as stale:
        report_save(
            user=officer_a,
            institution=library_a,
            year=2024,
            values={"learning_visits": 5},
            expected_version=3,
        )
    assert stale.value.report is None
    assert not AnnualReport.objects.exists()


def test_save_that_changes_nothing_writes_nothing(officer_a, library_a):
    save(officer_a, library_a, learning_visits=5)
    report = save(officer_a, library_a, learning_visits=5)
    assert report.version == 1
    assert report.history.count() == 1
    assert report.transitions.count() == 1


def test_single_save_is_refused_with_the_words_of_the_batch(officer_b, library_a):
    (check,) = reports_check(
        user=officer_b,
        entries=[ReportEntry(library_a, 2024, {"lll_services": True}, 0)],
    )
    with pytest.raises(PermissionDenied) as denied:
        save(officer_b, library_a, lll_services=True)
    assert check.denied
    assert str(denied.value) == check.errors[NON_FIELD_ERRORS]


# Many reports at once -------------------------------------------------------------


def test_batch_save_is_all_or_nothing(officer_a, geography):
    first, second = libraries(2)
    with pytest.raises(ReportsRefused) as refused:
        reports_save(
            user=officer_a,
            entries=[
                ReportEntry(first, 2024, {"lll_services": True}),
                ReportEntry(second, 2024, {"study_visits": 3}),
            ],
        )
    assert [check.entry.institution for check in refused.value.refused] == [second]
    assert "study_visits" in refused.value.refused[0].errors
    assert not AnnualReport.objects.exists()


def test_batch_save_creates_updates_and_skips_unchanged(officer_a, geography):
    first, second, third = libraries(3)
    ReportFactory(institution=second, learning_visits=10)
    unchanged = ReportFactory(institution=third, learning_visits=7)
    result = reports_save(
        user=officer_a,
        entries=[
            ReportEntry(first, 2024, {"learning_visits": 5}, expected_version=0),
            ReportEntry(second, 2024, {"learning_visits": 20}, expected_version=1),
            ReportEntry(third, 2024, {"learning_visits": 7}, expected_version=1),
        ],
    )
    assert [r.institution for r in result.created] == [first]
    assert [r.institution for r in result.updated] == [second]
    assert result.unchanged == 1
    updated = AnnualReport.objects.get(institution=second)
    assert (updated.learning_visits, updated.version) == (20, 2)
    assert updated.history.first().history_user == officer_a
    assert AnnualReport.objects.get(pk=unchanged.pk).version == 1
    created = AnnualReport.objects.get(institution=first)
    assert created.transitions.get().to_status == "draft"
    assert created.history.get().history_user == officer_a


def test_batch_save_refuses_stale_and_locked_entries(officer_a, geography):
    stale_one, locked_one = libraries(2)
    ReportFactory(institution=stale_one, learning_visits=10, version=3)
    ReportFactory(institution=locked_one, status=ReportStatus.APPROVED)
    with pytest.raises(ReportsRefused) as refused:
        reports_save(
            user=officer_a,
            entries=[
                ReportEntry(stale_one, 2024, {"learning_visits": 1}, 2),
                ReportEntry(locked_one, 2024, {"learning_visits": 1}, 1),
            ],
        )
    stale, locked = refused.value.refused
    assert stale.stale and stale.stored.learning_visits == 10
    assert "đã duyệt và bị khóa" in locked.errors[NON_FIELD_ERRORS]
    assert AnnualReport.objects.get(institution=stale_one).learning_visits == 10


def test_batch_save_fences_each_entry_to_the_officers_province(officer_a, library_b):
    with pytest.raises(ReportsRefused) as refused:
        reports_save(
            user=officer_a, entries=[ReportEntry(library_b, 2024, {"lll_services": 1})]
        )
    assert "Thành phố Hà Nội" in refused.value.refused[0].errors[NON_FIELD_ERRORS]


def test_batch_runs_a_constant_number_of_queries(
    officer_a, geography, django_assert_max_num_queries
):
    institutions = libraries(30)
    entries = [ReportEntry(i, 2024, {"learning_visits": 1}) for i in institutions]
    # 15 for checks and writes, 10 for the province's progress counters.
    with django_assert_max_num_queries(15 + 10):
        reports_save(user=officer_a, entries=entries)
    assert AnnualReport.objects.count() == 30


def test_batch_writes_in_several_statements(officer_a, geography, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    institutions = libraries(5)
    reports_save(
        user=officer_a,
        entries=[ReportEntry(i, 2024, {"learning_visits": 3}) for i in institutions],
    )
    assert AnnualReport.objects.filter(learning_visits=3).count() == 5
    assert ReportTransition.objects.count() == 5


@pytest.mark.parametrize("years_ahead", [1, 4, 73])
def test_no_report_for_a_year_after_the_current_one_by_any_path(
    officer_a, library_a, years_ahead, tmp_path
):
    from django.utils import timezone

    from reports.entry.imports import reports_import

    year = timezone.localdate().year + years_ahead
    with pytest.raises(ValidationError):
        report_save(
            user=officer_a,
            institution=library_a,
            year=year,
            values={"lll_services": True},
            expected_version=0,
        )
    (check,) = reports_check(
        user=officer_a, entries=[ReportEntry(library_a, year, {"lll_services": True})]
    )
    assert "year" in check.errors
    path = tmp_path / "future.csv"
    path.write_text(f"institution_code,year,lll_services\n{library_a.code},{year},1\n")
    result = reports_import(path=path, user=officer_a)
    assert not result.ok
    assert not AnnualReport.objects.exists()


def test_a_report_for_the_current_year_is_accepted(officer_a, library_a):
    from django.utils import timezone

    report = report_save(
        user=officer_a,
        institution=library_a,
        year=timezone.localdate().year,
        values={"lll_services": True},
        expected_version=0,
    )
    assert report.pk
