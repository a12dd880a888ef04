"""The check of an upload (its preview) on the worker: the upload and its
preview page return at once, the page follows the rows checked, then shows the
preview; confirming waits for the check; another language checks again."""

import secrets

import pytest
from django.test import override_settings
from django.urls import reverse

from institutions.models import Institution
from institutions.tasks import institutions_check, institutions_check_job
from jobs.models import ImportJob, ImportState
from jobs.services import check_run
from lifelong_learning.jobs import job_progress
from lifelong_learning.tabular import table_rows_estimate
from lifelong_learning.uploads import upload_directory, upload_file_remove
from tests.institutions.conftest import csv_write, row, xlsx_write

from .conftest import NO_WORKER

pytestmark = pytest.mark.django_db


def upload(client, path) -> tuple[str, str]:
    """Uploads ``path``: the preview's address and the upload's token."""
    with path.open("rb") as handle:
        response = client.post(reverse("institutions:import"), {"file": handle})
    assert response.status_code == 302
    return response.url, response.url.rstrip("/")[-32:]


@override_settings(TASKS=NO_WORKER)
def test_the_preview_waits_for_the_worker_and_follows_the_rows_checked(
    client, officer_a, museums
):
    client.force_login(officer_a)
    preview_url, token = upload(client, museums)

    page = client.get(preview_url)

    job = ImportJob.objects.get(upload=token)
    assert page.status_code == 200
    assert "result" not in page.context  # nothing was read in the request
    assert (job.state, job.kind, job.user) == ("pending", "institutions", officer_a)
    assert (job.rows_total, job.rows_checked) == (3, 0)  # a CSV's lines, counted
    assert 'data-job-field="total">3<' in page.text
    assert "Kiểm tra tệp" in page.text and "Đang chờ kiểm tra" in page.text
    assert "chưa có gì được ghi" in page.text
    status_url = reverse("jobs:status", args=[job.pk])
    assert f'data-job-status-url="{status_url}"' in page.text
    assert "js/jobs" in page.text
    status = client.get(status_url).json()
    assert (status["waiting"], status["reload"], status["finished"]) == (
        True,
        False,
        False,
    )
    # A reload queues nothing more.
    client.get(preview_url)
    assert ImportJob.objects.get(upload=token).state == ImportState.PENDING

    assert institutions_check_job.call(job.pk) == ImportState.CHECKED

    job.refresh_from_db()
    assert (job.rows_total, job.rows_checked, job.errors_found) == (3, 3, 0)
    status = client.get(status_url).json()
    assert (status["reload"], status["finished"]) == (True, False)
    preview = client.get(preview_url)
    assert preview.context["result"].ok
    assert preview.context["result"].new == 3
    assert 'data-testid="import-confirm-form"' in preview.text
    # The job's own page leads to the preview once it is checked.
    assert client.get(job.get_absolute_url()).url == preview_url
    assert not Institution.objects.exists()


@override_settings(TASKS=NO_WORKER)
def test_confirming_before_the_check_has_ended_imports_nothing(
    client, officer_a, museums
):
    client.force_login(officer_a)
    preview_url, token = upload(client, museums)
    client.get(preview_url)

    response = client.post(preview_url)

    assert (response.status_code, response.url) == (302, preview_url)
    assert ImportJob.objects.get(upload=token).state == ImportState.PENDING


@override_settings(TASKS=NO_WORKER)
def test_confirming_the_checked_file_queues_its_import_in_the_same_job(
    client, officer_a, museums
):
    client.force_login(officer_a)
    preview_url, _token = upload(client, museums)
    client.get(preview_url)
    institutions_check_job.call(ImportJob.objects.get().pk)

    response = client.post(preview_url)

    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.state, job.rows_total, job.rows_checked) == ("queued", 3, 0)
    page = client.get(response.url)
    assert "Nhập tệp" in page.text and "xác nhận lúc" in page.text
    assert client.post(preview_url).status_code == 409


@override_settings(TASKS=NO_WORKER)
def test_another_language_checks_the_file_again_in_it(client, officer_a, tmp_path):
    path = csv_write(tmp_path / "a.csv", [row(code="MUS-1", category="zoo")])
    client.force_login(officer_a)
    preview_url, _token = upload(client, path)
    client.get(preview_url)
    institutions_check_job.call(ImportJob.objects.get().pk)
    assert client.get(preview_url).context["result"].errors

    english = client.get(preview_url, HTTP_ACCEPT_LANGUAGE="en")

    job = ImportJob.objects.get()
    assert (job.state, job.language) == ("pending", "en")
    assert "Check of the file" in english.text
    institutions_check_job.call(job.pk)
    english = client.get(preview_url, HTTP_ACCEPT_LANGUAGE="en")
    errors = english.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "category")]
    assert "category" in english.text and 'data-state="checked"' not in english.text


@pytest.mark.django_db(transaction=True)
def test_the_check_saves_the_rows_checked_as_it_goes(officer_a, museums):
    token = secrets.token_hex(16)
    stored = upload_directory() / f"{token}.csv"
    stored.write_bytes(museums.read_bytes())
    job = ImportJob.objects.create(
        user=officer_a,
        kind="institutions",
        upload=token,
        file_name="museums.csv",
        file_path=stored.name,
        state=ImportState.PENDING,
        options={"check_key": "vi"},
        language="vi",
    )
    seen = []

    def check(job, path):
        job_progress(checked=2, errors=1)
        seen.append(
            ImportJob.objects.values_list(
                "state", "rows_total", "rows_checked", "errors_found"
            ).get(pk=job.pk)
        )
        return institutions_check(job, path)

    try:
        assert check_run(job.pk, check=check) == ImportState.CHECKED
    finally:
        upload_file_remove(stored)

    # While it ran: the rows the file holds (estimated), the rows checked.
    assert seen == [("checking", 3, 2, 1)]
    job.refresh_from_db()
    assert (job.rows_total, job.rows_checked, job.errors_found) == (3, 3, 0)
    # A job that is not waiting for its check is left alone.
    assert check_run(job.pk, check=check) == ""


@override_settings(TASKS=NO_WORKER)
def test_a_file_gone_before_its_check_fails_with_a_clear_message(
    client, officer_a, museums
):
    client.force_login(officer_a)
    preview_url, _token = upload(client, museums)
    client.get(preview_url)
    job = ImportJob.objects.get()
    (upload_directory() / job.file_path).unlink()

    assert institutions_check_job.call(job.pk) == ImportState.FAILED

    page = client.get(job.get_absolute_url())
    assert "không còn nữa" in page.text


def test_the_rows_of_a_table_are_estimated_before_it_is_read(tmp_path):
    rows = [row(code=f"MUS-{n}") for n in range(5)]

    assert table_rows_estimate(csv_write(tmp_path / "a.csv", rows)) == 5
    assert table_rows_estimate(xlsx_write(tmp_path / "a.xlsx", rows)) == 5
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"not a zip")
    assert table_rows_estimate(broken) == 0
