"""Writes of reporting periods and their extensions, by the ministry's page and
the admin alike: validated, atomic, kept in history with who changed what, and
announced with ``deadlines_changed`` so the layers above recompute what
depends on the dates."""

import datetime

from django.db import transaction

from institutions.models import Province
from lifelong_learning.history import reason_clip
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.signals import deadlines_changed


def _history_user(user):
    return user if user is not None and user.is_authenticated else None


def _saved(record, *, user, reason: str) -> None:
    """Validates and saves ``record`` with its history's user and reason."""
    record.updated_by = _history_user(user)
    record.full_clean()
    record._history_user = record.updated_by
    record._change_reason = reason_clip(reason) or None
    record.save()


@transaction.atomic
def period_save(
    *,
    user,
    year: int,
    opens_on: datetime.date,
    due_on: datetime.date,
    closes_on: datetime.date,
    notes: str = "",
    period: ReportingPeriod | None = None,
    reason: str = "",
) -> ReportingPeriod:
    """Creates the period of ``year`` or, given ``period``, changes it.

    Refuses (``ValidationError``) dates out of order and a second period for
    the same year. Every province's deadlines may have moved: sends
    ``deadlines_changed`` with ``provinces=None``."""
    if period is None:
        period = ReportingPeriod()
    else:
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    previous_year = period.year
    period.year = year
    period.opens_on = opens_on
    period.due_on = due_on
    period.closes_on = closes_on
    period.notes = notes
    _saved(period, user=user, reason=reason)
    for changed in {previous_year, year} - {None}:
        deadlines_changed.send(sender=ReportingPeriod, year=changed, provinces=None)
    return period


@transaction.atomic
def extension_save(
    *,
    user,
    period: ReportingPeriod,
    province: Province,
    due_on: datetime.date,
    closes_on: datetime.date,
    reason: str,
    extension: PeriodExtension | None = None,
) -> PeriodExtension:
    """Gives ``province`` later dates for ``period`` or, given ``extension``,
    changes them; the reason is required and kept in history.

    Refuses (``ValidationError``) an empty reason, a due date after the
    closing date and a second extension of the same province. Sends
    ``deadlines_changed`` for the province (and the one it replaced)."""
    if extension is None:
        extension = PeriodExtension(period=period)
    else:
        extension = PeriodExtension.objects.select_for_update().get(pk=extension.pk)
    previous_province = extension.province_id
    extension.province = province
    extension.due_on = due_on
    extension.closes_on = closes_on
    extension.reason = reason.strip()
    _saved(extension, user=user, reason=reason)
    provinces = sorted({previous_province, province.code} - {None})
    deadlines_changed.send(
        sender=PeriodExtension, year=period.year, provinces=provinces
    )
    return extension


@transaction.atomic
def extension_delete(*, user, extension: PeriodExtension) -> None:
    """Removes an extension (its history keeps it); the province falls back
    to the period's dates."""
    extension._history_user = _history_user(user)
    year, province = extension.period.year, extension.province_id
    extension.delete()
    deadlines_changed.send(sender=PeriodExtension, year=year, provinces=[province])


@transaction.atomic
def period_delete(*, user, period: ReportingPeriod) -> None:
    """Removes a period and its extensions (history keeps them): the year has
    no date limits again."""
    year = period.year
    for extension in period.extensions.all():
        extension_delete(user=user, extension=extension)
    period._history_user = _history_user(user)
    period.delete()
    deadlines_changed.send(sender=ReportingPeriod, year=year, provinces=None)
