"""The dashboards: the national overview, trends, the provinces compared, one
province's page with its follow-up list, and every dashboard table as CSV or
XLSX.

Every user who is logged in sees the nation; a provincial officer lands on
their province and may not see another one. :mod:`.display` formats figures
and statuses and builds the cards, :mod:`.tables` the tables and maps,
:mod:`.views` the pages and downloads.
"""

from .display import (
    StatusView,
    cards_build,
    explanation,
    headline_index,
    number,
    target_groups,
    threshold_text,
)
from .views import (
    DashboardExportView,
    NationalDashboardView,
    ProvinceDashboardView,
    ProvincesView,
    TrendsView,
    dashboard_years,
    default_year,
)

__all__ = [
    "DashboardExportView",
    "NationalDashboardView",
    "ProvinceDashboardView",
    "ProvincesView",
    "StatusView",
    "TrendsView",
    "cards_build",
    "dashboard_years",
    "default_year",
    "explanation",
    "headline_index",
    "number",
    "target_groups",
    "threshold_text",
]

# The national PDF imported this helper under its former private name.
_threshold_text = threshold_text
