"""The dashboards: the national overview, trends, the provinces compared, one
province's page with its follow-up list, and every dashboard table as CSV or
XLSX.

Views stay thin: a filter form reads the address (year, area, approved only,
target row), :func:`reports.figures.progress_figures_load` counts in a fixed
number of queries, and the helpers below shape the figures into cards, tables
and charts. Every user who is logged in sees the nation; a provincial officer
lands on their province and may not see another one.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from openpyxl import Workbook

from institutions.models import Category, Province
from lifelong_learning.db import replica_reads
from lifelong_learning.roles import (
    user_can_see_province,
    user_province,
    user_sees_all_provinces,
)
from lifelong_learning.tabular import escape_formula
from targets.models import FAMILY_LABELS, Target
from targets.selectors import target_list

from . import charts
from .figures import (
    NATION,
    Evaluation,
    ProgressFigures,
    counted_statuses,
    criteria_by_category,
    follow_up_list,
    progress_figures_load,
)
from .indicators import REPORT_FIELDS
from .models import AnnualReport, ReportStatus
from .progress import GrowthFigures, Kind, ShareFigures, Status, round1

FOLLOW_UP_PAGE_SIZE = 50
STATUS_ICONS = {
    Status.ACHIEVED: "bi-check-circle-fill",
    Status.ON_TRACK: "bi-arrow-up-right-circle-fill",
    Status.ACCELERATION_NEEDED: "bi-exclamation-triangle-fill",
    Status.LIMITED: "bi-dash-circle-fill",
    Status.DETERIORATION: "bi-arrow-down-right-circle-fill",
    Status.MISSED: "bi-x-circle-fill",
    Status.NO_DATA: "bi-question-circle",
}
GOOD_STATUSES = {Status.ACHIEVED, Status.ON_TRACK}
EXPORT_FORMATS = ("csv", "xlsx")


# Numbers ------------------------------------------------------------------------


def number(value, places: int = 1) -> str:
    """A number in the active language's format (58,3 in Vietnamese), rounded
    half up to ``places`` decimals; with ``places=0`` a whole number shows no
    decimals. "–" for ``None``."""
    if value is None:
        return "–"
    if places == 1:
        shown = round1(value)
    else:
        exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
        shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    return number_format(shown, decimal_pos=places, use_l10n=True, force_grouping=True)


def _float(value) -> float | None:
    rounded = round1(value)
    return None if rounded is None else float(rounded)


def _plain(value) -> str:
    """A threshold as written: without decimals when whole (70, 12,5)."""
    return number(value, 0 if value == int(value) else 1)


def _threshold_text(target: Target) -> str:
    if target.upper is not None:
        return _("%(low)s–%(high)s%% a year") % {
            "low": _plain(target.threshold),
            "high": _plain(target.upper),
        }
    if target.kind == Kind.GROWTH:
        return _("%(value)s%% a year") % {"value": _plain(target.threshold)}
    return f"{_plain(target.threshold)}%"


# Statuses and their explanation -------------------------------------------------


@dataclass
class StatusView:
    """A status as the pages show it: colour class, icon and words."""

    code: str
    label: str
    icon: str

    @classmethod
    def of(cls, status: str) -> "StatusView":
        status = Status(status)
        return cls(
            code=status.value, label=str(status.label), icon=STATUS_ICONS[status]
        )


def explanation(evaluation: Evaluation) -> str:
    """The arithmetic behind a status, in words: "58,3% in 2024, needs 10,0
    points a year, moving 9,2 → acceleration needed", then its terms."""
    target, progress = evaluation.target, evaluation.progress
    year = evaluation.evaluated_year
    status = str(Status(progress.status).label).lower()
    values = {
        "year": year,
        "target_year": target.year,
        "base_year": target.baseline_year,
        "threshold": _plain(target.threshold),
        "value": number(progress.value),
        "status": status,
    }
    growth = target.kind == Kind.GROWTH
    if progress.status == Status.NO_DATA:
        if evaluation.year < target.baseline_year:
            return _("No status before the baseline year %(base_year)s.") % values
        if growth:
            return _(
                "No value in %(year)s: no institution reported this count in "
                "both %(base_year)s and %(year)s."
            ) % {**values, "year": year}
        return (
            _("No value in %(year)s: no active institution of these categories.")
            % values
        )
    if progress.status == Status.ACHIEVED:
        if growth:
            return (
                _(
                    "%(value)s%% a year on average from %(base_year)s to %(year)s, "
                    "the target year, reaches the target of %(threshold)s%% → "
                    "%(status)s."
                )
                % values
            )
        return (
            _(
                "%(value)s%% in %(year)s reaches the target of %(threshold)s%% → "
                "%(status)s."
            )
            % values
        )
    if progress.status == Status.MISSED:
        if growth:
            return (
                _(
                    "%(value)s%% a year on average from %(base_year)s to %(year)s, "
                    "the target year, is below the target of %(threshold)s%% → "
                    "%(status)s."
                )
                % values
            )
        return (
            _(
                "%(value)s%% in %(year)s, the target year, is below the target of "
                "%(threshold)s%% → %(status)s."
            )
            % values
        )
    if growth:
        text = (
            _(
                "%(value)s%% a year on average since %(base_year)s (like for like), "
                "needs %(threshold)s%% a year → %(status)s."
            )
            % values
        )
        if progress.ratio is not None:
            text += " " + _(
                "Pace ratio %(ratio)s (on track from 0.95, acceleration needed "
                "from 0.60)."
            ) % {"ratio": number(progress.ratio, 2)}
        return text
    values |= {
        "base_year": progress.base_year_used,
        "base_value": number(progress.base_value),
    }
    if progress.actual is None:
        return (
            _(
                "%(value)s%% in %(year)s is the first value since the baseline: no "
                "pace can be measured yet → %(status)s."
            )
            % values
        )
    values |= {
        "actual": number(progress.actual),
        "required": number(progress.required),
    }
    if progress.ratio is None:
        return (
            _(
                "%(base_value)s%% in %(base_year)s already met the target of "
                "%(threshold)s%%; %(value)s%% in %(year)s no longer does → "
                "%(status)s."
            )
            % values
        )
    text = (
        _(
            "%(value)s%% in %(year)s, needs %(required)s points a year, moving "
            "%(actual)s → %(status)s."
        )
        % values
    )
    return (
        text
        + " "
        + _(
            "From %(base_value)s%% in %(base_year)s to %(threshold)s%% by "
            "%(target_year)s; pace ratio %(ratio)s (on track from 0.95, "
            "acceleration needed from 0.60)."
        )
        % {**values, "ratio": number(progress.ratio, 2)}
    )


