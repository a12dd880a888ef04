"""Reads of background imports for their pages."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lifelong_learning.tabular import RowError, RowErrors

from .models import ImportJob, ImportKind, ImportState

VIEW_ALL = "jobs.view_importjob"


def jobs_visible(user):
    """The imports a person may follow: their own; every one for those who
    hold ``jobs.view_importjob`` (administrators)."""
    jobs = ImportJob.objects.all()
    if user.has_perm(VIEW_ALL):
        return jobs
    return jobs.filter(user=user)


def job_for_upload(*, user, upload: str) -> ImportJob | None:
    """The job of an upload of this person (its check, or its import once
    confirmed), if any."""
    return ImportJob.objects.filter(user=user, upload=upload).first()


def _row_errors(items: list, total: int, stopped_at=None) -> RowErrors:
    errors = RowErrors(RowError(*item) for item in items)
    errors.total = max(total, len(errors))
    errors.stopped_at = stopped_at
    return errors


def job_errors(job: ImportJob) -> RowErrors:
    """A finished job's errors, as the check's pages list them."""
    result = job.result
    return _row_errors(
        result.get("errors", []),
        result.get("errors_total", 0),
        result.get("stopped_at"),
    )


def job_warnings(job: ImportJob) -> RowErrors:
    result = job.result
    return _row_errors(result.get("warnings", []), result.get("warnings_total", 0))


def job_status(job: ImportJob) -> dict:
    """What the job's page polls: its state and numbers (also as people read
    them)."""
    numbers = {
        "checked": job.rows_checked,
        "written": job.rows_written,
        "errors": job.errors_found,
        "total": job.rows_total,
    }
    label = job.get_state_display()
    if job.state == ImportState.RUNNING and job.rows_checked >= job.rows_total > 0:
        label = _("Finishing: saving the rows and recounting the figures")
    return {
        "state": job.state,
        "state_label": str(label),
        "finished": job.finished,
        # No worker has started it yet.
        "waiting": job.state in (ImportState.PENDING, ImportState.QUEUED),
        # Its page shows something else now: the result, or the preview.
        "reload": job.finished or job.state == ImportState.CHECKED,
        "percent": job.percent,
        **numbers,
        "text": {
            name: number_format(value, force_grouping=True)
            for name, value in numbers.items()
        },
    }


def job_context(job: ImportJob) -> dict:
    """What the job's page shows: its progress while it is checked or
    imported, then the import's result."""
    return {
        "job": job,
        "status": job_status(job),
        "errors": job_errors(job),
        "warnings": job_warnings(job),
        "reports": job.kind == ImportKind.REPORTS,
        "column_labels": job.result.get("column_labels", {}),
    }
