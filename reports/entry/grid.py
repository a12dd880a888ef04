"""The reporting status grid of ministry staff: every province × category of a
year with its counts and a state in words, its totals, its sorting and its
download, and the approval of chosen cells at once.

Reads run a constant number of queries whatever the number of institutions
and reports (provinces, active institutions, reports, the period and its
extensions); approving moves each chosen cell with the workflow's sheet move,
all in one transaction.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutions.activity import active_q
from institutions.models import Category, Institution, Province
from reports.entry import workflow
from reports.entry.models import AnnualReport, ReportStatus
from reports.periods.models import ReportingPeriod
from reports.periods.selectors import Deadlines, deadlines_by_province

# The state of a cell: its words, its icon, and the CSS class of its colour
# (status_grid.css: dark text on a light tint, at least 4.5:1).
NO_INSTITUTIONS = "none"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
RETURNED = "returned"
APPROVED = "approved"
STATES = {
    NO_INSTITUTIONS: (gettext_lazy("No institutions"), "bi-dash"),
    NOT_STARTED: (gettext_lazy("Not started"), "bi-circle"),
    IN_PROGRESS: (gettext_lazy("In progress"), "bi-pencil"),
    SUBMITTED: (gettext_lazy("Awaiting review"), "bi-send"),
    RETURNED: (gettext_lazy("Returned"), "bi-arrow-return-left"),
    APPROVED: (gettext_lazy("Approved"), "bi-check2-all"),
}
ALL_CATEGORIES = "*"  # a whole province's row in a chosen cell's key


@dataclass
class GridCell:
    """The reports of one province and category (or a total) in a year."""

    active: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    on_time: int = 0
    late: bool = False
    category: str = ""  # empty for a total over every category

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""

    @property
    def reported(self) -> int:
        """Reports that count: submitted or approved."""
        return self.submitted + self.approved

    @property
    def missing(self) -> int:
        return max(self.active - self.reported, 0)

    @property
    def rate(self) -> float | None:
        """Reported / active, or ``None`` without active institutions."""
        return self.reported / self.active if self.active else None

    @property
    def state(self) -> str:
        """What the cell waits for: review first, then the province."""
        if self.submitted:
            return SUBMITTED
        if self.returned:
            return RETURNED
        if self.active and self.approved >= self.active:
            return APPROVED
        if self.draft or self.approved:
            return IN_PROGRESS
        return NOT_STARTED if self.active else NO_INSTITUTIONS

    @property
    def state_label(self) -> str:
        return str(STATES[self.state][0])

    @property
    def state_icon(self) -> str:
        return STATES[self.state][1]

    def add(self, other: "GridCell") -> None:
        for name in ("active", "draft", "submitted", "returned", "approved"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.on_time += other.on_time
        self.late = self.late or other.late


@dataclass
class GridRow:
    """One province: a cell per category, in the order of ``Category``, and
    its total."""

    province: Province
    deadlines: Deadlines | None
    cells: list[GridCell]
    total: GridCell = field(default_factory=GridCell)

    def cell(self, category: str) -> GridCell:
        return self.cells[Category.values.index(category)]


@dataclass
class StatusGrid:
    year: int
    today: datetime.date
    rows: list[GridRow]
    totals: list[GridCell]
    total: GridCell

    @property
    def categories(self) -> list[tuple[str, str]]:
        return list(Category.choices)


def grid_years() -> list[int]:
    """Years with a reporting period or reports, newest first."""
    years = set(ReportingPeriod.objects.values_list("year", flat=True))
    years.update(
        AnnualReport.objects.order_by().values_list("year", flat=True).distinct()
    )
    return sorted(years, reverse=True)


def status_grid(*, year: int, today: datetime.date | None = None) -> StatusGrid:
    """Every province × category of ``year`` (at most five queries). A cell is late
    when its province's due date has passed (before ``today``, the calendar
    day in Vietnam) with active institutions not reported."""
    today = today or timezone.localdate()
    provinces = list(Province.objects.order_by("name_sort"))
    cells = {
        (province.code, category): GridCell(category=category)
        for province in provinces
        for category in Category.values
    }
    active = (
        Institution.objects.filter(active_q(year))
        .order_by()
        .values_list("province_id", "category")
        .annotate(count=Count("pk"))
    )
    for province_code, category, count in active:
        cells[(province_code, category)].active = count
    reports = (
        AnnualReport.objects.filter(year=year)
        .order_by()
        .values_list("institution__province_id", "institution__category", "status")
        .annotate(count=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
    )
    for province_code, category, status, count, on_time in reports:
        cell = cells[(province_code, category)]
        setattr(cell, status, getattr(cell, status) + count)
        cell.on_time += on_time
    dates = deadlines_by_province(year)
    rows = []
    for province in provinces:
        found = None if dates is None else dates.get(province.code, dates[None])
        passed = found is not None and found.due_on < today
        row = GridRow(
            province=province,
            deadlines=found,
            cells=[cells[(province.code, category)] for category in Category.values],
        )
        for cell in row.cells:
            cell.late = passed and cell.missing > 0
            row.total.add(cell)
        rows.append(row)
    totals = [GridCell(category=category) for category in Category.values]
    total = GridCell()
    for row in rows:
        for index, cell in enumerate(row.cells):
            totals[index].add(cell)
        total.add(row.total)
    return StatusGrid(year=year, today=today, rows=rows, totals=totals, total=total)


# Sorting -------------------------------------------------------------------------

NAME_SORT = "name"
TOTAL_SORT = "total"


def grid_sort_choice(wanted: str | None) -> str:
    """A known sort (the name, the total or a category; ``-`` first for
    descending), by default the province name."""
    key = (wanted or "").removeprefix("-")
    if key in (NAME_SORT, TOTAL_SORT, *Category.values):
        return wanted
    return NAME_SORT


def grid_sort(grid: StatusGrid, sort: str) -> list[GridRow]:
    """The rows by province name, or by the progress (reported / active, then
    approved) of one category or of the total, highest first when
    descending; provinces without active institutions there come last."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    rows = sorted(grid.rows, key=lambda row: row.province.name_sort)
    if key == NAME_SORT:
        return rows[::-1] if descending else rows

    def chosen(row: GridRow) -> GridCell:
        return row.total if key == TOTAL_SORT else row.cell(key)

    def progress(row: GridRow):
        cell = chosen(row)
        return (cell.rate, cell.approved / cell.active)

    with_rate = [row for row in rows if chosen(row).rate is not None]
    without = [row for row in rows if chosen(row).rate is None]
    return sorted(with_rate, key=progress, reverse=descending) + without


