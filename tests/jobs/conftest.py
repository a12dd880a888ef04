"""An institution file uploaded and checked, ready to be confirmed."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from institutions.tasks import institutions_check_job
from jobs.models import ImportJob, ImportState
from tests.institutions.conftest import csv_write, row

# A backend that keeps what is queued and runs nothing, as when no worker
# has picked the job up yet.
NO_WORKER = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@dataclass
class Upload:
    preview_url: str
    token: str


def upload_checked(client, path) -> Upload:
    """Uploads ``path`` and has it checked: by the worker when none runs
    (``NO_WORKER``: the check is run here as a worker would)."""
    with path.open("rb") as handle:
        response = client.post(reverse("institutions:import"), {"file": handle})
    assert response.status_code == 302
    token = response.url.rstrip("/")[-32:]
    preview = client.get(response.url)
    assert preview.status_code == 200
    job = ImportJob.objects.get(upload=token)
    if job.state == ImportState.PENDING:
        assert institutions_check_job.call(job.pk) == ImportState.CHECKED
        preview = client.get(response.url)
    assert preview.context["result"].ok
    return Upload(preview_url=response.url, token=token)


@pytest.fixture
def museums(tmp_path):
    """Three new museums of province A."""
    return csv_write(
        tmp_path / "museums.csv",
        [row(code=code) for code in ("MUS-1", "MUS-2", "MUS-3")],
    )
