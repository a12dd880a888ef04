"""The warnings of a report, the one place they are decided, and their
explanations.

Three warnings, against last year's report: a count more than threefold last
year's, a count given where last year's was zero, a criterion that turned
from yes to no. A warning is stored on the report (``AnnualReport.warnings``,
a list of dicts: ``field``, ``year``, ``before`` and ``value`` for counts,
``message``, and ``explanation`` once explained); a report may be saved as a
draft with unexplained warnings, never submitted.
"""

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from targets.indicators import COUNT_FIELDS, REPORT_FIELDS

# A count more than this factor of last year's is flagged.
COUNT_CHANGE_FACTOR = 3
# An explanation of a warning, after trimming: needed before a report is submitted.
EXPLANATION_MIN = 3
EXPLANATION_MAX = 500


def warnings_find(values: dict, previous) -> list[dict]:
    """The three warnings, the only place they are decided: a count more than
    threefold last year's, a count given where last year's was zero, and a
    criterion that turned from yes to no."""
    warnings = []
    for name, value in values.items():
        before = getattr(previous, name, None)
        if value is None or before is None:
            continue
        warning = {"field": name, "year": previous.year}
        if name in COUNT_FIELDS:
            if (before > 0 and value > COUNT_CHANGE_FACTOR * before) or (
                before == 0 and value > 0
            ):
                warning.update(before=before, value=value)
                warnings.append(warning)
        elif before is True and value is False:
            warnings.append(warning)
    for warning in warnings:
        warning["message"] = warning_message(warning)
    return warnings


def warning_message(warning: dict) -> str:
    """The text of a stored warning in the active language (the message saved
    with it, in the language of whoever saved, is the fallback)."""
    name = warning.get("field")
    if name not in REPORT_FIELDS or "year" not in warning:
        return warning.get("message", "")
    if name in COUNT_FIELDS:
        before, value = warning.get("before"), warning.get("value")
        if before == 0 and value:
            return _("%(field)s was 0 in %(year)s and is %(value)s now.") % {
                "field": REPORT_FIELDS[name],
                "year": warning["year"],
                "value": number_format(value, force_grouping=True),
            }
        if not before or not value or value <= COUNT_CHANGE_FACTOR * before:
            # A warning of an earlier rule, kept as it was worded.
            return warning.get("message", "")
        return _(
            "%(field)s changed more than threefold: %(before)s in %(year)s, "
            "%(value)s now."
        ) % {
            "field": REPORT_FIELDS[name],
            "before": number_format(before, force_grouping=True),
            "year": warning["year"],
            "value": number_format(value, force_grouping=True),
        }
    return _("%(field)s turned from yes in %(year)s to no.") % {
        "field": REPORT_FIELDS[name],
        "year": warning["year"],
    }


def warning_key(warning: dict) -> tuple:
    """What makes two warnings the same: field, year and values, not the
    words (which follow the language of whoever saved)."""
    return tuple(warning.get(key) for key in ("field", "year", "before", "value"))


def explanation_key(name: str) -> str:
    """The error key (and form field) of the explanation of ``name``'s warning."""
    return f"explanation_{name}"


def explanation_errors(text: str) -> str | None:
    """Why an explanation (already trimmed) is refused, if it is."""
    if len(text) < EXPLANATION_MIN or len(text) > EXPLANATION_MAX:
        return _(
            "Write an explanation of %(min)s to %(max)s characters "
            "(this one has %(count)s)."
        ) % {"min": EXPLANATION_MIN, "max": EXPLANATION_MAX, "count": len(text)}
    return None


def warnings_explain(
    warnings: list[dict], *, explanations: dict[str, str], stored: list[dict]
) -> dict[str, str]:
    """Puts on each warning its ``explanation``: the one given for its field
    or, when none is given, the one stored with the same warning. Returns
    the errors of explanations given (too short or too long) by key."""
    kept = {
        warning_key(warning): warning["explanation"]
        for warning in stored or ()
        if isinstance(warning, dict) and warning.get("explanation")
    }
    errors = {}
    for warning in warnings:
        text = (explanations.get(warning["field"]) or "").strip()
        if not text:
            text = kept.get(warning_key(warning), "")
        elif (error := explanation_errors(text)) is not None:
            errors[explanation_key(warning["field"])] = error
            continue
        if text:
            warning["explanation"] = text
    return errors


def warnings_unexplained(warnings: list[dict]) -> list[dict]:
    """The warnings that have no explanation yet."""
    return [
        warning
        for warning in warnings or ()
        if not (isinstance(warning, dict) and warning.get("explanation"))
    ]


def unexplained_refusal(reports: Sequence) -> str:
    """Why reports with unexplained warnings cannot be submitted, naming
    each institution."""
    return _(
        "Nothing was submitted: explain each warning first (beside the "
        "warning, %(min)s to %(max)s characters): %(names)s."
    ) % {
        "min": EXPLANATION_MIN,
        "max": EXPLANATION_MAX,
        "names": ", ".join(report.institution.name for report in reports),
    }
