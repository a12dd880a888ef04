"""Demo accounts (and, as the portal grows, demo data) for `make run`."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from institutions.models import Province, UserProfile
from lifelong_learning.roles import Role, role_groups_sync

DEMO_PASSWORD = "demo-1520"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    province_code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.ADMINISTRATOR, "Quản trị viên"),
    DemoAccount("ministry", Role.MINISTRY_STAFF, "Nguyễn Thị Bộ"),
    DemoAccount("officer-hanoi", Role.PROVINCIAL_OFFICER, "Trần Văn Hà", "01"),
    DemoAccount("officer-daklak", Role.PROVINCIAL_OFFICER, "Lê Thị Lắk", "66"),
]


@transaction.atomic
def demo_users_create() -> list[DemoAccount]:
    """Creates (or resets) one demo account per role, all with ``DEMO_PASSWORD``."""
    role_groups_sync()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        first, _space, last = account.full_name.rpartition(" ")
        user, _created = user_model.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": last,
                "last_name": first,
                "is_staff": account.role == Role.ADMINISTRATOR,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
        province = (
            Province.objects.get(code=account.province_code)
            if account.province_code
            else None
        )
        UserProfile.objects.update_or_create(user=user, defaults={"province": province})
    return DEMO_ACCOUNTS
