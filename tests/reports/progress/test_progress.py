import json
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from institutions.activity import is_active
from reports.progress.progress import (
    GrowthFigures,
    Status,
    growth_figures,
    progress_row,
    round1,
    share_figures,
    target_progress,
)
from targets.indicators import Kind


def share_status(values, *, year, threshold=70, target_year=2025):
    return target_progress(
        kind=Kind.SHARE,
        threshold=threshold,
        target_year=target_year,
        baseline_year=2022,
        year=year,
        values=values,
    )


def growth_status(value, *, year=2024, threshold=10, target_year=2025):
    return target_progress(
        kind=Kind.GROWTH,
        threshold=threshold,
        target_year=target_year,
        baseline_year=2022,
        year=year,
        values={year: value},
    )


class TestWorkedExample:
    """metrics.md, Worked example: district libraries, target 70% in 2025."""

    base = share_figures(denominator=10, reporters=10, numerator=4)
    latest = share_figures(denominator=12, reporters=10, numerator=7)

    def test_figures(self):
        assert round1(self.base.value) == Decimal("40.0")
        assert round1(self.latest.value) == Decimal("58.3")
        assert round1(self.latest.share_among_reporters) == Decimal("70.0")
        assert round1(self.latest.reporting_rate) == Decimal("83.3")

    def test_status(self):
        progress = share_status(
            {2022: self.base.value, 2024: self.latest.value}, year=2024
        )

        # metrics.md prints actual = (58.3 − 40.0) / 2 = 9.15 and ratio 0.915
        # from the rounded 58.3. Its last rule, "comparisons and statuses use
        # unrounded values", makes x_R = 175/3 = 58.333…, so actual =
        # 55/6 = 9.1666… and ratio = 11/12 = 0.9166…: the same status,
        # acceleration_needed, and shown as "moving 9.2 a year".
        assert progress.status == Status.ACCELERATION_NEEDED
        assert progress.value == Fraction(175, 3)
        assert progress.actual == Fraction(55, 6)
        assert progress.required == 10
        assert progress.ratio == Fraction(11, 12)
        assert float(progress.ratio) == pytest.approx(0.9167, abs=1e-4)
        assert (progress.base_year_used, progress.base_value) == (2022, 40)
        assert round1(progress.actual) == Decimal("9.2")
        assert round1(progress.required) == Decimal("10.0")

    def test_json_row(self):
        progress = share_status(
            {2022: self.base.value, 2024: self.latest.value}, year=2024
        )

        row = progress_row(
            family="library_lll_services",
            categories=["library_district"],
            kind=Kind.SHARE,
            year=2025,
            threshold=Decimal("70.00"),
            upper=None,
            figures=self.latest,
            status=progress.status,
        )

        assert json.loads(json.dumps(row)) == {
            "family": "library_lll_services",
            "categories": ["library_district"],
            "kind": "share",
            "target_year": 2025,
            "threshold": 70,
            "upper": None,
            "value": 58.3,
            "status": "acceleration_needed",
            "numerator": 7,
            "denominator": 12,
            "reporters": 10,
            "reporting_rate": 83.3,
            "share_among_reporters": 70.0,
        }


@pytest.mark.parametrize(
    ("opened", "closed", "year", "active"),
    [
        (None, None, 2022, True),
        (2023, None, 2022, False),
        (2023, None, 2023, True),
        (None, 2025, 2024, True),
        (None, 2025, 2025, False),
        (None, 2025, 2026, False),
        (2010, 2025, 2024, True),
        (2023, 2023, 2023, False),
    ],
)
def test_active_years(opened, closed, year, active):
    """A library closed in 2025 counts up to 2024; one opened in 2023 from 2023."""
    assert is_active(opened, closed, year) is active