# Cards ------------------------------------------------------------------------


@dataclass
class CardRow:
    """One target year of a card: threshold, status and explanation."""

    evaluation: Evaluation
    threshold: str
    status: StatusView
    explanation: str

    @property
    def target_year(self) -> int:
        return self.evaluation.target.year


@dataclass
class Card:
    """One group of target rows (family × categories) in an area and year."""

    key: str
    label: str
    kind: str
    value: str
    rows: list[CardRow]
    headline: CardRow
    reporting: str
    reporting_rate: float | None = None
    evaluations: list[Evaluation] = field(default_factory=list)


def target_groups(targets: list[Target]) -> list[list[Target]]:
    """Target rows grouped by family and categories, in targets.csv order;
    each group's rows by target year."""
    groups: dict[tuple, list[Target]] = {}
    for target in targets:
        groups.setdefault((target.family, tuple(target.categories)), []).append(target)
    return [sorted(rows, key=lambda t: t.year) for rows in groups.values()]


def headline_index(targets: list[Target], year: int) -> int:
    """The row a card's status comes from: the nearest target year not yet
    passed in ``year`` (the 2025 target up to 2025, then 2030)."""
    for index, target in enumerate(targets):
        if target.year >= year:
            return index
    return len(targets) - 1


def _reporting(evaluation: Evaluation) -> tuple[str, float | None]:
    figures = evaluation.figures
    if isinstance(figures, ShareFigures):
        if not figures.denominator:
            return _("No active institution."), None
        return (
            _(
                "Reporting rate %(rate)s%% (%(reporters)s of %(denominator)s); "
                "%(among)s%% among those reporting."
            )
            % {
                "rate": number(figures.reporting_rate),
                "reporters": number(figures.reporters, 0),
                "denominator": number(figures.denominator, 0),
                "among": number(figures.share_among_reporters),
            },
            _float(figures.reporting_rate),
        )
    if evaluation.year <= figures.base_year:
        return _("Growth is measured from %(year)s on.") % {
            "year": figures.base_year + 1
        }, None
    return (
        _(
            "Like for like: %(panel)s institutions reported in both "
            "%(base_year)s and %(year)s."
        )
        % {
            "panel": number(figures.panel, 0),
            "base_year": figures.base_year,
            "year": figures.year,
        },
        None,
    )


