"""The dashboards in a real browser, as ministry staff and as an officer: cards,
charts and the 34-province map render without console errors or requests
outside the portal; a status explanation opens; an XLSX downloads."""

import random

import pytest
from openpyxl import load_workbook

from institutions.models import Category, Institution
from reports.entry.models import AnnualReport, ReportStatus
from reports.progress.counters import counts_rebuild
from targets.services import targets_seed
from tests.conftest import PROVINCE_A, PROVINCE_B

from .charts import charts_drawn
from .conftest import LAPTOP, PHONE, login, logout

pytestmark = pytest.mark.browser

PROVINCES = ["01", "66", "79", "48", "56"]


@pytest.fixture
def dashboard_data(geography):
    """Institutions of every category in five provinces with reports from
    2022 to 2024 that improve at different paces."""
    targets_seed()
    rng = random.Random(1520)
    institutions = [
        Institution(
            code=f"B-{province}-{category}-{number}",
            name=f"{Category(category).label} {number}",
            category=category,
            province_id=province,
            opened_year=2000,
        )
        for province in PROVINCES
        for category in Category.values
        for number in range(4)
    ]
    institutions = Institution.objects.bulk_create(institutions)
    reports = []
    for inst in institutions:
        pace = rng.random()
        visits = rng.randint(500, 5000)
        for offset, year in enumerate((2022, 2023, 2024)):
            chance = min(0.95, 0.3 + pace * 0.25 * offset + rng.random() * 0.3)
            reports.append(
                AnnualReport(
                    institution=inst,
                    year=year,
                    status=ReportStatus.APPROVED,
                    lll_services=rng.random() < chance,
                    digital_transformation=rng.random() < chance,
                    education_programme=rng.random() < chance,
                    digital_exhibitions=rng.random() < chance,
                    creative_activities=rng.random() < chance,
                    clubs_and_classes=rng.random() < chance,
                    regular_activities=rng.random() < chance,
                    learning_visits=int(visits * (1 + 0.12 * pace) ** offset),
                    study_visits=int(visits * (1 + 0.08 * pace) ** offset),
                )
            )
    AnnualReport.objects.bulk_create(reports)
    counts_rebuild()


def charts_rendered(page) -> None:
    """Waits until charts.js has drawn every chart of the page."""
    charts_drawn(page)
    assert page.locator("[data-chart][data-rendered=error]").count() == 0


def map_provinces(page, chart_id: str) -> int:
    """Province shapes drawn by the map (34 when complete)."""
    return page.locator(f"#{chart_id} svg path[data-code]").count()


def check_dashboard(page, *, shots, name: str, map_id: str) -> None:
    charts_rendered(page)
    assert page.locator("[data-testid=status-card]").count() == 17
    assert page.locator("[data-testid=card-status]").first.inner_text().strip()
    assert page.locator("#overview-chart .trace.bars .point path").count() > 0
    assert map_provinces(page, map_id) == 34
    map_text = page.locator(f"#{map_id}").inner_text()
    assert "Quần đảo Hoàng Sa" in map_text
    assert "Quần đảo Trường Sa" in map_text
    assert (
        "Ranh giới tỉnh: Natural Earth"
        in page.locator("[data-testid=map-attribution]").first.inner_text()
    )
    page.screenshot(path=shots / f"{name}.png", full_page=True)


def follow_explanation(page) -> str:
    """Opens the first card's explanation and returns its text."""
    card = page.locator("[data-testid=status-card]").nth(2)
    card.locator("[data-testid=card-explain]").click()
    explanation = card.locator("[data-testid=card-explanation]")
    explanation.wait_for(state="visible")
    page.wait_for_selector(".collapse.show")
    card.scroll_into_view_if_needed()
    return explanation.inner_text()


def download_xlsx(page, testid: str, tmp_path) -> list[list]:
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    workbook = load_workbook(path, read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_dashboards_as_ministry_staff_and_as_an_officer(
    page, dashboard_data, ministry_user, officer_a, tmp_path
):
    shots = tmp_path / "screenshots"
    shots.mkdir()

    # Ministry staff: the national overview, a province page, the comparison.
    login(page, ministry_user.username)
    page.goto("/reports/dashboard/?year=2024")
    assert page.locator("html").get_attribute("lang") == "vi"
    check_dashboard(page, shots=shots, name="national-laptop", map_id="on-track-map")
    text = follow_explanation(page)
    assert "năm 2024" in text and "→" in text
    page.screenshot(path=shots / "national-explained.png")
    page.locator("[data-testid=overview-table] summary").click()
    rows = download_xlsx(page, "download-overview-xlsx", tmp_path)
    assert rows[0][0] == "Chỉ tiêu"
    assert len(rows) == 1 + 34

    page.goto(f"/reports/dashboard/provinces/{PROVINCE_A}/?year=2024")
    check_dashboard(page, shots=shots, name="province-laptop", map_id="on-track-map")
    assert page.locator("[data-testid=follow-up] tbody tr").count() > 0

    page.goto("/reports/dashboard/provinces/?year=2024")
    charts_rendered(page)
    assert map_provinces(page, "provinces-map") == 34
    assert page.locator("[data-testid=provinces-table] tbody tr").count() == 34
    page.screenshot(path=shots / "provinces-laptop.png", full_page=True)

    page.goto("/reports/dashboard/trends/?year=2024")
    charts_rendered(page)
    assert page.locator("[data-testid=trend-section]").count() == 7
    page.screenshot(path=shots / "trends-laptop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.goto("/reports/dashboard/?year=2024")
    check_dashboard(page, shots=shots, name="national-phone", map_id="on-track-map")
    page.goto("/reports/dashboard/trends/?year=2024")
    charts_rendered(page)
    page.screenshot(path=shots / "trends-phone.png", full_page=True)
    page.set_viewport_size(LAPTOP)
    logout(page)

    # The officer lands on their province and sees only it.
    login(page, officer_a.username)
    page.goto("/reports/dashboard/")
    page.wait_for_url(f"**/reports/dashboard/provinces/{PROVINCE_A}/**")
    check_dashboard(page, shots=shots, name="officer-laptop", map_id="on-track-map")
    text = follow_explanation(page)
    assert "→" in text
    rows = download_xlsx(page, "download-follow-up-xlsx", tmp_path)
    assert rows[0] == ["Mã", "Thiết chế", "Loại hình", "Cần theo dõi"]
    assert page.request.get(f"/reports/dashboard/provinces/{PROVINCE_B}/").status == 403
    page.set_viewport_size(PHONE)
    page.reload()
    check_dashboard(page, shots=shots, name="officer-phone", map_id="on-track-map")

    print(f"screenshots in {shots}")
    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []
