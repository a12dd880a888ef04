"""A release's pages are kept for good and served with an ETag and
``Cache-Control: immutable``; the latest's briefly; none sets a cookie."""

import gzip

import pytest
from django.urls import reverse

from reports.releases.services import release_publish
from tests.conftest import PROVINCE_A

from .conftest import correct

pytestmark = pytest.mark.django_db

PAGES = [
    ("public:release_overview", ["2024-1"]),
    ("public:release_trends", ["2024-1"]),
    ("public:release_provinces", ["2024-1"]),
    ("public:release_province", ["2024-1", PROVINCE_A]),
    ("public:release_revisions", ["2024-1"]),
    ("public:release_embed_card", ["2024-1", 10]),
]


@pytest.mark.parametrize("name,args", PAGES)
def test_a_numbered_page_is_immutable_with_an_etag_and_answers_304(
    client, release_2024, name, args
):
    url = reverse(name, args=args)
    response = client.get(url)

    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=31536000", "immutable"}
    etag = response["ETag"]
    assert etag.startswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_latest_pages_are_kept_briefly(client, release_2024):
    response = client.get(reverse("public:overview"))

    assert response["Cache-Control"] == "public, max-age=300"
    assert response.has_header("ETag")


@pytest.mark.parametrize("name,args", [("public:overview", []), *PAGES])
def test_public_pages_set_no_cookie_and_vary_by_language_only(
    client, release_2024, name, args
):
    response = client.get(reverse(name, args=args))

    assert not response.cookies
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    assert "cookie" not in vary
    assert "accept-language" in vary


def test_a_cached_page_is_served_without_reading_the_release(
    client, release_2024, django_assert_max_num_queries
):
    url = reverse("public:release_overview", args=["2024-1"])
    first = client.get(url)

    with django_assert_max_num_queries(1):  # the list of releases
        second = client.get(url)
    assert second.content == first.content


def test_the_latest_page_moves_to_a_new_release_at_once(
    client, release_2024, approved_2024, ministry_user, officer_a
):
    client.get(reverse("public:overview"))
    correct(approved_2024[2], ministry_user=ministry_user, officer_a=officer_a)
    release_publish(year=2024)

    html = client.get(reverse("public:overview")).content.decode()
    assert "Bản công bố chính thức 2024-2" in html


def test_each_language_is_kept_apart(client, release_2024):
    url = reverse("public:release_overview", args=["2024-1"])
    vi = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert vi["ETag"] != en["ETag"]
    assert "National overview" in en.content.decode()


def test_an_explicit_language_is_a_page_of_its_own(client, release_2024):
    url = reverse("public:release_overview", args=["2024-1"])
    plain = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    asked = client.get(url, {"lang": "en"}).content.decode()

    assert 'href="/data/2024-1/trends/"' in plain
    assert 'href="/data/2024-1/trends/?lang=en"' in asked


def test_a_page_travels_gzipped_to_browsers_that_accept_it(client, release_2024):
    url = reverse("public:release_overview", args=["2024-1"])
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) * 3 < len(plain.content)
    # Two representations: two tags, each answering its own 304.
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    again = client.get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]
    )
    assert again.status_code == 304


def test_a_kept_page_costs_no_query(client, release_2024, django_assert_num_queries):
    url = reverse("public:release_province", args=["2024-1", PROVINCE_A])
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def test_publishing_shows_the_new_release_in_the_drop_down_of_every_page(
    client, release_2024, approved_2024
):
    url = reverse("public:release_overview", args=["2024-1"])
    assert 'value="2024-2"' not in client.get(url).content.decode()

    release_publish(year=2024)

    assert 'value="2024-2"' in client.get(url).content.decode()
