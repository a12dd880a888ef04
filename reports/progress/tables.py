"""The dashboards' tables, shown on the pages and downloaded: every target
row of an area, the trends of each family, the provinces compared and where
the provinces stand on the map. The follow-up list of a province is
:mod:`reports.progress.follow_up`."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from institutions.models import Province
from reports.progress import charts, maps
from reports.progress.display import (
    as_float,
    explanation,
    headline_index,
    number,
    target_groups,
    threshold_text,
)
from reports.progress.figures import Evaluation, ProgressFigures
from reports.progress.progress import GrowthFigures, ShareFigures, Status
from reports.progress.statuses import GOOD_STATUSES, StatusView
from targets.indicators import REPORT_FIELDS, Kind
from targets.models import FAMILY_LABELS, Target


@dataclass
class Table:
    """A dashboard table: translated column names and rows of plain values."""

    name: str
    columns: list[str]
    # A list, or for a download that may be long, an iterator.
    rows: Iterable[list] = field(default_factory=list)
    # Columns shown without digit grouping: years and codes.
    plain: set[int] = field(default_factory=set)

    def cells(self) -> list[SafeString]:
        """Each row's cells as HTML, as a page shows them: numbers in the
        active language and aligned right (plain columns without digit
        grouping), "–" for no value, text escaped. Written here rather than
        by the template, which spent a third of a cold national page on it."""
        return [
            mark_safe(
                "".join(self._cell(index, value) for index, value in enumerate(row))
            )
            for row in self.rows
        ]

    def _cell(self, index: int, value) -> str:
        if value is None:
            return "<td>–</td>"
        if hasattr(value, "__html__"):
            return f"<td>{value.__html__()}</td>"
        if isinstance(value, str | Promise):
            return f"<td>{escape(str(value))}</td>"
        text = localize(value, use_l10n=False if index in self.plain else None)
        return f'<td class="text-end">{escape(str(text))}</td>'


def _figure_cells(evaluation: Evaluation) -> list:
    figures = evaluation.figures
    if isinstance(figures, ShareFigures):
        timeliness = evaluation.timeliness
        return [
            figures.numerator,
            figures.denominator,
            figures.reporters,
            as_float(figures.reporting_rate),
            timeliness.on_time if timeliness else None,
            as_float(timeliness.on_time_rate) if timeliness else None,
            as_float(figures.share_among_reporters),
            None,
            None,
            None,
        ]
    return [
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        figures.panel,
        figures.base_total,
        figures.year_total,
    ]


def _figure_columns() -> list[str]:
    return [
        _("Meeting every criterion"),
        _("Active institutions"),
        _("Reporting"),
        _("Reporting rate (%)"),
        _("On time"),
        _("On-time rate (%)"),
        _("Share among reporters (%)"),
        _("Like-for-like panel"),
        _("Base-year total"),
        _("Year total"),
    ]


def overview_table(evaluations: list[Evaluation]) -> Table:
    """Every target row of an area with its value, status and figures."""
    table = Table(
        name="overview",
        columns=[
            _("Target"),
            _("Target year"),
            _("Threshold"),
            _("Value"),
            _("Status"),
            *_figure_columns(),
            _("Explanation"),
        ],
        plain={1},
    )
    for evaluation in evaluations:
        target = evaluation.target
        table.rows.append(
            [
                target.label,
                target.year,
                threshold_text(target),
                as_float(evaluation.value),
                str(Status(evaluation.status).label),
                *_figure_cells(evaluation),
                explanation(evaluation),
            ]
        )
    return table


@dataclass
class TrendSection:
    """One family on the trends page: its chart and the table behind it."""

    key: str
    label: str
    kind: str
    chart: dict
    table: Table


def _required_path(evaluation: Evaluation, series, group: list[Target]):
    progress = evaluation.progress
    if progress.base_year_used is not None:
        start = (progress.base_year_used, as_float(progress.base_value))
    else:
        start = next(
            ((year, as_float(f.value)) for year, f in series if f.value is not None),
            None,
        )
    if start is None:
        return []
    path = [start]
    path += [(t.year, float(t.threshold)) for t in group if t.year > start[0]]
    return path


def trend_sections(figures: ProgressFigures, area: str) -> list[TrendSection]:
    """Per family: the yearly values of each group with thresholds and
    required path; for visits, the plain totals and the like-for-like
    growth against the target band."""
    families: dict[str, list[list[Target]]] = defaultdict(list)
    for group in target_groups(figures.targets):
        families[group[0].family].append(group)
    first = min(t.baseline_year for t in figures.targets)
    last = max(max(t.year for t in figures.targets), figures.year)
    sections = []
    for family, groups in families.items():
        label = str(FAMILY_LABELS.get(family, family))
        if groups[0][0].kind == Kind.SHARE:
            sections.append(
                _share_section(figures, area, family, label, groups, first, last)
            )
        else:
            sections.extend(
                _growth_section(figures, area, family, label, group, first, last)
                for group in groups
            )
    return sections


def _share_section(figures, area, family, label, groups, first, last) -> TrendSection:
    lines = []
    table = Table(
        name="trends",
        columns=[_("Year"), *[_group_name(group) for group in groups]],
        plain={0},
    )
    by_year: dict[int, list] = defaultdict(lambda: [None] * len(groups))
    for index, group in enumerate(groups):
        series = figures.series(group[0], area)
        evaluation = figures.evaluate(group[0], area)
        lines.append(
            charts.TrendLine(
                name=_group_name(group),
                points=[(year, as_float(f.value)) for year, f in series],
                thresholds=[(t.year, float(t.threshold)) for t in group],
                path=_required_path(evaluation, series, group),
            )
        )
        for year, f in series:
            by_year[year][index] = as_float(f.value)
    table.rows = [[year, *values] for year, values in sorted(by_year.items())]
    return TrendSection(
        key=slugify(family),
        label=label,
        kind=Kind.SHARE,
        chart=charts.share_trend_chart(lines, first=first, last=last),
        table=table,
    )


def _group_name(group: list[Target]) -> str:
    return group[0].categories_display


def _growth_section(figures, area, family, label, group, first, last) -> TrendSection:
    target = group[0]
    field_name = target.count_field
    totals = figures.count_totals(field_name, target.categories, area)
    series = dict(figures.series(target, area))
    years = sorted(y for y in totals if y <= figures.year)
    upper = next((t.upper for t in group if t.upper is not None), None)
    table = Table(
        name="trends",
        columns=[
            _("Year"),
            _("Total over every counted report"),
            _("Reports giving it"),
            _("Like-for-like panel"),
            _("Base-year total"),
            _("Year total"),
            _("Average yearly growth (%)"),
        ],
        plain={0},
    )
    growth = []
    for year in years:
        f: GrowthFigures = series.get(year)
        value = as_float(f.value) if f is not None else None
        if year > target.baseline_year:
            growth.append((year, value))
        table.rows.append(
            [
                year,
                totals[year][0],
                totals[year][1],
                f.panel if f else None,
                f.base_total if f else None,
                f.year_total if f else None,
                value,
            ]
        )
    chart = charts.growth_trend_chart(
        totals=[(year, totals[year][0]) for year in years],
        growth=growth,
        threshold=float(target.threshold),
        upper=float(upper) if upper is not None else None,
        first=first,
        last=last,
        totals_name=str(REPORT_FIELDS[field_name]),
        band_label=_("Target: %(band)s") % {"band": threshold_text(group[-1])},
    )
    return TrendSection(
        key=slugify(family),
        label=label,
        kind=Kind.GROWTH,
        chart=chart,
        table=table,
    )


def trends_table(sections: list[TrendSection]) -> Table:
    """Every trend table in one, for export: family, then the section's rows."""
    table = Table(
        name="trends", columns=[_("Target"), _("Series"), _("Year"), _("Value")]
    )
    for section in sections:
        for row in section.table.rows:
            for column, value in zip(section.table.columns[1:], row[1:], strict=True):
                table.rows.append([section.label, column, row[0], value])
    return table


