"""The public pages of a release: anonymous, the release's figures only (never
live data, unapproved values, follow-up lists or names), the release
drop-down, each page in Vietnamese and English, 404 for what does not exist."""

import pytest
from django.urls import reverse

from reports.public.selectors import ReleaseEntry
from reports.public.views import release_correction
from reports.releases.services import release_publish
from tests.conftest import PROVINCE_A
from tests.reports.releases.conftest import PUBLISHED

from .conftest import card_values, correct

pytestmark = pytest.mark.django_db

DISTRICT = "Thư viện công cộng cấp huyện"


def _district(values: dict[str, str]) -> str:
    return next(value for label, value in values.items() if DISTRICT in label)


def test_anonymous_users_see_the_release_not_live_data(
    client, release_2024, approved_2024, ministry_user, officer_a
):
    public = reverse("public:release_province", args=["2024-1", PROVINCE_A])
    before = card_values(client.get(public).content.decode())
    # A: 2 of 4 active district libraries approved with services; the
    # submitted report (services too) is not in the release.
    assert _district(before) == "50,0%"

    client.force_login(ministry_user)
    dashboard = reverse("reports:province", args=[PROVINCE_A]) + "?year=2024"
    live_before = card_values(client.get(dashboard).content.decode())
    correct(approved_2024[2], ministry_user=ministry_user, officer_a=officer_a)
    live_after = card_values(client.get(dashboard).content.decode())
    client.logout()

    assert _district(live_before) != _district(live_after)
    after = card_values(client.get(public).content.decode())
    assert after == before
    latest = client.get(reverse("public:province", args=[PROVINCE_A]))
    assert _district(card_values(latest.content.decode())) == "50,0%"


@pytest.mark.parametrize(
    "name,args",
    [
        ("public:overview", []),
        ("public:release_overview", ["2024-1"]),
        ("public:release_trends", ["2024-1"]),
        ("public:release_provinces", ["2024-1"]),
        ("public:release_province", ["2024-1", PROVINCE_A]),
        ("public:release_revisions", ["2024-1"]),
    ],
)
def test_pages_hold_no_name_follow_up_or_institution(
    client, release_2024, officer_a, name, args
):
    officer_a.first_name, officer_a.last_name = "Bảo", "Nguyễn Văn"
    officer_a.save()
    response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="vi")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="release-banner"' in html
    for secret in (officer_a.username, "Nguyễn Văn", "Thư viện A-1"):
        assert secret not in html
    assert 'data-testid="follow-up"' not in html
    assert "csrfmiddlewaretoken" not in html


def test_the_banner_says_which_release_and_the_drop_down_lists_every_release(
    client, release_2024, approved_2024, ministry_user, officer_a
):
    correct(approved_2024[2], ministry_user=ministry_user, officer_a=officer_a)
    release_publish(year=2024, notes="Đính chính")

    html = client.get(reverse("public:overview")).content.decode()
    assert "Bản công bố chính thức 2024-2" in html
    assert "Đính chính" in html
    assert html.index('value="2024-2"') < html.index('value="2024-1"')
    assert "2024-2 (mới nhất)" in html
    old = client.get(reverse("public:release_overview", args=["2024-1"]))
    assert "Đã được đính chính bởi bản công bố 2024-2." in old.content.decode()
    assert 'href="/data/2024-2/" data-testid="release-correction-link"' in (
        old.content.decode()
    )
    # Only a correction has a revision log to point to.
    assert 'data-testid="release-revisions-link"' not in old.content.decode()
    assert 'data-testid="release-revisions-link"' in html
    # The nation: 3 of 5 district libraries in 2024-1, 4 of 5 in 2024-2.
    assert _district(card_values(old.content.decode())) == "60,0%"
    assert _district(card_values(html)) == "80,0%"


def test_the_drop_down_opens_the_same_page_of_the_chosen_release(client, release_2024):
    response = client.get(
        reverse("public:choose"),
        {"release": "2024-1", "page": "province", "code": PROVINCE_A, "lang": "en"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("public:release_province", args=["2024-1", PROVINCE_A]) + "?lang=en"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/data/2099-1/",
        "/data/2099-1/trends/",
        "/data/2024-1/provinces/99/",
        "/data/2024-1/trends/?province=99",
        "/data/2024-1/embed/9999/card/",
    ],
)
def test_what_does_not_exist_is_not_found(client, release_2024, url):
    assert client.get(url).status_code == 404


def test_before_any_release_the_page_says_so(client, geography):
    response = client.get(reverse("public:overview"))

    assert response.status_code == 200
    assert 'data-testid="public-empty"' in response.content.decode()
    assert client.get("/data/2024-1/").status_code == 404


@pytest.mark.parametrize(
    "headers,query,heading",
    [
        ({"HTTP_ACCEPT_LANGUAGE": "vi"}, {}, "Tổng quan toàn quốc"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, {}, "National overview"),
        ({"HTTP_ACCEPT_LANGUAGE": "vi"}, {"lang": "en"}, "National overview"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, {"lang": "vi"}, "Tổng quan toàn quốc"),
    ],
)
def test_pages_speak_vietnamese_and_english(
    client, release_2024, headers, query, heading
):
    response = client.get(
        reverse("public:release_overview", args=["2024-1"]), query, **headers
    )

    assert heading in response.content.decode()
    assert response["Content-Language"] == ("en" if "National" in heading else "vi")


