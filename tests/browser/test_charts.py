"""The dashboards' charts in a browser, on a phone and a laptop, in Vietnamese:
each is drawn (Plotly's partial bundle, loaded as the chart comes near), the
maps are the server's SVG, no value label is covered by a target marker or cut
off at the edge, and the trend charts keep the label of their last year."""

import itertools

import pytest

from .charts import charts_drawn
from .conftest import LAPTOP, PHONE, login
from .test_dashboard import dashboard_data  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("dashboard_data")]

BOXES = """(elements) => elements.map((element) => {
  const box = element.getBoundingClientRect();
  return {text: element.textContent.trim(), left: box.left, right: box.right,
          top: box.top, bottom: box.bottom};
})"""


def boxes(page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(BOXES)


def overlap(one: dict, other: dict) -> bool:
    return (
        one["left"] < other["right"]
        and other["left"] < one["right"]
        and one["top"] < other["bottom"]
        and other["top"] < one["bottom"]
    )


def inside(box: dict, frame: dict) -> bool:
    return (
        box["left"] >= frame["left"] - 0.5
        and box["right"] <= frame["right"] + 0.5
        and box["top"] >= frame["top"] - 0.5
        and box["bottom"] <= frame["bottom"] + 0.5
    )


def value_labels_readable(page, chart: str, labels: str, *, mark: str = "") -> int:
    """Asserts that no value label of ``chart`` (the texts of ``labels`` that
    hold ``mark``) lies under a marker or beyond the chart's edge; returns how
    many there are."""
    frame = boxes(page, f"#{chart}")[0]
    values = [
        box
        for box in boxes(page, f"#{chart} {labels}")
        if box["text"] and mark in box["text"] and box["right"] > box["left"]
    ]
    markers = boxes(page, f"#{chart} .scatterlayer .point")
    for value in values:
        assert inside(value, frame), f"{chart}: {value['text']} is cut off"
        covered = [marker for marker in markers if overlap(value, marker)]
        assert covered == [], f"{chart}: {value['text']} lies under a marker"
    return len(values)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_charts_are_drawn_and_their_labels_readable(
    page, ministry_user, viewport, tmp_path
):
    page.set_viewport_size(viewport)
    login(page, ministry_user.username)

    page.goto("/reports/dashboard/?year=2024")
    charts_drawn(page)
    assert page.locator("[data-chart][data-rendered=error]").count() == 0
    assert page.locator("#overview-chart .plot-container svg.main-svg").count()
    assert page.locator("#overview-chart .trace.bars .point path").count() > 0
    assert page.locator("#on-track-map svg path[data-code]").count() == 34
    values = value_labels_readable(
        page, "overview-chart", ".annotation-text, .bartext", mark="%"
    )
    assert values > 0
    # The chart's own download button speaks the page's language.
    assert page.locator("#overview-chart .modebar-btn").first.get_attribute(
        "data-title"
    ) == ("Tải biểu đồ về (PNG)")
    page.screenshot(path=tmp_path / "overview.png", full_page=True)

    page.goto("/reports/dashboard/trends/?year=2024")
    charts_drawn(page)
    trends = page.locator("[data-chart]")
    assert trends.count() == 7
    for index in range(trends.count()):
        chart = trends.nth(index)
        assert chart.locator(".plot-container svg.main-svg").count()
        years = boxes(page, f"#{chart.get_attribute('id')} .xtick text")
        assert "2030" in [year["text"] for year in years]
        for first, second in itertools.pairwise(years):
            assert not overlap(first, second), (first["text"], second["text"])

    page.goto("/reports/dashboard/provinces/?year=2024")
    charts_drawn(page)
    assert page.locator("#provinces-bars .plot-container svg.main-svg").count()
    assert page.locator("#provinces-map svg path[data-code]").count() == 34
    assert page.locator("#provinces-map svg path[data-valued]").count() == 5
    assert value_labels_readable(page, "provinces-bars", ".bartext") > 0

    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []
