"""The reporting period's banner on the pages of a province's year."""

from django import template
from django.utils import timezone

from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.periods.selectors import deadlines

register = template.Library()


@register.inclusion_tag("reports/includes/period_banner.html")
def period_banner(province, year):
    """The due date of ``year`` for ``province`` (a Province or its code) and
    where today stands ("Hạn nộp 31/03/2026 — còn 12 ngày"), the extension
    and its reason, and why entry is refused when it is; nothing when the
    year has no reporting period."""
    code = getattr(province, "code", province)
    try:
        year = int(year)
    except (TypeError, ValueError):
        # A year typed into the address that is not one: no banner.
        return {"found": None}
    if not code or not YEAR_MIN <= year <= YEAR_MAX:
        return {"found": None}
    found = deadlines(province_code=code, year=year)
    if found is None:
        return {"found": None}
    today = timezone.localdate()
    return {
        "found": found,
        "due_text": found.due_text(today),
        "refusal": found.refusal(today),
        "overdue": found.days_left(today) < 0,
    }


@register.filter
def period_pairs(sheets) -> list[tuple[str, int]]:
    """The (province code, year) pairs of an upload's year sheets, once each."""
    return sorted({(province, year) for province, year, _category in sheets or ()})
