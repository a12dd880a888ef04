"""reports/charts.py: the province map drawn as SVG from the boundaries file,
and the overview chart's values where no marker covers them."""

import re

import pytest
from django.utils import translation

from reports.progress import charts

CODES = ["01", "48", "56", "66", "79"]


def regions(values: dict[str, float]) -> list[charts.Region]:
    return [
        charts.Region(code=code, name=f"P{code}", value=values.get(code))
        for code in CODES
    ]


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


def test_every_province_of_the_boundaries_file_has_an_outline():
    paths, height, _place = charts._outlines()
    assert len(paths) == 34
    assert 400 < height < 700  # Vietnam is taller than wide
    for path in paths.values():
        assert re.fullmatch(r"(M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)*Z)+", path)


def test_the_map_colours_valued_provinces_and_greys_the_others(vietnamese):
    figure = charts.province_map(
        regions({"01": 0, "79": 100, "66": 50}),
        colorbar_title="%",
        zmin=0,
        zmax=100,
    )
    fills = {region["code"]: region["fill"] for region in figure["regions"]}
    assert fills["01"] == charts.SHARE_SCALE[0][1]
    assert fills["79"] == charts.SHARE_SCALE[-1][1]
    assert fills["66"] == charts.SHARE_SCALE[1][1]
    assert fills["48"] == fills["56"] == charts.NO_VALUE_COLOUR
    valued = [region["code"] for region in figure["regions"] if region["valued"]]
    assert valued == ["01", "66", "79"]


def test_the_map_writes_numbers_unlocalised_in_attributes_and_localised_in_text(
    vietnamese,
):
    figure = charts.province_map(
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
    assert fills["79"] == charts.NAMED_SCALES["RdBu"][-1][1]


def test_the_archipelagos_are_labelled_inside_the_map():
    figure = charts.province_map(regions({}), colorbar_title="%")
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