class TestShareFigures:
    def test_no_institutions_give_no_value(self):
        figures = share_figures(denominator=0, reporters=0, numerator=0)

        assert figures.value is None
        assert figures.share_among_reporters is None
        assert figures.reporting_rate is None

    def test_no_reporters_give_zero_not_missing(self):
        figures = share_figures(denominator=8, reporters=0, numerator=0)

        assert figures.value == 0
        assert figures.reporting_rate == 0
        assert figures.share_among_reporters is None

    def test_non_reporters_count_as_not_meeting(self):
        figures = share_figures(denominator=4, reporters=2, numerator=2)

        assert figures.value == 50
        assert figures.share_among_reporters == 100

    @pytest.mark.parametrize(
        ("denominator", "reporters", "numerator"),
        [(5, 6, 1), (5, 3, 4), (5, 3, -1), (-1, -1, -1)],
    )
    def test_impossible_counts_are_rejected(self, denominator, reporters, numerator):
        with pytest.raises(ValueError, match="numerator ≤ reporters ≤ denominator"):
            share_figures(
                denominator=denominator, reporters=reporters, numerator=numerator
            )


class TestGrowthFigures:
    def test_average_annual_growth(self):
        figures = growth_figures(
            panel=3, base_total=1000, year_total=1331, base_year=2022, year=2025
        )

        assert figures.value == 10

    def test_growth_over_one_year_is_the_plain_change(self):
        figures = growth_figures(
            panel=1, base_total=10000, year_total=10005, base_year=2022, year=2023
        )

        assert figures.value == Fraction(1, 20)
        assert round1(figures.value) == Decimal("0.1")

    def test_irrational_growth_is_close_to_the_formula(self):
        figures = growth_figures(
            panel=2, base_total=7, year_total=13, base_year=2022, year=2025
        )

        assert float(figures.value) == pytest.approx(100 * ((13 / 7) ** (1 / 3) - 1))

    def test_a_fall_to_zero_is_minus_100(self):
        figures = growth_figures(
            panel=2, base_total=50, year_total=0, base_year=2022, year=2024
        )

        assert figures.value == -100

    @pytest.mark.parametrize(("panel", "base_total"), [(0, 0), (0, 10), (4, 0)])
    def test_empty_panel_or_zero_base_gives_no_value(self, panel, base_total):
        figures = growth_figures(
            panel=panel, base_total=base_total, year_total=30, base_year=2022, year=2024
        )

        assert figures.value is None

    @pytest.mark.parametrize("year", [2021, 2022])
    def test_year_must_follow_base_year(self, year):
        with pytest.raises(ValueError, match="must come after base year"):
            growth_figures(
                panel=1, base_total=1, year_total=1, base_year=2022, year=year
            )

    def test_negative_totals_are_rejected(self):
        with pytest.raises(ValueError, match="cannot be negative"):
            growth_figures(
                panel=1, base_total=-5, year_total=1, base_year=2022, year=2023
            )


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (Decimal("58.25"), "58.3"),
        (Fraction(5825, 100), "58.3"),
        (0.05, "0.1"),
        (0.15, "0.2"),
        (2.675, "2.7"),
        (Decimal("-0.25"), "-0.3"),
        (Decimal("-0.04"), "0.0"),
        (Fraction(100, 3), "33.3"),
        (Fraction(200, 3), "66.7"),
        (Decimal("9.95"), "10.0"),
        (70, "70.0"),
        (0, "0.0"),
    ],
)
def test_round1_rounds_half_up(number, shown):
    """Python's round() would give 58.2, 0.1, 0.1, 2.67… on these ties."""
    assert str(round1(number)) == shown


@given(
    st.fractions(max_denominator=10**6)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4)
    | st.integers(min_value=-(10**9), max_value=10**9)
)
def test_round1_rounds_exact_values_half_up_away_from_zero(number):
    exact = Fraction(number)
    tenths = math.floor(abs(exact) * 10 + Fraction(1, 2))
    assert round1(number) == Decimal(-tenths if exact < 0 else tenths).scaleb(-1)


def test_round1_keeps_no_value():
    assert round1(None) is None


