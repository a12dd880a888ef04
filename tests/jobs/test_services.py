"""jobs/services.py: a confirmed upload becomes one queued job; the worker
runs it all or nothing, records its numbers and result, and removes the
file."""

import pytest
from django.test import override_settings

from institutions.imports import institutions_import
from institutions.models import Institution
from institutions.tasks import institutions_import_job
from jobs.models import ImportJob, ImportKind, ImportState
from jobs.services import JobExists, Outcome, job_enqueue, job_run
from lifelong_learning.uploads import upload_directory
from tests.institutions.conftest import csv_write, row

from .conftest import NO_WORKER

pytestmark = pytest.mark.django_db


def stored(tmp_name: str, rows) -> object:
    """A file in the upload directory, as an upload stores it."""
    return csv_write(upload_directory() / tmp_name, rows)


def enqueue(user, path, upload="a" * 32, rows_total=0):
    return job_enqueue(
        user=user,
        kind=ImportKind.INSTITUTIONS,
        upload=upload,
        path=path,
        file_name="museums.csv",
        rows_total=rows_total,
        task=institutions_import_job,
    )


@override_settings(TASKS=NO_WORKER)
def test_enqueue_records_a_queued_job_and_queues_its_task(officer_a):
    path = stored("enqueue-test.csv", [row(code="MUS-1")])

    job = enqueue(officer_a, path, rows_total=1)

    assert (job.state, job.user, job.file_path, job.rows_total) == (
        ImportState.QUEUED,
        officer_a,
        "enqueue-test.csv",
        1,
    )
    assert job.language == "vi"
    assert not Institution.objects.exists()
    assert path.exists()
    path.unlink()


@override_settings(TASKS=NO_WORKER)
def test_an_upload_is_enqueued_once(officer_a):
    path = stored("once-test.csv", [row()])
    first = enqueue(officer_a, path)

    with pytest.raises(JobExists) as refused:
        enqueue(officer_a, path)

    assert refused.value.job == first
    assert ImportJob.objects.count() == 1
    path.unlink()


def test_the_worker_imports_the_file_and_records_the_result(officer_a):
    path = stored("run-test.csv", [row(code="MUS-1"), row(code="MUS-2")])

    job = enqueue(officer_a, path, rows_total=2)  # run at once in tests

    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert (job.rows_checked, job.rows_written, job.errors_found) == (2, 2, 0)
    assert job.started_at and job.finished_at
    assert job.result["summary"] == "2 thiết chế mới, 0 cập nhật, 0 không đổi"
    assert job.result["next_url"] == "/institutions/"
    assert set(Institution.objects.values_list("code", flat=True)) == {
        "MUS-1",
        "MUS-2",
    }
    assert not path.exists()


def test_a_file_that_fails_writes_nothing_and_lists_its_errors(officer_a):
    # Province B's row is outside the officer's province: refused by the
    # import itself, in the worker, with the officer's permissions.
    path = stored(
        "fail-test.csv",
        [row(code="MUS-1"), row(code="MUS-2"), row(code="MUS-3", province_code="66")],
    )

    job = enqueue(officer_a, path, rows_total=3)

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert not Institution.objects.exists()
    assert job.rows_written == 0
    assert job.errors_found == 1
    [(row_number, column, value, message)] = job.result["errors"]
    assert (row_number, column, value) == (4, "province_code", "66")
    assert "ngoài tỉnh" in message
    assert job.result["column_labels"]["province_code"].startswith("mã tỉnh")
    assert not path.exists()


@override_settings(TASKS=NO_WORKER)
def test_an_import_that_breaks_writes_nothing_and_says_so(officer_a):
    path = stored("break-test.csv", [row(code="MUS-1")])
    job = enqueue(officer_a, path)

    def breaks(job, path):
        institutions_import(path=path, user=job.user)
        raise RuntimeError("the worker ran out of memory")

    assert job_run(job.pk, run=breaks) == ImportState.FAILED

    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert "dừng bất thường" in job.result["errors"][0][3]
    assert not path.exists()


@override_settings(TASKS=NO_WORKER)
def test_a_job_runs_once(officer_a):
    path = stored("twice-test.csv", [row(code="MUS-1")])
    job = enqueue(officer_a, path)
    runs = []

    def run(job, path):
        runs.append(job.pk)
        return institutions_import(path=path, user=job.user), Outcome()

    assert job_run(job.pk, run=run) == ImportState.DONE
    assert job_run(job.pk, run=run) == ""
    assert runs == [job.pk]


@override_settings(TASKS=NO_WORKER)
def test_a_job_whose_file_is_gone_fails_asking_for_it_again(officer_a):
    path = stored("gone-test.csv", [row(code="MUS-1")])
    job = enqueue(officer_a, path)
    path.unlink()

    assert job_run(job.pk, run=lambda job, path: None) == ImportState.FAILED

    job.refresh_from_db()
    assert "không còn nữa" in job.result["errors"][0][3]
