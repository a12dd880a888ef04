"""Page weight: what a first load of each main page asks the browser to fetch.
No page loads the full Plotly bundle, no script blocks the first paint, the
maps come drawn in the page, and every page has a meta description. The
transferred bytes and Lighthouse scores are measured by ``make lighthouse``."""

import json
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from institutions.models import Category
from targets.services import targets_seed
from tests.conftest import PROVINCE_A

from .test_figures import institution, report

DASHBOARDS = [
    reverse("reports:dashboard"),
    reverse("reports:trends"),
    reverse("reports:provinces"),
    reverse("reports:province", args=[PROVINCE_A]),
]
# Plotly's partial bundle holds the traces the charts draw, and only them.
TRACES_DRAWN = {"bar", "scatter"}


@pytest.fixture
def reported(geography):
    """Targets and two years of reports of a district library in Hà Nội."""
    targets_seed()
    library = institution(Category.LIBRARY_DISTRICT)
    report(library, 2022, lll_services=False, digital_transformation=True)
    report(library, 2024, lll_services=True, digital_transformation=True)


class Tags(HTMLParser):
    """The script, stylesheet and meta tags of a page, with their attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[dict] = []
        self.metas: list[dict] = []
        self.figures: list[dict] = []
        self._in_data = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_data = dict(attrs).get("type") == "application/json"
        elif tag == "meta":
            self.metas.append(dict(attrs))

    def handle_endtag(self, tag):
        self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.figures.append(json.loads(data))


def page_tags(client, address: str) -> Tags:
    response = client.get(address, {"year": 2024})
    assert response.status_code == 200, address
    return Tags(response.content.decode())


def external_scripts(tags: Tags) -> list[dict]:
    return [attrs for attrs in tags.scripts if "src" in attrs]


@pytest.mark.parametrize("address", DASHBOARDS)
def test_dashboards_load_plotly_partial_bundle_only_through_charts_js(
    client, ministry_user, reported, address
):
    client.force_login(ministry_user)
    response = client.get(address, {"year": 2024})
    html = response.content.decode()
    assert "plotly.min.js" not in html
    assert "geojson" not in html  # the maps are drawn in the page
    sources = [attrs["src"] for attrs in external_scripts(Tags(html))]
    assert not any("plotly" in source for source in sources)
    charts = [attrs for attrs in external_scripts(Tags(html)) if "data-plotly" in attrs]
    assert len(charts) == 1
    assert charts[0]["src"].endswith("js/charts.js")
    assert charts[0]["data-plotly"].endswith("vendor/plotly/plotly-basic.min.js")


def test_the_partial_bundle_is_installed_and_small():
    bundle = finders.find("vendor/plotly/plotly-basic.min.js")
    assert bundle, "npm ci installs plotly.js-basic-dist-min"
    with open(bundle, encoding="utf-8") as file:
        size = len(file.read().encode())
    assert size < 1_300_000  # the full bundle is 4.8 MB
    vendors = [entry for entry in settings.STATICFILES_DIRS if isinstance(entry, tuple)]
    assert not any("package_data" in str(path) for _prefix, path in vendors)


def test_the_charts_draw_only_traces_of_the_partial_bundle(
    client, ministry_user, reported
):
    client.force_login(ministry_user)
    for address in DASHBOARDS:
        figures = page_tags(client, address).figures
        assert figures, address
        for figure in figures:
            assert {trace["type"] for trace in figure["data"]} <= TRACES_DRAWN


@pytest.mark.parametrize(
    ("user", "address"),
    [
        ("ministry_user", DASHBOARDS[0]),
        ("ministry_user", DASHBOARDS[1]),
        ("ministry_user", DASHBOARDS[2]),
        ("officer_a", DASHBOARDS[3]),
        ("officer_a", reverse("institutions:list")),
        ("officer_a", reverse("reports:sheet")),
        (None, reverse("login")),
    ],
)
def test_every_script_is_deferred_and_every_page_has_a_description(
    client, request, reported, user, address
):
    if user:
        client.force_login(request.getfixturevalue(user))
    tags = page_tags(client, address)
    scripts = external_scripts(tags)
    assert scripts, address
    blocking = [
        attrs["src"]
        for attrs in scripts
        if "defer" not in attrs and "async" not in attrs
    ]
    assert blocking == [], address
    # Inline blocks are data only (json_script), never code.
    assert all(
        attrs.get("type") == "application/json"
        for attrs in tags.scripts
        if "src" not in attrs
    )
    descriptions = [
        attrs["content"] for attrs in tags.metas if attrs.get("name") == "description"
    ]
    assert len(descriptions) == 1
    assert "Quyết định 1520" in descriptions[0]
