"""Reads of notices: a person's inbox and unread count, who is told of a move
(a province's officers, the ministry's reviewers), the language a person is
written to, and where each notice links."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode

from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import REPORT_REVIEW, Role
from reports.notices.models import Notice, NoticeSettings

INBOX_PAGE_SIZE = 20


def unread_count(*, user) -> int:
    """How many of the person's notices are unread (one query)."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_page(*, user, page_number=1) -> Page:
    """One page of the person's notices, newest first."""
    return BoundedPaginator(
        Notice.objects.filter(recipient=user), INBOX_PAGE_SIZE
    ).get_page(page_number)


def notice_get(*, user, pk: int) -> Notice:
    """The person's own notice; 404 for anyone else's."""
    return get_object_or_404(Notice, pk=pk, recipient=user)


def notice_settings_get(*, user) -> NoticeSettings:
    """The person's choices (e-mail on until they turn it off), unsaved if new."""
    found = NoticeSettings.objects.filter(user=user).first()
    return found or NoticeSettings(user=user)


def wants_email(user) -> bool:
    """Whether the person gets notices by e-mail: an address and not turned off."""
    return bool(user.email) and notice_settings_get(user=user).email


def recipient_language(user) -> str:
    """The language a notice to ``user`` is written in. The portal keeps no
    language per person, so it is the portal's language (Vietnamese)."""
    return settings.LANGUAGE_CODE


def province_officers(*, province_code: str) -> QuerySet:
    """The active provincial officers bound to a province."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__province_id=province_code,
            groups__name=Role.PROVINCIAL_OFFICER,
        )
        .distinct()
        .order_by("pk")
    )


def reviewers() -> QuerySet:
    """The active people who review reports for the ministry: holders of the
    review permission, leaving out administrators who are not ministry staff
    (they hold every permission without reviewing)."""
    users = get_user_model().objects
    administrators = users.filter(groups__name=Role.ADMINISTRATOR).exclude(
        groups__name=Role.MINISTRY_STAFF
    )
    return (
        users.with_perm(
            REPORT_REVIEW,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True)
        .exclude(pk__in=administrators.values("pk"))
        .order_by("pk")
    )


def sheet_link(
    *, province_code: str, year: int, category: str, missing: bool = False
) -> str:
    """The address of a year sheet (``missing``: only institutions that have
    not reported yet)."""
    query = {"year": year, "category": category, "province": province_code}
    if missing:
        query["missing"] = 1
    return f"{reverse('reports:sheet')}?{urlencode(query)}"


def review_link(*, province_code: str, year: int, category: str | None) -> str:
    """The address of the review of a province's year (of one category)."""
    url = reverse("reports:review_sheet", args=[province_code, year])
    return f"{url}?{urlencode({'category': category})}" if category else url


def absolute(url: str) -> str:
    """``url`` on the portal's public address (for e-mails)."""
    return settings.PORTAL_URL.rstrip("/") + url
