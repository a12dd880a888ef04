"""reports/progress/charts.py and maps.py: the province map drawn as SVG from
the boundaries file, and the overview chart's values where no marker covers
them."""

import re

import pytest
from django.utils import translation

from reports.progress import charts, maps
from reports.progress.progress import Status
from reports.progress.statuses import STATUS_COLOURS

CODES = ["01", "48", "56", "66", "79"]


def regions(values: dict[str, float]) -> list[maps.Region]:
    return [
        maps.Region(code=code, name=f"P{code}", value=values.get(code))
        for code in CODES
    ]


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


def test_every_province_of_the_boundaries_file_has_an_outline():
    paths, height, _place = maps._outlines()
    assert len(paths) == 34
    assert 400 < height < 700  # Vietnam is taller than wide
    for path in paths.values():
        assert re.fullmatch(r"(M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)*Z)+", path)


def test_the_map_colours_valued_provinces_and_greys_the_others(vietnamese):
    figure = maps.province_map(
        regions({"01": 0, "79": 100, "66": 50}),
        colorbar_title="%",
        zmin=0,
        zmax=100,
    )
    fills = {region["code"]: region["fill"] for region in figure["regions"]}
    assert fills["01"] == maps.SHARE_SCALE[0][1]
    assert fills["79"] == maps.SHARE_SCALE[-1][1]
    assert fills["66"] == maps.SHARE_SCALE[1][1]
    assert fills["48"] == fills["56"] == maps.NO_VALUE_COLOUR
    valued = [region["code"] for region in figure["regions"] if region["valued"]]
    assert valued == ["01", "66", "79"]


def test_the_map_writes_numbers_unlocalised_in_attributes_and_localised_in_text(
    vietnamese,
):
    figure = maps.province_map(
        regions({"01": -2.5, "79": 12.5}),
        colorbar_title="% a year",
        colorscale="RdBu",
        zmid=0,
    )
    attributes = [figure["width"], figure["height"]]
    attributes += [label[axis] for label in figure["labels"] for axis in "xy"]
    attributes += [tick["x"] for tick in figure["scale"]["ticks"]]
    for value in attributes:
        assert re.fullmatch(r"\d+(\.\d)?", value), value
    # Diverging around zmid: the range is symmetric, its ticks in Vietnamese.
    assert [tick["text"] for tick in figure["scale"]["ticks"]] == ["-12", "0", "12"]
    fills = {region["code"]: region["fill"] for region in figure["regions"]}
    assert fills["79"] == maps.NAMED_SCALES["RdBu"][-1][1]


def test_the_archipelagos_are_labelled_inside_the_map():
    figure = maps.province_map(regions({}), colorbar_title="%")
    assert [label["text"] for label in figure["labels"]] == [
        "Quần đảo Hoàng Sa",
        "Quần đảo Trường Sa",
    ]
    for label in figure["labels"]:
        assert 0 < float(label["x"]) < float(figure["width"])
        assert 0 < float(label["y"]) < float(figure["height"])
    assert figure["scale"] is None  # nothing to scale without a value


def test_overview_values_stand_beside_their_labels_not_on_the_bars(vietnamese):
    bars = [
        charts.Bar("A", 79.4, "on_track", text="79,4%", thresholds={2025: 80}),
        charts.Bar("B", None, "no_data", text="", thresholds={2025: 70}),
    ]
    figure = charts.overview_chart([("Family", bars)])
    bar_trace = figure["data"][0]
    assert bar_trace["type"] == "bar"
    assert "text" not in bar_trace
    values = [note for note in figure["layout"]["annotations"] if note["x"] == 1]
    assert [note["text"] for note in values] == ["<b>79,4%</b>"]
    assert values[0]["xref"] == "paper"
    assert values[0]["xanchor"] == "right"


def test_province_bars_stand_highest_first_in_their_status_colours():
    bars = [
        charts.Bar("B", 40.0, "limited", "Limited progress", text="40,0%"),
        charts.Bar("A", None, "no_data", "No data"),
        charts.Bar("C", 95.5, "achieved", "Achieved", text="95,5%"),
    ]
    figure = charts.province_bar_chart(bars, threshold=70)
    trace = figure["data"][0]
    assert list(trace["y"]) == ["C", "B", "A"]
    assert list(trace["x"]) == [95.5, 40.0, None]
    assert list(trace["marker"]["color"]) == [
        STATUS_COLOURS[Status.ACHIEVED],
        STATUS_COLOURS[Status.LIMITED],
        STATUS_COLOURS[Status.NO_DATA],
    ]
    assert list(trace["text"]) == ["95,5%", "40,0%", ""]
    [line] = figure["layout"]["shapes"]
    assert (line["x0"], line["x1"]) == (70, 70)
    assert figure["layout"]["height"] == 22 * 3 + 90


def test_overview_bars_take_the_status_colours_and_a_marker_per_target_year():
    bars = [
        charts.Bar("A", 79.4, "on_track", thresholds={2025: 80, 2030: 90}),
        charts.Bar("B", 12.0, "deterioration", thresholds={2025: 70}),
    ]
    with translation.override("en"):
        figure = charts.overview_chart([("Family", bars)])
    assert list(figure["data"][0]["marker"]["color"]) == [
        STATUS_COLOURS[Status.ON_TRACK],
        STATUS_COLOURS[Status.DETERIORATION],
    ]
    markers = {trace["name"]: list(trace["x"]) for trace in figure["data"][1:]}
    assert markers == {"Target 2025": [80, 70], "Target 2030": [90, None]}


def test_a_share_trend_draws_values_required_path_and_thresholds():
    line = charts.TrendLine(
        name="District public library",
        points=[(2022, 40.0), (2023, None), (2024, 58.3)],
        thresholds=[(2025, 70.0), (2030, 90.0)],
        path=[(2022, 40.0), (2025, 70.0), (2030, 90.0)],
    )
    with translation.override("en"):
        figure = charts.share_trend_chart([line], first=2022, last=2030)
    values, path, targets = figure["data"]
    assert list(values["y"]) == [40.0, None, 58.3]
    assert path["name"] == "Required path"
    assert path["line"]["dash"] == "dot"
    assert list(targets["x"]) == [2025, 2030]
    assert figure["layout"]["xaxis"]["range"] == [2021.5, 2030.5]
    assert figure["layout"]["separators"] == ".,"


def test_a_growth_trend_shades_its_target_band(vietnamese):
    figure = charts.growth_trend_chart(
        totals=[(2022, 1000), (2023, 1200)],
        growth=[(2023, 20.0)],
        threshold=10,
        upper=15,
        first=2022,
        last=2030,
        totals_name="Visits",
        band_label="Target: 10–15% a year",
    )
    threshold, band = figure["layout"]["shapes"]
    assert (threshold["y0"], threshold["y1"]) == (10, 10)
    assert (band["y0"], band["y1"]) == (10, 15)
    # The growth axis reaches beyond the highest value and below zero.
    assert figure["layout"]["yaxis2"]["range"] == [-3, 23.0]
    assert figure["layout"]["separators"] == ",."
