"""The public pages: a release's national overview, trends, provinces
compared, each province and the revision log, with no login.

Every page reads one release's snapshot only
(:func:`reports.public.selectors.release_figures`) and shapes it with the
dashboards' own cards, tables, charts and maps, so a public figure is the
published one and looks like the dashboards'. A page is rendered without the
request (no user, session or CSRF token: it is the same for everyone) and
kept by :mod:`.caching`.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from reports.progress import charts
from reports.progress.display import (
    cards_build,
    overview_chart,
    threshold_text,
    timeliness_text,
)
from reports.progress.figures import NATION
from reports.progress.statuses import StatusView
from reports.progress.tables import (
    chosen_sort,
    on_track_map,
    overview_table,
    province_bars,
    province_rows,
    province_sort_columns,
    target_map,
    trend_sections,
    value_text,
)
from reports.public.caching import LATEST_SECONDS, page_cached, page_key, page_response
from reports.public.revisions import revision_log
from reports.public.selectors import (
    release_entries,
    release_figures,
    release_get,
    release_provinces,
)

LANGUAGE_PARAMETER = "lang"
# A province code, a target row's position or a sort key: a few characters.
PARAMETER_MAX_LENGTH = 8


def language_asked(request) -> str | None:
    """The language the address asks for (``?lang=en``), if it is one."""
    wanted = request.GET.get(LANGUAGE_PARAMETER)
    return wanted if wanted in dict(settings.LANGUAGES) else None


class PublicLinks:
    """The addresses of a release's pages: numbered when the page shown is
    numbered, the latest's otherwise; each keeps an explicit language."""

    def __init__(self, number: str | None, language: str | None):
        self.number = number
        self.language = language

    def url(self, name: str, *args, **params) -> str:
        if self.number is None:
            address = reverse(f"public:{name}", args=args)
        else:
            address = reverse(f"public:release_{name}", args=[self.number, *args])
        if self.language:
            params[LANGUAGE_PARAMETER] = self.language
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{address}?{urlencode(params)}" if params else address

    def __getitem__(self, name: str) -> str:
        """``{{ links.trends }}`` in a template."""
        return self.url(name)


def language_links(path: str, params: dict) -> list[dict]:
    """The same page in each other language (a plain link: no cookie)."""
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code != current:
            query = urlencode({**params, LANGUAGE_PARAMETER: code})
            links.append(
                {
                    "code": code,
                    "label": "Tiếng Việt" if code == "vi" else "English",
                    "url": f"{path}?{query}",
                }
            )
    return links


def release_correction(release, entries) -> str | None:
    """The newest release of the same data year published after ``release``
    (which corrects it), if any."""
    newer = []
    for entry in entries:
        if entry.number == release.number:
            break
        if entry.year == release.year:
            newer.append(entry.number)
    return newer[0] if newer else None


