"""The reporting period's banner on the pages of a province's year."""

from django import template
from django.utils import timezone

from reports.periods.selectors import deadlines

register = template.Library()


@register.inclusion_tag("reports/includes/period_banner.html")
def period_banner(province, year):
    """The due date of ``year`` for ``province`` (a Province or its code) and
    where today stands ("Hạn nộp 31/03/2026 — còn 12 ngày"), the extension
    and its reason, and why entry is refused when it is; nothing when the
    year has no reporting period."""
    code = getattr(province, "code", province)
    if not code or not year:
        return {"found": None}
    found = deadlines(province_code=code, year=int(year))
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
