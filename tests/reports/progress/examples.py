"""The worked example of metrics.md as figures held in memory: district
libraries of Hà Nội (01), 2022 to 2024, without a database. Province 79 has
its own libraries; province 48 has none."""

from decimal import Decimal

from reports.progress.figures import NATION, ProgressFigures
from targets.indicators import Kind
from targets.models import Target

DISTRICT = "library_district"
COMMUNE = "library_commune"


def share_target(category=DISTRICT, year=2025, threshold=70) -> Target:
    return Target(
        family="library_lll_services",
        kind=Kind.SHARE,
        criteria=["lll_services"],
        categories=[category],
        baseline_year=2022,
        year=year,
        threshold=Decimal(threshold),
    )


def growth_target(year=2025, threshold=10, upper=None) -> Target:
    return Target(
        family="museum_study_visits",
        kind=Kind.GROWTH,
        criteria=["study_visits"],
        categories=["museum"],
        baseline_year=2022,
        year=year,
        threshold=Decimal(threshold),
        upper=None if upper is None else Decimal(upper),
    )


def worked_targets() -> list[Target]:
    return [
        share_target(DISTRICT, 2025, 70),
        share_target(DISTRICT, 2030, 90),
        share_target(COMMUNE, 2025, 40),
    ]


# Per province and year: (active, reporting, meeting every criterion).
DISTRICT_COUNTS = {
    "01": {2022: (10, 10, 4), 2023: (12, 0, 0), 2024: (12, 10, 7)},
    "79": {2022: (10, 10, 9), 2023: (10, 0, 0), 2024: (10, 10, 10)},
}
# Commune libraries of Hà Nội: no report in 2024, so no pace can be measured.
COMMUNE_COUNTS = {"01": {2022: (5, 5, 1), 2023: (5, 0, 0), 2024: (5, 0, 0)}}


def worked_figures(year=2024, targets=None) -> ProgressFigures:
    """The counts that the counters would hold, loaded into figures."""
    targets = worked_targets() if targets is None else targets
    figures = ProgressFigures(
        year=year,
        targets=targets,
        years=[2022, 2023, 2024],
        province_code=None,
        approved_only=False,
    )
    criteria = ("lll_services",)
    for category, counts in ((DISTRICT, DISTRICT_COUNTS), (COMMUNE, COMMUNE_COUNTS)):
        for province, years in counts.items():
            for data_year, (active, reporting, meeting) in years.items():
                for area in (province, NATION):
                    figures.active[area, category, data_year] += active
                    figures.reporters[area, category, data_year] += reporting
                    figures.meeting[area, category, data_year, criteria] += meeting
    return figures
