"""institutions/services.py: create, update and close one institution."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from institutions.models import Institution
from institutions.services import (
    institution_close,
    institution_create,
    institution_update,
)
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Single-object services -------------------------------------------------------------


def test_create_records_the_user(province_a, officer_a):
    institution = institution_create(
        user=officer_a,
        code="LIB-1",
        name="  Thư viện  ",
        category="library_provincial",
        province=province_a,
    )

    assert institution.name == "Thư viện"
    assert institution.history.get().history_user == officer_a


def test_create_outside_the_officers_province_is_refused(province_b, officer_a):
    with pytest.raises(PermissionDenied):
        institution_create(
            user=officer_a,
            code="LIB-1",
            name="Thư viện",
            category="library_provincial",
            province=province_b,
        )
    assert not Institution.objects.exists()


def test_create_validates_like_the_model(province_a, administrator):
    with pytest.raises(ValidationError) as raised:
        institution_create(
            user=administrator,
            code="LIB 1",
            name="Thư viện",
            category="library_provincial",
            province=province_a,
            opened_year=2000,
            closed_year=1999,
        )
    assert set(raised.value.message_dict) == {"code", "closed_year"}


def test_update_checks_both_the_old_and_the_new_province(
    province_a, province_b, officer_a, officer_b
):
    institution = InstitutionFactory(province=province_a)

    with pytest.raises(PermissionDenied):
        institution_update(institution=institution, user=officer_b, name="X")
    with pytest.raises(PermissionDenied):
        institution_update(institution=institution, user=officer_a, province=province_b)

    institution_update(institution=institution, user=officer_a, name="Tên mới")
    institution.refresh_from_db()
    assert institution.name == "Tên mới"
    assert institution.province == province_a


def test_close_sets_the_year_and_refuses_one_not_after_opening(
    province_a, officer_a, officer_b
):
    institution = InstitutionFactory(opened_year=2000)

    with pytest.raises(ValidationError):
        institution_close(institution=institution, closed_year=2000, user=officer_a)
    with pytest.raises(PermissionDenied):
        institution_close(institution=institution, closed_year=2025, user=officer_b)

    institution = Institution.objects.get(pk=institution.pk)
    institution_close(institution=institution, closed_year=2025, user=officer_a)

    institution.refresh_from_db()
    assert institution.closed_year == 2025
    latest = institution.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (officer_a, "close")
