"""jobs/progress.py: a running job's progress reaches its row while the
import's transaction is still open — through a connection of its own on
PostgreSQL; on SQLite, whose single writer is the import, once it ends."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from jobs.models import ImportJob
from jobs.progress import ProgressWriter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def job():
    user = get_user_model().objects.create(username="progress-test")
    return ImportJob.objects.create(
        user=user, kind="institutions", upload="c" * 32, file_name="a.csv"
    )


def seen_elsewhere(job) -> tuple[int, int, int]:
    """The job's numbers as another connection (the page's) reads them."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT rows_checked, rows_written, errors_found "
                "FROM jobs_importjob WHERE id = %s",
                [job.pk],
            )
            return tuple(cursor.fetchone())
    finally:
        other.close()


def test_outside_a_transaction_the_row_is_updated(job):
    writer = ProgressWriter(job.pk)

    writer({"checked": 10, "written": 8, "errors": 1})

    job.refresh_from_db()
    assert (job.rows_checked, job.rows_written, job.errors_found) == (10, 8, 1)
    assert seen_elsewhere(job) == (10, 8, 1)


def test_inside_the_imports_transaction_the_page_sees_it_on_postgresql(job):
    writer = ProgressWriter(job.pk)
    try:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).exists()  # the import's reads
            writer({"checked": 500, "written": 500, "errors": 0})
            during = seen_elsewhere(job) if connection.vendor != "sqlite" else None
            # The import then fails: its writes are rolled back, the
            # progress stays.
            transaction.set_rollback(True)
    finally:
        writer.close()

    if connection.vendor == "sqlite":
        # One writer at a time: the numbers wait for the end of the import.
        assert seen_elsewhere(job) == (0, 0, 0)
    else:
        assert during == (500, 500, 0)
        assert seen_elsewhere(job) == (500, 500, 0)


def test_a_job_row_held_by_the_transaction_that_queued_it_is_skipped(job):
    # The immediate task backend runs the import inside the transaction that
    # confirmed it, which holds the job's row: waiting for it would never end.
    writer = ProgressWriter(job.pk)
    try:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(state="queued")
            writer({"checked": 5, "written": 0, "errors": 0})
    finally:
        writer.close()

    job.refresh_from_db()
    assert job.state == "queued"
    if connection.vendor != "sqlite":
        assert seen_elsewhere(job) == (0, 0, 0)
