"""The dashboard pages and their downloads. Views stay thin: the filter form
reads the address, :func:`reports.progress.figures.progress_figures_load` counts in a
fixed number of queries, and :mod:`.display` and :mod:`.tables` shape the
figures."""

import csv
import hashlib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db.models import Sum
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from openpyxl import Workbook

from institutions.models import Province
from lifelong_learning.db import replica_reads
from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import (
    province_denied,
    user_can_see_province,
    user_province,
    user_sees_all_provinces,
)
from lifelong_learning.tabular import escape_formula, xlsx_row
from lifelong_learning.uploads import file_response
from reports.progress import charts
from reports.progress.counters import counts_token
from reports.progress.display import (
    StatusView,
    cards_build,
    number,
    overview_chart,
    threshold_text,
)
from reports.progress.figures import (
    NATION,
    Evaluation,
    counted_statuses,
    follow_up_list,
    progress_figures_load,
)
from reports.progress.models import ReportCount
from reports.progress.tables import (
    Table,
    chosen_sort,
    chosen_target,
    follow_up_table,
    follow_ups,
    on_track_map,
    overview_table,
    province_rows,
    provinces_table,
    target_map,
    trend_sections,
    trends_table,
)
from targets.indicators import Kind
from targets.models import Target
from targets.selectors import target_list

FOLLOW_UP_PAGE_SIZE = 50
EXPORT_FORMATS = ("csv", "xlsx")


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
        ReportCount.objects.filter(
            status__in=counted_statuses(approved_only=approved_only), year__in=years
        )
        .order_by()
        .values_list("year")
        .annotate(reports=Sum("reports"))
    )
    for year in sorted(counts, reverse=True):
        previous = counts.get(year - 1)
        if previous is None or counts[year] >= COLLECTED_SHARE * previous:
            return year
    return max(counts, default=years[0])


# Rendered dashboard pages are kept this long at most; a change of the data
# replaces them at once (the key holds the counters' token). Raise the version
# when the pages' templates change in a way a deployment must not mix.
PAGE_CACHE_SECONDS = 600
PAGE_CACHE_VERSION = "2"


@method_decorator(replica_reads, name="dispatch")
class DashboardMixin(LoginRequiredMixin):
    """Reads the filters and fences officers to their own province."""

    tab = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.targets = list(target_list())
        self.sees_all = user_sees_all_provinces(request.user)
        self.own_province = None if self.sees_all else user_province(request.user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.targets:
            # A portal whose targets are not loaded yet still shows its pages.
            return render(request, "reports/dashboard_empty.html")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        """The page, from the cache when the same page was rendered for the
        same data (:func:`reports.progress.counters.counts_token`), address, language
        and role: a write changes the token, so nothing shown is stale."""
        key = self.page_cache_key()
        cached = cache.get(key)
        if cached is not None:
            return render(request, "reports/dashboard_cached.html", cached)
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200 and hasattr(response, "render"):
            page = response.render().content.decode()
            title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
            body = re.search(
                r"(<!-- dashboard:start -->.*<!-- dashboard:end -->)", page, re.DOTALL
            )
            if title and body:
                cache.set(
                    key,
                    {"title": mark_safe(title[1]), "body": mark_safe(body[1])},
                    PAGE_CACHE_SECONDS,
                )
        return response

    def page_cache_key(self) -> str:
        # What a page shows, and whether the user may see it at all, depends
        # only on these: the address (filters, page), the language, what the
        # person may see (every province, or which one, however that right
        # was given: group, own permission, superuser or none) and the data.
        parts = (
            PAGE_CACHE_VERSION,
            type(self).__name__,
            self.request.get_full_path(),
            get_language(),
            self.scope(),
            counts_token(),
        )
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
        return f"dashboard:{digest}"

    def scope(self) -> str:
        """The effective scope of the person: "all", "province:CODE" or
        "none"."""
        if self.sees_all:
            return "all"
        if self.own_province is not None:
            return f"province:{self.own_province.code}"
        return "none"

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
            raise province_denied(self.request.user)
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
            if not Province.objects.filter(code=requested).exists():
                raise Http404  # not a province: never a 500 on a bad address
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
        paginator = BoundedPaginator(
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
            follow_ups=list(
                follow_ups(
                    page.object_list,
                    year=filters.year,
                    approved_only=filters.approved_only,
                    targets=self.targets,
                )
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
            threshold_text=threshold_text(target),
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


def _xlsx_value(value):
    # Text stays as written: xlsx_row makes it a text cell, never a formula.
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


def _csv_lines(table: Table) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff"
    for row in itertools.chain([table.columns], table.rows):
        writer.writerow([_cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _xlsx_write(table: Table, path: str) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31])
    for row in itertools.chain([table.columns], table.rows):
        sheet.append(xlsx_row(sheet, [_xlsx_value(v) for v in row]))
    workbook.save(path)


def table_response(
    table: Table, *, file_format: str, filename: str
) -> StreamingHttpResponse | FileResponse:
    """The table as a CSV (UTF-8 with BOM) or XLSX download, streamed: CSV a
    row at a time, XLSX through a temporary file, so a long table never sits
    whole in memory. Text that a spreadsheet would run as a formula (=, +, -,
    @ first) gets an apostrophe."""
    if file_format == "csv":
        response = StreamingHttpResponse(
            _csv_lines(table), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    return file_response(
        ".xlsx", lambda path: _xlsx_write(table, path), f"{filename}.xlsx"
    )


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
