"""The dashboards' tables as CSV or XLSX downloads, with the page's filters,
written by the portal's one table writer
(:func:`lifelong_learning.tabular.table_write`): numbers stay numbers, XLSX
text is a text cell and CSV text that a spreadsheet would run as a formula
gets an apostrophe."""

from django.http import FileResponse, Http404
from django.views.generic import View

from lifelong_learning.tabular import FORMATS, table_write
from lifelong_learning.uploads import file_response
from reports.progress.figures import NATION, progress_figures_load
from reports.progress.follow_up import follow_up_list, follow_up_table, follow_ups
from reports.progress.tables import (
    Table,
    chosen_sort,
    chosen_target,
    on_track_map,
    overview_table,
    province_rows,
    provinces_table,
    trend_sections,
    trends_table,
)
from reports.progress.views import DashboardMixin

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def table_response(table: Table, *, file_format: str, filename: str) -> FileResponse:
    """The table as a CSV (UTF-8 with BOM) or XLSX download, written row by
    row into a temporary file that is streamed and then removed, so a long
    table never sits whole in memory."""

    def write(path: str) -> None:
        table_write(path, columns=table.columns, rows=table.rows)

    response = file_response(f".{file_format}", write, f"{filename}.{file_format}")
    if file_format == "csv":
        response["Content-Type"] = CSV_CONTENT_TYPE
    return response


class DashboardExportView(DashboardMixin, View):
    """A dashboard table as CSV or XLSX, with the page's filters."""

    def get(self, request, table: str, file_format: str):
        if file_format not in FORMATS:
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
