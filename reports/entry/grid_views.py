"""The reporting status grid's pages (ministry staff): the grid of a year, its
download, and the confirmation that approves the submitted reports of chosen
cells (the reads and the approval are in :mod:`reports.entry.grid`)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from institutions.models import Category
from lifelong_learning.roles import REPORT_REVIEW
from lifelong_learning.tabular import FORMATS, table_write
from lifelong_learning.uploads import file_response
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry import grid, workflow


def _chosen_year(request, years: list[int]) -> int | None:
    """The year asked for when it is a year, else the newest of ``years``."""
    wanted = request.GET.get("year") or request.POST.get("year") or ""
    if wanted.isascii() and wanted.isdigit() and YEAR_MIN <= int(wanted) <= YEAR_MAX:
        return int(wanted)
    return years[0] if years else None


class GridMixin(PermissionRequiredMixin):
    permission_required = REPORT_REVIEW

    def grid_query(self, **changes) -> str:
        """This page's query string with ``changes`` (``None`` removes)."""
        query = self.request.GET.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = str(value)
        return query.urlencode()


class StatusGridView(GridMixin, TemplateView):
    """Provinces × categories of a year, sortable, with their states."""

    template_name = "reports/status_grid.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = grid.grid_years()
        year = _chosen_year(self.request, years)
        sort = grid.grid_sort_choice(self.request.GET.get("sort"))
        show = self.request.GET.get("show")
        if show not in Category.values:
            key = sort.removeprefix("-")
            show = key if key in Category.values else Category.values[0]
        context.update(years=years, year=year, sort=sort, show=show)
        if year is None:
            return context
        if year not in years:
            years.append(year)
            years.sort(reverse=True)
        status = grid.status_grid(year=year)
        context.update(
            grid=status,
            rows=grid.grid_sort(status, sort),
            headers=self._headers(status, sort),
            total_header=self._header(grid.TOTAL_SORT, _("All categories"), sort),
            download_query=self.grid_query(show=None),
            waiting=status.total.submitted,
        )
        return context

    def _header(self, key: str, label: str, sort: str) -> dict:
        """A sortable column: province names go A→Z first, progress lowest
        first (who is behind), and a second click turns the order around."""
        if sort == key:
            sorted_as, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            sorted_as, next_sort = "descending", key
        else:
            sorted_as, next_sort = None, key
        return {
            "key": key,
            "label": label,
            "sorted": sorted_as,
            "url": "?" + self.grid_query(sort=next_sort),
        }

    def _headers(self, status, sort: str) -> dict:
        return {
            "name": self._header(grid.NAME_SORT, _("Province"), sort),
            "categories": [
                self._header(value, label, sort) for value, label in status.categories
            ],
        }


class StatusGridExportView(GridMixin, View):
    """The grid of a year as CSV or XLSX: the page's cells, in its order."""

    def get(self, request, file_format: str):
        if file_format not in FORMATS:
            raise Http404
        year = _chosen_year(request, grid.grid_years())
        if year is None:
            raise Http404
        status = grid.status_grid(year=year)
        sort = grid.grid_sort_choice(request.GET.get("sort"))
        columns, rows = grid.grid_table(status, grid.grid_sort(status, sort))

        def write(path: str) -> None:
            table_write(path, columns=columns, rows=rows)

        filename = f"reporting-status-{year}.{file_format}"
        response = file_response(f".{file_format}", write, filename)
        if file_format == "csv":
            response["Content-Type"] = "text/csv; charset=utf-8"
        return response


class StatusGridApproveView(GridMixin, View):
    """Approves the submitted reports of chosen cells after a confirmation
    naming the provinces, categories and numbers of reports; the confirmation
    carries the versions shown and is refused when any changed since."""

    template_name = "reports/status_grid_approve.html"

    def get(self, request):
        year = _chosen_year(request, grid.grid_years())
        if year is None:
            raise Http404
        cells = grid.grid_chosen_cells(
            year=year, cells=grid.grid_cells_parse(request.GET.getlist("cell"))
        )
        waiting = [cell for cell in cells if cell.reports]
        if not waiting:
            messages.error(
                request,
                _("Choose at least one cell or province with reports awaiting review."),
            )
            return redirect(self._grid_url(year))
        context = {
            "year": year,
            "cells": waiting,
            "empty": [cell for cell in cells if not cell.reports],
            "count": sum(len(cell.reports) for cell in waiting),
            "provinces": len({cell.province.code for cell in waiting}),
            "grid_url": self._grid_url(year),
        }
        return render(request, self.template_name, context)

    def post(self, request):
        year = _chosen_year(request, grid.grid_years())
        if year is None:
            raise Http404
        try:
            selection = grid.grid_selection_decode(request.POST.getlist("selection"))
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
        if not selection:
            messages.error(request, _("Confirm the list of reports to approve."))
            return redirect(self._grid_url(year))
        try:
            count = grid.grid_cells_approve(
                user=request.user, year=year, selection=selection
            )
        except workflow.SelectionChanged as error:
            messages.error(request, str(error))
            query = urlencode(
                [("year", year)]
                + [
                    ("cell", f"{code}:{category or grid.ALL_CATEGORIES}")
                    for code, category in selection
                ]
            )
            return redirect(f"{request.path}?{query}")
        messages.success(
            request,
            _("%(count)s submitted reports were approved.") % {"count": count},
        )
        return redirect(self._grid_url(year))

    def _grid_url(self, year: int) -> str:
        return f"{reverse('reports:grid')}?year={year}"