def cards_build(figures: ProgressFigures, area: str) -> list[Card]:
    """One card per group of target rows for ``area`` in the loaded year."""
    cards = []
    for index, group in enumerate(target_groups(figures.targets)):
        evaluations = [figures.evaluate(target, area) for target in group]
        rows = [
            CardRow(
                evaluation=evaluation,
                threshold=_threshold_text(evaluation.target),
                status=StatusView.of(evaluation.status),
                explanation=explanation(evaluation),
            )
            for evaluation in evaluations
        ]
        headline = rows[headline_index(group, figures.year)]
        unit = "%" if group[0].kind == Kind.SHARE else _("% a year")
        value = evaluations[0].value
        reporting, rate = _reporting(evaluations[0])
        cards.append(
            Card(
                key=f"card-{index}",
                label=group[0].label,
                kind=group[0].kind,
                value="–" if value is None else f"{number(value)}{unit}",
                rows=rows,
                headline=headline,
                reporting=reporting,
                reporting_rate=rate,
                evaluations=evaluations,
            )
        )
    return cards


def overview_chart(cards: list[Card]) -> dict:
    """The latest value of every share group against its thresholds, under
    a heading per family."""
    groups: dict[str, list[charts.Bar]] = {}
    for card in cards:
        if card.kind != Kind.SHARE:
            continue
        target = card.evaluations[0].target
        family = str(FAMILY_LABELS.get(target.family, target.family))
        groups.setdefault(family, []).append(
            charts.Bar(
                label=target.categories_display,
                value=_float(card.evaluations[0].value),
                status=card.headline.status.code,
                status_label=card.headline.status.label,
                text=card.value,
                thresholds={
                    row.target_year: float(row.evaluation.target.threshold)
                    for row in card.rows
                },
            )
        )
    return charts.overview_chart(list(groups.items()))


# Tables (shown and exported) -----------------------------------------------------


@dataclass
class Table:
    """A dashboard table: translated column names and rows of plain values."""

    name: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Columns shown without digit grouping: years and codes.
    plain: set[int] = field(default_factory=set)


def _figure_cells(figures) -> list:
    if isinstance(figures, ShareFigures):
        return [
            figures.numerator,
            figures.denominator,
            figures.reporters,
            _float(figures.reporting_rate),
            _float(figures.share_among_reporters),
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
                _threshold_text(target),
                _float(evaluation.value),
                str(Status(evaluation.status).label),
                *_figure_cells(evaluation.figures),
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
        start = (progress.base_year_used, _float(progress.base_value))
    else:
        start = next(
            ((year, _float(f.value)) for year, f in series if f.value is not None),
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
                points=[(year, _float(f.value)) for year, f in series],
                thresholds=[(t.year, float(t.threshold)) for t in group],
                path=_required_path(evaluation, series, group),
            )
        )
        for year, f in series:
            by_year[year][index] = _float(f.value)
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
        value = _float(f.value) if f is not None else None
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
        band_label=_("Target: %(band)s") % {"band": _threshold_text(group[-1])},
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

    @property
    def value(self) -> float | None:
        return _float(self.evaluation.value)

    @property
    def reporting_rate(self) -> float | None:
        figures = self.evaluation.figures
        if isinstance(figures, ShareFigures):
            return _float(figures.reporting_rate)
        return None


SORTS = {
    "name": lambda row: row.name_sort,
    "value": lambda row: (row.value is None, row.value or 0),
    "rate": lambda row: (row.reporting_rate is None, row.reporting_rate or 0),
    "status": lambda row: (list(Status.values).index(row.status.code), row.name_sort),
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
    return rows


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
                *_figure_cells(row.evaluation.figures),
            ]
        )
    return table


