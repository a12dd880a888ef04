"""The models of the reports app, defined by the sub-package that owns each:
annual reports and their review in :mod:`reports.entry.models`, the progress
counters in :mod:`reports.progress.models`, reporting periods in
:mod:`reports.periods.models`, notices in :mod:`reports.notices.models`,
official releases in :mod:`reports.releases.models`.
Django loads them from here."""

from reports.entry.models import (
    AnnualReport,
    ReportComment,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from reports.notices.models import Notice, NoticeSettings, ReminderSent
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.progress.models import InstitutionCount, PanelCount, ReportCount
from reports.releases.models import Release

__all__ = [
    "AnnualReport",
    "InstitutionCount",
    "Notice",
    "NoticeSettings",
    "PanelCount",
    "PeriodExtension",
    "Release",
    "ReminderSent",
    "ReportComment",
    "ReportCount",
    "ReportStatus",
    "ReportTransition",
    "ReportingPeriod",
    "SheetReturn",
]
