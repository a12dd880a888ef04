"""The review workflow: every step on one report and on a whole year sheet,
with who may take it, and saving a page of a year sheet."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from institutions.models import Category
from reports.entry.models import (
    AnnualReport,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from reports.entry.services import ReportEntry, report_save
from reports.entry.workflow import (
    report_approve,
    report_reopen,
    report_return,
    report_sheet_approve,
    report_sheet_return,
    report_sheet_save,
    report_sheet_submit,
    report_submit,
)
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory
from tests.reports.conftest import libraries

pytestmark = pytest.mark.django_db


def save(user, institution, year=2024, **values):
    return report_save(
        user=user,
        institution=institution,
        year=year,
        values=values,
        expected_version=0,
    )


# One report: every transition and who may take it ------------------------------

ROLES = ["officer_a", "officer_b", "ministry_user", "administrator"]
ALLOWED = {
    "submit": {"officer_a", "administrator"},
    "approve": {"ministry_user", "administrator"},
    "return": {"ministry_user", "administrator"},
    "reopen": {"ministry_user", "administrator"},
}
START = {
    "submit": ReportStatus.DRAFT,
    "approve": ReportStatus.SUBMITTED,
    "return": ReportStatus.SUBMITTED,
    "reopen": ReportStatus.APPROVED,
}
END = {
    "submit": ReportStatus.SUBMITTED,
    "approve": ReportStatus.APPROVED,
    "return": ReportStatus.RETURNED,
    "reopen": ReportStatus.RETURNED,
}


def act(action, user, report):
    if action == "submit":
        return report_submit(user=user, report=report)
    if action == "approve":
        return report_approve(user=user, report=report)
    if action == "return":
        return report_return(user=user, report=report, comment="Sai số liệu")
    return report_reopen(user=user, report=report, reason="Sửa lỗi đánh máy")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_who_may_take_each_transition(request, library_a, action, role):
    user = request.getfixturevalue(role)
    report = ReportFactory(institution=library_a, status=START[action])
    if role in ALLOWED[action]:
        moved = act(action, user, report)
        assert moved.status == END[action]
        transition = moved.transitions.get()
        assert (transition.from_status, transition.to_status) == (
            START[action],
            END[action],
        )
        assert transition.user == user
        assert moved.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            act(action, user, report)
        report.refresh_from_db()
        assert report.status == START[action]
        assert not report.transitions.exists()


def test_returned_report_can_be_submitted_again(officer_a, library_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.RETURNED)
    assert report_submit(user=officer_a, report=report).status == "submitted"


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("submit", ReportStatus.SUBMITTED),
        ("submit", ReportStatus.APPROVED),
        ("approve", ReportStatus.DRAFT),
        ("approve", ReportStatus.RETURNED),
        ("return", ReportStatus.DRAFT),
        ("return", ReportStatus.APPROVED),
        ("reopen", ReportStatus.SUBMITTED),
        ("reopen", ReportStatus.DRAFT),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(
    administrator, library_a, action, status
):
    report = ReportFactory(institution=library_a, status=status)
    with pytest.raises(ValidationError):
        act(action, administrator, report)
    report.refresh_from_db()
    assert report.status == status


def test_return_needs_a_comment_and_reopen_a_reason(ministry_user, library_a):
    submitted = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        report_return(user=ministry_user, report=submitted, comment="  ")
    approved = ReportFactory(
        institution=library_a, year=2023, status=ReportStatus.APPROVED
    )
    with pytest.raises(ValidationError):
        report_reopen(user=ministry_user, report=approved, reason="")
    assert ReportTransition.objects.count() == 0


def test_return_and_reopen_keep_the_comment(ministry_user, library_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    report = report_return(user=ministry_user, report=report, comment=" Thiếu số ")
    assert report.review_comment == "Thiếu số"
    assert report.transitions.get().comment == "Thiếu số"


def test_full_history_lists_every_transition(officer_a, ministry_user, library_a):
    report = save(officer_a, library_a, lll_services=True)
    report = report_submit(user=officer_a, report=report)
    report = report_return(user=ministry_user, report=report, comment="Kiểm tra")
    report = report_save(
        user=officer_a,
        institution=library_a,
        year=2024,
        values={"lll_services": False},
        expected_version=report.version,
        status=ReportStatus.SUBMITTED,
    )
    report = report_approve(user=ministry_user, report=report)
    report = report_reopen(user=ministry_user, report=report, reason="Sai năm")
    steps = list(report.transitions.values_list("from_status", "to_status", "user"))
    assert steps == [
        ("", "draft", officer_a.pk),
        ("draft", "submitted", officer_a.pk),
        ("submitted", "returned", ministry_user.pk),
        ("returned", "submitted", officer_a.pk),
        ("submitted", "approved", ministry_user.pk),
        ("approved", "returned", ministry_user.pk),
    ]
    assert report.history.count() == 6


# A year sheet ------------------------------------------------------------------


def sheet(province=PROVINCE_A, category=Category.LIBRARY_DISTRICT, year=2024):
    return {"province_code": province, "category": category, "year": year}


def test_sheet_save_and_submit_sends_every_draft_of_the_sheet_only(
    officer_a, geography
):
    first, second = libraries(2)
    returned = ReportFactory(institution=second, status=ReportStatus.RETURNED)
    other_year = ReportFactory(institution=second, year=2023)
    museum = InstitutionFactory(category=Category.MUSEUM, province=PROVINCE_A)
    other_category = ReportFactory(institution=museum)
    result = report_sheet_save(
        user=officer_a,
        entries=[ReportEntry(first, 2024, {"lll_services": True}, 0)],
        submit=True,
        **sheet(),
    )
    assert result.submitted == 2
    assert AnnualReport.objects.get(institution=first).status == "submitted"
    returned.refresh_from_db()
    assert returned.status == "submitted"
    assert returned.transitions.get().from_status == "returned"
    for untouched in (other_year, other_category):
        untouched.refresh_from_db()
        assert untouched.status == "draft"


def test_sheet_save_refuses_an_entry_from_outside_the_sheet(officer_a, museum_a):
    with pytest.raises(ValueError):
        report_sheet_save(
            user=officer_a,
            entries=[ReportEntry(museum_a, 2024, {"study_visits": 1})],
            **sheet(),
        )


def test_sheet_submit_is_fenced(officer_b, ministry_user, library_a):
    ReportFactory(institution=library_a)
    for user in (officer_b, ministry_user):
        with pytest.raises(PermissionDenied):
            report_sheet_submit(user=user, **sheet())
    assert AnnualReport.objects.get().status == "draft"


def test_sheet_approve_locks_submitted_reports_only(ministry_user, geography):
    first, second = libraries(2)
    ReportFactory(institution=first, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=second, status=ReportStatus.DRAFT)
    other = InstitutionFactory(
        category=Category.LIBRARY_DISTRICT, province=PROVINCE_B, code="B-1"
    )
    ReportFactory(institution=other, status=ReportStatus.SUBMITTED)
    count = report_sheet_approve(
        user=ministry_user, province_code=PROVINCE_A, year=2024
    )
    assert count == 1
    statuses = dict(AnnualReport.objects.values_list("institution__code", "status"))
    assert statuses == {"L-000": "approved", "L-001": "draft", "B-1": "submitted"}
    report = AnnualReport.objects.get(institution=first)
    assert report.version == 2
    assert report.transitions.get().user == ministry_user
    assert report.history.first().history_user == ministry_user


def test_sheet_return_needs_a_comment_and_is_for_ministry_only(
    ministry_user, officer_a, library_a
):
    ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        report_sheet_approve(user=officer_a, province_code=PROVINCE_A, year=2024)
    with pytest.raises(ValidationError):
        report_sheet_return(
            user=ministry_user, province_code=PROVINCE_A, year=2024, comment=""
        )
    count = report_sheet_return(
        user=ministry_user,
        province_code=PROVINCE_A,
        year=2024,
        comment="Bổ sung số lượt",
        category=Category.LIBRARY_DISTRICT,
    )
    report = AnnualReport.objects.get()
    # One comment for the sheet, kept once; the report keeps no copy of it.
    assert (count, report.status, report.review_comment) == (1, "returned", "")
    (sheet_return,) = SheetReturn.objects.all()
    assert (sheet_return.comment, sheet_return.category) == (
        "Bổ sung số lượt",
        Category.LIBRARY_DISTRICT,
    )
