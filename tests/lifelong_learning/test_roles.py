"""Roles are groups of permissions; officers are fenced to their province."""

import pytest

from lifelong_learning.roles import (
    Role,
    user_can_see_province,
    user_can_write_province,
    user_province,
    user_role,
    user_sees_all_provinces,
)

pytestmark = pytest.mark.django_db


def test_each_role_group_exists_after_migrate():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_ministry_staff_read_everything_but_write_nothing(ministry_user):
    assert user_role(ministry_user) == Role.MINISTRY_STAFF
    assert user_sees_all_provinces(ministry_user)
    assert user_can_see_province(ministry_user, "66")
    assert not ministry_user.has_perm("institutions.change_institution")
    assert not user_can_write_province(
        ministry_user, "01", "institutions.change_institution"
    )


def test_officer_sees_and_writes_only_their_province(officer_a):
    assert user_role(officer_a) == Role.PROVINCIAL_OFFICER
    assert user_province(officer_a).code == "01"
    assert not user_sees_all_provinces(officer_a)
    assert user_can_see_province(officer_a, "01")
    assert not user_can_see_province(officer_a, "66")
    assert user_can_write_province(officer_a, "01", "institutions.change_institution")
    assert not user_can_write_province(
        officer_a, "66", "institutions.change_institution"
    )


def test_administrator_writes_everywhere_without_being_superuser(administrator):
    assert not administrator.is_superuser
    assert administrator.is_staff
    assert user_can_write_province(
        administrator, "66", "institutions.change_institution"
    )


def test_user_without_role_sees_nothing(django_user_model, geography):
    user = django_user_model.objects.create_user("nobody", password="x-1520-y")
    assert user_role(user) is None
    assert not user_can_see_province(user, "01")


def test_demo_accounts_cover_every_role(geography):
    from django.contrib.auth import authenticate

    from reports.demo.sample import DEMO_PASSWORD, demo_users_create

    accounts = demo_users_create()
    assert {account.role for account in accounts} == set(Role)
    for account in accounts:
        user = authenticate(username=account.username, password=DEMO_PASSWORD)
        assert user_role(user) == account.role
