"""The embeddable card and chart: only they may be framed by another site."""

import pytest
from django.urls import reverse

from tests.conftest import PROVINCE_A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,args",
    [
        ("public:release_embed_card", ["2024-1", 10]),
        ("public:release_embed_chart", ["2024-1", 10]),
        ("public:embed_card", [10]),
        ("public:embed_chart", [250]),
    ],
)
def test_embeds_may_be_framed_anywhere(client, release_2024, name, args):
    response = client.get(reverse(name, args=args), {"province": PROVINCE_A})

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert 'data-testid="embed-back"' in html
    assert f"/provinces/{PROVINCE_A}/" in html


@pytest.mark.parametrize(
    "url",
    ["/data/", "/data/2024-1/", "/data/2024-1/revisions/", "/methodology/"],
)
def test_every_other_page_refuses_to_be_framed(client, release_2024, url):
    response = client.get(url)

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_each_public_card_shows_its_iframe_snippet(client, release_2024):
    html = client.get(reverse("public:release_overview", args=["2024-1"])).content
    html = html.decode()

    assert html.count('data-testid="embed-snippet"') == html.count(
        'data-testid="status-card"'
    )
    assert (
        "&lt;iframe src=&quot;http://testserver/data/2024-1/embed/10/card/?lang=vi&quot;"
        in html
        or '&lt;iframe src="http://testserver/data/2024-1/embed/10/card/?lang=vi"'
        in html
    )


def test_the_card_of_the_nation_and_of_a_province(client, release_2024):
    nation = client.get(reverse("public:release_embed_card", args=["2024-1", 10]))
    province = client.get(
        reverse("public:release_embed_card", args=["2024-1", 10]),
        {"province": PROVINCE_A},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert "Toàn quốc" in nation.content.decode()
    assert "Hà Nội" in province.content.decode()


def test_snippets_name_the_page_language_and_where_an_embed_shows(client, release_2024):
    url = reverse("public:release_overview", args=["2024-1"])
    vietnamese = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '/data/2024-1/embed/10/chart/?lang=vi" title=' in vietnamese
    assert '/data/2024-1/embed/10/card/?lang=en" title=' in english
    assert "trình duyệt không hiển thị phần nhúng trong một tệp mở từ máy tính" in (
        vietnamese
    )


def test_the_chart_embed_is_sized_by_its_frame(client, release_2024):
    import json
    import re

    html = client.get(
        reverse("public:release_embed_chart", args=["2024-1", 10])
    ).content.decode()
    chart = json.loads(
        re.search(r'id="embed-chart-data"[^>]*>(.+?)</script>', html).group(1)
    )
    overview = client.get(
        reverse("public:release_overview", args=["2024-1"])
    ).content.decode()

    assert "height" not in chart["layout"]
    assert chart["layout"]["legend"]["orientation"] == "h"
    assert 'class="p-2 bg-white embed-fill"' in html
    assert 'width="640" height="480"' in overview.replace("&quot;", '"')
