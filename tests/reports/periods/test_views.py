"""The ministry's periods page: periods newest first with their extensions,
creating and editing a period, an extension per province with its reason;
ministry staff only."""

import datetime

import pytest
from django.urls import reverse

from reports.periods.models import PeriodExtension, ReportingPeriod
from tests.conftest import PROVINCE_A, PROVINCE_B

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = reverse("reports:periods")


def make_period(year, **dates):
    return ReportingPeriod.objects.create(
        year=year,
        opens_on=dates.get("opens_on", D(year + 1, 1, 15)),
        due_on=dates.get("due_on", D(year + 1, 3, 31)),
        closes_on=dates.get("closes_on", D(year + 1, 4, 30)),
    )


def test_officers_may_not_open_the_periods_pages(client, officer_a):
    period = make_period(2025)
    client.force_login(officer_a)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("reports:period", args=[period.year])).status_code == 403
    response = client.post(
        reverse("reports:period_create"),
        {"year": 2026, "opens_on": "2027-01-15", "due_on": "2027-03-31"},
    )
    assert response.status_code == 403
    assert ReportingPeriod.objects.count() == 1


def test_the_list_shows_periods_newest_first_with_extensions(client, ministry_user):
    make_period(2024)
    period = make_period(2025)
    PeriodExtension.objects.create(
        period=period,
        province_id=PROVINCE_B,
        due_on=D(2026, 4, 15),
        closes_on=D(2026, 5, 15),
        reason="Bão lũ kéo dài",
    )
    client.force_login(ministry_user)
    page = client.get(LIST)
    assert page.status_code == 200
    assert page.text.index('data-testid="period-2025"') < page.text.index(
        'data-testid="period-2024"'
    )
    assert f'data-testid="extension-{PROVINCE_B}"' in page.text
    assert "Bão lũ kéo dài" in page.text
    assert "31/03/2026" in page.text and "15/04/2026" in page.text


def test_the_list_says_when_there_is_no_period(client, ministry_user):
    client.force_login(ministry_user)
    page = client.get(LIST)
    assert 'data-testid="empty-state"' in page.text


def test_the_menu_offers_the_periods_to_ministry_staff_only(
    client, ministry_user, officer_a
):
    client.force_login(ministry_user)
    assert f'href="{LIST}"' in client.get(reverse("home")).text
    client.force_login(officer_a)
    assert f'href="{LIST}"' not in client.get(reverse("home")).text


def test_ministry_creates_and_edits_a_period(client, ministry_user):
    client.force_login(ministry_user)
    response = client.post(
        reverse("reports:period_create"),
        {
            "year": 2025,
            "opens_on": "2026-01-15",
            "due_on": "2026-03-31",
            "closes_on": "2026-04-30",
            "notes": "",
        },
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get()
    assert (period.due_on, period.updated_by) == (D(2026, 3, 31), ministry_user)
    response = client.post(
        reverse("reports:period", args=[2025]),
        {
            "year": 2025,
            "opens_on": "2026-01-15",
            "due_on": "2026-04-10",
            "closes_on": "2026-04-30",
            "change_reason": "Lùi hạn theo công văn",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.due_on == D(2026, 4, 10)
    assert period.history.first().history_change_reason == "Lùi hạn theo công văn"


def test_the_period_form_refuses_dates_out_of_order_and_a_taken_year(
    client, ministry_user
):
    make_period(2024)
    client.force_login(ministry_user)
    response = client.post(
        reverse("reports:period_create"),
        {
            "year": 2025,
            "opens_on": "2026-01-15",
            "due_on": "2026-05-31",
            "closes_on": "2026-04-30",
        },
    )
    assert response.status_code == 200
    assert "Các ngày phải theo thứ tự" in response.text
    response = client.post(
        reverse("reports:period_create"),
        {
            "year": 2024,
            "opens_on": "2025-01-15",
            "due_on": "2025-03-31",
            "closes_on": "2025-04-30",
        },
    )
    assert response.status_code == 200
    assert ReportingPeriod.objects.count() == 1


def test_ministry_adds_and_edits_an_extension_with_a_reason(client, ministry_user):
    make_period(2025)
    client.force_login(ministry_user)
    url = reverse("reports:extension_create", args=[2025])
    data = {
        "province": PROVINCE_B,
        "due_on": "2026-04-15",
        "closes_on": "2026-05-15",
        "reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Hãy nêu lý do gia hạn" in response.text
    assert not PeriodExtension.objects.exists()
    response = client.post(url, {**data, "reason": "Bão lũ"})
    assert response.status_code == 302
    extension = PeriodExtension.objects.get()
    assert (extension.province_id, extension.updated_by) == (PROVINCE_B, ministry_user)
    response = client.post(
        reverse("reports:extension", args=[2025, extension.pk]),
        {**data, "closes_on": "2026-05-31", "reason": "Bão lũ, thêm hai tuần"},
    )
    assert response.status_code == 302
    extension.refresh_from_db()
    assert (extension.closes_on, extension.reason) == (
        D(2026, 5, 31),
        "Bão lũ, thêm hai tuần",
    )
    assert extension.history.count() == 2


def test_the_extension_form_refuses_earlier_dates_and_a_second_extension(
    client, ministry_user
):
    period = make_period(2025)
    PeriodExtension.objects.create(
        period=period,
        province_id=PROVINCE_A,
        due_on=D(2026, 4, 15),
        closes_on=D(2026, 5, 15),
        reason="Bão lũ",
    )
    client.force_login(ministry_user)
    url = reverse("reports:extension_create", args=[2025])
    response = client.post(
        url,
        {
            "province": PROVINCE_B,
            "due_on": "2026-03-01",
            "closes_on": "2026-04-01",
            "reason": "Sớm hơn",
        },
    )
    assert response.status_code == 200
    assert PeriodExtension.objects.count() == 1
    response = client.post(
        url,
        {
            "province": PROVINCE_A,
            "due_on": "2026-04-20",
            "closes_on": "2026-05-20",
            "reason": "Lần hai",
        },
    )
    assert response.status_code == 200
    assert "đã được gia hạn" in response.text
    assert PeriodExtension.objects.count() == 1


def test_an_unknown_year_is_404(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("reports:period", args=[2030])).status_code == 404
    assert (
        client.get(reverse("reports:extension_create", args=[2030])).status_code == 404
    )
