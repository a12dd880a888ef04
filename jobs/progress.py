"""Saving a running job's progress where its page can read it while the
import's transaction is still open (and may yet be rolled back).

Outside a transaction the job row is updated as usual. Inside the import's
transaction, on PostgreSQL, a second connection of its own writes it, in
autocommit. SQLite has a single writer: the import holds the database's
write lock until it ends, so there the progress is saved only outside the
import's transaction (when it starts and when it ends).
"""

from django.db import DEFAULT_DB_ALIAS, connections

from .models import ImportJob

FIELDS = {
    "checked": "rows_checked",
    "written": "rows_written",
    "errors": "errors_found",
}


class ProgressWriter:
    """Called with the numbers of :class:`lifelong_learning.jobs.JobReporter`;
    writes them to job ``job_id``. Close it to close its second connection."""

    def __init__(self, job_id: int, *, using: str = DEFAULT_DB_ALIAS):
        self.job_id = job_id
        self.using = using
        self._side = None

    def __call__(self, numbers: dict[str, int]) -> None:
        values = {FIELDS[name]: value for name, value in numbers.items()}
        connection = connections[self.using]
        if not connection.in_atomic_block:
            ImportJob.objects.using(self.using).filter(pk=self.job_id).update(**values)
        elif connection.vendor != "sqlite":
            self._side_update(values)

    def _side_update(self, values: dict[str, int]) -> None:
        if self._side is None:
            self._side = connections.create_connection(self.using)
        quote = self._side.ops.quote_name
        table, key = quote(ImportJob._meta.db_table), quote("id")
        assignments = ", ".join(f"{quote(field)} = %s" for field in values)
        # A job row that a transaction still holds (one that queued the task,
        # when the task runs at once, as in the tests) is skipped rather than
        # waited for: that transaction is the one waiting for this import.
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {key} IN "
                f"(SELECT {key} FROM {table} WHERE {key} = %s "
                "FOR UPDATE SKIP LOCKED)",
                [*values.values(), self.job_id],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
