"""The portal's WSGI application for the server-kill test of test_faults.py,
with one hook on the institution import's batch writer: when the environment
names a file in ``BATCHES_SIGNAL``, an import that has written its second batch
creates that file and then waits, its transaction still open, to be killed.
The test then knows that batches were written, rather than guessing it from
the time that went by."""

import os
import time
from pathlib import Path

from lifelong_learning.wsgi import application

# isort: split
from institutions import imports  # once the application has set Django up

BATCHES_SIGNAL = "PORTAL_TEST_BATCHES_SIGNAL"
SIGNAL_AFTER_BATCHES = 2
WAIT_SECONDS = 120

__all__ = ["application"]


def _hooked(write, signal: Path):
    written = 0

    def batch_write(*args, **kwargs):
        nonlocal written
        write(*args, **kwargs)
        written += 1
        if written == SIGNAL_AFTER_BATCHES:
            signal.touch()
            time.sleep(WAIT_SECONDS)

    return batch_write


if os.environ.get(BATCHES_SIGNAL):
    imports._batch_write = _hooked(
        imports._batch_write, Path(os.environ[BATCHES_SIGNAL])
    )