def test_a_language_asked_in_the_address_is_kept_in_every_link(client, release_2024):
    html = client.get(
        reverse("public:release_overview", args=["2024-1"]), {"lang": "en"}
    ).content.decode()

    assert 'href="/data/2024-1/trends/?lang=en"' in html
    assert 'href="/data/2024-1/embed/10/card/?lang=en"' in html
    assert 'href="/data/2024-1/?lang=vi"' in html  # the other language


def test_provinces_compare_a_chosen_target_row(client, release_2024):
    response = client.get(
        reverse("public:release_provinces", args=["2024-1"]),
        {"target": "20", "sort": "-value"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    html = response.content.decode()
    assert '<option value="20" selected>' in html
    assert 'aria-sort="descending"' in html
    assert html.count('data-testid="provinces-table"') == 1


def test_methodology_explains_releases_to_anonymous_users(client, geography):
    html = client.get(reverse("methodology")).content.decode()

    assert 'id="releases"' in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html


def test_anonymous_home_points_to_the_public_data(client, geography):
    html = client.get(reverse("home")).content.decode()

    assert 'data-testid="home-public"' in html
    assert f'href="{reverse("public:overview")}"' in html


def _entries(*numbers: str) -> list[ReleaseEntry]:
    return [
        ReleaseEntry(number, int(number[:4]), PUBLISHED, index == 0)
        for index, number in enumerate(numbers)
    ]


def test_only_a_newer_release_of_the_same_year_corrects_a_release(release_2024):
    entries = _entries("2024-2", "2024-1", "2023-1")

    assert release_correction(release_2024, entries) == "2024-2"
    release_2024.year, release_2024.number = 2023, "2023-1"
    assert release_correction(release_2024, entries) is None


def test_an_older_year_names_the_latest_release_without_calling_it_replaced(
    client, release_2024
):
    from django.core.cache import cache

    from reports.releases.models import RELEASE_LIST_KEY

    # A release of a later year, as the list of releases reads it.
    cache.set(RELEASE_LIST_KEY, _entries("2025-1", "2024-1"), None)
    html = client.get(
        reverse("public:release_overview", args=["2024-1"]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()

    assert "Bản công bố mới nhất là 2025-1 (số liệu năm 2025)." in html
    assert "đính chính bởi" not in html


@pytest.mark.parametrize(
    "query,location",
    [
        (
            {"release": "2024-1", "page": "trends", "province": PROVINCE_A},
            f"/data/2024-1/trends/?province={PROVINCE_A}",
        ),
        (
            {
                "release": "2024-1",
                "page": "provinces",
                "target": "130",
                "sort": "value",
            },
            "/data/2024-1/provinces/?target=130&sort=value",
        ),
        (
            {"release": "2024-1", "page": "overview", "province": PROVINCE_A},
            "/data/2024-1/",
        ),
        (
            {"release": "2024-1", "page": "trends", "province": "x" * 500},
            "/data/2024-1/trends/?province=xxxxxxxx",
        ),
    ],
)
def test_the_drop_down_keeps_the_parameters_the_page_reads(
    client, release_2024, query, location
):
    response = client.get(reverse("public:choose"), query)

    assert response.status_code == 302
    assert response["Location"] == location


def test_the_drop_down_form_carries_the_page_parameters(client, release_2024):
    trends = client.get(
        reverse("public:trends"), {"province": PROVINCE_A}
    ).content.decode()
    provinces = client.get(
        reverse("public:provinces"), {"target": "20", "sort": "value"}
    ).content.decode()

    assert f'<input type="hidden" name="province" value="{PROVINCE_A}">' in trends
    assert '<input type="hidden" name="target" value="20">' in provinces
    assert '<input type="hidden" name="sort" value="value">' in provinces


def test_tabs_wrap_and_status_badges_stay_on_one_line(client, release_2024):
    html = client.get(reverse("public:provinces")).content.decode()

    assert 'class="nav nav-tabs dashboard-tabs flex-wrap mb-3"' in html
    assert "status-badge text-nowrap" in html


def test_public_pages_name_the_data_licence_in_the_footer(client, release_2024):
    html = client.get(reverse("public:overview"), HTTP_ACCEPT_LANGUAGE="vi")
    html = html.content.decode()

    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license" '
        'data-testid="footer-data-licence">Dữ liệu: CC BY 4.0</a>'
    ) in html
    assert "Phần mềm: GPL-3.0-or-later" in html


def test_methodology_shows_the_public_header_to_anonymous_readers(
    client, geography, ministry_user
):
    anonymous = client.get(reverse("methodology")).content.decode()
    client.force_login(ministry_user)
    signed_in = client.get(reverse("methodology")).content.decode()

    assert 'data-testid="public-nav"' in anonymous
    assert 'href="/data/trends/"' in anonymous
    assert 'data-testid="public-nav"' not in signed_in
