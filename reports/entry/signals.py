"""What data entry answers to the registry's signals: approved figures do not
move under an institution's feet (institutions.signals); and to the periods':
which reports were on time follows the due dates (reports.periods.signals)."""

import datetime
from collections import defaultdict

from django.db.models import Case, Value, When
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import Institution
from lifelong_learning.signals import data_written_send
from reports.entry.models import AnnualReport, ReportStatus
from reports.periods.selectors import deadlines

# Sent after reports moved between statuses (reports/entry/workflow.py), inside
# the transaction (receivers that act outside it use transaction.on_commit).
# Keyword arguments: ``reports`` (the moved reports, in their new status),
# ``step`` (``"submit"``, ``"approve"``, ``"return"`` or ``"reopen"``), ``user``,
# ``comment``, ``province_code``, ``year``, ``category`` (``None`` for the
# whole province) and ``sheet`` (True when a whole sheet moved). The notices
# (reports/notices) tell the people concerned.
reports_moved = Signal()

_MOVING_FIELDS = (
    ("category", "category"),
    ("province", "province_id"),
    ("former_province", "former_province_id"),
)


def institutions_changing(sender, changes, **kwargs):
    """Refuses changes to institutions that would move approved figures: a
    new category, province or former province of an institution with
    approved reports, or opening and closing years that leave an approved
    report's year outside the years it was active. The ministry reopens
    those reports first. One query for the whole batch."""
    approved = defaultdict(list)
    for pk, year in (
        AnnualReport.objects.filter(
            institution_id__in=[stored.pk for stored, _changed in changes],
            status=ReportStatus.APPROVED,
        )
        .values_list("institution_id", "year")
        .order_by("year")
    ):
        approved[pk].append(year)

    def refusal(years):
        return _(
            "This would change approved figures: the approved reports of "
            "%(years)s. Ask the ministry to reopen them first."
        ) % {"years": ", ".join(str(year) for year in years)}

    refused = {}
    for stored, changed in changes:
        years = approved.get(stored.pk)
        if not years:
            continue
        errors = {}
        for name, attribute in _MOVING_FIELDS:
            if getattr(stored, attribute) != getattr(changed, attribute):
                errors[name] = refusal(years)
        lost = [year for year in years if not changed.is_active_in(year)]
        if lost:
            name = (
                "closed_year"
                if changed.closed_year != stored.closed_year
                else "opened_year"
            )
            errors[name] = refusal(lost)
        if errors:
            refused[stored.pk] = errors
    return refused


def deadlines_changed(sender, *, year, provinces=None, **kwargs):
    """Recomputes which of ``year``'s submitted reports of ``provinces`` (the
    codes, or ``None`` for every province) were on time, from their first
    submission and the due dates as they are now (none without a period):
    one UPDATE per province. Then the progress counters of the provinces
    that have such reports recount."""
    institutions = Institution.objects.all()
    if provinces is not None:
        institutions = institutions.filter(province_id__in=set(provinces))
    # The institutions of each province, read once: an UPDATE filtered through
    # a join to the institutions makes PostgreSQL join the reports table to
    # itself, which its planner may run as nested loops over every report.
    by_province = defaultdict(list)
    for code, pk in institutions.values_list("province_id", "pk"):
        by_province[code].append(pk)
    written = []
    for code in sorted(by_province):
        reports = AnnualReport.objects.filter(
            year=year,
            institution_id__in=by_province[code],
            first_submitted_at__isnull=False,
        )
        found = deadlines(province_code=code, year=year)
        if found is None:
            on_time = None
        else:
            # On time until the end of the due day in Vietnam: before the
            # next day begins there (Deadlines.is_on_time, in SQL).
            next_day = timezone.make_aware(
                datetime.datetime.combine(
                    found.due_on + datetime.timedelta(days=1), datetime.time.min
                )
            )
            on_time = Case(
                When(first_submitted_at__lt=next_day, then=Value(True)),
                default=Value(False),
            )
        if reports.update(on_time=on_time):
            written.append(code)
    if written:
        data_written_send("reports", provinces=written)
