"""The models of the reports app, defined by the sub-package that owns each:
annual reports and their review in :mod:`reports.entry.models`, the progress
counters in :mod:`reports.progress.models`. Django loads them from here."""

from reports.entry.models import (
    AnnualReport,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from reports.progress.models import InstitutionCount, PanelCount, ReportCount

__all__ = [
    "AnnualReport",
    "InstitutionCount",
    "PanelCount",
    "ReportCount",
    "ReportStatus",
    "ReportTransition",
    "SheetReturn",
]