class TestShareStatus:
    def test_no_value_in_the_year_is_no_data(self):
        assert share_status({2022: 40}, year=2024).status == Status.NO_DATA
        assert share_status({2022: 40, 2024: None}, year=2024).status == (
            Status.NO_DATA
        )

    def test_reaching_the_threshold_early_is_achieved(self):
        progress = share_status({2022: 40, 2023: 70}, year=2023)

        assert progress.status == Status.ACHIEVED
        assert progress.value == 70

    def test_reaching_the_threshold_in_the_target_year_is_achieved(self):
        progress = share_status({2022: 40, 2025: Fraction(701, 10)}, year=2025)

        assert progress.status == Status.ACHIEVED

    def test_falling_short_in_the_target_year_is_missed(self):
        progress = share_status({2022: 40, 2025: Fraction(6999, 100)}, year=2025)

        assert progress.status == Status.MISSED

    @pytest.mark.parametrize(
        ("value", "status"),
        [
            # Required pace from 40 in 2022 to 70 in 2025: 10 points a year.
            (Fraction(495, 10), Status.ON_TRACK),  # ratio 0.95 exactly
            (Fraction(494, 10), Status.ACCELERATION_NEEDED),
            (46, Status.ACCELERATION_NEEDED),  # 0.60 exactly
            (Fraction(459, 10), Status.LIMITED),
            (40, Status.LIMITED),  # 0 exactly
            (39, Status.DETERIORATION),
            (69, Status.ON_TRACK),
        ],
    )
    def test_pace_bands(self, value, status):
        progress = share_status({2022: 40, 2023: value}, year=2023)

        assert progress.status == status
        assert progress.required == 10

    def test_exact_bands_hold_for_values_with_repeating_decimals(self):
        # Base 100/3, target 70 in 2025: required (70 − 100/3) / 3 = 110/9 a
        # year; 0.95 of it in one year is x_R = 100/3 + 209/18 = 809/18.
        progress = share_status(
            {2022: Fraction(100, 3), 2023: Fraction(809, 18)}, year=2023
        )

        assert progress.ratio == Fraction(95, 100)
        assert progress.status == Status.ON_TRACK

    def test_the_base_falls_back_to_the_first_year_with_a_value(self):
        progress = share_status({2022: None, 2023: 30, 2024: 45}, year=2024)

        assert progress.base_year_used == 2023
        assert progress.base_value == 30
        assert progress.actual == 15
        assert progress.required == 20
        assert progress.ratio == Fraction(3, 4)
        assert progress.status == Status.ACCELERATION_NEEDED

    def test_years_before_the_baseline_are_ignored(self):
        progress = share_status({2021: 10, 2023: 30, 2024: 45}, year=2024)

        assert progress.base_year_used == 2023

    def test_years_after_the_evaluation_year_are_ignored(self):
        progress = share_status({2023: 50, 2024: 30}, year=2023)

        assert progress.base_year_used == 2023
        assert progress.status == Status.LIMITED

    def test_in_the_base_year_there_is_no_pace_yet(self):
        progress = share_status({2022: 40}, year=2022)

        assert progress.status == Status.LIMITED
        assert progress.actual is progress.required is progress.ratio is None
        assert (progress.base_year_used, progress.base_value) == (2022, 40)

    def test_achieved_in_the_base_year_is_achieved(self):
        assert share_status({2022: 100}, year=2022, threshold=100).status == (
            Status.ACHIEVED
        )

    @pytest.mark.parametrize("base", [70, 85])
    def test_falling_below_a_threshold_reached_in_the_base_year(self, base):
        progress = share_status({2022: base, 2024: 69}, year=2024)

        # No pace is required (required ≤ 0), so nothing is divided by it.
        assert progress.status == Status.DETERIORATION
        assert progress.required <= 0
        assert progress.ratio is None

    def test_a_zero_base_still_gives_a_pace(self):
        progress = share_status({2022: 0, 2024: 20}, year=2024, threshold=40)

        assert progress.required == Fraction(40, 3)
        assert progress.ratio == Fraction(3, 4)
        assert progress.status == Status.ACCELERATION_NEEDED

    def test_decimal_and_float_inputs_are_read_exactly(self):
        progress = share_status(
            {2022: Decimal("40"), 2023: 49.5}, year=2023, threshold=Decimal("70.00")
        )

        assert progress.ratio == Fraction(95, 100)
        assert progress.status == Status.ON_TRACK


