"""reports/progress/tables.py: the dashboards' tables hold the figures, words
and order that the pages show and the downloads write."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from institutions.models import Province
from reports.progress.figures import NATION
from reports.progress.tables import (
    Table,
    chosen_sort,
    chosen_target,
    on_track_map,
    overview_table,
    province_rows,
    provinces_table,
    target_map,
    trend_sections,
    trends_table,
)
from tests.reports.progress.examples import (
    DISTRICT,
    share_target,
    worked_figures,
    worked_targets,
)

PROVINCES = [
    Province(code="01", name="Hà Nội", name_sort="ha noi"),
    Province(code="48", name="Đà Nẵng", name_sort="da nang"),
    Province(code="79", name="Hồ Chí Minh", name_sort="ho chi minh"),
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_overview_table_has_a_row_per_target_with_its_figures():
    table = overview_table(worked_figures().evaluations("01"))
    assert table.columns[:5] == [
        "Target",
        "Target year",
        "Threshold",
        "Value",
        "Status",
    ]
    assert table.columns[-1] == "Explanation"
    assert table.plain == {1}
    first = dict(zip(table.columns, table.rows[0], strict=True))
    assert first["Target year"] == 2025
    assert first["Threshold"] == "70%"
    assert first["Value"] == 58.3
    assert first["Status"] == "Acceleration needed"
    assert first["Meeting every criterion"] == 7
    assert first["Active institutions"] == 12
    assert first["Reporting"] == 10
    assert first["Reporting rate (%)"] == 83.3
    assert first["Like-for-like panel"] is None
    assert first["Explanation"].startswith("58.3% in 2024, needs 10.0 points")
    assert [row[4] for row in table.rows] == [
        "Acceleration needed",
        "On track",
        "Deterioration",
    ]


@pytest.mark.parametrize(
    ("sort", "codes"),
    [
        ("name", ["48", "01", "79"]),
        ("-name", ["79", "01", "48"]),
        ("value", ["01", "79", "48"]),  # no value last
        ("-value", ["79", "01", "48"]),  # no value last here too
        ("status", ["48", "79", "01"]),  # in the order of Status
    ],
)
def test_province_rows_sort_as_asked(sort, codes):
    rows = province_rows(worked_figures(), share_target(), PROVINCES, sort)
    assert [row.code for row in rows] == codes


def test_province_rows_carry_value_rate_and_status():
    rows = province_rows(worked_figures(), share_target(), PROVINCES, "name")
    by_code = {row.code: row for row in rows}
    assert (by_code["01"].value, by_code["01"].reporting_rate) == (58.3, 83.3)
    assert by_code["01"].status.label == "Acceleration needed"
    assert (by_code["48"].value, by_code["48"].reporting_rate) == (None, None)
    assert by_code["48"].status.code == "no_data"


def test_an_unknown_sort_or_target_falls_back_to_the_first():
    targets = worked_targets()
    for index, target in enumerate(targets):
        target.pk = index + 1
    assert chosen_sort("-value") == "-value"
    assert chosen_sort("-password") == "name"
    assert chosen_sort(None) == "name"
    assert chosen_target(targets, "2") is targets[1]
    assert chosen_target(targets, "99") is targets[0]


def test_the_provinces_table_lists_rows_in_the_order_given():
    rows = province_rows(worked_figures(), share_target(), PROVINCES, "-value")
    table = provinces_table(share_target(), rows)
    assert table.columns[:4] == ["Province code", "Province", "Value", "Status"]
    assert [row[:4] for row in table.rows] == [
        ["79", "Hồ Chí Minh", 100.0, "Achieved"],
        ["01", "Hà Nội", 58.3, "Acceleration needed"],
        ["48", "Đà Nẵng", None, "No data"],
    ]


def test_the_target_map_says_value_and_status_of_each_province():
    rows = province_rows(worked_figures(), share_target(), PROVINCES, "name")
    regions = {
        r["code"]: r for r in target_map(share_target(), rows, PROVINCES)["regions"]
    }
    assert regions["01"]["title"] == "Hà Nội: 58.3% · Acceleration needed"
    assert regions["48"]["title"] == "Đà Nẵng: No data"
    assert not regions["48"]["valued"]


def test_the_on_track_map_counts_targets_achieved_or_on_track():
    chart, table = on_track_map(worked_figures(), PROVINCES, None)
    # Hà Nội: district 2025 acceleration needed, commune deterioration;
    # Hồ Chí Minh: district achieved, commune without a value.
    assert table.rows == [
        ["01", "Hà Nội", 2, 0],
        ["48", "Đà Nẵng", 0, 0],
        ["79", "Hồ Chí Minh", 1, 1],
    ]
    titles = {r["code"]: r["title"] for r in chart["regions"]}
    assert titles["79"] == "Hồ Chí Minh: 1 of 1 targets achieved or on track"
    assert titles["48"] == "Đà Nẵng"


def test_the_on_track_map_keeps_to_the_visible_provinces():
    _chart, table = on_track_map(worked_figures(), PROVINCES, {"79"})
    assert [row[0] for row in table.rows] == ["79"]


def test_trends_give_each_year_of_each_group_and_flatten_for_export():
    sections = trend_sections(worked_figures(), NATION)
    assert [section.kind for section in sections] == ["share"]
    section = sections[0]
    assert section.table.columns[0] == "Year"
    assert section.table.rows == [
        [2022, 65.0, 20.0],
        [2023, 0.0, 0.0],
        [2024, 77.3, 0.0],
    ]
    table = trends_table(sections)
    assert table.columns == ["Target", "Series", "Year", "Value"]
    assert len(table.rows) == 6
    assert table.rows[0][2:] == [2022, 65.0]
    assert {row[0] for row in table.rows} == {section.label}


def test_a_required_path_runs_from_the_base_value_to_each_threshold():
    section = trend_sections(worked_figures(), "01")[0]
    district = next(
        trace for trace in section.chart["data"] if trace.get("name") == "Required path"
    )
    assert list(district["x"]) == [2022, 2025, 2030]
    assert list(district["y"]) == [40.0, 70.0, 90.0]
    assert DISTRICT in worked_targets()[0].categories


def timely_figures():
    """The worked example with a reporting period in 2024: 5 of Hà Nội's 12
    district libraries and 9 of Hồ Chí Minh's 10 submitted on time."""
    figures = worked_figures()
    figures.period_years = {2024}
    for area, on_time in (("01", 5), ("79", 9), (NATION, 14)):
        figures.on_time[area, DISTRICT, 2024] = on_time
    return figures


