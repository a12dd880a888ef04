"""Background work of the registry: the check of an upload (its preview) and
the import of a confirmed one run on the worker (``manage.py db_worker``),
never inside a request."""

from django.tasks import task
from django.urls import reverse

from jobs.services import Outcome, check_run, job_run

from . import imports
from .formats import COLUMN_LABELS


def institutions_check(job, path):
    """What the file of ``job`` would change, and its errors (a dry run)."""
    return imports.institutions_import(path=path, user=job.user, dry_run=True)


@task
def institutions_check_job(job_id: int) -> str:
    """Checks the file of job ``job_id`` for its preview; returns its state."""
    return check_run(job_id, check=institutions_check)


def _import(job, path):
    result = imports.institutions_import(path=path, user=job.user)
    outcome = Outcome(
        next_url=reverse("institutions:list"), column_labels=COLUMN_LABELS
    )
    return result, outcome


@task
def institutions_import_job(job_id: int) -> str:
    """Imports the file of job ``job_id``, all or nothing; returns its state."""
    return job_run(job_id, run=_import)
