"""reports/periods/selectors.py: a province's dates, the sentence that says
where today stands, entry refused before opening and after closing."""

import datetime

import pytest
from django.utils import timezone, translation

from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.selectors import (
    deadlines,
    entry_refusal,
    entry_refusals,
    periods_list,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(
        year=2025,
        opens_on=D(2026, 1, 15),
        due_on=D(2026, 3, 31),
        closes_on=D(2026, 4, 30),
    )


def test_a_year_without_a_period_has_no_dates_and_refuses_nothing():
    assert deadlines(province_code="01", year=2025) is None
    assert entry_refusal(province_code="01", year=2025, today=D(1990, 1, 1)) is None


def test_due_text_counts_days_left_and_overdue_in_vietnamese(period):
    found = deadlines(province_code="01", year=2025)
    with translation.override("vi"):
        assert found.due_text(D(2026, 3, 19)) == "Hạn nộp 31/03/2026 — còn 12 ngày"
        assert found.due_text(D(2026, 4, 3)) == "Hạn nộp 31/03/2026 — quá hạn 3 ngày"
    with translation.override("en"):
        assert found.due_text(D(2026, 3, 31)) == "Due 2026-03-31 — due today"


def test_entry_is_refused_before_opening_and_after_closing_only(period):
    refusal = entry_refusal(province_code="01", year=2025, today=D(2026, 1, 14))
    assert refusal is not None and "2025" in refusal
    assert entry_refusal(province_code="01", year=2025, today=D(2026, 1, 15)) is None
    assert entry_refusal(province_code="01", year=2025, today=D(2026, 4, 30)) is None
    assert entry_refusal(province_code="01", year=2025, today=D(2026, 5, 1)) is not None


def test_an_extension_moves_one_provinces_dates_only(period):
    PeriodExtension.objects.create(
        period=period,
        province_id="66",
        due_on=D(2026, 4, 15),
        closes_on=D(2026, 5, 15),
        reason="Bão lũ",
    )
    extended = deadlines(province_code="66", year=2025)
    assert (extended.due_on, extended.closes_on, extended.extended) == (
        D(2026, 4, 15),
        D(2026, 5, 15),
        True,
    )
    assert entry_refusal(province_code="66", year=2025, today=D(2026, 5, 10)) is None
    assert entry_refusal(province_code="01", year=2025, today=D(2026, 5, 10))


def test_on_time_means_by_the_end_of_the_due_day_in_vietnam(period):
    found = deadlines(province_code="01", year=2025)
    vietnam = timezone.get_default_timezone()
    last_second = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=vietnam)
    assert found.is_on_time(last_second)
    # 17:00 UTC on the 31st is already 00:00 on 1 April in Vietnam.
    utc_evening = datetime.datetime(2026, 3, 31, 17, 0, tzinfo=datetime.UTC)
    assert not found.is_on_time(utc_evening)


def test_entry_refusals_answers_many_provinces_in_two_queries(
    period, django_assert_num_queries
):
    PeriodExtension.objects.create(
        period=period,
        province_id="66",
        due_on=D(2026, 4, 15),
        closes_on=D(2026, 5, 15),
        reason="Bão lũ",
    )
    pairs = {("01", 2025), ("66", 2025), ("01", 2024)}
    with django_assert_num_queries(2):
        refused = entry_refusals(pairs=pairs, today=D(2026, 5, 3))
    # Hà Nội is closed; Đắk Lắk is extended; 2024 has no period.
    assert set(refused) == {("01", 2025)}
    assert refused["01", 2025] == entry_refusal(
        province_code="01", year=2025, today=D(2026, 5, 3)
    )


def test_periods_list_is_newest_first_with_extensions(period):
    older = ReportingPeriod.objects.create(
        year=2024,
        opens_on=D(2025, 1, 15),
        due_on=D(2025, 3, 31),
        closes_on=D(2025, 4, 30),
    )
    assert list(periods_list()) == [period, older]
