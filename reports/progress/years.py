"""Which data years the progress pages, the PDF report, the JSON API and the
commands offer: from the first baseline year to the last target year, opening
on the latest year whose collection is essentially complete."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from reports.progress.figures import counted_statuses
from reports.progress.models import ReportCount
from targets.models import Target
from targets.selectors import target_list

# A year whose counted reports reach this share of the year before counts as
# collected: the dashboards open on the latest such year.
COLLECTED_SHARE = 0.8


def dashboard_years(targets: list[Target]) -> list[int]:
    """Every year from the first baseline year to the last target year."""
    if not targets:
        return []
    first = min(t.baseline_year for t in targets)
    return list(range(first, max(t.year for t in targets) + 1))


def default_year(years: list[int], *, approved_only: bool) -> int:
    """The latest year whose collection is essentially complete: its counted
    reports reach :data:`COLLECTED_SHARE` of the year before. A year still
    being collected would show every target falling behind for want of
    reports; it stays one click away."""
    counts = dict(
        ReportCount.objects.filter(
            status__in=counted_statuses(approved_only=approved_only), year__in=years
        )
        .order_by()
        .values_list("year")
        .annotate(reports=Sum("reports"))
    )
    for year in sorted(counts, reverse=True):
        previous = counts.get(year - 1)
        if previous is None or counts[year] >= COLLECTED_SHARE * previous:
            return year
    return max(counts, default=years[0])


def data_year_message(year: int) -> str | None:
    """Why ``year`` has no figures, or ``None`` when it lies among
    :func:`dashboard_years` (or no target row is loaded yet)."""
    years = dashboard_years(list(target_list()))
    if not years or year in years:
        return None
    return _("The year must lie between %(first)s and %(last)s.") % {
        "first": years[0],
        "last": years[-1],
    }
