"""Simultaneous writers: the loser of a race is told so (409), never a 500,
on SQLite (the `make run` default) as on PostgreSQL."""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from reports.entry.models import AnnualReport
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8


def race(user, url: str, data_of) -> list[int]:
    """Sends WRITERS POSTs to ``url`` at the same moment, each from its own
    logged-in client (``data_of(index)`` is the data of the index-th);
    returns their statuses."""
    clients = []
    for _ in range(WRITERS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def save(client, index):
        start.wait()
        statuses.append(client.post(url, data_of(index)).status_code)

    threads = [
        threading.Thread(target=save, args=(client, index))
        for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_sheet_saves_give_one_save_and_conflicts_never_500(
    officer_a, province_a
):
    institution = InstitutionFactory(
        code="RACE-LIB", province=province_a, category="library_district"
    )
    url = (
        f"{reverse('reports:sheet')}?year=2024&category=library_district"
        f"&province={province_a.code}"
    )
    statuses = race(
        officer_a,
        url,
        lambda index: {
            "action": "save",
            f"r{institution.pk}-version": "0",
            f"r{institution.pk}-learning_visits": str(100 + index),
        },
    )

    assert sorted(statuses) == [302] + [409] * (WRITERS - 1), statuses
    assert AnnualReport.objects.filter(institution=institution).count() == 1


def test_simultaneous_first_saves_of_one_report_give_one_save_and_conflicts(
    officer_a, province_a
):
    institution = InstitutionFactory(
        code="RACE-ONE", province=province_a, category="library_district"
    )
    url = reverse("reports:edit", args=[institution.pk, 2024])
    statuses = race(
        officer_a,
        url,
        lambda index: {
            "version": "0",
            "learning_visits": str(100 + index),
            "action": "save",
        },
    )

    assert sorted(statuses) == [302] + [409] * (WRITERS - 1), statuses
    assert AnnualReport.objects.filter(institution=institution).count() == 1
