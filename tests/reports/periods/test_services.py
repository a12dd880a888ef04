"""reports/periods/services.py: periods and extensions saved validated, in
history with who changed them, announcing ``deadlines_changed``."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from institutions.models import Province
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.services import (
    extension_delete,
    extension_save,
    period_delete,
    period_save,
)
from reports.periods.signals import deadlines_changed
from tests.conftest import PROVINCE_B

pytestmark = pytest.mark.django_db

D = datetime.date
DATES = {
    "opens_on": D(2026, 1, 15),
    "due_on": D(2026, 3, 31),
    "closes_on": D(2026, 4, 30),
}


@pytest.fixture
def sent():
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["year"], kwargs["provinces"]))

    deadlines_changed.connect(receiver, weak=False, dispatch_uid="test-periods")
    yield received
    deadlines_changed.disconnect(dispatch_uid="test-periods")


@pytest.fixture
def period(ministry_user):
    return period_save(user=ministry_user, year=2025, **DATES)


def test_period_save_creates_with_history_and_announces_every_province(
    ministry_user, sent
):
    period = period_save(user=ministry_user, year=2025, notes="Năm đầu", **DATES)
    assert (period.year, period.due_on, period.updated_by) == (
        2025,
        D(2026, 3, 31),
        ministry_user,
    )
    assert period.history.get().history_user == ministry_user
    assert sent == [(2025, None)]


def test_period_save_changes_dates_keeping_the_old_ones_in_history(
    period, ministry_user
):
    period_save(
        user=ministry_user,
        period=period,
        year=2025,
        reason="Lùi hạn",
        **{**DATES, "due_on": D(2026, 4, 10)},
    )
    history = period.history.order_by("history_date")
    assert [record.due_on for record in history] == [D(2026, 3, 31), D(2026, 4, 10)]
    assert history.last().history_change_reason == "Lùi hạn"


@pytest.mark.parametrize(
    "dates",
    [
        {**DATES, "due_on": D(2026, 5, 1)},  # due after closing
        {**DATES, "opens_on": D(2026, 4, 1)},  # opens after due
    ],
)
def test_period_save_refuses_dates_out_of_order(ministry_user, dates, sent):
    with pytest.raises(ValidationError):
        period_save(user=ministry_user, year=2025, **dates)
    assert not ReportingPeriod.objects.exists()
    assert sent == []


def test_period_save_refuses_a_second_period_of_a_year(period, ministry_user):
    with pytest.raises(ValidationError):
        period_save(user=ministry_user, year=2025, **DATES)


def test_extension_save_requires_a_reason(period, ministry_user, province_b, sent):
    with pytest.raises(ValidationError) as error:
        extension_save(
            user=ministry_user,
            period=period,
            province=province_b,
            due_on=D(2026, 4, 15),
            closes_on=D(2026, 5, 15),
            reason="  ",
        )
    assert "reason" in error.value.message_dict
    assert not PeriodExtension.objects.exists()
    assert sent == []


def test_extension_save_and_change_announce_the_provinces(
    period, ministry_user, province_b, sent
):
    extension = extension_save(
        user=ministry_user,
        period=period,
        province=province_b,
        due_on=D(2026, 4, 15),
        closes_on=D(2026, 5, 15),
        reason="Bão lũ",
    )
    other = Province.objects.exclude(code=PROVINCE_B).order_by("code").first()
    extension_save(
        user=ministry_user,
        period=period,
        extension=extension,
        province=other,
        due_on=D(2026, 4, 20),
        closes_on=D(2026, 5, 15),
        reason="Chuyển sang tỉnh khác",
    )
    assert sent == [
        (2025, [PROVINCE_B]),
        (2025, sorted([PROVINCE_B, other.code])),
    ]
    assert [record.reason for record in extension.history.order_by("history_date")] == [
        "Bão lũ",
        "Chuyển sang tỉnh khác",
    ]
    assert extension.history.first().history_user == ministry_user


def test_extension_save_refuses_a_second_extension_of_a_province(
    period, ministry_user, province_b
):
    values = {
        "user": ministry_user,
        "period": period,
        "province": province_b,
        "due_on": D(2026, 4, 15),
        "closes_on": D(2026, 5, 15),
        "reason": "Bão lũ",
    }
    extension_save(**values)
    with pytest.raises(ValidationError):
        extension_save(**values)


def test_deletes_keep_history_and_announce(period, ministry_user, province_b, sent):
    extension = extension_save(
        user=ministry_user,
        period=period,
        province=province_b,
        due_on=D(2026, 4, 15),
        closes_on=D(2026, 5, 15),
        reason="Bão lũ",
    )
    extension_delete(user=ministry_user, extension=extension)
    assert not PeriodExtension.objects.exists()
    assert PeriodExtension.history.filter(history_type="-").exists()
    period_delete(user=ministry_user, period=period)
    assert not ReportingPeriod.objects.exists()
    assert sent[-2:] == [(2025, [PROVINCE_B]), (2025, None)]
