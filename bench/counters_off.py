"""Switching the progress counters off, to time a save without them.

Every receiver that keeps the counters is connected with the dispatch uid
:data:`COUNTERS_UID` (``reports/apps.py``), whatever the signal: the model
signals of reports, institutions and targets, the platform's ``data_written``
and any signal added later. :func:`counters_off` finds them on every live
``Signal`` and takes them out for the length of a ``with`` block.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

COUNTERS_UID = "reports.progress.counters"


def _signals() -> list[Signal]:
    return [obj for obj in gc.get_objects() if isinstance(obj, Signal)]


def counter_receivers() -> list[tuple[Signal, tuple]]:
    """Each (signal, receiver entry) connected under :data:`COUNTERS_UID`."""
    found = []
    for signal in _signals():
        with signal.lock:
            for entry in signal.receivers:
                lookup_key = entry[0]
                if lookup_key[0] == COUNTERS_UID:
                    found.append((signal, entry))
    return found


@contextmanager
def counters_off() -> Iterator[int]:
    """Disconnects every counter receiver and reconnects the same entries
    (in their places) afterwards, also on error; yields how many there were."""
    removed = counter_receivers()
    if not removed:
        raise RuntimeError(f"No signal receiver has the dispatch uid {COUNTERS_UID}")
    places = {}
    for signal, entry in removed:
        with signal.lock:
            places[id(entry)] = signal.receivers.index(entry)
            signal.receivers.remove(entry)
            signal.sender_receivers_cache.clear()
    try:
        yield len(removed)
    finally:
        for signal, entry in reversed(removed):
            with signal.lock:
                signal.receivers.insert(places[id(entry)], entry)
                signal.sender_receivers_cache.clear()