class PublicPageView(View):
    """A public page of a release: the latest (no number in the address) or
    a numbered one. Subclasses give their template and :meth:`context`."""

    template_name = ""
    tab = ""
    # The query parameters a page reads (the cache key holds their values).
    parameters: tuple[str, ...] = ()

    def get(self, request, number: str | None = None, **kwargs):
        language = language_asked(request)
        if language:
            with translation.override(language):
                return self.respond(request, number, language, **kwargs)
        return self.respond(request, number, None, **kwargs)

    def respond(self, request, number, language, **kwargs):
        entries = release_entries()
        if not entries:
            if number is not None:
                raise Http404(_("No release has this number."))
            return self.empty(request, language)
        newest = entries[0].number
        params = self.params(request)
        key = page_key(
            type(self).__name__,
            request.build_absolute_uri("/"),
            number or "",
            newest,
            language or "",  # an explicit ?lang= is kept in every link
            repr(sorted(kwargs.items())),
            urlencode(sorted(params.items())),
        )

        def render():
            release = release_get(number or newest)
            context = self.page_context(
                request, release, entries, number, language, params, **kwargs
            )
            html = render_to_string(self.template_name, context)
            return html.encode(), "text/html; charset=utf-8"

        immutable = number is not None
        page = page_cached(key, render, immutable=immutable)
        return page_response(request, page, immutable=immutable)

    def params(self, request) -> dict:
        """The page's parameters, bounded in length: the cache keeps a page
        per value, so an address cannot fill it with made-up ones."""
        return {
            name: request.GET[name][:PARAMETER_MAX_LENGTH]
            for name in self.parameters
            if request.GET.get(name) not in (None, "")
        }

    def empty(self, request, language):
        """Nothing is published yet: a page saying so (200, not 404)."""
        html = render_to_string(
            "public/empty.html",
            {
                "links": PublicLinks(None, language),
                "languages": language_links(request.path, {}),
            },
        )
        response = HttpResponse(html)
        response["Content-Language"] = translation.get_language()
        patch_cache_control(response, public=True, max_age=LATEST_SECONDS)
        return response

    def page_context(
        self, request, release, entries, number, language, params, **kwargs
    ) -> dict:
        self.release = release
        figures = release_figures(release)
        links = PublicLinks(number, language)
        context = {
            "release": release,
            "entries": entries,
            "latest": entries[0].number == release.number,
            "newest": entries[0],
            "correction": release_correction(release, entries),
            "has_revisions": bool(figures.snapshot.get("revisions")),
            "figures": figures,
            "filters": {"year": release.year},
            "links": links,
            "tab": self.tab,
            "tabs": [
                {"key": key, "label": label, "url": links.url(key)}
                for key, label in (
                    ("overview", _("Overview")),
                    ("trends", _("Trends")),
                    ("provinces", _("Provinces")),
                    ("revisions", _("Revisions")),
                    ("files", _("Data and API")),
                )
            ],
            "site": request.build_absolute_uri("/").rstrip("/"),
            "language": language,
            "languages": language_links(request.path, params),
            "licence_url": settings.RELEASE_LICENCE_URL,
            "page_name": self.page_name(),
            "page_args": kwargs,
            "page_params": params,
        }
        context.update(self.context(figures, links, params, **kwargs))
        return context

    def page_name(self) -> str:
        return type(self).url_name

    def context(self, figures, links, params, **kwargs) -> dict:
        raise NotImplementedError

    @staticmethod
    def with_embeds(cards, links: PublicLinks, province: str | None = None):
        """Each card's embeddable addresses (its group's first target row),
        in the page's language whether or not the address named it."""
        links = PublicLinks(links.number, links.language or translation.get_language())
        for card in cards:
            position = card.evaluations[0].target.position
            params = {"province": province} if province else {}
            card.embed_card = links.url("embed_card", position, **params)
            card.embed_chart = links.url("embed_chart", position, **params)
            card.embed_pairs = [("card", card.embed_card), ("chart", card.embed_chart)]
        return cards


class OverviewView(PublicPageView):
    """The national overview of a release: the dashboards' cards, the values
    against the thresholds and where the provinces stand."""

    template_name = "public/overview.html"
    tab = "overview"
    url_name = "overview"

    def context(self, figures, links, params, **kwargs) -> dict:
        cards = self.with_embeds(cards_build(figures, NATION), links)
        on_track = on_track_map(figures, release_provinces(figures), None)
        return {
            "title": _("National overview"),
            "cards": cards,
            "overview_chart": overview_chart(cards),
            "on_track": on_track,
            "table": overview_table(figures.evaluations(NATION)),
            "timeliness": timeliness_text(figures.timeliness(NATION), figures.year),
        }


class ProvinceView(PublicPageView):
    """One province of a release: its cards, values and place on the map."""

    template_name = "public/province.html"
    tab = "provinces"
    url_name = "province"

    def context(self, figures, links, params, *, code, **kwargs) -> dict:
        provinces = release_provinces(figures)
        province = next((p for p in provinces if p.code == code), None)
        if province is None:
            raise Http404(_("Unknown province."))
        cards = self.with_embeds(cards_build(figures, code), links, code)
        return {
            "title": province.name,
            "province": province,
            "trends_url": links.url("trends", province=code),
            "cards": cards,
            "overview_chart": overview_chart(cards),
            "on_track": on_track_map(figures, provinces, {code}),
            "table": overview_table(figures.evaluations(code)),
            "timeliness": timeliness_text(figures.timeliness(code), figures.year),
        }


