"""Keeps the progress counters (:mod:`reports.progress.counters`) in step with single
saves and deletes, wherever they come from: forms, the admin, services or
tests; bulk writes (imports, sheets, a restore) announce themselves with
:data:`lifelong_learning.signals.data_written`, and writes of a few
institutions' data wrap themselves in
:func:`lifelong_learning.signals.data_write`. Inside a transaction, a write of
a few institutions updates the counters by a delta (:mod:`.deltas`): its cost
does not grow with its province; anything else recounts its slices."""

from contextvars import ContextVar

from institutions.models import Institution
from reports.progress import counters, deltas

# Institutions whose counters a wrapping data_write (below) is counting: their
# single saves inside it are left to it.
_writing: ContextVar[frozenset] = ContextVar("counted_by_a_write", default=frozenset())


def _delta_begin(instance, ids, *, provinces=()) -> None:
    """Starts a delta for a single save of ``instance`` (of the institutions
    ``ids``) when one is possible; otherwise its post-save signal recounts."""
    instance._count_delta = None
    if ids and ids <= _writing.get():
        instance._count_delta = "counted"
    elif deltas.delta_possible(ids):
        instance._count_delta = deltas.CountDelta(ids, provinces=provinces).begin()


def _delta_finish(instance, ids, slices) -> None:
    delta = instance.__dict__.pop("_count_delta", None)
    if delta == "counted":
        return
    if delta is not None:
        delta.ids = frozenset(ids)
        delta.finish()
    else:
        counters.counts_refresh(slices=slices)


def institution_pre_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = frozenset() if instance.pk is None else frozenset({instance.pk})
    _delta_begin(instance, ids, provinces={instance.province_id})
    instance._counted_slice = None
    if ids and instance._count_delta is None:
        # Recounted after the save: where it was counted before it, too.
        instance._counted_slice = (
            Institution.objects.filter(pk=instance.pk)
            .values_list("province_id", "category")
            .first()
        )


def institution_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    slices = {(instance.province_id, instance.category)}
    before = getattr(instance, "_counted_slice", None)
    if before is not None:
        slices.add(before)
    _delta_finish(instance, {instance.pk}, slices)


def institution_deleted(sender, instance, **kwargs):
    counters.counts_refresh(slices={(instance.province_id, instance.category)})


def report_pre_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _delta_begin(instance, frozenset({instance.institution_id}))


def _report_slice(instance):
    return (
        Institution.objects.filter(pk=instance.institution_id)
        .values_list("province_id", "category")
        .first()
    )


def report_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if getattr(instance, "_count_delta", None) is not None:
        _delta_finish(instance, {instance.institution_id}, None)
        return
    where = _report_slice(instance)
    if where is not None:
        counters.counts_refresh(slices=[where])


def report_deleted(sender, instance, **kwargs):
    where = _report_slice(instance)
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


def data_writing(sender, *, institutions=None, using="default", state, **kwargs):
    """Before a wrapped bulk write (lifelong_learning.signals.data_write) of
    a few institutions: reads their counts, to update the counters by the
    difference once the write is done."""
    if not deltas.delta_possible(institutions, using):
        return
    state["count_delta"] = deltas.CountDelta(institutions, using=using).begin()
    token = _writing.set(_writing.get() | institutions)
    state["on_end"].append(lambda: _writing.reset(token))


def data_written(
    sender,
    *,
    slices=None,
    provinces=None,
    years=None,
    using="default",
    state=None,
    **kwargs,
):
    """Counts what a bulk write touched (lifelong_learning.signals): by the
    difference its :func:`data_writing` prepared, or by recounting its
    slices or provinces."""
    delta = (state or {}).pop("count_delta", None)
    if delta is not None:
        delta.finish()
    elif slices is not None:
        counters.counts_refresh_written(slices, years=years, using=using)
    elif provinces is not None:
        counters.counts_refresh(province_codes=provinces, using=using)
    else:
        counters.counts_rebuild(using=using)