@dataclass
class ProvinceRow:
    """One province in the comparison of a target row."""

    code: str
    name: str
    name_sort: str
    evaluation: Evaluation
    status: StatusView
    # Where the province's name links to: its page (set by the view).
    url: str = ""

    @property
    def value(self) -> float | None:
        return as_float(self.evaluation.value)

    @property
    def reporting_rate(self) -> float | None:
        figures = self.evaluation.figures
        if isinstance(figures, ShareFigures):
            return as_float(figures.reporting_rate)
        return None

    @property
    def on_time_rate(self) -> float | None:
        """The timeliness beside the reporting rate (``None`` without a
        reporting period, or for a growth row)."""
        timeliness = self.evaluation.timeliness
        return None if timeliness is None else as_float(timeliness.on_time_rate)


SORTS = {
    "name": lambda row: row.name_sort,
    "value": lambda row: row.value or 0,
    "rate": lambda row: row.reporting_rate or 0,
    "on_time": lambda row: row.on_time_rate or 0,
    "status": lambda row: (list(Status.values).index(row.status.code), row.name_sort),
}
# A province with no figure comes last whichever way its column is sorted.
_EMPTY = {
    "value": lambda row: row.value is None,
    "rate": lambda row: row.reporting_rate is None,
    "on_time": lambda row: row.on_time_rate is None,
}


def province_rows(
    figures: ProgressFigures, target: Target, provinces: list[Province], sort: str
) -> list[ProvinceRow]:
    """``target`` in each province, sorted by ``sort`` (a key of
    :data:`SORTS`, ``-`` first for descending)."""
    rows = []
    for province in provinces:
        evaluation = figures.evaluate(target, province.code)
        rows.append(
            ProvinceRow(
                code=province.code,
                name=province.name,
                name_sort=province.name_sort,
                evaluation=evaluation,
                status=StatusView.of(evaluation.status),
            )
        )
    key = sort.lstrip("-")
    rows.sort(key=SORTS.get(key, SORTS["name"]), reverse=sort.startswith("-"))
    if key in _EMPTY:
        rows.sort(key=_EMPTY[key])  # stable: keeps the order of the rest
    return rows


