"""Keeps the progress counters (:mod:`reports.counters`) in step with single
saves and deletes, wherever they come from: forms, the admin, services or
tests. Bulk writes call :func:`reports.counters.counts_refresh` themselves."""

from institutions.models import Institution

from . import counters


def institution_pre_save(sender, instance, raw=False, **kwargs):
    instance._counted_province_id = (
        Institution.objects.filter(pk=instance.pk)
        .values_list("province_id", flat=True)
        .first()
        if instance.pk is not None and not raw
        else None
    )


def institution_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    codes = {instance.province_id, getattr(instance, "_counted_province_id", None)}
    counters.counts_refresh(province_codes=codes - {None})


def report_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    code = (
        Institution.objects.filter(pk=instance.institution_id)
        .values_list("province_id", flat=True)
        .first()
    )
    if code is not None:
        counters.counts_refresh(province_codes=[code])


def _pair(target) -> tuple | None:
    return (target.count_field, target.baseline_year) if target.count_field else None


def target_pre_save(sender, instance, raw=False, **kwargs):
    stored = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._counted_pair = _pair(stored) if stored is not None else None


def target_changed(sender, instance, raw=False, **kwargs):
    # Only a growth row's count or base year changes which panels are kept.
    if raw:
        return
    if _pair(instance) != getattr(instance, "_counted_pair", _pair(instance)):
        counters.panel_counts_rebuild()


def target_deleted(sender, instance, **kwargs):
    if _pair(instance) is not None:
        counters.panel_counts_rebuild()
