"""The reminder ladder: for each reporting period open on a day, 14, 7 and 1
days before a province's due date (its extension applied) and 3 days after,
each province where institutions have not reported yet is reminded, through
its officers, once per rung (:class:`~reports.notices.models.ReminderSent`).
Run daily by ``manage.py send_reminders``."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institutions.models import Category, Province
from reports.entry.selectors import StatusCounts, reporting_counts
from reports.notices.models import NoticeKind, ReminderSent
from reports.notices.selectors import province_officers, sheet_link
from reports.notices.services import notices_send
from reports.periods.models import ReportingPeriod
from reports.periods.selectors import Deadlines, deadlines

# Days before the due date at which a province is reminded; -3 is three days
# after it.
RUNGS = (14, 7, 1, -3)


@dataclass
class Reminder:
    """One rung of the ladder due to one province today."""

    period: ReportingPeriod
    province: Province
    rung: int
    deadlines: Deadlines
    counts: dict[str, StatusCounts]
    recipients: list = field(default_factory=list)

    @property
    def reported(self) -> int:
        return sum(counts.reported for counts in self.counts.values())

    @property
    def active(self) -> int:
        return sum(counts.active for counts in self.counts.values())

    def missing(self) -> list[tuple[str, int]]:
        """The categories with institutions not reported yet, and how many."""
        return [
            (category, counts.active - counts.reported)
            for category, counts in self.counts.items()
            if counts.active > counts.reported
        ]

    def link(self, category: str) -> str:
        return sheet_link(
            province_code=self.province.code,
            year=self.period.year,
            category=category,
            missing=True,
        )

    def write(self, today: datetime.date):
        """The reminder's (subject, body), in the active language."""
        values = {
            "reported": self.reported,
            "active": self.active,
            "year": self.period.year,
            "province": self.province.name,
        }
        subject = _(
            "Reminder: %(reported)s/%(active)s institutions reported for %(year)s"
        )
        lines = [
            self.deadlines.due_text(today) + ".",
            _(
                "%(reported)s/%(active)s institutions of %(province)s reported for "
                "%(year)s. Not reported yet:"
            )
            % values,
        ]
        for category, count in self.missing():
            lines.append(
                ngettext(
                    "– %(category)s: %(count)s institution",
                    "– %(category)s: %(count)s institutions",
                    count,
                )
                % {"category": Category(category).label, "count": count}
            )
        return subject % values, "\n".join(lines)


def _periods_open(today: datetime.date):
    """The periods open on ``today`` for some province (extensions count)."""
    return ReportingPeriod.objects.filter(
        Q(closes_on__gte=today) | Q(extensions__closes_on__gte=today),
        opens_on__lte=today,
    ).distinct()


def reminders_due(*, today: datetime.date) -> list[Reminder]:
    """The reminders due ``today`` and not sent yet: provinces at a rung of
    the ladder with institutions not reported and active officers to tell.
    The link of a reminder opens the sheet of the first category (in the
    programme's order) with institutions not reported, filtered to them; its
    category and the filter can be changed there."""
    due = []
    provinces = list(Province.objects.order_by("name_sort"))
    for period in _periods_open(today):
        sent = set(
            ReminderSent.objects.filter(period=period).values_list(
                "province_id", "days_before_due"
            )
        )
        counts = reporting_counts(year=period.year)
        for province in provinces:
            found = deadlines(province_code=province.code, year=period.year)
            rung = found.days_left(today)
            if (
                rung not in RUNGS
                or not found.is_open(today)
                or (province.code, rung) in sent
            ):
                continue
            reminder = Reminder(
                period=period,
                province=province,
                rung=rung,
                deadlines=found,
                counts={
                    category: counts[province.code, category]
                    for category in Category.values
                    if (province.code, category) in counts
                },
            )
            if not reminder.missing():
                continue
            reminder.recipients = list(province_officers(province_code=province.code))
            if reminder.recipients:
                due.append(reminder)
    return due


def reminders_send(*, today: datetime.date, dry_run: bool = False) -> list[Reminder]:
    """Sends the reminders due ``today`` (:func:`reminders_due`), each recorded
    once in :class:`ReminderSent`, and returns them; ``dry_run`` sends and
    records nothing."""
    due = reminders_due(today=today)
    if dry_run:
        return due
    sent = []
    for reminder in due:
        with transaction.atomic():
            _record, created = ReminderSent.objects.get_or_create(
                period=reminder.period,
                province=reminder.province,
                days_before_due=reminder.rung,
                defaults={
                    "sent_on": today,
                    "reported": reminder.reported,
                    "active": reminder.active,
                    "recipients": len(reminder.recipients),
                },
            )
            if not created:  # another run sent it meanwhile
                continue
            first_missing = reminder.missing()[0][0]
            notices_send(
                recipients=reminder.recipients,
                kind=NoticeKind.REMINDER,
                write=lambda reminder=reminder: reminder.write(today),
                url=reminder.link(first_missing),
            )
        sent.append(reminder)
    return sent
