"""reports/progress/charts.py and maps.py: the province map drawn as SVG from
the boundaries file, and the overview chart's values where no marker covers
them."""

import re

import pytest
from django.utils import translation
from django.utils.html import json_script

from institutions.models import Province
from reports.progress import charts, maps
from reports.progress.display import cards_build, overview_chart
from reports.progress.figures import NATION
from reports.progress.progress import Status
from reports.progress.statuses import STATUS_COLOURS
from reports.progress.tables import province_rows, trend_sections
from tests.reports.progress import examples, plotly_charts

CODES = ["01", "48", "56", "66", "79"]
PROVINCES = [
    Province(code=code, name=f"P{code}", name_sort=f"p{code}")
    for code in ("01", "48", "79")
]


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


# The plain dicts against Plotly's figure objects ---------------------------------

LONG = "Thư viện cấp xã, phường, đặc khu và các điểm bưu điện văn hóa xã"


def _same_bytes(new: dict, old: dict) -> None:
    # What the page embeds: json_script of the figure.
    assert json_script(new, "chart") == json_script(old, "chart")


def _bar(label, value, status="no_data", thresholds=None, text=""):
    return charts.Bar(
        label, value, status, str(Status(status).label), text, thresholds or {}
    )


OVERVIEW_CASES = {
    "empty": [],
    "a family without bars": [("Family", [])],
    "families with values, gaps and two target years": [
        (
            "Thư viện",
            [
                _bar("A", 79.4, "on_track", {2025: 80.0, 2030: 90.0}, "79,4%"),
                _bar(LONG, None, "no_data", {2025: 70.0}),
                _bar("C", 100.0, "achieved", {2030: 95.0}, "100,0%"),
            ],
        ),
        (LONG, [_bar("D", 0.0, "deterioration", {2025: 40}, "0,0%")]),
    ],
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("case", OVERVIEW_CASES)
def test_the_overview_chart_is_plotlys_json_byte_for_byte(language, case):
    with translation.override(language):
        for unit in ("%", " điểm"):
            groups = OVERVIEW_CASES[case]
            _same_bytes(
                charts.overview_chart(groups, unit=unit),
                plotly_charts.overview_chart(groups, unit=unit),
            )


def _trend_lines(count: int) -> list[charts.TrendLine]:
    return [
        charts.TrendLine(
            name=f"{LONG} {index}",
            points=[(2022, 40.0 + index), (2023, None), (2024, 58.3)],
            thresholds=[(2025, 70.0), (2030, 90.0)],
            path=[(2022, 40.0), (2025, 70.0), (2030, 90.0)] if index % 2 else [],
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("count", [0, 1, 9])
def test_a_share_trend_chart_is_plotlys_json_byte_for_byte(language, count):
    with translation.override(language):
        lines = _trend_lines(count)
        _same_bytes(
            charts.share_trend_chart(lines, first=2022, last=2030),
            plotly_charts.share_trend_chart(lines, first=2022, last=2030),
        )


GROWTH_CASES = {
    "no year yet": {"totals": [], "growth": [], "threshold": 10.0, "upper": None},
    "a band": {
        "totals": [(2022, 1000), (2023, 1200), (2024, 0)],
        "growth": [(2023, 20.0), (2024, None)],
        "threshold": 10.0,
        "upper": 15.0,
    },
    "a decline below the threshold": {
        "totals": [(2022, 1_234_567), (2023, 987_654)],
        "growth": [(2023, -20.0)],
        "threshold": 5,
        "upper": None,
    },
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("case", GROWTH_CASES)
def test_a_growth_trend_chart_is_plotlys_json_byte_for_byte(language, case):
    arguments = {
        **GROWTH_CASES[case],
        "first": 2022,
        "last": 2030,
        "totals_name": "Lượt tham quan",
        "band_label": "Chỉ tiêu: 10–15% mỗi năm",
    }
    with translation.override(language):
        _same_bytes(
            charts.growth_trend_chart(**arguments),
            plotly_charts.growth_trend_chart(**arguments),
        )


PROVINCE_CASES = {
    "no province": ([], 70.0),
    "34 provinces, some without a value": (
        [
            _bar(f"Tỉnh {code:02d}", None if code % 7 == 0 else code * 2.9, "limited")
            for code in range(1, 35)
        ],
        70.0,
    ),
    "no threshold": ([_bar("A", 12.5, "on_track", text="12,5")], None),
    "a whole threshold": ([_bar("A", 5, "achieved")], 70),
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("case", PROVINCE_CASES)
def test_a_province_bar_chart_is_plotlys_json_byte_for_byte(language, case):
    bars, threshold = PROVINCE_CASES[case]
    with translation.override(language):
        for unit in ("%", "% a year"):
            _same_bytes(
                charts.province_bar_chart(bars, threshold=threshold, unit=unit),
                plotly_charts.province_bar_chart(bars, threshold=threshold, unit=unit),
            )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_dashboards_charts_of_the_worked_example_are_plotlys_json(
    language, monkeypatch
):
    """Every chart the dashboards draw from figures (the overview's cards,
    each family's trends), built from the worked example with a growth row."""
    calls = []

    def spy(name, chart):
        def drawn(*args, **kwargs):
            result = chart(*args, **kwargs)
            calls.append((name, args, kwargs, result))
            return result

        return drawn

    for name in (
        "overview_chart",
        "share_trend_chart",
        "growth_trend_chart",
        "province_bar_chart",
    ):
        monkeypatch.setattr(charts, name, spy(name, getattr(charts, name)))
    targets = [*examples.worked_targets(), examples.growth_target(upper=15)]
    figures = examples.worked_figures(targets=targets)
    figures.panel[NATION, "museum", 2023, "study_visits", 2022] = [3, 1000, 1150]
    with translation.override(language):
        overview_chart(cards_build(figures, NATION))
        trend_sections(figures, NATION)
        rows = province_rows(figures, targets[0], PROVINCES, "name")
        charts.province_bar_chart(
            [_bar(row.name, row.value, row.status.code) for row in rows],
            threshold=float(targets[0].threshold),
        )
        assert sorted({name for name, *_rest in calls}) == [
            "growth_trend_chart",
            "overview_chart",
            "province_bar_chart",
            "share_trend_chart",
        ]
        for name, args, kwargs, result in calls:
            _same_bytes(result, getattr(plotly_charts, name)(*args, **kwargs))


def test_the_charts_are_built_without_plotlys_figure_objects(monkeypatch):
    # Building a go.Figure cost a cold dashboard 20 ms; the page needs its JSON.
    def refused(*args, **kwargs):
        raise AssertionError("plotly.graph_objects at request time")

    monkeypatch.setattr(plotly_charts.go, "Figure", refused)
    groups = OVERVIEW_CASES["families with values, gaps and two target years"]
    charts.overview_chart(groups)
    charts.share_trend_chart(_trend_lines(3), first=2022, last=2030)
    charts.growth_trend_chart(
        **GROWTH_CASES["a band"],
        first=2022,
        last=2030,
        totals_name="Visits",
        band_label="10–15%",
    )
    charts.province_bar_chart(PROVINCE_CASES["no threshold"][0], threshold=None)
