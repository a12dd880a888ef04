"""Keeps the progress counters (:mod:`reports.progress.counters`) in step with single
saves and deletes, wherever they come from: forms, the admin, services or
tests; bulk writes (imports, sheets, a restore) announce themselves with
:data:`lifelong_learning.signals.data_written`."""

from institutions.models import Institution
from reports.progress import counters


def institution_pre_save(sender, instance, raw=False, **kwargs):
    # Where the institution was counted before this save.
    instance._counted_slice = (
        Institution.objects.filter(pk=instance.pk)
        .values_list("province_id", "category")
        .first()
        if instance.pk is not None and not raw
        else None
    )


def institution_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    slices = {(instance.province_id, instance.category)}
    before = getattr(instance, "_counted_slice", None)
    if before is not None:
        slices.add(before)
    counters.counts_refresh(slices=slices)


def report_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    where = (
        Institution.objects.filter(pk=instance.institution_id)
        .values_list("province_id", "category")
        .first()
    )
    if where is not None:
        counters.counts_refresh(slices=[where])


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


def data_written(sender, *, slices=None, provinces=None, using="default", **kwargs):
    """Recounts what a bulk write touched (lifelong_learning.signals)."""
    if slices is not None:
        counters.counts_refresh_written(slices, using=using)
    elif provinces is not None:
        counters.counts_refresh(province_codes=provinces, using=using)
    else:
        counters.counts_rebuild(using=using)
