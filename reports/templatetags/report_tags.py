"""Showing report values and statuses in templates."""

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lifelong_learning.numbers import count_text
from lifelong_learning.roles import (
    REPORT_CHANGE,
    user_can_write_province,
    user_province,
)
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.selectors import returned_work as returned_work_of
from reports.entry.warnings import warning_message
from reports.progress.progress import ACCELERATION_RATIO, ON_TRACK_RATIO
from targets.indicators import applicable_fields

register = template.Library()

_STATUS_CLASSES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.APPROVED: "text-bg-success",
    ReportStatus.RETURNED: "text-bg-warning",
}
_STATUS_ICONS = {
    ReportStatus.DRAFT: "bi-pencil",
    ReportStatus.SUBMITTED: "bi-send",
    ReportStatus.APPROVED: "bi-lock-fill",
    ReportStatus.RETURNED: "bi-arrow-return-left",
}


@register.filter
def report_value(value) -> str:
    """Yes, No, a number with the language's thousands separator, or a dash
    for a value that was not reported."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return count_text(value)
    return str(value)


@register.inclusion_tag("reports/includes/status_badge.html")
def status_badge(status: str):
    return {
        "label": ReportStatus(status).label if status else "—",
        "css": _STATUS_CLASSES.get(status, "text-bg-light"),
        "icon": _STATUS_ICONS.get(status, "bi-dash"),
        "status": status,
    }


@register.filter
def field_label(name: str) -> str:
    return str(AnnualReport._meta.get_field(name).verbose_name)


@register.filter
def cell(bound_field):
    """Renders a value input with Bootstrap's classes, marked invalid when it
    has errors."""
    widget = bound_field.field.widget
    is_select = getattr(widget, "input_type", None) == "select"
    css = "form-select" if is_select else "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})


@register.filter
def elided_pages(page):
    """Page numbers around the current page, with ellipses for the rest."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def status_label(status: str) -> str:
    return ReportStatus(status).label if status else "—"


@register.filter
def warning_text(warning: dict) -> str:
    """A stored warning in the reader's language."""
    return warning_message(warning)


@register.inclusion_tag("reports/includes/returned_work.html", takes_context=True)
def returned_work(context):
    """What the ministry sent back to the logged-in officer's province, with
    one link per year and category to the sheet that holds it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    province = user_province(user) if user is not None else None
    if province is None or not user_can_write_province(
        user, province.code, REPORT_CHANGE
    ):
        return {"work": None}
    work = returned_work_of(province_code=province.code)
    return {"work": work if work.total else None, "province": province}


@register.inclusion_tag("reports/includes/institution_reports.html", takes_context=True)
def institution_reports(context, institution):
    """The annual reports section of an institution's page: its reports,
    newest first, with the values of the fields its category reports, and the
    button to enter last year's report when the user may."""
    fields = [
        field
        for field in AnnualReport._meta.concrete_fields
        if field.name in applicable_fields(institution.category)
    ]
    reports = [
        {
            "report": report,
            "values": [
                (field.verbose_name, getattr(report, field.name)) for field in fields
            ],
        }
        for report in institution.annual_reports.order_by("-year")
    ]
    # The year just ended, when the institution was active then, has no
    # report for it yet and the user may enter one.
    year = timezone.localdate().year - 1
    entry_year = (
        year
        if institution.is_active_in(year)
        and all(row["report"].year != year for row in reports)
        and user_can_write_province(
            context["request"].user, institution.province_id, REPORT_CHANGE
        )
        else None
    )
    return {"institution": institution, "reports": reports, "entry_year": entry_year}


_PACE_RATIOS = {"on_track": ON_TRACK_RATIO, "acceleration": ACCELERATION_RATIO}


@register.simple_tag
def pace_percent(name: str) -> str:
    """A pace threshold of metrics.md as a percentage ("95"), for the legend
    and the methodology page: the ratios have one home, the progress rules."""
    return number_format(_PACE_RATIOS[name] * 100, decimal_pos=0)


@register.simple_tag
def pace_ratio(name: str) -> str:
    """A pace threshold as the ratio the methodology states ("0,95")."""
    return number_format(float(_PACE_RATIOS[name]), decimal_pos=2)
