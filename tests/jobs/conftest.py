"""An institution file uploaded and checked, ready to be confirmed."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.institutions.conftest import csv_write, row

# A backend that keeps what is queued and runs nothing, as when no worker
# has picked the job up yet.
NO_WORKER = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@dataclass
class Upload:
    preview_url: str
    token: str


def upload_checked(client, path) -> Upload:
    with path.open("rb") as handle:
        response = client.post(reverse("institutions:import"), {"file": handle})
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert preview.context["result"].ok
    return Upload(preview_url=response.url, token=response.url.rstrip("/")[-32:])


@pytest.fixture
def museums(tmp_path):
    """Three new museums of province A."""
    return csv_write(
        tmp_path / "museums.csv",
        [row(code=code) for code in ("MUS-1", "MUS-2", "MUS-3")],
    )
