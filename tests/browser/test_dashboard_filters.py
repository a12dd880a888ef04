"""The dashboard filters in a person's hands: on every tab, choosing a year,
an area or approved reports only and pressing Show shows what was chosen.

The year options once carried localised values (2.024, 2,024): the form
could not read them and the page fell back to its default year.
"""

import re

import pytest

from institutions.models import Category, Institution
from reports.entry.models import AnnualReport, ReportStatus
from reports.progress.counters import counts_rebuild
from targets.services import targets_seed
from tests.conftest import PROVINCE_A, PROVINCE_B

from .conftest import login

pytestmark = pytest.mark.browser

SHOW = {"vi": "Xem", "en": "Show"}
YEARS = (2022, 2023, 2024, 2025)
CHOSEN = "2024"  # not the year the dashboards open on (2025)
TABS = ["overview", "trends", "provinces", "province"]


@pytest.fixture
def ministry(page, ministry_user, geography):
    """Reports of two provinces for 2022 to 2025, all in, so the dashboards
    open on 2025; ministry staff logged in."""
    targets_seed()
    institutions = Institution.objects.bulk_create(
        Institution(
            code=f"F-{province}-{category}",
            name=f"{Category(category).label} {province}",
            category=category,
            province_id=province,
            opened_year=2000,
        )
        for province in (PROVINCE_A, PROVINCE_B)
        for category in Category.values
    )
    AnnualReport.objects.bulk_create(
        AnnualReport(
            institution=institution,
            year=year,
            status=ReportStatus.APPROVED if year < 2025 else ReportStatus.SUBMITTED,
            lll_services=year % 2 == 0,
            learning_visits=1000 + year,
        )
        for institution in institutions
        for year in YEARS
    )
    counts_rebuild()
    login(page, ministry_user.username)
    return page


def _open(page, tab: str, language: str) -> None:
    page.goto("/reports/dashboard/")
    if language != "vi":
        page.click(f"[data-testid=language-{language}]")
        page.wait_for_load_state()
    if tab == "province":
        page.select_option("select[name=province]", PROVINCE_A)
        _show(page, language)
    elif tab != "overview":
        page.click(f"[data-testid=tab-{tab}]")
        page.wait_for_load_state()


def _show(page, language: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=SHOW[language], exact=True).click()


def _query(page) -> str:
    return page.url.partition("?")[2]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("tab", TABS)
def test_choosing_a_year_shows_that_year(ministry, tab, language):
    page = ministry
    _open(page, tab, language)
    year = page.locator("select[name=year]")
    assert year.input_value() != CHOSEN

    year.select_option(CHOSEN)
    _show(page, language)

    assert re.search(rf"(^|&)year={CHOSEN}(&|$)", _query(page)), page.url
    assert year.input_value() == CHOSEN
    heading = page.locator("h1").inner_text()
    if tab == "trends":  # every year on one chart: the heading names the area
        assert CHOSEN not in heading
    else:
        assert heading.endswith(f"· {CHOSEN}"), heading
    assert page.recorder.external_hosts() == set()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("tab", ["overview", "trends", "province"])
def test_choosing_an_area_shows_that_area(ministry, tab, language):
    page = ministry
    _open(page, tab, language)
    area = page.locator("select[name=province]")
    chosen = area.locator(f"option[value='{PROVINCE_B}']").inner_text().strip()

    area.select_option(PROVINCE_B)
    _show(page, language)

    if tab == "trends":
        assert re.search(rf"(^|&)province={PROVINCE_B}(&|$)", _query(page))
    else:  # each province has its own page
        assert f"/reports/dashboard/provinces/{PROVINCE_B}/" in page.url
    assert area.input_value() == PROVINCE_B
    assert chosen in page.locator("h1").inner_text()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("tab", TABS)
def test_approved_reports_only_stays_chosen(ministry, tab, language):
    page = ministry
    _open(page, tab, language)
    approved = page.locator("input[name=approved]")
    assert not approved.is_checked()
    page.locator("select[name=year]").select_option(CHOSEN)

    approved.check()
    _show(page, language)

    query = _query(page)
    assert re.search(r"(^|&)approved=on(&|$)", query), page.url
    assert re.search(rf"(^|&)year={CHOSEN}(&|$)", query), page.url
    assert approved.is_checked()
