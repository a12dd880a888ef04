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

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from django.core.cache import cache
from django.db import connections
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
from reports.progress.models import (
    CountVersion,
    InstitutionCount,
    PanelCount,
    ReportCount,
)
from reports.progress.progress import (
    GrowthFigures,
    Progress,
    ShareFigures,
    Status,
    exact,
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


def _plain_rows(queryset) -> list[tuple]:
    """The rows of ``queryset`` as the database driver returns them, without
    the ORM's conversion of each value (a third of a national page's load)."""
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The grouped counter rows of each province are kept in the cache under the
# province's counter version (CountVersion, bumped by every write of its
# data): after a save, a national page queries that one province's rows
# again and takes the 33 others from the cache.
ROWS_CACHE_SECONDS = 3600


def _province_rows(kind: str, queryset, params, versions: dict) -> list[tuple]:
    """The rows of ``queryset`` (grouped, the province's code first), each
    province's from the cache when they were read at its current counter
    version (``versions``: code → version), the others read at once (and
    kept). ``kind`` and ``params`` name what the query asks (its years,
    statuses, criteria)."""
    digest = hashlib.sha256(repr((kind, params)).encode()).hexdigest()[:24]
    keys = {
        code: f"counts:{digest}:{code}:{version}" for code, version in versions.items()
    }
    found = cache.get_many(list(keys.values()))
    cached = [code for code, key in keys.items() if key in found]
    rows = [row for code in cached for row in found[keys[code]]]
    # A province without a version yet is read every time.
    fresh = _plain_rows(queryset.exclude(province_id__in=cached))
    by_province = defaultdict(list)
    for row in fresh:
        by_province[row[0]].append(row)
    cache.set_many(
        {keys[code]: by_province.get(code, []) for code in keys.keys() - set(cached)},
        ROWS_CACHE_SECONDS,
    )
    return rows + fresh


@dataclass(frozen=True)
class _Row:
    """What the figures of a target row depend on, worked out once a load."""

    target: Target
    categories: tuple[str, ...]
    criteria: tuple[str, ...]
    threshold: Fraction
    # Rows with the same figures (the 2025 and 2030 rows of a group) share them.
    figures_key: tuple

    @classmethod
    def of(cls, target: Target) -> "_Row":
        categories = tuple(target.categories)
        criteria = _criteria_key(target)
        if target.kind == Kind.SHARE:
            figures_key = (Kind.SHARE, categories, criteria)
        else:
            figures_key = (
                Kind.GROWTH,
                categories,
                target.count_field,
                target.baseline_year,
            )
        return cls(
            target=target,
            categories=categories,
            criteria=criteria,
            threshold=exact(target.threshold),
            figures_key=figures_key,
        )


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
        # Within one load (one page): the figures of each group of rows, area
        # and year, and the evaluation of each row, area and year, computed
        # once however many tables, cards and maps show them.
        self._figures: dict[tuple, Figures] = {}
        self._evaluations: dict[tuple, Evaluation] = {}
        self._rows: dict[int, _Row] = {}
        # The provinces' counter versions, read once a national load.
        self.versions: dict[str, int] | None = None

    # Loading -------------------------------------------------------------------

    def _areas(self, province: str) -> tuple[str, ...]:
        return (province,) if self.province_code else (province, NATION)

    def _counts(self, model):
        counts = model.objects.order_by()
        if self.province_code:
            counts = counts.filter(province_id=self.province_code)
        return counts

    def _grouped_rows(self, kind: str, queryset, params) -> list[tuple]:
        """The rows of a grouped counter query: a province's page reads its
        own few; the nation's come per province from the cache
        (:func:`_province_rows`)."""
        if self.province_code:
            return _plain_rows(queryset)
        if self.versions is None:
            self.versions = dict(
                CountVersion.objects.using(queryset.db).values_list(
                    "province_id", "version"
                )
            )
        return _province_rows(kind, queryset, params, self.versions)

    def _load_active(self) -> None:
        # Every institution, reported or not: it is the denominator.
        years = self.years
        queryset = (
            self._counts(InstitutionCount)
            .values("province_id", "category")
            .annotate(
                **{
                    f"active_{year}": Sum("institutions", filter=active_q(year))
                    for year in years
                }
            )
            .values_list("province_id", "category", *[f"active_{y}" for y in years])
        )
        for province, category, *counts in self._grouped_rows(
            "active", queryset, years
        ):
            for area in self._areas(province):
                for year, count in zip(years, counts, strict=True):
                    self.active[area, category, year] += int(count or 0)

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
        queryset = (
            counts.values("province_id", "category", "year")
            .annotate(**annotations)
            .values_list("province_id", "category", "year", *annotations)
        )
        # A national page reads a few thousand grouped rows: as plain tuples
        # (the sums of big integers come as decimals from PostgreSQL), each
        # stored once for its province, the nation added up per category
        # and year.
        nation: dict[tuple, list[int]] = {}
        params = (self.years, self.approved_only, criteria_sets)
        for province, category, year, *sums in self._grouped_rows(
            "reports", queryset, params
        ):
            sums = [int(value or 0) for value in sums]
            self._store_reports(province, category, year, sums, criteria_sets)
            if not self.province_code:
                added = nation.get((category, year))
                nation[category, year] = (
                    sums
                    if added is None
                    else [a + b for a, b in zip(added, sums, strict=True)]
                )
        for (category, year), sums in nation.items():
            self._store_reports(NATION, category, year, sums, criteria_sets)

    def _store_reports(self, area, category, year, sums, criteria_sets) -> None:
        key = (area, category, year)
        self.reporters[key] += sums[0]
        self.on_time[key] += sums[1]
        for criteria, count in zip(criteria_sets, sums[2:], strict=False):
            if count:
                self.meeting[*key, criteria] += count
        counted = sums[2 + len(criteria_sets) :]
        for index, field in enumerate(COUNT_FIELDS):
            if counted[2 * index]:
                self.totals[*key, field] += counted[2 * index]
            if counted[2 * index + 1]:
                self.given[*key, field] += counted[2 * index + 1]

    def _load_panels(self, pairs: list[tuple[str, int]], kept: bool) -> None:
        years = [year for year in self.years if year > min(b for _f, b in pairs)]
        if not years:
            return
        statuses = counted_statuses(approved_only=self.approved_only)
        if kept:
            which = Q()
            for field, base_year in pairs:
                which |= Q(field=field, base_year=base_year)
            rows = self._grouped_rows(
                "panels",
                self._counts(PanelCount)
                .filter(which)
                .filter(year__in=years, status__in=statuses, base_status__in=statuses)
                .values("province_id", "category", "year", "field", "base_year")
                .annotate(
                    panel_sum=Sum("panel"),
                    base_sum=Sum("base_total"),
                    year_sum=Sum("year_total"),
                )
                .values_list(
                    "province_id",
                    "category",
                    "year",
                    "field",
                    "base_year",
                    "panel_sum",
                    "base_sum",
                    "year_sum",
                ),
                (years, statuses, pairs),
            )
        else:
            # Growth rows whose panels the counters do not keep (target rows
            # not stored, as in a test): count those panels now.
            scope = [(self.province_code, None)] if self.province_code else None
            rows = [
                (
                    count.province_id,
                    count.category,
                    count.year,
                    count.field,
                    count.base_year,
                    count.panel,
                    count.base_total,
                    count.year_total,
                )
                for count in panel_counts(scope, pairs)
                if count.year in years
                and count.status in statuses
                and count.base_status in statuses
            ]
        for province, category, year, field, base_year, *sums in rows:
            panel_sum, base_sum, year_sum = (int(value or 0) for value in sums)
            for area in self._areas(province):
                panel = self.panel[area, category, year, field, base_year]
                panel[0] += panel_sum
                panel[1] += base_sum
                panel[2] += year_sum

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

    def _row(self, target: Target) -> "_Row":
        # Keyed by identity: target rows of a test are not saved, so have no pk.
        row = self._rows.get(id(target))
        if row is None:
            row = self._rows[id(target)] = _Row.of(target)
        return row

    def figures(self, target: Target, area: str, year: int) -> Figures:
        """The share or growth figures of ``target`` in ``area`` and ``year``."""
        return self._figures_of(self._row(target), area, year)

    def _figures_of(self, row: "_Row", area: str, year: int) -> Figures:
        key = (row.figures_key, area, year)
        figures = self._figures.get(key)
        if figures is None:
            if row.target.kind == Kind.SHARE:
                figures = self._share(row, area, year)
            else:
                figures = self._growth(row.target, area, year)
            self._figures[key] = figures
        return figures

    def _share(self, row: "_Row", area: str, year: int) -> ShareFigures:
        active, reporters, meeting = self.active, self.reporters, self.meeting
        denominator = reporting = numerator = 0
        for category in row.categories:
            denominator += active.get((area, category, year), 0)
            reporting += reporters.get((area, category, year), 0)
            numerator += meeting.get((area, category, year, row.criteria), 0)
        return share_figures(
            denominator=denominator, reporters=reporting, numerator=numerator
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
        default the loaded year), evaluated once per load."""
        year = self.year if year is None else year
        key = (id(target), area, year)
        evaluation = self._evaluations.get(key)
        if evaluation is None or evaluation.target is not target:
            evaluation = self._evaluations[key] = self._evaluate(target, area, year)
        return evaluation

    def _evaluate(self, target: Target, area: str, year: int) -> Evaluation:
        row = self._row(target)
        figures = self._figures_of(row, area, year)
        timeliness = None
        if target.kind == Kind.SHARE:
            # The share's denominator and reporters are the timeliness's.
            on_time = None
            if year in self.period_years:
                on_time = sum(
                    self.on_time.get((area, category, year), 0)
                    for category in row.categories
                )
            timeliness = Timeliness(figures.denominator, figures.reporters, on_time)
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
        # The status reads x_R and, for a share, the first value since the
        # baseline year (where its pace is measured from); a growth rate
        # already runs from its base year. Other years are not worked out.
        values = {evaluated: self._figures_of(row, area, evaluated).value}
        if target.kind == Kind.SHARE:
            for earlier in range(target.baseline_year, evaluated):
                value = self._figures_of(row, area, earlier).value
                if value is not None:
                    values[earlier] = value
                    break
        progress = target_progress(
            kind=target.kind,
            threshold=row.threshold,
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