class TrendsView(PublicPageView):
    """Per family, the yearly values since the baseline, for the nation or a
    province (``?province=``)."""

    template_name = "public/trends.html"
    tab = "trends"
    url_name = "trends"
    parameters = ("province",)

    def context(self, figures, links, params, **kwargs) -> dict:
        provinces = release_provinces(figures)
        area = params.get("province") or NATION
        names = {p.code: p.name for p in provinces}
        if area != NATION and area not in names:
            raise Http404(_("Unknown province."))
        sections = trend_sections(figures, area)
        for index, section in enumerate(sections):
            section.chart_id = f"{section.key}-chart-{index}"
        return {
            "title": _("Trends"),
            "area": area,
            "area_name": names.get(area, _("Whole country")),
            "provinces": provinces,
            "sections": sections,
        }


class ProvincesView(PublicPageView):
    """The provinces compared for one target row (``?target=`` its position):
    a sortable table, a bar chart and a map."""

    template_name = "public/provinces.html"
    tab = "provinces"
    url_name = "provinces"
    parameters = ("target", "sort")

    def params(self, request) -> dict:
        params = super().params(request)
        params["sort"] = chosen_sort(params.get("sort"))
        target = params.get("target", "")
        if not (target.isdigit() and len(target) <= 4):
            params.pop("target", None)  # the first target row
        return params

    def context(self, figures, links, params, **kwargs) -> dict:
        targets = figures.targets
        target = next(
            (t for t in targets if str(t.position) == params.get("target")),
            targets[0],
        )
        sort = params["sort"]
        provinces = release_provinces(figures)
        rows = province_rows(figures, target, provinces, sort)
        for row in rows:
            row.url = links.url("province", row.code)
        national = figures.evaluate(target, NATION)
        return {
            "title": _("Provinces compared"),
            "target": target,
            "target_choices": [(t.position, f"{t.label} – {t.year}") for t in targets],
            "threshold_text": threshold_text(target),
            "national_value": value_text(target, national),
            "national_status": StatusView.of(national.status),
            "sort_columns": province_sort_columns(
                target,
                sort,
                lambda wanted: links.url(
                    "provinces", target=target.position, sort=wanted
                ),
            ),
            "rows": rows,
            "bar_chart": charts.province_bar_chart(
                province_bars(rows), threshold=float(target.threshold)
            ),
            "map_chart": target_map(target, rows, provinces),
        }


class RevisionsView(PublicPageView):
    """What changed since the year's previous release: each changed figure,
    old → new, with the audited changes behind it (who as a role)."""

    template_name = "public/revisions.html"
    tab = "revisions"
    url_name = "revisions"

    def context(self, figures, links, params, **kwargs) -> dict:
        revisions = figures.snapshot.get("revisions")
        previous_url = None
        if revisions:
            try:
                previous_url = PublicLinks(revisions["previous"], links.language).url(
                    "revisions"
                )
            except NoReverseMatch:
                previous_url = None
        return {
            "title": _("Revision log"),
            "revisions": revisions,
            "previous_url": previous_url,
            "changes": revision_log(figures),
        }


class ReleaseChoiceView(View):
    """The release drop-down's answer: the same page of the chosen release,
    with the parameters that page reads (bounded like the page bounds them)."""

    # Each page and the query parameters it reads.
    PAGES = {
        view.url_name: view.parameters
        for view in (
            OverviewView,
            TrendsView,
            ProvincesView,
            ProvinceView,
            RevisionsView,
        )
    } | {"files": ()}

    def get(self, request):
        number = request.GET.get("release", "")
        page = request.GET.get("page", "overview")
        page = page if page in self.PAGES else "overview"
        links = PublicLinks(number or None, language_asked(request))
        args = []
        if page == "province":
            args = [request.GET.get("code", "")[:PARAMETER_MAX_LENGTH]]
        params = {
            name: request.GET.get(name, "")[:PARAMETER_MAX_LENGTH]
            for name in self.PAGES[page]
        }
        try:
            url = links.url(page, *args, **params)
        except NoReverseMatch:
            raise Http404(_("No release has this number.")) from None
        response = HttpResponseRedirect(url)
        patch_cache_control(response, public=True, max_age=LATEST_SECONDS)
        return response
