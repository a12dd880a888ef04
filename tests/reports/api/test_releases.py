"""The anonymous API of releases: the list, a release, its frozen figures in
the shape of ``manage.py progress --format json``, caching and throttling."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from rdflib import Literal
from rest_framework.test import APIClient

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.releases.catalog import catalog_graph
from reports.releases.services import release_publish
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2025, 3, 31, 9, 0, tzinfo=datetime.UTC)
CORRECTED = datetime.datetime(2025, 5, 2, 8, 30, tzinfo=datetime.UTC)


def _library(code: str, province: str):
    return InstitutionFactory(
        code=code,
        name=f"Thư viện {code}",
        category=Category.LIBRARY_DISTRICT,
        province=province,
        opened_year=2000,
    )


def releases_2024_publish() -> tuple:
    """Release 2024-1 of two approved libraries (A and B), then 2024-2 after a
    third library of A is approved."""
    for code, province in (("A-1", PROVINCE_A), ("B-1", PROVINCE_B)):
        ReportFactory(
            institution=_library(code, province),
            year=2024,
            status=ReportStatus.APPROVED,
            lll_services=True,
        )
    first = release_publish(year=2024, notes="Số liệu đầu tiên", now=PUBLISHED)
    ReportFactory(
        institution=_library("A-2", PROVINCE_A),
        year=2024,
        status=ReportStatus.APPROVED,
        lll_services=False,
    )
    second = release_publish(year=2024, notes="Đính chính", now=CORRECTED)
    return first, second


@pytest.fixture
def releases_2024(geography):
    return releases_2024_publish()


def _progress_command(**options) -> dict:
    out = io.StringIO()
    call_command(
        "progress", year=2024, approved_only=True, output="json", stdout=out, **options
    )
    return json.loads(out.getvalue())


def test_anonymous_clients_list_every_release_newest_first(releases_2024):
    response = APIClient().get("/api/v1/releases/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    _first, second = releases_2024
    listed = response.json()
    assert [r["number"] for r in listed] == ["2024-2", "2024-1"]
    assert listed[0] == {
        "number": "2024-2",
        "year": 2024,
        "sequence": 2,
        "published_at": "2025-05-02T15:30:00+07:00",
        "publisher": second.publisher,
        "notes": "Đính chính",
        "snapshot_sha256": second.snapshot_sha256,
        "previous": "2024-1",
        "links": {
            "progress": "http://testserver/api/v1/releases/2024-2/progress/",
            "page": "http://testserver/data/2024-2/",
            "zip": "http://testserver/data/2024-2/files.zip",
        },
    }
    assert listed[1]["previous"] is None


def test_a_release_is_served_for_good_with_its_etag(releases_2024):
    first, _second = releases_2024
    client = APIClient()

    response = client.get("/api/v1/releases/2024-1/")

    assert response.status_code == 200
    assert response.json()["snapshot_sha256"] == first.snapshot_sha256
    assert response["ETag"] == f'"{first.snapshot_sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get("/api/v1/releases/2024-1/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_unknown_release_is_not_found_with_a_message_naming_it(releases_2024):
    client = APIClient()

    for url in ("/api/v1/releases/2099-1/", "/api/v1/releases/2099-1/progress/"):
        vietnamese = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

        assert (vietnamese.status_code, english.status_code) == (404, 404)
        assert vietnamese.json() == {"detail": "Không có bản công bố 2099-1."}
        assert english.json() == {"detail": "No release 2099-1."}
    # A malformed number is answered in JSON too, not with the HTML 404 page.
    malformed = client.get("/api/v1/releases/latest/", HTTP_ACCEPT_LANGUAGE="en")
    assert malformed.status_code == 404
    assert malformed.json() == {"detail": "No release latest."}


def test_the_catalogue_says_release_in_vietnamese_as_the_site_does(releases_2024):
    """The site calls a release "bản công bố"; the catalogue says the same."""
    graph = catalog_graph(absolute=lambda path: f"http://testserver{path}")
    vietnamese = [
        str(text)
        for text in graph.objects()
        if isinstance(text, Literal) and text.language == "vi"
    ]

    assert any("bản công bố 2024-2" in text for text in vietnamese)
    assert not [text for text in vietnamese if "phát hành" in text]


def test_frozen_figures_are_those_the_progress_command_gave_at_publication(
    releases_2024,
):
    nation_then = _progress_command()
    province_then = _progress_command(province="1")
    # Approved after 2024-2: the live figures move, the release does not.
    ReportFactory(
        institution=_library("A-3", PROVINCE_A),
        year=2024,
        status=ReportStatus.APPROVED,
        lll_services=True,
    )
    assert _progress_command(province="1") != province_then
    client = APIClient()

    nation = client.get("/api/v1/releases/2024-2/progress/")
    province = client.get("/api/v1/releases/2024-2/progress/", {"province": "1"})

    assert nation.status_code == 200
    assert nation.json() == nation_then
    assert nation.json()["area"] == "VN"
    assert province.json() == province_then
    assert province.json()["area"] == PROVINCE_A
    assert province["Cache-Control"] == "public, max-age=31536000, immutable"
    assert province["ETag"] != nation["ETag"]
    assert (
        client.get(
            "/api/v1/releases/2024-2/progress/",
            {"province": "01"},
            HTTP_IF_NONE_MATCH=province["ETag"],
        ).status_code
        == 304
    )


def test_a_province_the_release_does_not_have_is_a_clear_400(releases_2024):
    response = APIClient().get("/api/v1/releases/2024-1/progress/", {"province": "99"})

    assert response.status_code == 400
    assert list(response.json()) == ["province"]
    assert "99" in response.json()["province"][0]
    assert (
        "Cache-Control" not in response or "immutable" not in response["Cache-Control"]
    )


def test_the_other_endpoints_still_need_a_sign_in(releases_2024):
    client = APIClient()

    assert client.get("/api/v1/progress/", {"year": 2024}).status_code == 401
    assert client.get("/api/v1/reports/").status_code == 401


@override_settings(
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"releases": "3/minute"},
    },
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
def test_each_client_is_throttled_with_a_retry_after(releases_2024):
    client = APIClient(REMOTE_ADDR="192.0.2.1")
    other = APIClient(REMOTE_ADDR="192.0.2.2")

    statuses = [client.get("/api/v1/releases/").status_code for _ in range(3)]
    throttled = client.get("/api/v1/releases/2024-1/")

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert other.get("/api/v1/releases/").status_code == 200
