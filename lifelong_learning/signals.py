"""Signals of the platform, for the apps above it to receive without the
platform importing them (as ``django.contrib.auth`` wires ``post_migrate``)."""

from contextlib import contextmanager

from django.dispatch import Signal

# Sent, inside the writing transaction, after rows were written in bulk past
# the per-row model signals: an import, a sheet's batch of reports, a restore.
# Keyword arguments:
# - ``using``: the database alias written to;
# - ``slices``: the (province code, category) pairs whose data changed, or
#   ``None``;
# - ``provinces``: the codes of the provinces whose data changed, or ``None``;
# - ``years``: when only reports of these years were written (their
#   institutions unchanged), the years; otherwise ``None``;
# - ``institutions``: the ids of the institutions whose data changed, when the
#   writer knows them (sent by :func:`data_write`), or ``None``;
# - ``state``: the dictionary :data:`data_writing` receivers filled, or ``None``.
# Both ``None`` means anything may have changed (a restore). The reports app
# recounts its progress counters on it (reports/progress/signals.py).
data_written = Signal()

# Sent, inside the writing transaction, *before* a write that
# :func:`data_write` wraps, with ``institutions`` (ids), ``using`` and a
# ``state`` dictionary that :data:`data_written` carries after the write: the
# reports app reads the institutions' counts before and after, and updates
# its counters by the difference instead of recounting whole slices. A
# receiver may put callables in ``state["on_end"]``: they run when the write
# ends, whether it succeeded or not.
data_writing = Signal()


def data_written_send(
    sender, *, slices=None, provinces=None, years=None, using: str = "default"
) -> None:
    """Sends :data:`data_written` (``slices``, ``provinces`` and ``years`` as
    sets)."""
    data_written.send(
        sender=sender,
        slices=None if slices is None else set(slices),
        provinces=None if provinces is None else set(provinces),
        years=None if years is None else set(years),
        using=using,
    )


@contextmanager
def data_write(
    sender, *, institutions=None, slices=None, provinces=None, using="default"
):
    """Wraps a bulk write of the institutions ``institutions`` (ids; ``None``
    when unknown) or of their reports: sends :data:`data_writing` before and
    :data:`data_written` after it (when it raised nothing). Use it inside the
    writing transaction."""
    institutions = None if institutions is None else frozenset(institutions)
    state = {"on_end": []}
    data_writing.send(
        sender=sender, institutions=institutions, using=using, state=state
    )
    try:
        yield state
        data_written.send(
            sender=sender,
            slices=None if slices is None else set(slices),
            provinces=None if provinces is None else set(provinces),
            institutions=institutions,
            using=using,
            state=state,
        )
    finally:
        for end in state["on_end"]:
            end()
