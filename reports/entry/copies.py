"""New reports written with PostgreSQL's ``COPY`` (the import's fast path):
the same rows :func:`reports.entry.services.reports_write` writes for a new
report without warnings (the report, its history record as
django-simple-history writes it, its first status transition), with its id
taken from the table's sequence."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from lifelong_learning.copies import NULL, CopyTable, ids_reserve
from lifelong_learning.history import reason_clip
from reports.entry.models import COUNTED_STATUSES, AnnualReport, ReportTransition
from reports.periods.selectors import deadlines
from targets.indicators import REPORT_FIELDS

# The columns each new report's line gives, in this order; its values are the
# report fields' texts joined by tabs (``lifelong_learning.copies.copy_text``).
VARYING = ["id", "institution_id", "year", *REPORT_FIELDS, "on_time"]


@dataclass
class NewReport:
    """A checked file row that becomes a new report without warnings."""

    institution_id: int
    province_id: str
    year: int
    texts: str  # the report fields in COPY's text format, joined by tabs


class ReportCopier:
    """Writes :class:`NewReport` rows with ``status``, by ``user`` (``None``:
    the system), at one moment (``now``), with ``comment`` on their
    transitions and ``change_reason`` in their history."""

    def __init__(
        self, *, user, status: str, comment: str, change_reason: str, now=None
    ):
        now = now or timezone.now()
        user_id = user.pk if user is not None and user.is_authenticated else None
        counted = status in COUNTED_STATUSES
        self.now = now
        self.counted = counted
        self.due: dict[tuple[str, int], str] = {}
        report = {
            "status": status,
            "review_comment": "",
            "warnings": [],
            "version": 1,
            "updated_at": now,
            "updated_by_id": user_id,
            "first_submitted_at": now if counted else None,
        }
        self.reports = CopyTable(AnnualReport, varying=VARYING, constants=report)
        self.history = None
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            self.history = CopyTable(
                AnnualReport.history.model,
                varying=VARYING,
                constants={
                    **report,
                    "history_date": now,
                    "history_change_reason": reason_clip(change_reason) or None,
                    "history_type": "+",
                    "history_user_id": user_id,
                },
            )
        self.transitions = CopyTable(
            ReportTransition,
            varying=["report_id"],
            constants={
                "from_status": "",
                "to_status": status,
                "at": now,
                "comment": comment,
                "user_id": user_id,
            },
        )

    def _on_time(self, province: str, year: int) -> str:
        """Whether a first submission now is on time, as COPY text."""
        key = (province, year)
        if key not in self.due:
            found = (
                deadlines(province_code=province, year=year) if self.counted else None
            )
            on_time = None if found is None else found.is_on_time(self.now)
            self.due[key] = NULL if on_time is None else ("t" if on_time else "f")
        return self.due[key]

    def write(self, rows: list[NewReport]) -> None:
        ids = ids_reserve(AnnualReport, len(rows))
        lines = [
            f"{pk}\t{row.institution_id}\t{row.year}\t{row.texts}\t"
            f"{self._on_time(row.province_id, row.year)}"
            for pk, row in zip(ids, rows, strict=True)
        ]
        self.reports.write([line + self.reports.tail for line in lines])
        if self.history is not None:
            self.history.write([line + self.history.tail for line in lines])
        tail = self.transitions.tail
        self.transitions.write([f"{pk}{tail}" for pk in ids])