class TestGrowthStatus:
    def test_reaching_the_threshold_counts_only_in_the_target_year(self):
        assert growth_status(10, year=2025).status == Status.ACHIEVED
        assert growth_status(12, year=2024).status == Status.ON_TRACK

    def test_falling_short_in_the_target_year_is_missed(self):
        assert growth_status(Fraction(999, 100), year=2025).status == Status.MISSED

    @pytest.mark.parametrize(
        ("value", "status"),
        [
            (Fraction(95, 10), Status.ON_TRACK),
            (Fraction(949, 100), Status.ACCELERATION_NEEDED),
            (6, Status.ACCELERATION_NEEDED),
            (Fraction(599, 100), Status.LIMITED),
            (0, Status.LIMITED),
            (Fraction(-1, 100), Status.DETERIORATION),
        ],
    )
    def test_bands_compare_the_rate_with_the_threshold(self, value, status):
        progress = growth_status(value)

        assert progress.status == status
        assert progress.actual == value
        assert progress.required == 10
        assert progress.ratio == Fraction(value) / 10

    def test_no_growth_value_is_no_data(self):
        assert growth_status(None).status == Status.NO_DATA

    def test_growth_from_figures_of_exactly_the_threshold_is_achieved(self):
        figures = growth_figures(
            panel=5, base_total=1000, year_total=1331, base_year=2022, year=2025
        )

        assert growth_status(figures.value, year=2025).status == Status.ACHIEVED

    @pytest.mark.parametrize(
        ("value", "status"), [(0, Status.ON_TRACK), (-1, Status.DETERIORATION)]
    )
    def test_a_zero_threshold_needs_no_division(self, value, status):
        progress = growth_status(value, threshold=0)

        assert progress.status == status
        assert progress.ratio is None


@pytest.mark.parametrize(
    ("year", "target_year"), [(2021, 2025), (2026, 2025), (2031, 2030)]
)
def test_evaluation_year_must_lie_between_baseline_and_target_year(year, target_year):
    with pytest.raises(ValueError, match="must lie between"):
        share_status({year: 50}, year=year, target_year=target_year)


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="Unknown kind"):
        target_progress(
            kind="average",
            threshold=10,
            target_year=2025,
            baseline_year=2022,
            year=2024,
            values={2024: 5},
        )


def test_status_labels_in_vietnamese():
    with translation.override("vi"):
        labels = [str(status.label) for status in Status]

    assert labels == [
        "Không có số liệu",
        "Đã đạt",
        "Không đạt",
        "Đúng tiến độ",
        "Cần đẩy nhanh",
        "Tiến bộ hạn chế",
        "Suy giảm",
    ]


class TestProgressRow:
    def test_growth_row(self):
        figures = growth_figures(
            panel=12, base_total=40000, year_total=53240, base_year=2022, year=2025
        )

        row = progress_row(
            family="library_visits",
            categories=["library_school", "library_commune", "library_district"],
            kind="growth",
            year=2030,
            threshold=Decimal("10.00"),
            upper=Decimal("15.00"),
            figures=figures,
            status=Status.ON_TRACK,
        )

        assert json.loads(json.dumps(row)) == {
            "family": "library_visits",
            "categories": ["library_commune", "library_district", "library_school"],
            "kind": "growth",
            "target_year": 2030,
            "threshold": 10,
            "upper": 15,
            "value": 10.0,
            "status": "on_track",
            "panel": 12,
            "base_total": 40000,
            "year_total": 53240,
        }

    def test_missing_values_are_null_and_fractional_thresholds_stay(self):
        figures = share_figures(denominator=0, reporters=0, numerator=0)

        row = progress_row(
            family="museum_education",
            categories=["museum"],
            kind=Kind.SHARE,
            year=2025,
            threshold=Decimal("72.50"),
            upper=None,
            figures=figures,
            status=Status.NO_DATA,
        )

        assert row["value"] is row["reporting_rate"] is None
        assert row["share_among_reporters"] is None
        assert row["threshold"] == 72.5
        assert row["status"] == "no_data"

    def test_figures_must_match_the_kind(self):
        figures = GrowthFigures(
            panel=0, base_total=0, year_total=0, base_year=2022, year=2024, value=None
        )

        with pytest.raises(ValueError, match="share row takes ShareFigures"):
            progress_row(
                family="museum_education",
                categories=["museum"],
                kind="share",
                year=2025,
                threshold=70,
                upper=None,
                figures=figures,
                status="no_data",
            )


