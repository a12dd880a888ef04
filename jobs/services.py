"""Writes of background checks and imports: an upload's check (its preview)
becomes a job on the worker's queue (:func:`check_enqueue`), which the worker
runs (:func:`check_run`); once confirmed, the same job imports the file
(:func:`job_confirm` or :func:`job_enqueue`, then :func:`job_run`)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lifelong_learning.batches import ImportResult
from lifelong_learning.jobs import JobReporter, job_reporting
from lifelong_learning.tabular import CSV, table_format, table_rows_estimate
from lifelong_learning.uploads import (
    upload_directory,
    upload_file_remove,
    upload_result,
)

from .models import ImportJob, ImportState
from .progress import ProgressWriter

logger = logging.getLogger(__name__)


class JobExists(Exception):
    """The upload was confirmed before: its job is ``job``."""

    def __init__(self, job: ImportJob):
        super().__init__(job.pk)
        self.job = job


@dataclass
class Outcome:
    """What the page of a finished import shows besides its counts and
    errors: where to go next, the warnings, notes, and the columns' names in
    words (``formats.COLUMN_LABELS``)."""

    next_url: str = ""
    column_labels: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    warnings_total: int = 0
    notes: list[str] = field(default_factory=list)


# Runs a job's import: ``run(job, path)`` → the result and what else to show.
Runner = Callable[[ImportJob, Path], tuple[ImportResult, Outcome]]
# Runs a job's check (a dry run): ``check(job, path)`` → its result.
Checker = Callable[[ImportJob, Path], ImportResult]


def check_enqueue(
    *,
    user,
    kind: str,
    upload: str,
    path: Path,
    file_name: str,
    key: str,
    task,
    options: dict | None = None,
) -> ImportJob:
    """Makes sure the check of upload ``upload`` under ``key`` (what its
    result depends on besides the file: the language, a status) is on the
    worker's queue (``task``, called with the job's id), or under way: a new
    job; a checked one checked again under another key (another language).
    Returns the job, as it is after ``task`` was queued (the immediate
    backend of the tests has run it)."""
    options = {**(options or {}), "check_key": key}
    language = translation.get_language() or "vi"
    job = ImportJob.objects.filter(upload=upload).first()
    try:
        with transaction.atomic():
            if job is None:
                job = ImportJob.objects.create(
                    user=user,
                    kind=kind,
                    upload=upload,
                    file_name=file_name,
                    file_path=path.name,
                    options=options,
                    language=language,
                    state=ImportState.PENDING,
                    # A CSV's lines are counted at once (milliseconds for
                    # 200,000 rows), an XLSX's rows by the worker.
                    rows_total=(
                        table_rows_estimate(path) if table_format(path) == CSV else 0
                    ),
                )
            elif job.state == ImportState.CHECKED:
                again = ImportJob.objects.filter(
                    pk=job.pk, state=ImportState.CHECKED
                ).update(
                    state=ImportState.PENDING,
                    options=options,
                    language=language,
                    rows_checked=0,
                    errors_found=0,
                    started_at=None,
                    finished_at=None,
                )
                if not again:  # confirmed or checked again meanwhile
                    job.refresh_from_db()
                    return job
            else:  # its check is under way, or it was confirmed
                return job
            task.enqueue(job.pk)
    except IntegrityError:  # the same upload's check, queued meanwhile
        return ImportJob.objects.get(upload=upload)
    job.refresh_from_db()
    return job


def _claim(job_id: int, waiting: str, started: str) -> ImportJob | None:
    """Moves the job from state ``waiting`` to ``started`` and returns it, or
    ``None`` when it is not waiting (another worker took it, or it ran)."""
    claimed = ImportJob.objects.filter(pk=job_id, state=waiting).update(
        state=started, started_at=timezone.now()
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("user").get(pk=job_id)


def check_run(job_id: int, *, check: Checker) -> str:
    """Checks the upload of a job waiting for its check with ``check``, in
    the language of the person who uploaded it, saving the rows checked as it
    goes, and keeps the result beside the file (``upload_result``) for the
    preview. Returns the job's state: checked, or failed when the file is
    gone or the check broke (a job not waiting is left alone)."""
    job = _claim(job_id, ImportState.PENDING, ImportState.CHECKING)
    if job is None:
        return ""
    path = upload_directory() / job.file_path
    writer = ProgressWriter(job.pk)
    with translation.override(job.language):
        try:
            if not path.is_file():
                raise FileNotFoundError(path.name)
            job.rows_total = table_rows_estimate(path)
            ImportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
            with job_reporting(JobReporter(writer)):
                result = upload_result(
                    path=path,
                    key=job.options["check_key"],
                    compute=lambda: check(job, path),
                )
        except FileNotFoundError:
            job_fail(
                job,
                _("The uploaded file is no longer there; please upload it again."),
            )
            return job.state
        except Exception:
            logger.exception("Check job %s failed", job.pk)
            job_fail(
                job,
                _(
                    "The check of the file stopped unexpectedly. Please upload "
                    "it again later; if it keeps failing, tell an administrator."
                ),
            )
            return job.state
        finally:
            writer.close()
    ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKING).update(
        state=ImportState.CHECKED,
        rows_total=result.total,
        rows_checked=result.total,
        errors_found=result.errors.total,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job.state


def job_confirm(
    job: ImportJob, *, rows_total: int, task, options: dict | None = None
) -> ImportJob:
    """Confirms the checked upload of ``job``: its import goes on the
    worker's queue (``task``, called with the job's id), both or neither.
    Raises :class:`JobExists` when it was confirmed before."""
    with transaction.atomic():
        confirmed = ImportJob.objects.filter(
            pk=job.pk, state=ImportState.CHECKED
        ).update(
            state=ImportState.QUEUED,
            # The page of the import says when it was confirmed.
            created_at=timezone.now(),
            options={**job.options, **(options or {})},
            language=translation.get_language() or "vi",
            rows_total=rows_total,
            rows_checked=0,
            rows_written=0,
            errors_found=0,
            started_at=None,
            finished_at=None,
        )
        if confirmed:
            task.enqueue(job.pk)
    job.refresh_from_db()
    if not confirmed:
        raise JobExists(job)
    return job


def job_enqueue(
    *,
    user,
    kind: str,
    upload: str,
    path: Path,
    file_name: str,
    rows_total: int,
    task,
    options: dict | None = None,
) -> ImportJob:
    """Records the confirmed upload ``upload`` as a job and puts ``task``
    (called with the job's id) on the worker's queue, both or neither.
    Raises :class:`JobExists` when the upload was confirmed before."""
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                user=user,
                kind=kind,
                upload=upload,
                file_name=file_name,
                file_path=path.name,
                options=options or {},
                language=translation.get_language() or "vi",
                rows_total=rows_total,
            )
            task.enqueue(job.pk)
    except IntegrityError:
        raise JobExists(ImportJob.objects.get(upload=upload)) from None
    job.refresh_from_db()
    return job


def job_run(job_id: int, *, run: Runner) -> str:
    """Runs the import of a queued job with ``run``, in the language of the
    person who confirmed it, saving its progress as it goes; then records
    the result and removes the file. Returns the job's final state (a job
    that is not queued, e.g. one already run, is left alone)."""
    job = _claim(job_id, ImportState.QUEUED, ImportState.RUNNING)
    if job is None:
        return ""
    path = upload_directory() / job.file_path
    writer = ProgressWriter(job.pk)
    with translation.override(job.language):
        try:
            with job_reporting(JobReporter(writer)) as reporter:
                if not path.is_file():
                    raise FileNotFoundError(path.name)
                result, outcome = run(job, path)
            job_finish(job, result=result, outcome=outcome, checked=reporter.numbers)
        except FileNotFoundError:
            job_fail(
                job,
                _("The uploaded file is no longer there; please upload it again."),
            )
        except Exception:
            logger.exception("Import job %s failed", job.pk)
            job_fail(
                job,
                _(
                    "The import stopped unexpectedly and nothing was written. "
                    "Please confirm the file again later; if it keeps failing, "
                    "tell an administrator."
                ),
            )
        finally:
            writer.close()
            upload_file_remove(path)
    return job.state


def _error_list(errors) -> list[list]:
    return [[e.row, e.column, e.value, str(e.message)] for e in errors]


def job_finish(
    job: ImportJob, *, result: ImportResult, outcome: Outcome, checked: dict
) -> None:
    """Records what the import did: done when it was written, failed (and
    nothing written) otherwise."""
    written = result.written
    job.state = ImportState.DONE if written else ImportState.FAILED
    job.rows_checked = max(checked.get("checked", 0), result.total)
    job.rows_written = result.new + result.updated if written else 0
    job.errors_found = result.errors.total
    job.result = {
        "summary": result.summary() if written else "",
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": _error_list(result.errors),
        "errors_total": result.errors.total,
        "stopped_at": result.errors.stopped_at,
        "warnings": _error_list(outcome.warnings),
        "warnings_total": outcome.warnings_total,
        "notes": [str(note) for note in outcome.notes],
        "next_url": outcome.next_url if written else "",
        "column_labels": {
            column: str(outcome.column_labels[column])
            for column in {e.column for e in (*result.errors, *outcome.warnings)}
            if column in outcome.column_labels
        },
    }
    job.finished_at = timezone.now()
    job.save()


def job_fail(job: ImportJob, message: str) -> None:
    """Records an import that could not run to its end; nothing was written."""
    job.state = ImportState.FAILED
    job.rows_written = 0
    job.result = {
        "errors": [[None, "", "", str(message)]],
        "errors_total": 1,
    }
    job.finished_at = timezone.now()
    job.save()
