"""Background work of data entry: the check of an upload of reports (its
preview) and the import of a confirmed one run on the worker (``manage.py
db_worker``), never inside a request."""

from django.tasks import task
from django.utils.translation import gettext as _

from jobs.services import Outcome, check_run, job_run
from reports.entry.formats import COLUMN_LABELS
from reports.entry.imports import reports_import
from reports.entry.models import ReportStatus
from reports.entry.views import sheet_url

WARNINGS_SHOWN = 10
# Rows of the file the preview lists.
PREVIEW_ROWS = 20


def reports_check(job, path):
    """What the file of ``job`` would change with the status asked for, its
    errors and warnings (a dry run)."""
    return reports_import(
        path=path,
        user=job.user,
        status=job.options.get("status", ReportStatus.DRAFT),
        dry_run=True,
        preview_limit=PREVIEW_ROWS,
        source=job.file_name,
    )


@task
def reports_check_job(job_id: int) -> str:
    """Checks the file of reports of job ``job_id`` for its preview; returns
    its state."""
    return check_run(job_id, check=reports_check)


def _import(job, path):
    result = reports_import(
        path=path,
        user=job.user,
        status=job.options.get("status", ReportStatus.DRAFT),
        source=job.file_name,
    )
    outcome = Outcome(
        warnings=list(result.warnings[:WARNINGS_SHOWN]),
        warnings_total=result.warnings.total,
        column_labels=COLUMN_LABELS,
    )
    if result.sheets:
        # The sheet of the file's rows (the one with most rows when it spans
        # several), so the officer sees what was just uploaded.
        province_code, year, category = max(
            result.sheets, key=lambda sheet: result.sheets[sheet]
        )
        outcome.next_url = sheet_url(
            province_code=province_code, year=year, category=category
        )
        if len(result.sheets) > 1:
            outcome.notes.append(
                _("The file covered %(count)s year sheets; this is the largest.")
                % {"count": len(result.sheets)}
            )
    return result, outcome


@task
def reports_import_job(job_id: int) -> str:
    """Imports the file of reports of job ``job_id``, all or nothing;
    returns its state."""
    return job_run(job_id, run=_import)