def test_the_on_time_columns_stand_beside_the_reporting_rate():
    table = overview_table(timely_figures().evaluations("01"))
    at = table.columns.index("Reporting rate (%)")
    assert table.columns[at + 1 : at + 3] == ["On time", "On-time rate (%)"]
    first = dict(zip(table.columns, table.rows[0], strict=True))
    assert (first["On time"], first["On-time rate (%)"]) == (5, 41.7)
    # Without a reporting period there is no timeliness to show.
    first = dict(
        zip(
            table.columns,
            overview_table(worked_figures().evaluations("01")).rows[0],
            strict=True,
        )
    )
    assert (first["On time"], first["On-time rate (%)"]) == (None, None)


def test_the_provinces_table_and_its_download_carry_the_on_time_rate():
    figures = timely_figures()
    rows = province_rows(figures, share_target(), PROVINCES, "name")
    assert {row.code: row.on_time_rate for row in rows} == {
        "01": 41.7,
        "48": None,
        "79": 90.0,
    }
    table = provinces_table(share_target(), rows)
    column = table.columns.index("On-time rate (%)")
    assert [row[column] for row in table.rows] == [None, 41.7, 90.0]


@pytest.mark.parametrize(
    ("sort", "codes"),
    [("on_time", ["01", "79", "48"]), ("-on_time", ["79", "01", "48"])],
)
def test_province_rows_sort_by_on_time_rate_with_none_last(sort, codes):
    rows = province_rows(timely_figures(), share_target(), PROVINCES, sort)
    assert [row.code for row in rows] == codes


@pytest.mark.parametrize(
    ("language", "cells"),
    [
        (
            "vi",
            '<td>Thư viện &lt;b&gt;</td><td class="text-end">2025</td>'
            '<td class="text-end">12.345</td><td class="text-end">58,3</td>'
            "<td>–</td>",
        ),
        (
            "en",
            '<td>Thư viện &lt;b&gt;</td><td class="text-end">2025</td>'
            '<td class="text-end">12,345</td><td class="text-end">58.3</td>'
            "<td>–</td>",
        ),
    ],
)
def test_table_cells_show_numbers_in_the_language_and_years_plain(language, cells):
    table = Table(
        name="t",
        columns=["a", "b", "c", "d", "e"],
        rows=[["Thư viện <b>", 2025, 12345, 58.3, None]],
        plain={1},
    )
    with translation.override(language):
        assert table.cells() == [cells]
        html = render_to_string("reports/dashboard_table.html", {"table": table})
    assert f"<tr>{cells}</tr>" in html
