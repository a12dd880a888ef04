"""Releases in the admin: listed and shown read only (the snapshot by its
SHA-256), never added, changed or deleted; the list links to the publish
page."""

import pytest
from django.urls import reverse

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.releases.models import Release
from reports.releases.services import release_publish
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(geography):
    ReportFactory(
        institution=InstitutionFactory(
            code="ADM-1",
            category=Category.LIBRARY_DISTRICT,
            province=PROVINCE_A,
            opened_year=2000,
        ),
        year=2025,
        status=ReportStatus.APPROVED,
        lll_services=True,
    )
    return release_publish(year=2025, notes="Bản đầu tiên")


def test_the_admin_lists_releases_and_links_to_the_publish_page(
    client, administrator, release
):
    client.force_login(administrator)
    page = client.get(reverse("admin:reports_release_changelist"))
    assert page.status_code == 200
    assert "2025-1" in page.text
    assert reverse("reports:release_publish") in page.text
    assert reverse("admin:reports_release_add") not in page.text
    found = client.get(reverse("admin:reports_release_changelist"), {"q": "đầu tiên"})
    assert "2025-1" in found.text
    assert (
        client.get(
            reverse("admin:reports_release_changelist"), {"year": "2025"}
        ).status_code
        == 200
    )


def test_the_admin_shows_a_release_read_only_with_its_sha_not_its_snapshot(
    client, administrator, release
):
    client.force_login(administrator)
    page = client.get(reverse("admin:reports_release_change", args=[release.pk]))
    assert page.status_code == 200
    assert release.snapshot_sha256 in page.text
    assert 'name="notes"' not in page.text
    assert '"rows"' not in page.text  # the snapshot's JSON is not shown


def test_the_admin_refuses_to_add_change_or_delete_a_release(
    client, administrator, release
):
    client.force_login(administrator)
    add = client.post(reverse("admin:reports_release_add"), {"number": "2025-9"})
    change = client.post(
        reverse("admin:reports_release_change", args=[release.pk]),
        {"notes": "sửa"},
    )
    delete = client.post(
        reverse("admin:reports_release_delete", args=[release.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:reports_release_changelist"),
        {"action": "delete_selected", "_selected_action": [release.pk], "post": "yes"},
    )
    assert (add.status_code, change.status_code, delete.status_code) == (
        403,
        403,
        403,
    )
    assert bulk.status_code in (200, 302)
    assert list(Release.objects.values_list("number", "notes")) == [
        ("2025-1", "Bản đầu tiên")
    ]