# Download ------------------------------------------------------------------------


def grid_table(grid: StatusGrid, rows: list[GridRow]) -> tuple[list[str], list[list]]:
    """The grid as a table for CSV and XLSX: one line per province and
    category (and the totals), with the same counts and state as the page."""
    columns = [
        _("province code"),
        _("province"),
        _("category code"),
        _("category"),
        _("reported"),
        _("active"),
        _("on time"),
        _("awaiting review"),
        _("returned"),
        _("approved"),
        _("drafts"),
        _("state"),
        _("late"),
    ]
    everything = _("All categories")

    def line(code, name, category, label, cell):
        return [
            code,
            name,
            category,
            label,
            cell.reported,
            cell.active,
            cell.on_time,
            cell.submitted,
            cell.returned,
            cell.approved,
            cell.draft,
            cell.state_label,
            _("Late") if cell.late else "",
        ]

    lines = []
    for row in rows:
        code, name = row.province.code, row.province.name
        for (category, label), cell in zip(grid.categories, row.cells, strict=True):
            lines.append(line(code, name, category, label, cell))
        lines.append(line(code, name, "", everything, row.total))
    country = _("All provinces")
    for (category, label), cell in zip(grid.categories, grid.totals, strict=True):
        lines.append(line("", country, category, label, cell))
    lines.append(line("", country, "", everything, grid.total))
    return columns, lines