counts = st.integers(min_value=0, max_value=10_000)


@st.composite
def consistent_counts(draw):
    denominator = draw(counts)
    reporters = draw(st.integers(min_value=0, max_value=denominator))
    numerator = draw(st.integers(min_value=0, max_value=reporters))
    return denominator, reporters, numerator


@given(consistent_counts())
def test_share_figures_are_percentages(counts):
    denominator, reporters, numerator = counts
    figures = share_figures(
        denominator=denominator, reporters=reporters, numerator=numerator
    )

    if denominator:
        assert 0 <= figures.value <= 100
        assert 0 <= figures.reporting_rate <= 100
    if reporters:
        assert figures.value <= figures.share_among_reporters <= 100


@given(
    st.integers(min_value=-5, max_value=50),
    st.integers(min_value=-5, max_value=50),
    st.integers(min_value=-5, max_value=50),
)
def test_share_figures_accept_only_consistent_counts(denominator, reporters, numerator):
    consistent = 0 <= numerator <= reporters <= denominator
    try:
        figures = share_figures(
            denominator=denominator, reporters=reporters, numerator=numerator
        )
    except ValueError:
        assert not consistent
    else:
        assert consistent
        assert figures.numerator <= figures.reporters <= figures.denominator


@given(consistent_counts().filter(lambda c: c[1] < c[0]))
def test_a_new_meeting_report_never_lowers_a_share(counts):
    denominator, reporters, numerator = counts
    before = share_figures(
        denominator=denominator, reporters=reporters, numerator=numerator
    )
    after = share_figures(
        denominator=denominator, reporters=reporters + 1, numerator=numerator + 1
    )

    assert after.value > before.value
    assert after.reporting_rate > before.reporting_rate
    if before.share_among_reporters is not None:
        assert after.share_among_reporters >= before.share_among_reporters


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=8),
)
def test_growth_has_the_sign_of_the_change(base_total, year_total, years):
    figures = growth_figures(
        panel=1,
        base_total=base_total,
        year_total=year_total,
        base_year=2022,
        year=2022 + years,
    )

    assert (figures.value > 0) == (year_total > base_total)
    assert (figures.value == 0) == (year_total == base_total)
    assert figures.value >= -100


values = st.one_of(
    st.none(),
    st.fractions(min_value=-100, max_value=1000, max_denominator=1000),
)


@given(
    kind=st.sampled_from(Kind.values),
    threshold=st.fractions(min_value=0, max_value=100, max_denominator=100),
    target_year=st.integers(min_value=2023, max_value=2030),
    data=st.data(),
)
def test_status_is_always_one_of_the_seven(kind, threshold, target_year, data):
    year = data.draw(st.integers(min_value=2022, max_value=target_year))
    series = data.draw(st.dictionaries(st.integers(2022, target_year), values))

    progress = target_progress(
        kind=kind,
        threshold=threshold,
        target_year=target_year,
        baseline_year=2022,
        year=year,
        values=series,
    )

    assert progress.status in Status.values
    assert (progress.status == Status.NO_DATA) == (series.get(year) is None)


@given(st.decimals(min_value=-1000, max_value=1000, places=3))
def test_round1_matches_decimal_half_up(number):
    expected = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    assert round1(number) == expected
