"""``manage.py progress``: the JSON contract, the table, and clear errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.progress.figures import progress_rows
from targets.services import targets_seed
from tests.reports.progress.test_figures import institution, report, row_of

SHARE_KEYS = {
    "family",
    "categories",
    "kind",
    "target_year",
    "threshold",
    "upper",
    "value",
    "status",
    "numerator",
    "denominator",
    "reporters",
    "reporting_rate",
    "on_time",
    "on_time_rate",
    "share_among_reporters",
}
GROWTH_KEYS = SHARE_KEYS - {
    "numerator",
    "denominator",
    "reporters",
    "reporting_rate",
    "on_time",
    "on_time_rate",
    "share_among_reporters",
} | {"panel", "base_total", "year_total"}


@pytest.fixture
def targets(db):
    targets_seed()


def run(*args) -> str:
    out = StringIO()
    call_command("progress", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def worked_example(targets, geography):
    """metrics.md, Worked example, in Hà Nội (01), plus library visits."""
    libraries = [institution(Category.LIBRARY_DISTRICT) for _ in range(10)]
    libraries += [institution(Category.LIBRARY_DISTRICT, opened=2023) for _ in range(2)]
    for index, library in enumerate(libraries[:10]):
        report(library, 2022, lll_services=index < 4, learning_visits=1000)
        report(
            library,
            2024,
            status=ReportStatus.APPROVED if index < 5 else ReportStatus.SUBMITTED,
            lll_services=index < 7,
            learning_visits=1210,
        )
    return libraries


def test_json_gives_the_worked_example_under_the_contract_keys(worked_example):
    result = json.loads(run("--year", "2024", "--format", "json"))
    assert set(result) == {"year", "area", "rows"}
    assert (result["year"], result["area"]) == (2024, "VN")
    assert result["rows"] == progress_rows(year=2024)
    for row in result["rows"]:
        assert set(row) == (SHARE_KEYS if row["kind"] == "share" else GROWTH_KEYS)
        assert row["categories"] == sorted(row["categories"])
    district = row_of(result["rows"], "library_lll_services", ["library_district"])
    assert (district["value"], district["status"]) == (58.3, "acceleration_needed")
    assert (district["reporting_rate"], district["share_among_reporters"]) == (
        83.3,
        70.0,
    )
    # No reporting period for 2024: no timeliness.
    assert (district["on_time"], district["on_time_rate"]) == (None, None)
    visits = result["rows"][24]
    assert visits["family"] == "library_visits"
    assert (visits["panel"], visits["base_total"], visits["year_total"]) == (
        10,
        10000,
        12100,
    )
    assert (visits["value"], visits["status"]) == (10.0, "on_track")


def test_province_code_one_digit_reads_as_two_and_approved_only_narrows(
    worked_example,
):
    result = json.loads(
        run("--year", "2024", "--province", "1", "--approved-only", "--format", "json")
    )
    assert result["area"] == "01"
    district = row_of(result["rows"], "library_lll_services", ["library_district"])
    assert (district["reporters"], district["numerator"]) == (5, 5)


def test_table_lists_every_row_aligned(worked_example):
    lines = run("--year", "2024", "--format", "table").splitlines()
    assert lines[0] == "Progress in 2024, area VN"
    assert lines[1].split()[:4] == ["family", "categories", "target_year", "threshold"]
    assert len(lines) == 2 + 34
    assert "acceleration_needed" in lines[2 + 2]
    assert len({line.index("target_year") for line in lines[1:2]}) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2019"], "between 2022"),
        (["--year", "2031"], "between 2022"),
        (["--year", "2024", "--province", "99"], "Unknown province code"),
        (["--year", "2024", "--province", "Hà Nội"], "Unknown province code"),
    ],
)
def test_bad_year_or_province_is_a_clear_error(args, message, targets, geography):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_missing_year_or_bad_format_exits_non_zero(targets):
    with pytest.raises(CommandError):
        run("--format", "json")
    with pytest.raises(CommandError):
        run("--year", "2024", "--format", "xml")
