"""Writes of one institution to the registry: create, update and close
(the import of a file is in ``imports.py``).

Every write checks the user's province fence (``roles.user_can_write_province``)
and validates with the same rules and messages as the model, so the form, the
admin, the import page and the command reject the same input the same way.
"""

import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from lifelong_learning.history import reason_clip
from lifelong_learning.roles import user_can_write_province

from .models import Commune, FormerProvince, Institution, Province

ADD = "institutions.add_institution"
CHANGE = "institutions.change_institution"
CLOSE_CHANGE_REASON = "close"


def _history_user(institution: Institution, user) -> None:
    if user is not None and user.is_authenticated:
        institution._history_user = user


def _history_reason(institution: Institution, reason: str) -> None:
    # The history keeps at most 100 characters of a reason.
    if reason.strip():
        institution._change_reason = reason_clip(reason)


def _require_write(user, province_code: str, permission: str) -> None:
    if not user_can_write_province(user, province_code, permission):
        raise PermissionDenied(_("You may not change institutions of this province."))


@transaction.atomic
def institution_create(
    *,
    user,
    code: str,
    name: str,
    category: str,
    province: Province,
    commune: Commune | None = None,
    former_province: FormerProvince | None = None,
    opened_year: int | None = None,
    closed_year: int | None = None,
    reason: str = "",
) -> Institution:
    """Adds an institution in a province the user may write to; ``reason``
    goes to its history."""
    _require_write(user, province.code, ADD)
    institution = Institution(
        code=code,
        name=unicodedata.normalize("NFC", name.strip()),
        category=category,
        province=province,
        commune=commune,
        former_province=former_province,
        opened_year=opened_year,
        closed_year=closed_year,
    )
    institution.full_clean()
    _history_user(institution, user)
    _history_reason(institution, reason)
    institution.save()
    return institution


_EDITABLE = frozenset(Institution.DATA_FIELDS)


@transaction.atomic
def institution_update(
    *, institution: Institution, user, reason: str = "", **data
) -> Institution:
    """Changes the given fields; the user must be allowed to write both in the
    institution's province and in the province it moves to. ``reason`` goes
    to its history."""
    unknown = set(data) - _EDITABLE
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    _require_write(user, institution.province_id, CHANGE)
    if "province" in data:
        _require_write(user, data["province"].code, CHANGE)
    if "name" in data:
        data["name"] = unicodedata.normalize("NFC", data["name"].strip())
    for name, value in data.items():
        setattr(institution, name, value)
    institution.full_clean()
    _history_user(institution, user)
    _history_reason(institution, reason)
    institution.save()
    return institution


@transaction.atomic
def institution_close(
    *, institution: Institution, closed_year: int, user
) -> Institution:
    """Sets the year from which the institution no longer operates."""
    _require_write(user, institution.province_id, CHANGE)
    institution.closed_year = closed_year
    institution.full_clean()
    _history_user(institution, user)
    institution._change_reason = CLOSE_CHANGE_REASON
    institution.save()
    return institution
