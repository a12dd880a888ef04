"""What data entry answers to the registry's signals: approved figures do not
move under an institution's feet (institutions.signals)."""

from collections import defaultdict

from django.dispatch import Signal
from django.utils.translation import gettext as _

from reports.entry.models import AnnualReport, ReportStatus

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