# Approving chosen cells ----------------------------------------------------------


@dataclass
class ChosenCell:
    """A chosen cell (``category`` ``None``: the whole province) and its
    submitted reports."""

    province: Province
    category: str | None
    reports: list[AnnualReport] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.province.code}:{self.category or ALL_CATEGORIES}"

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else _("All categories")

    @property
    def selection(self) -> str:
        """What the confirmation carries: the key and the reports' versions."""
        return f"{self.key}|{workflow.selection_encode(self.reports)}"


def _cell_key(value: str, provinces: set[str]) -> tuple[str, str | None] | None:
    code, _sep, category = value.partition(":")
    if code not in provinces:
        return None
    if category == ALL_CATEGORIES:
        return (code, None)
    return (code, category) if category in Category.values else None


def grid_cells_parse(values: list[str]) -> list[tuple[str, str | None]]:
    """Chosen cells from "province:category" (``*``: the whole province),
    unknown ones left out and a cell inside a chosen province dropped."""
    provinces = set(Province.objects.values_list("code", flat=True))
    chosen = {_cell_key(value, provinces) for value in values} - {None}
    whole = {code for code, category in chosen if category is None}
    return sorted(
        (code, category)
        for code, category in chosen
        if category is None or code not in whole
    )


def grid_chosen_cells(
    *, year: int, cells: list[tuple[str, str | None]]
) -> list[ChosenCell]:
    """The chosen cells with their submitted reports (two queries), by
    province name then category order."""
    if not cells:
        return []
    provinces = Province.objects.in_bulk({code for code, _category in cells})
    chosen = {
        (code, category): ChosenCell(province=provinces[code], category=category)
        for code, category in cells
    }
    where = Q()
    for code, category in cells:
        condition = Q(institution__province_id=code)
        if category:
            condition &= Q(institution__category=category)
        where |= condition
    reports = (
        AnnualReport.objects.filter(where, year=year, status=ReportStatus.SUBMITTED)
        .select_related("institution")
        .order_by("institution__name_sort", "pk")
    )
    for report in reports:
        institution = report.institution
        cell = (
            chosen.get((institution.province_id, institution.category))
            or chosen[(institution.province_id, None)]
        )
        cell.reports.append(report)
    order = {value: index for index, value in enumerate(Category.values)}
    return sorted(
        chosen.values(),
        key=lambda cell: (
            cell.province.name_sort,
            -1 if cell.category is None else order[cell.category],
        ),
    )


def grid_selection_decode(values: list[str]) -> dict[tuple[str, str | None], dict]:
    """Reads the confirmation's :attr:`ChosenCell.selection` values: for each
    cell, the reports (pk → version) the reviewer was shown."""
    provinces = set(Province.objects.values_list("code", flat=True))
    selection = {}
    for value in values:
        key, _sep, reports = value.partition("|")
        cell = _cell_key(key, provinces)
        if cell is not None:
            selection[cell] = workflow.selection_decode(reports)
    return selection


@transaction.atomic
def grid_cells_approve(
    *, user, year: int, selection: dict[tuple[str, str | None], dict[int, int]]
) -> int:
    """Approves the submitted reports of every chosen cell, all or nothing,
    each only if its reports are exactly those, in the versions, the reviewer
    confirmed; otherwise raises :class:`~reports.entry.workflow.SelectionChanged`
    naming every report that changed in any cell."""
    approved = 0
    changed = []
    for (province_code, category), expected in sorted(
        selection.items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        try:
            approved += workflow.report_sheet_approve(
                user=user,
                province_code=province_code,
                year=year,
                category=category,
                expected=expected,
            )
        except workflow.SelectionChanged as error:
            changed.extend(error.reports)
    if changed:
        raise workflow.SelectionChanged(changed)
    return approved
