"""Background work of the registry: the import of a confirmed upload runs on
the worker (``manage.py db_worker``), never inside a request."""

from django.tasks import task
from django.urls import reverse

from jobs.services import Outcome, job_run

from . import imports
from .formats import COLUMN_LABELS


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
