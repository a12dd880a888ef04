"""reports/notices/services.py: the notices of the workflow's moves, in the
recipient's language, in the inbox and by e-mail from the worker."""

import pytest
from django.core import mail
from django.utils import translation

from institutions.models import Category
from lifelong_learning.roles import Role
from reports.entry import workflow
from reports.notices.models import Notice, NoticeKind, NoticeSettings
from reports.notices.services import notices_mark_all_read
from tests.conftest import PROVINCE_A
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_returned_report_tells_the_provinces_officers_with_the_comment_and_link(
    officer_a, officer_b, ministry_user, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(
            user=ministry_user, report=submitted, comment="Thiếu số lượt sử dụng"
        )
    (notice,) = Notice.objects.all()
    assert notice.recipient == officer_a
    assert notice.kind == NoticeKind.REPORT_RETURNED
    assert "Thiếu số lượt sử dụng" in notice.body
    assert notice.url == f"/reports/{submitted.pk}/"
    (email,) = mail.outbox
    assert email.to == ["officer-a@example.vn"]
    assert "Thiếu số lượt sử dụng" in email.body
    assert f"http://testserver/reports/notices/{notice.pk}/" in email.body
    assert Notice.objects.get().emailed_at is not None


def test_an_approved_report_tells_the_officers(officer_a, ministry_user, submitted):
    workflow.report_approve(user=ministry_user, report=submitted)
    (notice,) = Notice.objects.filter(recipient=officer_a)
    assert notice.kind == NoticeKind.REPORT_APPROVED
    assert "Thư viện Ba Đình" in notice.subject


def test_a_returned_and_an_approved_sheet_tell_the_officers(
    officer_a, ministry_user, library_a, museum_a
):
    ReportFactory(institution=library_a, year=2024, status="submitted")
    ReportFactory(institution=museum_a, year=2024, status="submitted")
    workflow.report_sheet_return(
        user=ministry_user,
        province_code=PROVINCE_A,
        year=2024,
        category=Category.LIBRARY_DISTRICT,
        comment="Kiểm tra lại",
    )
    workflow.report_sheet_approve(
        user=ministry_user, province_code=PROVINCE_A, year=2024
    )
    approved, returned = Notice.objects.filter(recipient=officer_a)
    assert returned.kind == NoticeKind.SHEET_RETURNED
    assert "Kiểm tra lại" in returned.body
    assert returned.url.startswith(
        "/reports/sheet/?year=2024&category=library_district"
    )
    assert approved.kind == NoticeKind.SHEET_APPROVED
    assert approved.subject.startswith("1 báo cáo năm 2024")


def test_a_submitted_sheet_tells_the_ministry_with_a_link_to_its_review(
    officer_a, ministry_user, administrator, library_a
):
    ReportFactory(institution=library_a, year=2024, status="draft")
    workflow.report_sheet_submit(
        user=officer_a,
        province_code=PROVINCE_A,
        year=2024,
        category=Category.LIBRARY_DISTRICT,
    )
    (notice,) = Notice.objects.all()
    assert notice.recipient == ministry_user  # not the administrator
    assert notice.kind == NoticeKind.SHEET_SUBMITTED
    assert "Thành phố Hà Nội" in notice.subject
    assert notice.url == "/reports/review/01/2024/?category=library_district"


def test_a_single_submission_tells_nobody(officer_a, ministry_user, library_a):
    report = ReportFactory(institution=library_a, year=2024, status="draft")
    workflow.report_submit(user=officer_a, report=report)
    assert not Notice.objects.exists()


def test_notices_are_written_in_the_recipients_language_not_the_actors(
    officer_a, ministry_user, submitted, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(user=ministry_user, report=submitted, comment="Sửa")
    notice = Notice.objects.get()
    assert notice.subject == "Báo cáo năm 2024 của Thư viện Ba Đình bị trả lại"
    assert mail.outbox[0].body.startswith("Xin chào")
    assert "Báo cáo năm 2024 của Thư viện Ba Đình bị trả lại" in mail.outbox[0].subject


def test_who_turned_email_off_keeps_the_inbox_without_email(
    officer_a, ministry_user, submitted, django_capture_on_commit_callbacks
):
    NoticeSettings.objects.create(user=officer_a, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(user=ministry_user, report=submitted, comment="Sửa")
    notice = Notice.objects.get()
    assert notice.emailed_at is None
    assert mail.outbox == []


def test_deactivated_accounts_and_other_provinces_are_not_told(
    officer_a, officer_b, ministry_user, submitted, django_capture_on_commit_callbacks
):
    gone = UserFactory(
        username="gone",
        email="gone@example.vn",
        role=Role.PROVINCIAL_OFFICER,
        province=PROVINCE_A,
    )
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(user=ministry_user, report=submitted, comment="Sửa")
    assert list(Notice.objects.values_list("recipient__username", flat=True)) == [
        "officer-a"
    ]
    assert [email.to for email in mail.outbox] == [["officer-a@example.vn"]]


def test_deactivated_ministry_staff_are_not_told_of_a_submitted_sheet(
    officer_a, ministry_user, library_a
):
    ministry_user.is_active = False
    ministry_user.save()
    ReportFactory(institution=library_a, year=2024, status="draft")
    workflow.report_sheet_submit(
        user=officer_a,
        province_code=PROVINCE_A,
        year=2024,
        category=Category.LIBRARY_DISTRICT,
    )
    assert not Notice.objects.exists()


def test_no_email_leaves_when_the_move_is_rolled_back(
    officer_a, ministry_user, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.report_return(user=ministry_user, report=submitted, comment="Sửa")
    assert mail.outbox == []  # nothing is sent inside the transaction
    assert len(callbacks) == 1


def test_mark_all_read_marks_the_persons_notices_only(officer_a, ministry_user):
    mine = Notice.objects.create(recipient=officer_a, kind="reminder", subject="a")
    theirs = Notice.objects.create(
        recipient=ministry_user, kind="reminder", subject="b"
    )
    assert notices_mark_all_read(user=officer_a) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_a_long_institution_name_is_cut_in_the_subject_not_refused(
    officer_a, ministry_user, library_a
):
    # As long as a name may be (255): the subject around it is longer.
    library_a.name = ("Thư viện " + "rất dài " * 40)[:255].strip()
    library_a.save()
    report = ReportFactory(institution=library_a, year=2024, status="submitted")
    workflow.report_approve(user=ministry_user, report=report)
    subject = Notice.objects.get().subject
    assert len(subject) == 255 and subject.endswith("…")
