"""The counts behind every figure of programme/metrics.md, read with aggregates.

The database does the counting. For a data year, an area and the approved-only
filter, :func:`progress_figures_load` runs a fixed number of grouped queries
(targets; active institutions; the years with a reporting period; counted
reports, on time or not; the like-for-like panels of the growth targets) over
the progress counters of :mod:`reports.progress.counters`, which hold those
counts per province, category and year and are updated in the transaction of
every write: a page reads a few thousand counter rows, not the reports,
whatever the number of institutions, reports, provinces or years.
Each target row and area is summed from those groups in Python. The counts then go
to :mod:`reports.progress.progress`, the one place where the rules of metrics.md are
applied, for values and statuses.

Nothing is cached and nothing is rebuilt in batch: every call reads counters
that were committed with the data, so a saved, approved or imported report
shows on the next page load.

Entry points for other modules (the dashboards, the JSON API, the PDF report,
the commands):

- :func:`progress_rows` — the rows of ``manage.py progress --format json``;
- :func:`progress_figures_load` — the loaded counts, for richer views.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from django.db.models import (
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
)

from institutions.activity import active_q
from reports.entry.models import COUNTED_STATUSES, ReportStatus
from reports.periods.models import ReportingPeriod
from reports.progress.counters import (
    COUNT_FIELDS,
    criteria_mask,
    panel_counts,
    panel_pairs,
)
from reports.progress.models import InstitutionCount, PanelCount, ReportCount
from reports.progress.progress import (
    GrowthFigures,
    Progress,
    ShareFigures,
    Status,
    growth_figures,
    progress_row,
    round1,
    share_figures,
    target_progress,
)
from targets.indicators import Kind
from targets.models import Target
from targets.selectors import target_list

NATION = "VN"

type Figures = ShareFigures | GrowthFigures


def counted_statuses(*, approved_only: bool) -> list[str]:
    """The report statuses that count: submitted and approved, or approved only."""
    if approved_only:
        return [ReportStatus.APPROVED]
    return list(COUNTED_STATUSES)


def figure_years(*, year: int, targets: Iterable[Target]) -> list[int]:
    """The data years whose counts are needed to evaluate ``year``: from the
    earliest baseline year to ``year`` (statuses need the series), but not
    beyond the last target year, after which a row keeps its verdict."""
    targets = list(targets)
    if not targets:
        return [year]
    first = min(target.baseline_year for target in targets)
    last = max(target.year for target in targets)
    if year < first:
        return [year]
    return sorted({*range(first, min(year, last) + 1), year})


def _criteria_key(target: Target) -> tuple[str, ...]:
    return tuple(sorted(target.criteria))


@dataclass(frozen=True)
class Timeliness:
    """The timeliness of an area's reports for a year (DHIS2's "reporting
    rate on time"): of the ``active`` institutions, how many reported
    (``reporters``) and how many first submitted their report by their
    province's due date (``on_time``; ``None`` when the year has no reporting
    period, so no due date)."""

    active: int
    reporters: int
    on_time: int | None

    @property
    def reporting_rate(self) -> Fraction | None:
        return Fraction(100 * self.reporters, self.active) if self.active else None

    @property
    def on_time_rate(self) -> Fraction | None:
        """100 · on time / active, unrounded: the reporting rate's
        denominator, so the two read side by side."""
        if self.on_time is None or not self.active:
            return None
        return Fraction(100 * self.on_time, self.active)

    def keys(self) -> dict:
        """``on_time`` and ``on_time_rate`` of the progress object (the rate
        rounded half up to one decimal, as the reporting rate)."""
        rate = round1(self.on_time_rate)
        return {
            "on_time": self.on_time,
            "on_time_rate": None if rate is None else float(rate),
        }


@dataclass(frozen=True)
class Evaluation:
    """A target row in a data year and an area: its figures, and its status
    with what explains it.

    ``evaluated_year`` is the year the status refers to: the data year, or
    the target year once that has passed (a 2025 row keeps the verdict of its
    2025 data). A year before the baseline year has no status (``no_data``).
    """

    target: Target
    area: str
    year: int
    evaluated_year: int
    figures: Figures
    progress: Progress
    # Share rows only, beside their reporting rate.
    timeliness: Timeliness | None = None

    @property
    def status(self) -> Status:
        return self.progress.status

    @property
    def value(self):
        return self.figures.value

    def row(self) -> dict:
        """The row of the ``progress`` command's JSON output; a share row has
        ``on_time`` and ``on_time_rate`` after its ``reporting_rate``."""
        target = self.target
        row = progress_row(
            family=target.family,
            categories=target.categories,
            kind=target.kind,
            year=target.year,
            threshold=target.threshold,
            upper=target.upper,
            figures=self.figures,
            status=self.progress.status,
        )
        if self.timeliness is None:
            return row
        items = list(row.items())
        at = list(row).index("reporting_rate") + 1
        return dict([*items[:at], *self.timeliness.keys().items(), *items[at:]])


class ProgressFigures:
    """Counts of institutions and reports by area, category and year, loaded
    by :func:`progress_figures_load`, and the figures and statuses of every
    target row computed from them."""

    def __init__(
        self,
        *,
        year: int,
        targets: list[Target],
        years: list[int],
        province_code: str | None,
        approved_only: bool,
        stored_targets: bool = False,
    ):
        self.year = year
        self.targets = targets
        self.years = years
        self.province_code = province_code
        self.approved_only = approved_only
        self.stored_targets = stored_targets
        self.active: dict[tuple, int] = defaultdict(int)
        self.reporters: dict[tuple, int] = defaultdict(int)
        self.on_time: dict[tuple, int] = defaultdict(int)
        # The loaded years that have a reporting period (the others have no
        # due date, so no timeliness).
        self.period_years: set[int] = set()
        self.meeting: dict[tuple, int] = defaultdict(int)
        self.totals: dict[tuple, int] = defaultdict(int)
        self.given: dict[tuple, int] = defaultdict(int)
        self.panel: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        self._figures: dict[tuple, Figures] = {}

    # Loading -------------------------------------------------------------------

    def _areas(self, province: str) -> tuple[str, ...]:
        return (province,) if self.province_code else (province, NATION)

    def _counts(self, model):
        counts = model.objects.order_by()
        if self.province_code:
            counts = counts.filter(province_id=self.province_code)
        return counts

    def _load_active(self) -> None:
        # Every institution, reported or not: it is the denominator.
        rows = (
            self._counts(InstitutionCount)
            .values("province_id", "category")
            .annotate(
                **{
                    f"active_{year}": Sum("institutions", filter=active_q(year))
                    for year in self.years
                }
            )
        )
        for row in rows:
            for area in self._areas(row["province_id"]):
                for year in self.years:
                    active = row[f"active_{year}"] or 0
                    self.active[area, row["category"], year] += active

    def _load_reports(self, criteria_sets: list[tuple[str, ...]]) -> None:
        # A report counts towards the share only if its institution is active
        # in the report's year (reporters are "those of D").
        counts = self._counts(ReportCount).filter(
            year__in=self.years,
            status__in=counted_statuses(approved_only=self.approved_only),
        )
        annotations = {
            "reporters": Sum("reports", filter=Q(active=True)),
            "on_time": Sum("reports", filter=Q(active=True, on_time=True)),
        }
        for index, criteria in enumerate(criteria_sets):
            mask = criteria_mask(criteria)
            counts = counts.alias(
                **{
                    f"met_{index}": ExpressionWrapper(
                        F("criteria").bitand(mask), output_field=IntegerField()
                    )
                }
            )
            annotations[f"meeting_{index}"] = Sum(
                "reports", filter=Q(active=True, **{f"met_{index}": mask})
            )
        for field in COUNT_FIELDS:
            annotations[f"total_{field}"] = Sum(f"{field}_total")
            annotations[f"given_{field}"] = Sum(f"{field}_given")
        rows = counts.values("province_id", "category", "year").annotate(**annotations)
        for row in rows:
            category, year = row["category"], row["year"]
            for area in self._areas(row["province_id"]):
                self.reporters[area, category, year] += row["reporters"] or 0
                self.on_time[area, category, year] += row["on_time"] or 0
                for index, criteria in enumerate(criteria_sets):
                    self.meeting[area, category, year, criteria] += (
                        row[f"meeting_{index}"] or 0
                    )
                for field in COUNT_FIELDS:
                    self.totals[area, category, year, field] += (
                        row[f"total_{field}"] or 0
                    )
                    self.given[area, category, year, field] += (
                        row[f"given_{field}"] or 0
                    )

    def _load_panels(self, pairs: list[tuple[str, int]], kept: bool) -> None:
        years = [year for year in self.years if year > min(b for _f, b in pairs)]
        if not years:
            return
        statuses = counted_statuses(approved_only=self.approved_only)
        if kept:
            which = Q()
            for field, base_year in pairs:
                which |= Q(field=field, base_year=base_year)
            rows = (
                self._counts(PanelCount)
                .filter(which)
                .filter(year__in=years, status__in=statuses, base_status__in=statuses)
                .values("province_id", "category", "year", "field", "base_year")
                .annotate(
                    panel_sum=Sum("panel"),
                    base_sum=Sum("base_total"),
                    year_sum=Sum("year_total"),
                )
            )
        else:
            # Growth rows whose panels the counters do not keep (target rows
            # not stored, as in a test): count those panels now.
            scope = [(self.province_code, None)] if self.province_code else None
            rows = [
                {
                    "province_id": count.province_id,
                    "category": count.category,
                    "year": count.year,
                    "field": count.field,
                    "base_year": count.base_year,
                    "panel_sum": count.panel,
                    "base_sum": count.base_total,
                    "year_sum": count.year_total,
                }
                for count in panel_counts(scope, pairs)
                if count.year in years
                and count.status in statuses
                and count.base_status in statuses
            ]
        for row in rows:
            pair = (row["field"], row["base_year"])
            for area in self._areas(row["province_id"]):
                panel = self.panel[area, row["category"], row["year"], *pair]
                panel[0] += row["panel_sum"] or 0
                panel[1] += row["base_sum"] or 0
                panel[2] += row["year_sum"] or 0

    def _load_periods(self) -> None:
        self.period_years = set(
            ReportingPeriod.objects.filter(year__in=self.years).values_list(
                "year", flat=True
            )
        )

    def load(self) -> "ProgressFigures":
        shares = [t for t in self.targets if t.kind == Kind.SHARE]
        growths = [t for t in self.targets if t.kind == Kind.GROWTH]
        self._load_active()
        self._load_periods()
        self._load_reports(sorted({_criteria_key(t) for t in shares}))
        if growths:
            pairs = sorted({(t.count_field, t.baseline_year) for t in growths})
            kept = self.stored_targets or set(pairs) <= set(panel_pairs())
            self._load_panels(pairs, kept)
        return self

    # Figures -------------------------------------------------------------------

    @cached_property
    def areas(self) -> list[str]:
        """The areas with figures: the one province, or the nation and every
        province that has institutions."""
        if self.province_code:
            return [self.province_code]
        provinces = {area for area, _c, _y in self.active if area != NATION}
        return [NATION, *sorted(provinces)]

    def figures(self, target: Target, area: str, year: int) -> Figures:
        """The share or growth figures of ``target`` in ``area`` and ``year``."""
        categories = tuple(target.categories)
        if target.kind == Kind.SHARE:
            key = (Kind.SHARE, categories, _criteria_key(target), area, year)
        else:
            key = (Kind.GROWTH, categories, target.count_field, target.baseline_year)
            key += (area, year)
        if key not in self._figures:
            if target.kind == Kind.SHARE:
                self._figures[key] = self._share(target, area, year)
            else:
                self._figures[key] = self._growth(target, area, year)
        return self._figures[key]

    def _share(self, target: Target, area: str, year: int) -> ShareFigures:
        criteria = _criteria_key(target)
        categories = target.categories
        return share_figures(
            denominator=sum(self.active[area, c, year] for c in categories),
            reporters=sum(self.reporters[area, c, year] for c in categories),
            numerator=sum(self.meeting[area, c, year, criteria] for c in categories),
        )

    def timeliness(
        self,
        area: str,
        categories: Iterable[str] | None = None,
        year: int | None = None,
    ) -> Timeliness:
        """The timeliness of ``area``'s reports of ``categories`` (by default
        every category) in ``year`` (by default the loaded year)."""
        year = self.year if year is None else year
        if categories is None:
            categories = {c for a, c, y in self.active if a == area and y == year}
        categories = list(categories)
        return Timeliness(
            active=sum(self.active[area, c, year] for c in categories),
            reporters=sum(self.reporters[area, c, year] for c in categories),
            on_time=(
                sum(self.on_time[area, c, year] for c in categories)
                if year in self.period_years
                else None
            ),
        )

    def _growth(self, target: Target, area: str, year: int) -> GrowthFigures:
        base_year = target.baseline_year
        if year <= base_year:
            # No like-for-like comparison in or before the base year.
            return GrowthFigures(
                panel=0,
                base_total=0,
                year_total=0,
                base_year=base_year,
                year=year,
                value=None,
            )
        panel, base_total, year_total = 0, 0, 0
        for category in target.categories:
            counts = self.panel[area, category, year, target.count_field, base_year]
            panel += counts[0]
            base_total += counts[1]
            year_total += counts[2]
        return growth_figures(
            panel=panel,
            base_total=base_total,
            year_total=year_total,
            base_year=base_year,
            year=year,
        )

    def evaluate(self, target: Target, area: str, year: int | None = None):
        """The figures and status of ``target`` in ``area`` for ``year`` (by
        default the loaded year)."""
        year = self.year if year is None else year
        figures = self.figures(target, area, year)
        timeliness = (
            self.timeliness(area, target.categories, year)
            if target.kind == Kind.SHARE
            else None
        )
        if year < target.baseline_year:
            return Evaluation(
                target,
                area,
                year,
                year,
                figures,
                Progress(Status.NO_DATA),
                timeliness,
            )
        evaluated = min(year, target.year)
        values = {
            y: self.figures(target, area, y).value
            for y in range(target.baseline_year, evaluated + 1)
        }
        progress = target_progress(
            kind=target.kind,
            threshold=target.threshold,
            target_year=target.year,
            baseline_year=target.baseline_year,
            year=evaluated,
            values=values,
        )
        return Evaluation(target, area, year, evaluated, figures, progress, timeliness)

    def evaluations(self, area: str) -> list[Evaluation]:
        """Every target row in ``area`` for the loaded year, in targets order."""
        return [self.evaluate(target, area) for target in self.targets]

    def series(self, target: Target, area: str) -> list[tuple[int, Figures]]:
        """The figures of ``target`` in ``area`` for each loaded year from its
        baseline year (or the loaded year, if earlier) to the loaded year."""
        start = min(target.baseline_year, self.year)
        return [
            (year, self.figures(target, area, year))
            for year in self.years
            if start <= year <= self.year
        ]

    def count_totals(
        self, field: str, categories: Iterable[str], area: str
    ) -> dict[int, tuple[int, int]]:
        """Plain totals of count ``field`` over every counted report of the
        ``categories`` in ``area``, per loaded year: (total, reports giving
        it)."""
        categories = list(categories)
        return {
            year: (
                sum(self.totals[area, c, year, field] for c in categories),
                sum(self.given[area, c, year, field] for c in categories),
            )
            for year in self.years
        }


def progress_figures_load(
    *,
    year: int,
    province_code: str | None = None,
    approved_only: bool = False,
    targets: list[Target] | None = None,
) -> ProgressFigures:
    """Loads the counts for ``year`` (and the years its statuses need), for
    every province and the nation, or for one current province.

    Reads the progress counters (:mod:`reports.progress.counters`), never the reports
    themselves: at most five small queries (targets, institutions, the years
    with a reporting period, reports, panels), whatever the data size.
    ``targets`` defaults to every target row, in targets.csv order.
    """
    stored = targets is None
    targets = list(target_list()) if stored else list(targets)
    return ProgressFigures(
        year=year,
        targets=targets,
        years=figure_years(year=year, targets=targets),
        province_code=province_code,
        approved_only=approved_only,
        stored_targets=stored,
    ).load()


def progress_rows(
    *, year: int, province_code: str | None = None, approved_only: bool = False
) -> list[dict]:
    """The rows of ``manage.py progress --format json`` for ``year`` and the
    nation (``province_code=None``) or one current province: one dict per
    target row, in targets.csv order, with the keys of
    :func:`reports.progress.progress.progress_row`."""
    figures = progress_figures_load(
        year=year, province_code=province_code, approved_only=approved_only
    )
    area = province_code or NATION
    return [evaluation.row() for evaluation in figures.evaluations(area)]
