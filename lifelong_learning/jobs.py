"""The progress of the background job an import runs in, told by the import
itself without knowing about jobs.

An import calls :func:`job_progress` as it goes (rows checked, rows written,
errors so far); outside a job that does nothing. A job runs the import inside
:func:`job_reporting`, with a :class:`JobReporter` that keeps the latest
numbers and hands them on to be saved at most every ``interval`` seconds, so a
fast import does not spend its time writing its own progress.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Seconds between two saves of a running job's progress.
PROGRESS_INTERVAL = 0.5

Numbers = dict[str, int]


class JobReporter:
    """Receives the progress numbers of the job's import (``checked``,
    ``written``, ``errors``) and passes the latest of each to ``save`` on the
    first report, then at most once every ``interval`` seconds, and on
    :meth:`flush`."""

    def __init__(
        self,
        save: Callable[[Numbers], object],
        *,
        interval: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.save = save
        self.interval = interval
        self.clock = clock
        self.numbers: Numbers = {}
        self._saved_at: float | None = None

    def report(self, **numbers: int | None) -> None:
        self.numbers.update({k: v for k, v in numbers.items() if v is not None})
        now = self.clock()
        if self._saved_at is None or now - self._saved_at >= self.interval:
            self.flush(now=now)

    def flush(self, *, now: float | None = None) -> None:
        self._saved_at = self.clock() if now is None else now
        if self.numbers:
            self.save(dict(self.numbers))


_reporter: ContextVar[JobReporter | None] = ContextVar("job_reporter", default=None)


@contextmanager
def job_reporting(reporter: JobReporter) -> Iterator[JobReporter]:
    """Sends the progress told inside the block to ``reporter``; its latest
    numbers are saved when the block ends."""
    token = _reporter.set(reporter)
    try:
        yield reporter
    finally:
        _reporter.reset(token)
        reporter.flush()


def job_progress(
    *, checked: int | None = None, written: int | None = None, errors: int | None = None
) -> None:
    """Tells the job running this import how far it got (totals so far; a
    number left out is unchanged). Does nothing outside a job."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter.report(checked=checked, written=written, errors=errors)
