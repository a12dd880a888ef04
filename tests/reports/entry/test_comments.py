"""The comment thread of a returned report: opened by the return comment,
answered by the province's officers and ministry staff until the report is
approved, then kept read-only."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from institutions.templatetags.people import person_name
from reports.entry import comments, workflow
from reports.entry.models import ReportComment, ReportStatus
from tests.conftest import PROVINCE_A
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def at(hour: int) -> datetime:
    return datetime(2025, 3, 10, hour, 0, tzinfo=UTC)


@pytest.fixture
def returned(library_a, ministry_user):
    """A report of province A returned by the ministry at 08:00."""
    report = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    with mock.patch("django.utils.timezone.now", return_value=at(8)):
        return workflow.report_return(
            user=ministry_user, report=report, comment="Thiếu số lượt"
        )


def reply(client, user, report, body):
    client.force_login(user)
    return client.post(reverse("reports:comment", args=[report.pk]), {"body": body})


def thread(report) -> list[tuple[str, str]]:
    return [(c.author.username, c.body) for c in comments.report_comments(report)]


def test_the_return_comment_opens_the_thread(returned, ministry_user):
    (first,) = comments.report_comments(returned)
    assert (first.author, first.body, first.at) == (
        ministry_user,
        "Thiếu số lượt",
        at(8),
    )


def test_officer_and_reviewer_reply_newest_last_with_who_and_when(
    client, returned, officer_a, ministry_user
):
    with mock.patch("django.utils.timezone.now", return_value=at(9)):
        response = reply(client, officer_a, returned, "Đã bổ sung số liệu tháng 12")
    assert response.status_code == 302
    with mock.patch("django.utils.timezone.now", return_value=at(10)):
        reply(client, ministry_user, returned, "Cảm ơn, gửi lại nhé")

    assert thread(returned) == [
        ("ministry-test", "Thiếu số lượt"),
        ("officer-a", "Đã bổ sung số liệu tháng 12"),
        ("ministry-test", "Cảm ơn, gửi lại nhé"),
    ]
    client.force_login(officer_a)
    page = client.get(returned.get_absolute_url())
    section = page.text.split('data-testid="thread"')[1].split("</section>")[0]
    assert section.index("Thiếu số lượt") < section.index("Cảm ơn, gửi lại nhé")
    assert person_name(officer_a) in section and person_name(ministry_user) in section
    assert 'data-testid="thread-form"' in section


def test_an_officer_of_another_province_may_neither_read_nor_reply(
    client, returned, officer_b
):
    response = reply(client, officer_b, returned, "Không phải tỉnh tôi")
    assert response.status_code == 403
    assert client.get(returned.get_absolute_url()).status_code == 403
    assert len(thread(returned)) == 1


def test_replies_are_accepted_after_the_report_is_sent_again(
    client, returned, officer_a, ministry_user
):
    workflow.report_submit(user=officer_a, report=returned)
    reply(client, ministry_user, returned, "Đã nhận bản sửa")
    assert thread(returned)[-1] == ("ministry-test", "Đã nhận bản sửa")


def test_the_thread_is_read_only_after_approval_and_still_shown(
    client, returned, officer_a, ministry_user
):
    report = workflow.report_submit(user=officer_a, report=returned)
    workflow.report_approve(user=ministry_user, report=report)

    response = reply(client, officer_a, report, "Thêm một ý")

    assert len(thread(report)) == 1
    (refusal,) = get_messages(response.wsgi_request)
    assert refusal.level_tag == "error"
    page = client.get(report.get_absolute_url())
    section = page.text.split('data-testid="thread"')[1].split("</section>")[0]
    assert "Thiếu số lượt" in section
    assert 'data-testid="thread-closed"' in section
    assert 'data-testid="thread-form"' not in section


def test_a_report_never_returned_has_no_thread(client, library_a, officer_a):
    report = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    reply(client, officer_a, report, "Xin chào")
    assert not ReportComment.objects.exists()
    page = client.get(report.get_absolute_url())
    assert 'data-testid="thread"' not in page.text


def test_an_empty_reply_is_refused(returned, officer_a):
    with pytest.raises(ValidationError):
        comments.report_comment_add(user=officer_a, report=returned, body="  ")
    assert len(thread(returned)) == 1


def test_a_reopened_report_continues_its_thread_with_the_reason(
    returned, officer_a, ministry_user
):
    report = workflow.report_submit(user=officer_a, report=returned)
    report = workflow.report_approve(user=ministry_user, report=report)
    workflow.report_reopen(user=ministry_user, report=report, reason="Sai tiêu chí")
    comments.report_comment_add(user=officer_a, report=report, body="Sẽ sửa ngay")
    assert thread(report) == [
        ("ministry-test", "Thiếu số lượt"),
        ("ministry-test", "Sai tiêu chí"),
        ("officer-a", "Sẽ sửa ngay"),
    ]


def test_a_sheet_return_keeps_its_comment_on_the_sheet_but_opens_replies(
    client, library_a, officer_a, ministry_user
):
    report = ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    workflow.report_sheet_return(
        user=ministry_user, province_code=PROVINCE_A, year=2024, comment="Cả bảng"
    )
    assert not ReportComment.objects.exists()
    reply(client, officer_a, report, "Báo cáo này đã đúng")
    assert thread(report) == [("officer-a", "Báo cáo này đã đúng")]
