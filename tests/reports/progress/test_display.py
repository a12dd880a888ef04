"""reports/progress/display.py: numbers in the reader's language, thresholds
as written, the arithmetic behind a status in words (its pace thresholds
taken from progress.py), and the cards of an area."""

from fractions import Fraction

import pytest
from django.utils import translation

from reports.progress import display
from reports.progress.display import (
    cards_build,
    explanation,
    headline_index,
    number,
    overview_chart,
    target_groups,
    threshold_text,
)
from reports.progress.figures import NATION
from reports.progress.progress import Status
from tests.reports.progress.examples import (
    COMMUNE,
    DISTRICT,
    growth_target,
    share_target,
    worked_figures,
    worked_targets,
)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_numbers_round_half_up_to_the_places_asked():
    with translation.override("en"):
        assert number(Fraction(175, 3)) == "58.3"
        assert number(0.05) == "0.1"
        assert number(-0.25) == "-0.3"
        assert number(Fraction(95, 100), 2) == "0.95"
        assert number(12345, 0) == "12,345"
    with translation.override("vi"):
        assert number(Fraction(95, 100), 2) == "0,95"
        assert number(12345, 0) == "12.345"


def test_thresholds_read_as_written(english):
    assert threshold_text(share_target(threshold=70)) == "70%"
    assert threshold_text(growth_target(threshold="12.5")) == "12.5% a year"
    assert threshold_text(growth_target(threshold=10, upper=15)) == "10–15% a year"
    with translation.override("vi"):
        assert threshold_text(growth_target(threshold="12.5")) == "12,5% mỗi năm"


def test_the_explanation_names_the_pace_thresholds_of_progress_py(english):
    evaluation = worked_figures().evaluate(share_target(), "01")
    assert evaluation.status == Status.ACCELERATION_NEEDED
    assert explanation(evaluation) == (
        "58.3% in 2024, needs 10.0 points a year, moving 9.2 → acceleration "
        "needed. From 40.0% in 2022 to 70% by 2025; pace ratio 0.92 (on track "
        "from 0.95, acceleration needed from 0.60)."
    )
    with translation.override("vi"):
        assert "(đúng tiến độ từ 0,95; cần đẩy nhanh từ 0,60)" in explanation(
            evaluation
        )


def test_the_shown_pace_thresholds_follow_the_ratios(english, monkeypatch):
    monkeypatch.setattr(display, "ON_TRACK_RATIO", Fraction(9, 10))
    monkeypatch.setattr(display, "ACCELERATION_RATIO", Fraction(1, 2))
    evaluation = worked_figures().evaluate(share_target(), "01")
    assert "(on track from 0.90, acceleration needed from 0.50)" in explanation(
        evaluation
    )


def test_the_explanation_of_each_verdict(english):
    figures = worked_figures()
    assert explanation(figures.evaluate(share_target(), "79")) == (
        "100.0% in 2024 reaches the target of 70% → achieved."
    )
    assert explanation(figures.evaluate(share_target(), "48")) == (
        "No value in 2024: no active institution of these categories."
    )
    early = worked_figures(year=2021).evaluate(share_target(), "01")
    assert explanation(early) == "No status before the baseline year 2022."


def test_target_groups_keep_the_targets_order_and_sort_each_by_year():
    later, earlier, commune = (
        share_target(DISTRICT, 2030, 90),
        share_target(DISTRICT, 2025, 70),
        share_target(COMMUNE, 2025, 40),
    )
    groups = target_groups([later, commune, earlier])
    assert groups == [[earlier, later], [commune]]


@pytest.mark.parametrize(
    ("year", "index"), [(2022, 0), (2025, 0), (2026, 1), (2031, 1)]
)
def test_a_card_stands_on_the_nearest_target_year_not_yet_passed(year, index):
    group = [share_target(year=2025), share_target(year=2030)]
    assert headline_index(group, year) == index


def test_cards_give_value_status_and_reporting_of_the_area(english):
    cards = cards_build(worked_figures(), "01")
    assert [card.key for card in cards] == ["card-0", "card-1"]
    district, commune = cards
    assert district.value == "58.3%"
    assert [row.target_year for row in district.rows] == [2025, 2030]
    assert [row.status.code for row in district.rows] == [
        Status.ACCELERATION_NEEDED,
        Status.ON_TRACK,
    ]
    assert district.headline.status.label == "Acceleration needed"
    assert district.headline.threshold == "70%"
    assert district.reporting == (
        "Reporting rate 83.3% (10 of 12); 70.0% among those reporting."
    )
    assert district.reporting_rate == 83.3
    assert commune.headline.status.code == Status.DETERIORATION
    assert commune.reporting_rate == 0.0


def test_cards_give_the_timeliness_beside_the_reporting_rate(english):
    figures = worked_figures()
    figures.period_years = {2024}
    figures.on_time["01", DISTRICT, 2024] = 5
    district, commune = cards_build(figures, "01")
    assert district.reporting == (
        "Reporting rate 83.3% (10 of 12); 70.0% among those reporting. "
        "On time 41.7% (5 of 12)."
    )
    assert (district.on_time_rate, commune.on_time_rate) == (41.7, 0.0)


def test_the_timeliness_of_an_area_in_one_sentence():
    figures = worked_figures()
    with translation.override("en"):
        assert display.timeliness_text(figures.timeliness("01"), 2024) == (
            "Reports of 2024: 10 of 17 active institutions reported (58.8%). "
            "No reporting period for this year: no timeliness."
        )
        figures.period_years = {2024}
        figures.on_time["01", DISTRICT, 2024] = 5
        assert display.timeliness_text(figures.timeliness("01"), 2024) == (
            "Reports of 2024: 10 of 17 active institutions reported (58.8%). "
            "On time 29.4% (5 of 17)."
        )
        assert display.timeliness_text(figures.timeliness("48"), 2024) == (
            "No active institution."
        )
    with translation.override("vi"):
        text = display.timeliness_text(figures.timeliness("01"), 2024)
    assert "29,4%" in text and "On time" not in text


def test_an_area_without_institutions_has_cards_without_values(english):
    cards = cards_build(worked_figures(), "48")
    assert [card.value for card in cards] == ["–", "–"]
    assert {card.headline.status.code for card in cards} == {Status.NO_DATA}
    assert {card.reporting for card in cards} == {"No active institution."}


def test_the_overview_chart_has_a_bar_per_share_group_with_its_thresholds(english):
    figures = worked_figures(targets=[*worked_targets(), growth_target()])
    chart = overview_chart(cards_build(figures, NATION))
    bars = chart["data"][0]
    assert bars["x"] == [77.3, 0.0]  # the growth group has no bar
    assert [trace["name"] for trace in chart["data"][1:]] == [
        "Target 2025",
        "Target 2030",
    ]
    assert chart["data"][1]["x"] == [70.0, 40.0]
    assert chart["data"][2]["x"] == [90.0, None]
