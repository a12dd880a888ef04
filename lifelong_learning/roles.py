"""The three roles of the portal, as auth groups with their permissions.

Views check permissions, never ``is_superuser``: a role is only the set of
permissions its group grants. Provincial officers are additionally fenced to
the province of their :class:`institutions.models.UserProfile`.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_ALL_PROVINCES = "institutions.view_all_provinces"
CHANGE_ALL_PROVINCES = "institutions.change_all_provinces"
# What the roles may do with annual reports.
REPORT_VIEW = "reports.view_annualreport"
REPORT_CHANGE = "reports.change_annualreport"
REPORT_SUBMIT = "reports.submit_annualreport"
REPORT_REVIEW = "reports.review_annualreport"


class Role(models.TextChoices):
    MINISTRY_STAFF = "ministry_staff", _("Ministry staff")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    ADMINISTRATOR = "administrator", _("Administrator")


_READ = [
    "institutions.view_province",
    "institutions.view_commune",
    "institutions.view_formerprovince",
    "institutions.view_institution",
    "targets.view_target",
    REPORT_VIEW,
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MINISTRY_STAFF: [
        *_READ,
        VIEW_ALL_PROVINCES,
        REPORT_REVIEW,
        "reports.publish_release",
        "reports.view_release",
    ],
    Role.PROVINCIAL_OFFICER: [
        *_READ,
        "institutions.add_institution",
        "institutions.change_institution",
        "reports.add_annualreport",
        REPORT_CHANGE,
        REPORT_SUBMIT,
    ],
    # Administrators get every permission of the portal's own apps, plus accounts.
    Role.ADMINISTRATOR: [
        "institutions.*",
        "targets.*",
        "reports.*",
        "jobs.*",
        "auth.*",
        "authtoken.*",
    ],
}


def _permissions(specs: list[str]) -> list[Permission]:
    perms = Permission.objects.select_related("content_type")
    result: list[Permission] = []
    for spec in specs:
        app_label, codename = spec.split(".", 1)
        matching = perms.filter(content_type__app_label=app_label)
        if codename != "*":
            matching = matching.filter(codename=codename)
        result.extend(matching)
    return result


def role_groups_sync() -> None:
    """Creates the role groups and sets exactly the permissions each role grants.

    Permissions of apps that are not migrated yet are skipped; the next call,
    after their migration, adds them.
    """
    for role, specs in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(specs))


def user_role(user) -> Role | None:
    """Returns the user's role (the first role group they belong to), if any."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    for role in Role:
        if role.value in names:
            return role
    return None


def user_sees_all_provinces(user) -> bool:
    """Ministry staff and administrators see every province."""
    return user.is_authenticated and user.has_perm(VIEW_ALL_PROVINCES)


def user_province(user):
    """Returns the province a provincial officer is bound to, or ``None``."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    return profile.province if profile else None


def user_can_see_province(user, province_code: str) -> bool:
    """True when the user may read data of the province with ``province_code``."""
    if user_sees_all_provinces(user):
        return True
    own = user_province(user)
    return own is not None and own.code == province_code


def user_can_write_province(user, province_code: str, permission: str) -> bool:
    """True when the user holds ``permission`` and may use it in this province.

    Administrators write everywhere; officers only in their own province;
    ministry staff hold no write permission on data.
    """
    if not user.has_perm(permission):
        return False
    if user.has_perm(CHANGE_ALL_PROVINCES):
        return True
    own = user_province(user)
    return own is not None and own.code == province_code


def province_denied(user, permission: str | None = None) -> PermissionDenied:
    """The refusal of another province's page or object, saying why: the
    province is not the user's own (``permission``, when given, is held), or
    the account lacks ``permission`` or is bound to no province."""
    if permission and not user.has_perm(permission):
        return PermissionDenied(_("Your account may not make this change."))
    own = user_province(user)
    if own is None:
        return PermissionDenied(_("Your account is not bound to a province."))
    return PermissionDenied(
        _(
            "This belongs to another province: your account works with the "
            "data of %(province)s only."
        )
        % {"province": own.name}
    )
