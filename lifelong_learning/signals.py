"""Signals of the platform, for the apps above it to receive without the
platform importing them (as ``django.contrib.auth`` wires ``post_migrate``)."""

from django.dispatch import Signal

# Sent, inside the writing transaction, after rows were written in bulk past
# the per-row model signals: an import, a sheet's batch of reports, a restore.
# Keyword arguments:
# - ``using``: the database alias written to;
# - ``slices``: the (province code, category) pairs whose data changed, or
#   ``None``;
# - ``provinces``: the codes of the provinces whose data changed, or ``None``.
# Both ``None`` means anything may have changed (a restore). The reports app
# recounts its progress counters on it (reports/progress/signals.py).
data_written = Signal()


def data_written_send(
    sender, *, slices=None, provinces=None, using: str = "default"
) -> None:
    """Sends :data:`data_written` (``slices`` and ``provinces`` as sets)."""
    data_written.send(
        sender=sender,
        slices=None if slices is None else set(slices),
        provinces=None if provinces is None else set(provinces),
        using=using,
    )
