"""institutions/admin.py: every model is registered, searchable and filterable."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from institutions.models import (
    Commune,
    FormerProvince,
    Institution,
    Province,
    UserProfile,
)
from institutions.text import search_key
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", [Province, Commune, FormerProvince, UserProfile, Institution]
)
def test_every_model_is_registered_with_search_and_filters(model):
    model_admin = admin.site._registry[model]

    assert model_admin.search_fields
    assert model_admin.list_filter


def test_user_admin_edits_the_profile_inline():
    user_admin = admin.site._registry[get_user_model()]

    assert [inline.model for inline in user_admin.inlines] == [UserProfile]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:institutions_province_changelist",
        "admin:institutions_commune_changelist",
        "admin:institutions_formerprovince_changelist",
        "admin:institutions_userprofile_changelist",
        "admin:institutions_institution_changelist",
    ],
)
def test_changelists_open_for_administrators(client, administrator, url_name):
    InstitutionFactory(code="DL", name="Thư viện tỉnh Đắk Lắk", province="66")
    InstitutionFactory(code="HN", name="Thư viện Hà Nội")
    UserFactory(username="officer-dak", province="66")
    client.force_login(administrator)

    response = client.get(reverse(url_name) + "?q=dak")

    assert response.status_code == 200
    changelist = response.context["cl"]
    found = list(changelist.result_list)
    assert found
    assert len(found) < changelist.model._default_manager.count()
    for row in found:
        searched = " ".join(str(_value(row, path)) for path in changelist.search_fields)
        assert "dak" in search_key(searched), searched


def _value(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
    return row


def test_institution_admin_search_ignores_diacritics(client, administrator, province_b):
    InstitutionFactory(code="DL", name="Thư viện tỉnh Đắk Lắk", province=province_b)
    InstitutionFactory(code="HN", name="Thư viện Hà Nội")
    client.force_login(administrator)

    response = client.get(
        reverse("admin:institutions_institution_changelist") + "?q=dak+lak"
    )

    assert [i.code for i in response.context["cl"].result_list] == ["DL"]


def test_institution_admin_form_applies_the_model_rules(
    client, administrator, province_a
):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:institutions_institution_add"),
        {
            "code": "X-1",
            "name": "Thư viện",
            "category": "museum",
            "province": "01",
            "commune": "22015",
            "opened_year": "2000",
            "closed_year": "1999",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    errors = response.context["adminform"].form.errors
    assert "lies in Tỉnh Đắk Lắk" in errors["commune"][0]
    assert "greater than the opening year" in errors["closed_year"][0]
    assert not Institution.objects.exists()


def test_institution_admin_shows_the_history(client, administrator, province_a):
    institution = InstitutionFactory(name="Thư viện Hà Nội", opened_year=2000)
    client.force_login(administrator)
    before = timezone.now()
    client.post(
        reverse("admin:institutions_institution_change", args=[institution.pk]),
        {
            "code": institution.code,
            "name": "Thư viện thành phố Hà Nội",
            "category": institution.category,
            "province": "01",
            "opened_year": "2001",
            "change_reason": "Đổi tên theo quyết định",
        },
    )

    response = client.get(
        reverse("admin:institutions_institution_history", args=[institution.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    changed, created = response.context["page_obj"].object_list
    assert (created.history_type, created.history_user) == ("+", None)
    assert changed.history_type == "~"
    assert changed.history_user == administrator
    assert before <= changed.history_date <= timezone.now()
    assert changed.history_change_reason == "Đổi tên theo quyết định"
    assert changed.history_delta_changes == [
        {"field": "Name", "old": "Thư viện Hà Nội", "new": "Thư viện thành phố Hà Nội"},
        {"field": "Opening year", "old": "2000", "new": "2001"},
    ]
    rows = response.text.split("<tbody>")[1].split("<tr>")[1:]
    with translation.override("en"):
        for record, row in zip([changed, created], rows, strict=True):
            when = timezone.localtime(record.history_date)
            assert date_format(when, "DATETIME_FORMAT") in row
    assert "Changed" in rows[0] and "Created" in rows[1]
    assert ">administrator-test</a>" in rows[0]
    assert "Đổi tên theo quyết định" in rows[0]
    assert "<strong>Name:</strong>" in rows[0]
    assert "Thư viện Hà Nội" in rows[0] and "Thư viện thành phố Hà Nội" in rows[0]
