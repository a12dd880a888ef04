"""The reasons for a change that the services store in the history as fixed
words (``history_change_reason``), shown in the reader's language wherever a
history is read: the audit page, a report's and an institution's history."""

from django.utils.translation import gettext_lazy as _

CHANGE_REASONS = {
    "import": _("file import"),
    "sheet": _("year sheet"),
    "close": _("closed"),
    "demo": _("demo data"),
    "Seeded from targets.csv": _("seeded from targets.csv"),
}


def change_reason_label(reason: str | None) -> str:
    """The words for a stored reason: a fixed word translated, a reason a
    person wrote as written, nothing for none."""
    if not reason:
        return ""
    return str(CHANGE_REASONS.get(reason, reason))
