"""The national report as a PDF: the headline table of every target row, one
trend chart per target family and the table of the 34 provinces.

Drawn on the server with reportlab (tables, and charts with
``reportlab.graphics``): no browser and no internet. Text is set in DejaVu
Sans, which has every Vietnamese glyph (Debian's ``fonts-dejavu-core``). The
figures come from :mod:`reports.progress.figures`, loaded once for the nation and every
province; the report is written in the active language, numbers in its format
(58,3 in Vietnamese). The page that downloads it is
:class:`reports.progress.views.NationalReportPdfView`; ``manage.py
national_report`` writes it to a file.
"""

import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from institutions.models import Province

# The dashboards' formats, so that the PDF shows every figure as the pages do.
from reports.progress.display import number, threshold_text
from reports.progress.figures import (
    NATION,
    Evaluation,
    ProgressFigures,
    progress_figures_load,
)
from reports.progress.progress import Status
from reports.progress.statuses import STATUS_COLOURS, status_tint
from targets.indicators import Kind
from targets.models import FAMILY_LABELS, Target

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_SIZE = landscape(A4)
MARGIN = 12 * mm
CHART_WIDTH = 380
CHART_HEIGHT = 235

LINE_COLOURS = [
    colors.HexColor(code)
    for code in ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
]


@cache
def fonts_register() -> None:
    """Registers DejaVu Sans (regular and bold) with reportlab, once."""
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        path = FONT_DIR / file
        if not path.exists():
            raise ImproperlyConfigured(
                f"{path} is missing: install Debian's fonts-dejavu-core."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _tint(status: str) -> colors.Color:
    # A cell's background: the status colour of the pages, lightened.
    return colors.HexColor(status_tint(status))


# Numbers -----------------------------------------------------------------------


def percent(value) -> str:
    """A value or rate as the dashboards show it: 58,3%, or "–"."""
    if value is None:
        return number(None)
    return _("%(number)s%%") % {"number": number(value)}


def axis_label(value) -> str:
    return number(value, 0 if float(value).is_integer() else 1)


# Content -----------------------------------------------------------------------


@dataclass
class HeadlineRow:
    """A target row as the report shows it: its number in the headline table,
    the row of the JSON output and the target it evaluates."""

    position: int
    target: Target
    row: dict

    @property
    def status(self) -> Status:
        return Status(self.row["status"])


def main_target_year(targets: list[Target], year: int) -> int:
    """The target year the province table shows: the first one not before
    ``year``, or the last one once every target year has passed."""
    years = sorted({target.year for target in targets})
    return next((y for y in years if y >= year), years[-1])


class NationalReport:
    """Builds the flowables of the report from the loaded figures."""

    def __init__(self, figures: ProgressFigures, *, produced=None, release=None):
        fonts_register()
        self.figures = figures
        # A release's report carries its publication day and number, so that
        # rebuilding it gives the same file.
        self.produced = produced or timezone.localdate()
        self.release = release
        self.year = figures.year
        self.evaluations: list[Evaluation] = figures.evaluations(NATION)
        self.headline = [
            HeadlineRow(position=index, target=evaluation.target, row=evaluation.row())
            for index, evaluation in enumerate(self.evaluations, start=1)
        ]
        self.styles = {
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=4
            ),
            "heading": ParagraphStyle(
                "heading",
                fontName=FONT_BOLD,
                fontSize=12,
                leading=15,
                spaceBefore=6,
                spaceAfter=4,
            ),
            "body": ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12),
            "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10),
            "header": ParagraphStyle(
                "header", fontName=FONT_BOLD, fontSize=8, leading=10
            ),
            "note": ParagraphStyle(
                "note", fontName=FONT, fontSize=7.5, leading=10, textColor=colors.grey
            ),
        }

    def paragraph(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), self.styles[style])

    def story(self) -> list:
        return [
            *self.title(),
            *self.headline_table(),
            PageBreak(),
            *self.trend_charts(),
            PageBreak(),
            *self.province_table(),
        ]

    def title(self) -> list:
        counted = (
            _("approved reports only")
            if self.figures.approved_only
            else _("submitted and approved reports")
        )
        return [
            self.paragraph(
                _("Decision 1520/QĐ-TTg: national progress report, %(year)s")
                % {"year": self.year},
                "title",
            ),
            self.paragraph(
                _(
                    "Lifelong-learning services in libraries, museums and cultural "
                    "centres. Data year %(year)s; figures count %(counted)s. "
                    "Produced on %(date)s."
                )
                % {
                    "year": self.year,
                    "counted": counted,
                    "date": date_format(self.produced, "SHORT_DATE_FORMAT"),
                }
            ),
            *(
                [
                    self.paragraph(
                        _("Official release %(number)s.") % {"number": self.release}
                    )
                ]
                if self.release
                else []
            ),
            Spacer(1, 4 * mm),
        ]

    def headline_table(self) -> list:
        header = [
            "#",
            _("Target"),
            _("Target year"),
            _("Threshold"),
            _("Value"),
            _("Reporting rate"),
            _("On-time rate"),
            _("Status"),
        ]
        data = [[self.paragraph(text, "header") for text in header]]
        style = self._table_style()
        for line, item in enumerate(self.headline, start=1):
            row = item.row
            data.append(
                [
                    str(item.position),
                    self.paragraph(item.target.label, "cell"),
                    str(row["target_year"]),
                    threshold_text(item.target),
                    percent(row["value"]),
                    percent(row.get("reporting_rate")),
                    percent(row.get("on_time_rate")),
                    self.paragraph(item.status.label, "cell"),
                ]
            )
            style.add("BACKGROUND", (7, line), (7, line), _tint(item.status))
        widths = [22, 242, 62, 90, 62, 72, 86, 136]
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(style)
        return [
            self.paragraph(_("Targets"), "heading"),
            table,
            Spacer(1, 2 * mm),
            self.paragraph(
                _(
                    "Share rows: percentage of the active institutions that meet "
                    "every criterion; the reporting rate is the percentage that "
                    "reported, the on-time rate the percentage that first "
                    "submitted by their province's due date (“–” for a year "
                    "without a reporting period). Growth rows: average annual "
                    "growth since the baseline year, in percent, over "
                    "institutions that reported in both years. The methodology "
                    "page of the portal gives the rules."
                ),
                "note",
            ),
        ]

    def _table_style(self) -> TableStyle:
        return TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde5ee")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ]
        )

    # Trend charts -------------------------------------------------------------

    def trend_charts(self) -> list:
        families = list(dict.fromkeys(item.target.family for item in self.headline))
        drawings = [self.family_chart(family) for family in families]
        pairs = [drawings[i : i + 2] for i in range(0, len(drawings), 2)]
        if pairs and len(pairs[-1]) == 1:
            pairs[-1].append("")
        grid = Table(pairs, colWidths=[CHART_WIDTH + 4] * 2)
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return [
            self.paragraph(
                _("Trends, %(start)s to %(year)s") % self._span(), "heading"
            ),
            self.paragraph(
                _(
                    "One line per group of categories; the dashed line of the "
                    "same colour is its threshold for the target year shown in "
                    "the legend."
                ),
                "note",
            ),
            grid,
        ]

    def _span(self) -> dict:
        start = min(min(t.baseline_year for t in self.figures.targets), self.year)
        return {"start": start, "year": self.year}

    def family_chart(self, family: str) -> Drawing:
        """Values by year of each category group of ``family`` (solid) and
        the threshold it should reach next (dashed)."""
        groups: dict[tuple[str, ...], HeadlineRow] = {}
        main_year = main_target_year(self.figures.targets, self.year)
        for item in self.headline:
            if item.target.family != family:
                continue
            key = tuple(item.target.categories)
            current = groups.get(key)
            # The row whose target year the report focuses on stands for its group.
            if current is None or item.target.year == main_year:
                groups[key] = item
        drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
        title = str(FAMILY_LABELS.get(family, family))
        drawing.add(String(4, CHART_HEIGHT - 12, title, fontName=FONT_BOLD, fontSize=8))
        plot = LinePlot()
        plot.x, plot.y = 36, 48 + 9 * max(0, len(groups) - 2)
        plot.width = CHART_WIDTH - plot.x - 12
        plot.height = CHART_HEIGHT - plot.y - 26
        leader = next(iter(groups.values())).target
        years = [year for year, _figures in self.figures.series(leader, NATION)]
        first, last = min(years), max(max(years), min(years) + 1)
        data, styles, legend = [], [], []
        values_seen = []
        for index, item in enumerate(groups.values()):
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            points = [
                (year, float(figures.value))
                for year, figures in self.figures.series(item.target, NATION)
                if figures.value is not None
            ]
            if points:
                data.append(points)
                styles.append((colour, None))
                values_seen += [y for _x, y in points]
            threshold = float(item.target.threshold)
            data.append([(first, threshold), (last, threshold)])
            styles.append((colour, (3, 2)))
            values_seen.append(threshold)
            target = {
                "threshold": threshold_text(item.target),
                "year": item.target.year,
            }
            if len(groups) == 1:
                text = _("Target: %(threshold)s by %(year)s") % target
            else:
                text = _("%(categories)s (target %(threshold)s by %(year)s)") % {
                    "categories": item.target.categories_display,
                    **target,
                }
            legend.append((colour, text))
        plot.data = data
        for index, (colour, dash) in enumerate(styles):
            line = plot.lines[index]
            line.strokeColor = colour
            line.strokeWidth = 1.5 if dash is None else 0.8
            if dash is None:
                line.symbol = makeMarker("FilledCircle", size=3)
            else:
                line.strokeDashArray = dash
        self._axes(plot, first, last, leader.kind, values_seen)
        drawing.add(plot)
        drawing.add(self._legend(legend))
        return drawing

    def _axes(self, plot, first, last, kind, values) -> None:
        x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
        x_axis.valueMin, x_axis.valueMax, x_axis.valueStep = first, last, 1
        x_axis.labelTextFormat = "%d"
        if kind == Kind.SHARE:
            y_axis.valueMin, y_axis.valueMax, y_axis.valueStep = 0, 100, 20
        else:
            # Room above the highest line, and below zero only when needed.
            low, high = min(0, *values), max(0, *values)
            margin = (high - low or 10) / 10
            y_axis.valueMin = 0 if low >= 0 else 5 * math.floor((low - margin) / 5)
            y_axis.valueMax = 5 * math.ceil((high + margin) / 5)
        y_axis.labelTextFormat = axis_label
        for axis in (x_axis, y_axis):
            axis.labels.fontName = FONT
            axis.labels.fontSize = 7
        x_axis.labels.dy = -4

    def _legend(self, entries: list[tuple]) -> Legend:
        legend = Legend()
        legend.x, legend.y = 8, 8 + 9 * (len(entries) - 1)
        legend.fontName, legend.fontSize = FONT, 6.5
        legend.alignment = "right"
        legend.columnMaximum = len(entries)
        legend.dy, legend.dx, legend.deltay = 6, 10, 9
        legend.colorNamePairs = entries
        return legend

    # Province table -----------------------------------------------------------

    def province_table(self) -> list:
        main_year = main_target_year(self.figures.targets, self.year)
        columns = [item for item in self.headline if item.target.year == main_year]
        header = [
            _("Province"),
            *(f"#{item.position}" for item in columns),
            _("On time"),
        ]
        data = [header]
        style = self._table_style()
        style.add("FONT", (0, 0), (-1, -1), FONT, 7)
        style.add("FONT", (0, 0), (-1, 0), FONT_BOLD, 7)
        style.add("ALIGN", (1, 0), (-1, -1), "RIGHT")
        provinces = Province.objects.order_by("name_sort").values_list("code", "name")
        for line, (code, name) in enumerate(provinces, start=1):
            cells = [name]
            for column, item in enumerate(columns, start=1):
                evaluation = self.figures.evaluate(item.target, code)
                value = evaluation.row()["value"]
                cells.append(number(value))
                style.add(
                    "BACKGROUND",
                    (column, line),
                    (column, line),
                    _tint(evaluation.status),
                )
            cells.append(percent(self.figures.timeliness(code).on_time_rate))
            data.append(cells)
        name_width = 140
        width = (PAGE_SIZE[0] - 2 * MARGIN - name_width) / (len(columns) + 1)
        table = Table(
            data,
            colWidths=[name_width, *[width] * (len(columns) + 1)],
            repeatRows=1,
        )
        table.setStyle(style)
        return [
            self.paragraph(
                _("Provinces: targets of %(year)s, data of %(data_year)s")
                % {"year": main_year, "data_year": self.year},
                "heading",
            ),
            self.paragraph(
                _(
                    "Values in percent; columns are numbered as in the table of "
                    "targets; cells are coloured by status; “–” means no value. "
                    "On time: the percentage of the province's active "
                    "institutions, every category, that first submitted by its "
                    "due date."
                ),
                "note",
            ),
            Spacer(1, 2 * mm),
            table,
            Spacer(1, 2 * mm),
            self.status_key(),
        ]

    def status_key(self) -> Table:
        cells = [[str(status.label) for status in STATUS_COLOURS]]
        key = Table(cells)
        style = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 7)])
        for column, status in enumerate(STATUS_COLOURS):
            style.add("BACKGROUND", (column, 0), (column, 0), _tint(status))
        key.setStyle(style)
        return key


def _page_footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7)
    canvas.drawRightString(
        PAGE_SIZE[0] - MARGIN,
        MARGIN / 2,
        _("Page %(page)s") % {"page": doc.page},
    )
    canvas.restoreState()


def national_report_pdf(
    *,
    year: int,
    approved_only: bool = False,
    figures: ProgressFigures | None = None,
    produced=None,
    release: str | None = None,
) -> bytes:
    """Renders the national report for data ``year`` in the active language:
    of live data, or of given ``figures`` (a release's), ``produced`` on the
    given day. A release's report is rendered invariant (no creation time, a
    fixed document id), so the same figures give the same bytes."""
    if figures is None:
        figures = progress_figures_load(year=year, approved_only=approved_only)
    report = NationalReport(figures, produced=produced, release=release)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Decision 1520/QĐ-TTg: national progress report, %(year)s")
        % {"year": year},
        author=_("Lifelong-learning portal"),
        invariant=1 if release else None,
    )
    document.build(report.story(), onFirstPage=_page_footer, onLaterPages=_page_footer)
    return buffer.getvalue()
