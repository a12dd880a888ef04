"""The rules of a reporting period, read: a province's dates for a year, where
today stands against them, and the sentence that says so ("Hạn nộp 31/03/2026 —
còn 12 ngày"). Today is the calendar day in Asia/Ho_Chi_Minh
(``timezone.localdate()``, the portal's time zone)."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.periods.models import PeriodExtension, ReportingPeriod


@dataclass(frozen=True)
class Deadlines:
    """One province's dates for a data year (its extension, if any, applied)."""

    year: int
    opens_on: datetime.date
    due_on: datetime.date
    closes_on: datetime.date
    extended: bool = False
    reason: str = ""

    def is_open(self, today: datetime.date) -> bool:
        """Entry is allowed from the opening day to the closing day."""
        return self.opens_on <= today <= self.closes_on

    def is_on_time(self, moment: datetime.datetime) -> bool:
        """A first submission at ``moment`` is on time when it falls on or
        before the due day, in Vietnam."""
        return timezone.localdate(moment) <= self.due_on

    def days_left(self, today: datetime.date) -> int:
        """Days until the due date (negative once it has passed)."""
        return (self.due_on - today).days

    def due_text(self, today: datetime.date) -> str:
        """ "Due 31/03/2026 — 12 days left" / "— 3 days overdue" / "— due
        today"."""
        due = date_format(self.due_on, "SHORT_DATE_FORMAT")
        left = self.days_left(today)
        if left > 0:
            rest = ngettext("%(n)s day left", "%(n)s days left", left) % {"n": left}
        elif left == 0:
            rest = _("due today")
        else:
            rest = ngettext("%(n)s day overdue", "%(n)s days overdue", -left) % {
                "n": -left
            }
        return _("Due %(date)s — %(rest)s") % {"date": due, "rest": rest}

    def refusal(self, today: datetime.date) -> str | None:
        """Why entry is refused today, or ``None`` while it is open."""
        if today < self.opens_on:
            return _("Entry for %(year)s opens on %(date)s (%(due)s).") % {
                "year": self.year,
                "date": date_format(self.opens_on, "SHORT_DATE_FORMAT"),
                "due": self.due_text(today),
            }
        if today > self.closes_on:
            return _(
                "Entry for %(year)s closed on %(date)s (%(due)s); ask the ministry "
                "to reopen a report."
            ) % {
                "year": self.year,
                "date": date_format(self.closes_on, "SHORT_DATE_FORMAT"),
                "due": self.due_text(today),
            }
        return None


def deadlines(*, province_code: str, year: int) -> Deadlines | None:
    """The dates of ``year`` for a province, or ``None`` while the year has no
    reporting period (entry is then not limited by dates)."""
    period = ReportingPeriod.objects.filter(year=year).first()
    if period is None:
        return None
    extension = PeriodExtension.objects.filter(
        period=period, province_id=province_code
    ).first()
    return _deadlines(period, extension)


def _deadlines(period: ReportingPeriod, extension: PeriodExtension | None) -> Deadlines:
    if extension is not None:
        return Deadlines(
            year=period.year,
            opens_on=period.opens_on,
            due_on=max(extension.due_on, period.due_on),
            closes_on=max(extension.closes_on, period.closes_on),
            extended=True,
            reason=extension.reason,
        )
    return Deadlines(
        year=period.year,
        opens_on=period.opens_on,
        due_on=period.due_on,
        closes_on=period.closes_on,
    )


def deadlines_by_province(year: int) -> dict[str | None, Deadlines] | None:
    """Every province's dates of ``year`` in two queries: keyed by the code of
    each province with an extension, and ``None`` for all the others; ``None``
    while the year has no reporting period."""
    period = ReportingPeriod.objects.filter(year=year).first()
    if period is None:
        return None
    dates: dict[str | None, Deadlines] = {
        extension.province_id: _deadlines(period, extension)
        for extension in PeriodExtension.objects.filter(period=period)
    }
    dates[None] = _deadlines(period, None)
    return dates


def entry_refusal(
    *, province_code: str, year: int, today: datetime.date | None = None
) -> str | None:
    """Why entry of ``year``'s reports of a province is refused today (before
    the opening or after the closing date, extension included), or ``None``."""
    found = deadlines(province_code=province_code, year=year)
    if found is None:
        return None
    return found.refusal(today or timezone.localdate())


def entry_refusals(
    *, pairs: set[tuple[str, int]], today: datetime.date | None = None
) -> dict[tuple[str, int], str]:
    """:func:`entry_refusal` for many (province code, year) pairs at once, in
    two queries whatever their number: only the refused pairs are returned."""
    years = {year for _province, year in pairs}
    periods = {p.year: p for p in ReportingPeriod.objects.filter(year__in=years)}
    if not periods:
        return {}
    extensions = {
        (extension.province_id, extension.period.year): extension
        for extension in PeriodExtension.objects.filter(
            period__in=periods.values()
        ).select_related("period")
    }
    today = today or timezone.localdate()
    refused = {}
    for province, year in pairs:
        period = periods.get(year)
        if period is None:
            continue
        extension = extensions.get((province, year))
        found = _deadlines(period, extension)
        refusal = found.refusal(today)
        if refusal is not None:
            refused[province, year] = refusal
    return refused


def periods_list():
    """Every reporting period, newest year first, with its extensions and
    their provinces (three queries)."""
    return ReportingPeriod.objects.order_by("-year").prefetch_related(
        models.Prefetch(
            "extensions",
            queryset=PeriodExtension.objects.select_related(
                "province", "updated_by"
            ).order_by("province__name_sort"),
        )
    )