def province_regions(
    provinces: list[Province], values: dict[str, tuple[float | None, str]]
) -> list[charts.Region]:
    """The 34 provinces for a map: value and hover text where known."""
    regions = []
    for province in provinces:
        value, text = values.get(province.code, (None, ""))
        regions.append(
            charts.Region(
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
        return charts.province_map(
            province_regions(provinces, values),
            colorbar_title="%",
            zmin=0,
            zmax=100,
        )
    return charts.province_map(
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
    chart = charts.province_map(
        province_regions(provinces, values),
        colorbar_title=_("Share of targets (%)"),
        zmin=0,
        zmax=100,
        colorscale=charts.ON_TRACK_SCALE,
    )
    return chart, table


# Follow-up ----------------------------------------------------------------------


@dataclass
class FollowUp:
    """An institution of the follow-up list, the reason and where to act."""

    institution: object
    reasons: list[str]
    url: str


def _follow_up_reasons(institution, asked: dict, statuses: list[str]) -> list[str]:
    status = institution.report_status
    if status is None:
        return [_("No report for the year")]
    if status not in statuses:
        return [
            {
                ReportStatus.DRAFT: _("Draft, not submitted"),
                ReportStatus.RETURNED: _("Returned for correction"),
                ReportStatus.SUBMITTED: _("Awaiting approval"),
            }.get(status, str(status))
        ]
    reasons = []
    unmet = [
        c
        for c in asked.get(institution.category, [])
        if getattr(institution, f"report_{c}") is False
    ]
    unanswered = [
        c
        for c in asked.get(institution.category, [])
        if getattr(institution, f"report_{c}") is None
    ]
    if unmet:
        reasons.append(
            _("Does not meet: %(criteria)s")
            % {"criteria": "; ".join(str(REPORT_FIELDS[c]) for c in unmet)}
        )
    if unanswered:
        reasons.append(
            _("Not answered: %(criteria)s")
            % {"criteria": "; ".join(str(REPORT_FIELDS[c]) for c in unanswered)}
        )
    return reasons


def data_entry_url(institution, year: int) -> str:
    """The year sheet of the institution's category and province, or its page."""
    try:
        sheet = reverse("reports:sheet")
    except NoReverseMatch:
        return institution.get_absolute_url()
    query = urlencode(
        {
            "year": year,
            "category": institution.category,
            "province": institution.province_id,
        }
    )
    return f"{sheet}?{query}"


def follow_ups(
    institutions, *, year: int, approved_only: bool, targets
) -> list[FollowUp]:
    asked = criteria_by_category(targets)
    statuses = counted_statuses(approved_only=approved_only)
    return [
        FollowUp(
            institution=institution,
            reasons=_follow_up_reasons(institution, asked, statuses),
            url=data_entry_url(institution, year),
        )
        for institution in institutions
    ]


def follow_up_table(items: list[FollowUp]) -> Table:
    table = Table(
        name="follow-up",
        columns=[_("Code"), _("Institution"), _("Category"), _("Follow-up")],
        plain={0},
    )
    for item in items:
        institution = item.institution
        table.rows.append(
            [
                institution.code,
                institution.name,
                str(Category(institution.category).label),
                " / ".join(item.reasons),
            ]
        )
    return table


# Filters ------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """Year, area and counted reports, read from the address so that a link
    can be shared."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    province = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    approved = forms.BooleanField(
        label=gettext_lazy("Approved reports only"), required=False
    )

    def __init__(
        self, data, *, years: list[int], provinces: list[Province], initial=None
    ):
        super().__init__(data, initial=initial)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["province"].choices = [
            (NATION, _("Whole country")),
            *((p.code, p.name) for p in provinces),
        ]


@dataclass
class Filters:
    year: int
    area: str
    approved_only: bool
    form: DashboardFilterForm

    @property
    def province_code(self) -> str | None:
        return None if self.area == NATION else self.area

    def query(self, **changes) -> str:
        """The address's query string with these filters (and ``changes``)."""
        params = {"year": self.year, "province": self.area}
        if self.approved_only:
            params["approved"] = "on"
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def dashboard_years(targets: list[Target]) -> list[int]:
    if not targets:
        return []
    first = min(t.baseline_year for t in targets)
    return list(range(first, max(t.year for t in targets) + 1))


# A year whose counted reports reach this share of the year before counts as
# collected: the dashboards open on the latest such year.
COLLECTED_SHARE = 0.8


def default_year(years: list[int], *, approved_only: bool) -> int:
    """The latest year whose collection is essentially complete: its counted
    reports reach :data:`COLLECTED_SHARE` of the year before. A year still
    being collected would show every target falling behind for want of
    reports; it stays one click away."""
    counts = dict(
        AnnualReport.objects.filter(
            status__in=counted_statuses(approved_only=approved_only), year__in=years
        )
        .order_by()
        .values_list("year")
        .annotate(reports=Count("pk"))
    )
    for year in sorted(counts, reverse=True):
        previous = counts.get(year - 1)
        if previous is None or counts[year] >= COLLECTED_SHARE * previous:
            return year
    return max(counts, default=years[0])


@method_decorator(replica_reads, name="dispatch")
class DashboardMixin(LoginRequiredMixin):
    """Reads the filters and fences officers to their own province."""

    tab = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.targets = list(target_list())
        self.sees_all = user_sees_all_provinces(request.user)
        self.own_province = None if self.sees_all else user_province(request.user)

    def visible_provinces(self) -> list[Province]:
        provinces = Province.objects.order_by("name_sort")
        if not self.sees_all:
            if self.own_province is None:
                return []
            provinces = provinces.filter(pk=self.own_province.pk)
        return list(provinces)

    def all_provinces(self) -> list[Province]:
        """The 34 provinces for a map (already loaded for those who see all)."""
        if self.sees_all:
            return self.provinces
        return list(Province.objects.order_by("name_sort"))

    @property
    def default_area(self) -> str:
        return self.own_province.code if self.own_province else NATION

    def filters(self, *, area: str | None = None) -> Filters:
        if not self.targets:
            raise Http404(_("There are no targets yet."))
        years = dashboard_years(self.targets)
        self.provinces = self.visible_provinces()
        form = DashboardFilterForm(
            self.request.GET, years=years, provinces=self.provinces
        )
        form.is_valid()
        data = form.cleaned_data
        approved_only = bool(data.get("approved"))
        year = data.get("year") or default_year(years, approved_only=approved_only)
        requested = self.request.GET.get("province")
        if area is None:
            area = requested or self.default_area
        if area != NATION and not user_can_see_province(self.request.user, area):
            raise PermissionDenied(_("You may not see the figures of this province."))
        if area != NATION and area not in {p.code for p in self.provinces}:
            raise Http404(_("Unknown province."))
        # Shown unbound, with the values in force (a bad value falls back).
        shown = DashboardFilterForm(
            None,
            years=years,
            provinces=self.provinces,
            initial={"year": year, "province": area, "approved": approved_only},
        )
        return Filters(year=year, area=area, approved_only=approved_only, form=shown)

    def tabs(self, filters: Filters) -> list[dict]:
        """The dashboard's pages, each keeping the filters in force."""
        if filters.area == NATION:
            overview = reverse("reports:dashboard")
        else:
            overview = reverse("reports:province", args=[filters.area])
        return [
            {
                "key": key,
                "label": label,
                "url": f"{url}?{query}",
                "active": key == self.tab,
            }
            for key, label, url, query in (
                ("overview", _("Overview"), overview, filters.query()),
                ("trends", _("Trends"), reverse("reports:trends"), filters.query()),
                (
                    "provinces",
                    _("Provinces"),
                    reverse("reports:provinces"),
                    filters.query(province=None),
                ),
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = context["filters"]
        context["tabs"] = self.tabs(filters)
        context["sees_all"] = self.sees_all
        context["own_province"] = self.own_province
        context["export_query"] = filters.query()
        return context


class NationalDashboardView(DashboardMixin, TemplateView):
    """The national overview: a card per target group, the values against
    the thresholds, and where the provinces stand. Officers land on their
    province unless they ask for the nation (``province=VN``)."""

    template_name = "reports/dashboard_overview.html"
    tab = "overview"

    def get(self, request, *args, **kwargs):
        filters = self.filters()
        if filters.area != NATION:
            query = filters.query(province=None)
            url = reverse("reports:province", args=[filters.area])
            return redirect(f"{url}?{query}")
        self.filters_ = filters
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        filters = self.filters_
        figures = progress_figures_load(
            year=filters.year, approved_only=filters.approved_only, targets=self.targets
        )
        cards = cards_build(figures, NATION)
        all_provinces = self.all_provinces()
        visible = None if self.sees_all else {p.code for p in self.provinces}
        return super().get_context_data(
            filters=filters,
            cards=cards,
            overview_chart=overview_chart(cards),
            on_track=on_track_map(figures, all_provinces, visible),
            table=overview_table(figures.evaluations(NATION)),
            area_name=_("Whole country"),
            **kwargs,
        )


class ProvinceDashboardView(DashboardMixin, TemplateView):
    """One province: its cards, its values against the thresholds, where it
    lies on the map, and the institutions to follow up."""

    template_name = "reports/province_dashboard.html"
    tab = "overview"

    def get(self, request, *args, code, **kwargs):
        filters = self.filters(area=code)
        requested = request.GET.get("province")
        if requested and requested != code:
            # The area field of the filter form moves to another page.
            if requested == NATION:
                url = reverse("reports:dashboard")
                return redirect(f"{url}?{filters.query(province=NATION)}")
            url = reverse("reports:province", args=[requested])
            return redirect(f"{url}?{filters.query(province=None)}")
        self.filters_ = filters
        return super().get(request, *args, code=code, **kwargs)

    def get_context_data(self, **kwargs):
        filters = self.filters_
        code = filters.area
        province = next(p for p in self.provinces if p.code == code)
        figures = progress_figures_load(
            year=filters.year,
            province_code=code,
            approved_only=filters.approved_only,
            targets=self.targets,
        )
        cards = cards_build(figures, code)
        all_provinces = self.all_provinces()
        paginator = Paginator(
            follow_up_list(
                province_code=code,
                year=filters.year,
                approved_only=filters.approved_only,
                targets=self.targets,
            ),
            FOLLOW_UP_PAGE_SIZE,
        )
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filters=filters,
            province=province,
            cards=cards,
            overview_chart=overview_chart(cards),
            on_track=on_track_map(figures, all_provinces, {code}),
            table=overview_table(figures.evaluations(code)),
            follow_up_page=page,
            follow_ups=follow_ups(
                page.object_list,
                year=filters.year,
                approved_only=filters.approved_only,
                targets=self.targets,
            ),
            area_name=province.name,
            **kwargs,
        )


class TrendsView(DashboardMixin, TemplateView):
    """Per family, the yearly values since the baseline with the thresholds
    and the required path; visits as totals and like-for-like growth."""

    template_name = "reports/dashboard_trends.html"
    tab = "trends"

    def get_context_data(self, **kwargs):
        filters = self.filters()
        figures = progress_figures_load(
            year=filters.year,
            province_code=filters.province_code,
            approved_only=filters.approved_only,
            targets=self.targets,
        )
        area_name = (
            _("Whole country")
            if filters.area == NATION
            else Province.objects.get(pk=filters.area).name
        )
        return super().get_context_data(
            filters=filters,
            sections=trend_sections(figures, filters.area),
            area_name=area_name,
            **kwargs,
        )


class ProvincesView(DashboardMixin, TemplateView):
    """The 34 provinces compared for one target row: a sortable table, a bar
    chart and a map. An officer sees only their own province's figures."""

    template_name = "reports/dashboard_provinces.html"
    tab = "provinces"

    def get_context_data(self, **kwargs):
        filters = self.filters(area=NATION)
        target = chosen_target(self.targets, self.request.GET.get("target"))
        sort = chosen_sort(self.request.GET.get("sort"))
        figures = progress_figures_load(
            year=filters.year, approved_only=filters.approved_only, targets=self.targets
        )
        all_provinces = self.all_provinces()
        rows = province_rows(figures, target, self.provinces, sort)
        national = figures.evaluate(target, NATION)
        bars = [
            charts.Bar(
                label=row.name,
                value=row.value,
                status=row.status.code,
                status_label=row.status.label,
                text=number(row.evaluation.value),
            )
            for row in rows
        ]
        query = filters.query(province=None, target=target.pk)
        return super().get_context_data(
            filters=filters,
            target=target,
            target_choices=[(t.pk, f"{t.label} – {t.year}") for t in self.targets],
            threshold_text=_threshold_text(target),
            national_value=self._value_text(target, national),
            national_status=StatusView.of(national.status),
            hide_area=True,
            hidden_filters=[("sort", sort)],
            sort_columns=self._sort_columns(target, sort, query),
            province_query=f"{query}&{urlencode({'sort': sort})}",
            province_page_query=filters.query(province=None),
            rows=rows,
            bar_chart=charts.province_bar_chart(
                bars, threshold=float(target.threshold)
            ),
            map_chart=target_map(target, rows, all_provinces),
            **kwargs,
        )

    @staticmethod
    def _value_text(target: Target, evaluation: Evaluation) -> str:
        if evaluation.value is None:
            return "–"
        unit = "%" if target.kind == Kind.SHARE else _("% a year")
        return f"{number(evaluation.value)}{unit}"

    @staticmethod
    def _sort_columns(target: Target, sort: str, query: str) -> list[dict]:
        """Column headers; a sortable one links to its sort, and to the
        reverse order when it is the current one."""
        if target.kind == Kind.SHARE:
            figures = [
                (_("Meeting / active"), None),
                (_("Reporting rate (%)"), "rate"),
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
                wanted = f"-{key}" if current and not descending else key
                column["url"] = f"?{query}&{urlencode({'sort': wanted})}"
                if current:
                    column["sorted"] = "descending" if descending else "ascending"
            columns.append(column)
        return columns


# Exports ------------------------------------------------------------------------


def _cell(value):
    # Numbers stay numbers (never a formula); text is made formula-safe.
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    return escape_formula(str(value))


def table_response(table: Table, *, file_format: str, filename: str) -> HttpResponse:
    """The table as a CSV (UTF-8 with BOM) or XLSX download. Text that a
    spreadsheet would run as a formula (=, +, -, @ first) gets an apostrophe."""
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([_cell(c) for c in table.columns])
        writer.writerows([_cell(v) for v in row] for row in table.rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append([_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(
            output.getvalue(),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


class DashboardExportView(DashboardMixin, View):
    """A dashboard table as CSV or XLSX, with the page's filters."""

    def get(self, request, table: str, file_format: str):
        if file_format not in EXPORT_FORMATS:
            raise Http404
        builders = {
            "overview": self._overview,
            "on-track": self._on_track,
            "trends": self._trends,
            "provinces": self._provinces,
            "follow-up": self._follow_up,
        }
        if table not in builders:
            raise Http404
        filters = self.filters(area=NATION if table == "provinces" else None)
        result = builders[table](filters)
        filename = f"{table}-{filters.area}-{filters.year}"
        return table_response(result, file_format=file_format, filename=filename)

    def _figures(self, filters, province_code=None):
        return progress_figures_load(
            year=filters.year,
            province_code=province_code,
            approved_only=filters.approved_only,
            targets=self.targets,
        )

    def _overview(self, filters):
        figures = self._figures(filters, filters.province_code)
        return overview_table(figures.evaluations(filters.area))

    def _on_track(self, filters):
        figures = self._figures(filters)
        visible = None if self.sees_all else {p.code for p in self.provinces}
        return on_track_map(figures, self.all_provinces(), visible)[1]

    def _trends(self, filters):
        figures = self._figures(filters, filters.province_code)
        return trends_table(trend_sections(figures, filters.area))

    def _provinces(self, filters):
        target = chosen_target(self.targets, self.request.GET.get("target"))
        sort = chosen_sort(self.request.GET.get("sort"))
        rows = province_rows(self._figures(filters), target, self.provinces, sort)
        return provinces_table(target, rows)

    def _follow_up(self, filters):
        if filters.area == NATION:
            raise Http404
        institutions = follow_up_list(
            province_code=filters.area,
            year=filters.year,
            approved_only=filters.approved_only,
            targets=self.targets,
        )
        return follow_up_table(
            follow_ups(
                institutions.iterator(chunk_size=2000),
                year=filters.year,
                approved_only=filters.approved_only,
                targets=self.targets,
            )
        )
