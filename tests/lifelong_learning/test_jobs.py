"""lifelong_learning/jobs.py: the progress an import tells the job running it,
a no-op outside a job, saved at most every interval; and where the batched
import tells it."""

import pytest

from lifelong_learning.batches import import_all_or_nothing
from lifelong_learning.jobs import JobReporter, job_progress, job_reporting

from .test_batches import GroupPass, named


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_outside_a_job_does_nothing():
    job_progress(checked=5, written=3, errors=0)  # no reporter: no error either


def test_the_first_report_is_saved_then_at_most_once_an_interval():
    saved = []
    clock = Clock()
    reporter = JobReporter(saved.append, interval=0.5, clock=clock)

    with job_reporting(reporter):
        job_progress(checked=10, written=10, errors=0)
        clock.now += 0.2
        job_progress(checked=20, written=20)
        clock.now += 0.2
        job_progress(checked=30, errors=1)
        assert saved == [{"checked": 10, "written": 10, "errors": 0}]
        clock.now += 0.2
        job_progress(checked=40)
        assert saved[-1] == {"checked": 40, "written": 20, "errors": 1}
        job_progress(checked=50)

    # Leaving the block saves the latest numbers and ends the reporting.
    assert len(saved) == 3
    assert saved[-1] == {"checked": 50, "written": 20, "errors": 1}
    job_progress(checked=60)
    assert len(saved) == 3


class CountingPass(GroupPass):
    pass


@pytest.fixture
def counting_pass():
    CountingPass.races = 0
    CountingPass.passes = 0
    CountingPass.announced = []
    return CountingPass


@pytest.mark.django_db
def test_the_batched_import_tells_rows_checked_written_and_errors(counting_pass):
    saved = []
    reporter = JobReporter(saved.append, interval=0)

    with job_reporting(reporter):
        import_all_or_nothing(
            named("a", "b", "c", "bad", "d", "e"),
            new_pass=lambda write: counting_pass(write=write),
            race_message="race",
        )

    # A batch of two valid rows at a time; rows count as written until the
    # first error, then only checked (and all of it is rolled back).
    assert saved == [
        {"checked": 2, "written": 2, "errors": 0},
        {"checked": 5, "written": 2, "errors": 1},
        {"checked": 6, "written": 2, "errors": 1},
        {"checked": 6, "written": 2, "errors": 1},
    ]


@pytest.mark.django_db
def test_a_dry_run_tells_rows_checked_and_none_written(counting_pass):
    saved = []

    with job_reporting(JobReporter(saved.append, interval=0)):
        import_all_or_nothing(
            named("a", "b", "c"),
            new_pass=lambda write: counting_pass(write=write),
            race_message="race",
            dry_run=True,
        )

    assert saved[-1] == {"checked": 3, "errors": 0}
