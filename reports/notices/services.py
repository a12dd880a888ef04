"""Writes of notices: telling a person something (in the inbox, and by e-mail
from the background worker once the transaction commits), opening and
reading notices, a person's e-mail choice, and the notices of a workflow move
(returned, approved, submitted sheet)."""

from collections.abc import Callable, Sequence
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institutions.models import Category, Province
from reports.notices.models import Notice, NoticeKind, NoticeSettings
from reports.notices.selectors import (
    province_officers,
    recipient_language,
    review_link,
    reviewers,
    sheet_link,
    wants_email,
)
from reports.notices.tasks import notice_email

# A function that writes (subject, body) in the active language.
Writer = Callable[[], tuple[str, str]]


def notice_send(*, recipient, kind: str, write: Writer, url: str = "") -> Notice:
    """Puts a notice in ``recipient``'s inbox, written by ``write`` in their
    language, and, unless they turned e-mail off, e-mails it from the worker
    once the current transaction commits."""
    with translation.override(recipient_language(recipient)):
        subject, body = write()
    # A long institution name must not refuse the move that the notice tells.
    subject = Truncator(subject).chars(Notice._meta.get_field("subject").max_length)
    notice = Notice(recipient=recipient, kind=kind, subject=subject, body=body, url=url)
    notice.full_clean()
    notice.save()
    if recipient.is_active and wants_email(recipient):
        transaction.on_commit(partial(notice_email.enqueue, notice.pk))
    return notice


def notices_send(
    *, recipients: Sequence, kind: str, write: Writer, url: str = "", actor=None
) -> list[Notice]:
    """:func:`notice_send` to each active recipient but ``actor``."""
    return [
        notice_send(recipient=user, kind=kind, write=write, url=url)
        for user in recipients
        if user.is_active and (actor is None or user.pk != actor.pk)
    ]


def notice_open(*, notice: Notice) -> Notice:
    """Marks a notice read (the first time it is opened)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, user) -> int:
    """Marks every unread notice of ``user`` read; returns how many."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notice_settings_update(*, user, email: bool) -> NoticeSettings:
    """Turns a person's notices by e-mail on or off (the inbox stays)."""
    found, _created = NoticeSettings.objects.update_or_create(
        user=user, defaults={"email": email}
    )
    return found


# The workflow's moves ------------------------------------------------------------


def _category_text(category: str | None) -> str:
    return str(Category(category).label) if category else _("all categories")


def _comment_text(comment: str) -> str:
    return _("Comment of the ministry:") + "\n" + comment if comment else ""


def _report_written(step: str, report, comment: str) -> Writer:
    def write():
        values = {"year": report.year, "institution": report.institution.name}
        if step == "approve":
            return (
                _("The %(year)s report of %(institution)s was approved") % values,
                _("It is now locked; the ministry can reopen it if it must change."),
            )
        subject = _("The %(year)s report of %(institution)s was returned") % values
        body = _("Correct it and submit it again.")
        return subject, "\n\n".join(filter(None, [_comment_text(comment), body]))

    return write


def _sheet_written(step: str, count: int, year: int, category, comment) -> Writer:
    def write():
        values = {"count": count, "year": year, "category": _category_text(category)}
        if step == "approve":
            subject = ngettext(
                "%(count)s report of %(year)s (%(category)s) was approved",
                "%(count)s reports of %(year)s (%(category)s) were approved",
                count,
            )
            return subject % values, _(
                "They are now locked; the ministry can reopen one if it must change."
            )
        subject = ngettext(
            "%(count)s report of %(year)s (%(category)s) was returned",
            "%(count)s reports of %(year)s (%(category)s) were returned",
            count,
        )
        body = _("Correct them and submit the sheet again.")
        return subject % values, "\n\n".join(
            filter(None, [_comment_text(comment), body])
        )

    return write


def _submitted_written(province: str, count: int, year: int, category) -> Writer:
    def write():
        values = {
            "province": province,
            "count": count,
            "year": year,
            "category": _category_text(category),
        }
        subject = ngettext(
            "%(province)s submitted %(count)s report of %(year)s (%(category)s)",
            "%(province)s submitted %(count)s reports of %(year)s (%(category)s)",
            count,
        )
        return subject % values, _("They wait for your review.")

    return write


_KINDS = {
    ("return", False): NoticeKind.REPORT_RETURNED,
    ("reopen", False): NoticeKind.REPORT_RETURNED,
    ("approve", False): NoticeKind.REPORT_APPROVED,
    ("return", True): NoticeKind.SHEET_RETURNED,
    ("approve", True): NoticeKind.SHEET_APPROVED,
}


def notices_for_move(
    *,
    reports: Sequence,
    step: str,
    user,
    comment: str,
    province_code: str,
    year: int,
    category: str | None,
    sheet: bool,
) -> list[Notice]:
    """Tells the people concerned of a workflow move: the province's officers
    when a report or a sheet is returned (with the comment), reopened or
    approved; the ministry's reviewers when a province submits a sheet."""
    if not reports:
        return []
    if step == "submit":
        if not sheet:
            return []
        return notices_send(
            recipients=reviewers(),
            kind=NoticeKind.SHEET_SUBMITTED,
            write=_submitted_written(
                Province.objects.get(code=province_code).name,
                len(reports),
                year,
                category,
            ),
            url=review_link(province_code=province_code, year=year, category=category),
            actor=user,
        )
    kind = _KINDS.get((step, sheet))
    if kind is None:
        return []
    if sheet:
        write = _sheet_written(step, len(reports), year, category, comment)
        url = sheet_link(
            province_code=province_code,
            year=year,
            category=category or reports[0].institution.category,
        )
    else:
        write = _report_written(step, reports[0], comment)
        url = reports[0].get_absolute_url()
    return notices_send(
        recipients=province_officers(province_code=province_code),
        kind=kind,
        write=write,
        url=url,
        actor=user,
    )
