"""The comment thread of a report: the reviewer and the province's officers
reply to each other about a returned report until it is approved.

A report's own return (or reopening) opens the thread with its comment (see
:func:`reports.entry.workflow._move`); replies are accepted while the report
is returned, or sent again for review after a return; once approved, the
thread is kept and shown, read-only. Messages are never edited or deleted.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lifelong_learning.roles import (
    REPORT_CHANGE,
    REPORT_REVIEW,
    province_denied,
    user_can_write_province,
)
from reports.entry.models import AnnualReport, ReportComment, ReportStatus

COMMENT_MAX_LENGTH = 2000


def report_comments(report: AnnualReport) -> models.QuerySet[ReportComment]:
    """The thread of a report, oldest first, with the authors."""
    return report.comments.select_related("author").order_by("at", "pk")


def report_thread_open(report: AnnualReport, *, has_comments: bool) -> bool:
    """Whether replies are accepted: the report is returned, or has a thread
    and is not approved (sent again, or saved as a draft after a return)."""
    if report.is_locked:
        return False
    return report.status == ReportStatus.RETURNED or has_comments


def user_can_comment(user, report: AnnualReport) -> bool:
    """Ministry staff and the officers who may change the report's province."""
    return user.has_perm(REPORT_REVIEW) or user_can_write_province(
        user, report.institution.province_id, REPORT_CHANGE
    )


@transaction.atomic
def report_comment_add(*, user, report: AnnualReport, body: str) -> ReportComment:
    """Adds a reply to the report's thread. Refuses someone who may not take
    part (``PermissionDenied``), an empty or too long message and a thread
    that is not open (``ValidationError``)."""
    if not user_can_comment(user, report):
        raise province_denied(user, REPORT_CHANGE)
    report = (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=report.pk)
    )
    if not report_thread_open(report, has_comments=report.comments.exists()):
        if report.is_locked:
            raise ValidationError(
                _("This report is approved: its comments can no longer be answered.")
            )
        raise ValidationError(_("Only a returned report has a comment thread."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("Keep the message under %(max)s characters.")
                % {"max": COMMENT_MAX_LENGTH}
            }
        )
    comment = ReportComment(report=report, author=user, body=body)
    comment.full_clean()
    comment.save()
    return comment
