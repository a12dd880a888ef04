"""reports/periods/admin.py: the admin saves periods and their extensions
(inline) through the services: validated, in history, announced."""

import datetime

import pytest
from django.urls import reverse

from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.signals import deadlines_changed
from tests.conftest import PROVINCE_B

pytestmark = pytest.mark.django_db

D = datetime.date
INLINE = "extensions"


def form_data(**extra):
    data = {
        "year": "2025",
        "opens_on": "2026-01-15",
        "due_on": "2026-03-31",
        "closes_on": "2026-04-30",
        "notes": "",
        f"{INLINE}-TOTAL_FORMS": "1",
        f"{INLINE}-INITIAL_FORMS": "0",
        f"{INLINE}-MIN_NUM_FORMS": "0",
        f"{INLINE}-MAX_NUM_FORMS": "1000",
        f"{INLINE}-0-province": PROVINCE_B,
        f"{INLINE}-0-due_on": "2026-04-15",
        f"{INLINE}-0-closes_on": "2026-05-15",
        f"{INLINE}-0-reason": "Bão lũ",
    }
    data.update(extra)
    return data


def test_admin_adds_a_period_with_an_extension_in_history(client, administrator):
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["year"], kwargs["provinces"]))

    deadlines_changed.connect(receiver, weak=False, dispatch_uid="test-admin")
    try:
        client.force_login(administrator)
        response = client.post(
            reverse("admin:reports_reportingperiod_add"), form_data()
        )
    finally:
        deadlines_changed.disconnect(dispatch_uid="test-admin")
    assert response.status_code == 302
    period = ReportingPeriod.objects.get()
    extension = PeriodExtension.objects.get()
    assert (extension.period, extension.province_id) == (period, PROVINCE_B)
    assert period.history.get().history_user == administrator
    assert extension.history.get().history_user == administrator
    assert received == [(2025, None), (2025, [PROVINCE_B])]


def test_admin_requires_a_reason_for_an_extension(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:reports_reportingperiod_add"),
        form_data(**{f"{INLINE}-0-reason": ""}),
    )
    assert response.status_code == 200
    assert not ReportingPeriod.objects.exists()


def test_admin_refuses_dates_out_of_order(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:reports_reportingperiod_add"),
        form_data(due_on="2026-06-01"),
    )
    assert response.status_code == 200
    assert not ReportingPeriod.objects.exists()