def province_bars(rows: list[ProvinceRow]) -> list[charts.Bar]:
    """The bars of the provinces' chart, one a row, in the rows' order."""
    return [
        charts.Bar(
            label=row.name,
            value=row.value,
            status=row.status.code,
            status_label=row.status.label,
            text=number(row.evaluation.value),
        )
        for row in rows
    ]


def value_text(target: Target, evaluation: Evaluation) -> str:
    """A row's value with its unit ("–" for none)."""
    if evaluation.value is None:
        return "–"
    unit = "%" if target.kind == Kind.SHARE else _("% a year")
    return f"{number(evaluation.value)}{unit}"


def province_sort_columns(target: Target, sort: str, sort_url) -> list[dict]:
    """The headers of the provinces' table; a sortable one links to its sort
    (``sort_url(sort)`` gives the address), and to the reverse order when it
    is the current one."""
    if target.kind == Kind.SHARE:
        figures = [
            (_("Meeting / active"), None),
            (_("Reporting rate (%)"), "rate"),
            (_("On-time rate (%)"), "on_time"),
        ]
    else:
        figures = [
            (_("Like-for-like panel"), None),
            (_("Base-year total → year total"), None),
        ]
    columns = []
    for label, key in [
        (_("Province"), "name"),
        (_("Value"), "value"),
        (_("Status"), "status"),
        *figures,
    ]:
        column = {"label": label, "url": None, "sorted": None}
        if key is not None:
            current = sort.lstrip("-") == key
            descending = sort.startswith("-")
            column["url"] = sort_url(f"-{key}" if current and not descending else key)
            if current:
                column["sorted"] = "descending" if descending else "ascending"
        columns.append(column)
    return columns


def chosen_target(targets: list[Target], wanted: str | None) -> Target:
    """The target row asked for by its id, or the first one."""
    for target in targets:
        if str(target.pk) == wanted:
            return target
    return targets[0]


def chosen_sort(wanted: str | None) -> str:
    """A known sort key (``-`` first for descending), by default the name."""
    wanted = wanted or "name"
    return wanted if wanted.lstrip("-") in SORTS else "name"


def provinces_table(target: Target, rows: list[ProvinceRow]) -> Table:
    table = Table(
        name="provinces",
        columns=[
            _("Province code"),
            _("Province"),
            _("Value"),
            _("Status"),
            *_figure_columns(),
        ],
        plain={0},
    )
    for row in rows:
        table.rows.append(
            [
                row.code,
                row.name,
                row.value,
                row.status.label,
                *_figure_cells(row.evaluation),
            ]
        )
    return table


def province_regions(
    provinces: list[Province], values: dict[str, tuple[float | None, str]]
) -> list[maps.Region]:
    """The 34 provinces for a map: value and hover text where known."""
    regions = []
    for province in provinces:
        value, text = values.get(province.code, (None, ""))
        regions.append(
            maps.Region(
                code=province.code,
                name=province.name,
                value=value,
                text=f"{province.name}: {text}" if text else province.name,
            )
        )
    return regions


def target_map(target: Target, rows: list[ProvinceRow], provinces) -> dict:
    values = {
        row.code: (
            row.value,
            f"{number(row.evaluation.value)}% · {row.status.label}"
            if row.value is not None
            else row.status.label,
        )
        for row in rows
    }
    if target.kind == Kind.SHARE:
        return maps.province_map(
            province_regions(provinces, values),
            colorbar_title="%",
            zmin=0,
            zmax=100,
        )
    return maps.province_map(
        province_regions(provinces, values),
        colorbar_title=_("% a year"),
        colorscale="RdBu",
        zmid=0,
    )


def on_track_map(
    figures: ProgressFigures, provinces: list[Province], visible: set[str] | None
) -> tuple[dict, Table]:
    """For each province (of ``visible``, or all), the share of its target
    groups with a value that are achieved or on track: the map, and the
    table behind it."""
    groups = target_groups(figures.targets)
    values = {}
    table = Table(
        name="on-track",
        columns=[
            _("Province code"),
            _("Province"),
            _("Targets with a value"),
            _("Achieved or on track"),
        ],
        plain={0},
    )
    for province in provinces:
        if visible is not None and province.code not in visible:
            continue
        good = measured = 0
        for group in groups:
            target = group[headline_index(group, figures.year)]
            status = figures.evaluate(target, province.code).status
            if status != Status.NO_DATA:
                measured += 1
                good += status in GOOD_STATUSES
        table.rows.append([province.code, province.name, measured, good])
        if measured:
            values[province.code] = (
                100 * good / measured,
                _("%(good)s of %(measured)s targets achieved or on track")
                % {"good": good, "measured": measured},
            )
    chart = maps.province_map(
        province_regions(provinces, values),
        colorbar_title=_("Share of targets (%)"),
        zmin=0,
        zmax=100,
        colorscale=maps.ON_TRACK_SCALE,
    )
    return chart, table
