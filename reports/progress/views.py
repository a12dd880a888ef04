"""The dashboard pages. Views stay thin: the filter form reads the address,
:func:`reports.progress.figures.progress_figures_load` counts in a fixed number
of queries, and :mod:`.display` and :mod:`.tables` shape the figures. A page's
content is kept in the cache as rendered, for the same data, address, language
and scope. Their downloads are :mod:`.exports`; the national report's is
here, drawn by :mod:`.pdf`."""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from institutions.models import Province
from lifelong_learning.db import replica_reads
from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import (
    province_denied,
    user_can_see_province,
    user_province,
    user_sees_all_provinces,
)
from reports.progress import charts
from reports.progress.counters import counts_token
from reports.progress.display import (
    cards_build,
    overview_chart,
    threshold_text,
    timeliness_text,
)
from reports.progress.figures import NATION, progress_figures_load
from reports.progress.follow_up import follow_up_count, follow_up_list, follow_ups
from reports.progress.forms import DashboardFilterForm, NationalReportForm
from reports.progress.pdf import national_report_pdf
from reports.progress.statuses import StatusView
from reports.progress.tables import (
    chosen_sort,
    chosen_target,
    on_track_map,
    overview_table,
    province_bars,
    province_rows,
    province_sort_columns,
    target_map,
    trend_sections,
    value_text,
)
from reports.progress.years import dashboard_years, default_year
from targets.selectors import target_list

FOLLOW_UP_PAGE_SIZE = 50


# Filters ------------------------------------------------------------------------


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


# Rendered dashboard pages are kept this long at most; a change of the data
# replaces them at once (the key holds the counters' token). Raise the version
# when the pages' templates change in a way a deployment must not mix.
PAGE_CACHE_SECONDS = 600
PAGE_CACHE_VERSION = "4"


@method_decorator(replica_reads, name="dispatch")
class DashboardMixin(LoginRequiredMixin):
    """Reads the filters and fences officers to their own province."""

    tab = ""
    title = ""

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
        """The page, its content from the cache when it was rendered for the
        same data (:func:`reports.progress.counters.counts_token`), address,
        language and scope: a write changes the token, so nothing shown is
        stale."""
        page = cache.get_or_set(
            self.page_cache_key(), lambda: self.page(**kwargs), PAGE_CACHE_SECONDS
        )
        return render(request, "reports/dashboard_page.html", page)

    def page(self, **kwargs) -> dict:
        """What the cache keeps of a page: its title and its rendered content."""
        context = self.get_context_data(**kwargs)
        return {
            "title": str(context.get("title", self.title)),
            "body": render_to_string(self.template_name, context, self.request),
        }

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
            counts_token(self.data_province()),
        )
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
        return f"dashboard:{digest}"

    def data_province(self) -> str | None:
        """The province whose data the page shows, ``None`` for the nation
        (or every province): a write elsewhere keeps the page in the cache."""
        filters = getattr(self, "filters_", None)
        area = (
            filters.area
            if filters is not None
            else self.request.GET.get("province") or self.default_area
        )
        return None if area == NATION else area

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
    title = gettext_lazy("National overview")

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
            timeliness=timeliness_text(figures.timeliness(NATION), filters.year),
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
        # Counted from the province's counters, never from the reports.
        paginator.count = follow_up_count(
            province_code=code,
            year=filters.year,
            approved_only=filters.approved_only,
            targets=self.targets,
        )
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filters=filters,
            province=province,
            cards=cards,
            overview_chart=overview_chart(cards),
            on_track=on_track_map(figures, all_provinces, {code}),
            table=overview_table(figures.evaluations(code)),
            timeliness=timeliness_text(figures.timeliness(code), filters.year),
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
            title=province.name,
            **kwargs,
        )


class TrendsView(DashboardMixin, TemplateView):
    """Per family, the yearly values since the baseline with the thresholds
    and the required path; visits as totals and like-for-like growth."""

    template_name = "reports/dashboard_trends.html"
    tab = "trends"
    title = gettext_lazy("Trends")

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
    title = gettext_lazy("Provinces")

    def data_province(self) -> None:
        return None  # every province, whatever the filters say

    def get_context_data(self, **kwargs):
        filters = self.filters(area=NATION)
        target = chosen_target(self.targets, self.request.GET.get("target"))
        sort = chosen_sort(self.request.GET.get("sort"))
        figures = progress_figures_load(
            year=filters.year, approved_only=filters.approved_only, targets=self.targets
        )
        all_provinces = self.all_provinces()
        rows = province_rows(figures, target, self.provinces, sort)
        page_query = filters.query(province=None)
        for row in rows:
            row.url = f"{reverse('reports:province', args=[row.code])}?{page_query}"
        national = figures.evaluate(target, NATION)
        query = filters.query(province=None, target=target.pk)
        return super().get_context_data(
            filters=filters,
            target=target,
            target_choices=[(t.pk, f"{t.label} – {t.year}") for t in self.targets],
            threshold_text=threshold_text(target),
            national_value=value_text(target, national),
            national_status=StatusView.of(national.status),
            hide_area=True,
            hidden_filters=[("sort", sort)],
            sort_columns=province_sort_columns(
                target, sort, lambda wanted: f"?{query}&{urlencode({'sort': wanted})}"
            ),
            province_query=f"{query}&{urlencode({'sort': sort})}",
            rows=rows,
            bar_chart=charts.province_bar_chart(
                province_bars(rows), threshold=float(target.threshold)
            ),
            map_chart=target_map(target, rows, all_provinces),
            **kwargs,
        )


# The national report ------------------------------------------------------------


class NationalReportPdfView(LoginRequiredMixin, View):
    """The national report as a PDF download, for ministry staff and
    administrators (it shows every province)."""

    def get(self, request):
        if not user_sees_all_provinces(request.user):
            raise PermissionDenied(
                _(
                    "The national report shows every province: it is for "
                    "ministry staff and administrators."
                )
            )
        form = NationalReportForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(
                " ".join(str(e) for errors in form.errors.values() for e in errors),
                content_type="text/plain; charset=utf-8",
            )
        year = form.cleaned_data["year"]
        pdf = national_report_pdf(
            year=year, approved_only=form.cleaned_data["approved_only"]
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="national-report-{year}.pdf"'
        )
        return response
