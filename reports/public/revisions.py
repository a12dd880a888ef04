"""The revision log of a release as the public page shows it: each changed
figure (old → new) per area and target row, with the audited changes behind
it. Who made a change is a role (the ministry, a province's officer, the
system); the snapshot holds no person's name, and neither does this."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.progress.display import number
from reports.progress.figures import NATION
from reports.progress.progress import Status

FIGURE_LABELS = {
    "value": gettext_lazy("Value"),
    "status": gettext_lazy("Status"),
    "numerator": gettext_lazy("Meeting the target"),
    "denominator": gettext_lazy("Active institutions"),
    "reporters": gettext_lazy("Reporting institutions"),
    "reporting_rate": gettext_lazy("Reporting rate (%)"),
    "on_time": gettext_lazy("Reports on time"),
    "on_time_rate": gettext_lazy("On-time rate (%)"),
    "panel": gettext_lazy("Like-for-like panel"),
    "base_total": gettext_lazy("Base-year total"),
    "year_total": gettext_lazy("Year total"),
}
WHAT_LABELS = {
    "report": gettext_lazy("annual report"),
    "institution": gettext_lazy("institution record"),
}


@dataclass
class AuditLine:
    when: datetime | None
    who: str
    what: str
    why: str


@dataclass
class ChangedRow:
    area: str
    area_name: str
    label: str
    target_year: int
    changes: list[tuple[str, str, str]]
    audit: list[AuditLine] = field(default_factory=list)
    # How many audited changes lie behind the row: the log keeps at most a
    # hundred of them (those with a reason first).
    audit_count: int = 0

    @property
    def audit_more(self) -> int:
        return max(self.audit_count - len(self.audit), 0)


def _figure_text(name: str, value) -> str:
    if value is None:
        return "–"
    if name == "status":
        return str(Status(value).label)
    if isinstance(value, (int, float)):
        return number(value, 0 if isinstance(value, int) else 1)
    try:
        return number(float(value))
    except (TypeError, ValueError):
        return str(value)


def who_text(who: str, province_names: dict[str, str]) -> str:
    """ "ministry" → the ministry, "province:01" → the officer of Hà Nội,
    anything else → the system."""
    if who == "ministry":
        return _("Ministry of Culture, Sports and Tourism")
    if who.startswith("province:"):
        code = who.removeprefix("province:")
        return _("officer of %(province)s") % {
            "province": province_names.get(code, code)
        }
    return _("system")


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return timezone.localtime(datetime.fromisoformat(text))
    except ValueError:
        return None


def _what_text(entry: dict) -> str:
    what = str(WHAT_LABELS.get(entry.get("what"), entry.get("what") or ""))
    parts = [what]
    if entry.get("category") in Category.values:
        parts.append(str(Category(entry["category"]).label))
    if entry.get("status") in ReportStatus.values:
        parts.append(str(ReportStatus(entry["status"]).label))
    return " · ".join(part for part in parts if part)


def revision_log(figures) -> list[ChangedRow]:
    """The changed rows of the release (empty for a year's first release)."""
    revisions = figures.snapshot.get("revisions") or {}
    names = figures.province_names
    labels = {(t.family, tuple(t.categories), t.year): t.label for t in figures.targets}
    audit = revisions.get("audit") or []
    rows = []
    for figure in revisions.get("figures") or []:
        area = figure["area"]
        key = (figure["family"], tuple(figure["categories"]), figure["target_year"])
        rows.append(
            ChangedRow(
                area=area,
                area_name=(
                    _("Whole country") if area == NATION else names.get(area, area)
                ),
                label=labels.get(key, figure["family"]),
                target_year=figure["target_year"],
                changes=[
                    (
                        str(FIGURE_LABELS.get(change["figure"], change["figure"])),
                        _figure_text(change["figure"], change["old"]),
                        _figure_text(change["figure"], change["new"]),
                    )
                    for change in figure["changes"]
                ],
                audit=[
                    AuditLine(
                        when=_when(audit[index].get("when")),
                        who=who_text(audit[index].get("who") or "", names),
                        what=_what_text(audit[index]),
                        why=audit[index].get("why") or "",
                    )
                    for index in figure.get("audit") or []
                    if 0 <= index < len(audit)
                ],
                audit_count=figure.get("audit_count", len(figure.get("audit") or [])),
            )
        )
    return rows
