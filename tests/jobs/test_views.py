"""jobs/views.py and jobs/uploads.py: confirming an upload queues its import
and leads to its page at once; the page shows the progress while it waits and
runs, then the result; a second confirmation is refused; only the person who
confirmed it (and administrators) see it."""

import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse

from institutions.models import Institution
from jobs.models import ImportJob, ImportState
from tests.institutions.conftest import csv_write, row

from .conftest import NO_WORKER, upload_checked

pytestmark = pytest.mark.django_db


def job_of(officer, **fields) -> ImportJob:
    return ImportJob.objects.create(
        user=officer, kind="institutions", upload="b" * 32, file_name="a.csv", **fields
    )


@override_settings(TASKS=NO_WORKER)
def test_confirming_queues_the_import_and_leads_to_its_page(client, officer_a, museums):
    client.force_login(officer_a)
    upload = upload_checked(client, museums)

    response = client.post(upload.preview_url)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", kwargs={"pk": job.pk})
    # Nothing was imported in the request: the worker will.
    assert not Institution.objects.exists()
    assert (job.state, job.rows_total, job.upload) == ("queued", 3, upload.token)
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Đang chờ xử lý" in page.text
    assert "chờ tiến trình chạy nền" in page.text
    assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in (
        page.text
    )
    assert "js/jobs" in page.text
    assert 'data-testid="job-result"' not in page.text


@override_settings(TASKS=NO_WORKER)
def test_a_second_confirmation_is_refused_with_a_link_to_the_first(
    client, officer_a, museums
):
    client.force_login(officer_a)
    upload = upload_checked(client, museums)
    first = client.post(upload.preview_url)

    again = client.post(upload.preview_url)

    assert again.status_code == 409
    assert "đã được xác nhận" in again.text
    assert f'href="{first.url}"' in again.text
    assert ImportJob.objects.count() == 1
    # Its preview now leads to the import (a reload, the back button).
    assert client.get(upload.preview_url).url == first.url


def test_the_page_shows_the_result_once_the_worker_is_done(client, officer_a, museums):
    client.force_login(officer_a)
    upload = upload_checked(client, museums)

    response = client.post(upload.preview_url, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")

    assert Institution.objects.count() == 3
    assert "Imported museums.csv: 3 new, 0 updated, 0 unchanged institutions" in (
        page.text
    )
    assert page.context["status"]["percent"] == 100
    assert 'data-state="done"' in page.text
    assert f'href="{reverse("institutions:list")}"' in page.text
    assert "data-job-status-url" not in page.text


def test_a_failed_import_lists_its_errors_by_row_and_column(
    client, officer_a, tmp_path
):
    path = csv_write(tmp_path / "a.csv", [row(code="MUS-1"), row(code="MUS-2")])
    client.force_login(officer_a)
    upload = upload_checked(client, path)
    # The registry changes after the check: another province's museum takes
    # the second code.
    Institution.objects.create(
        code="MUS-2", name="Bảo tàng Đắk Lắk", category="museum", province_id="66"
    )

    page = client.get(client.post(upload.preview_url).url)

    assert page.context["job"].state == ImportState.FAILED
    assert list(Institution.objects.values_list("code", flat=True)) == ["MUS-2"]
    assert 'data-testid="import-errors"' in page.text
    assert "<code>code</code>" in page.text and "mã thiết chế" in page.text
    errors = page.context["errors"]
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "code", "MUS-2")]
    download = client.get(page.wsgi_request.path, {"errors": "csv"})
    listed = list(
        csv.reader(
            io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))
        )
    )
    assert listed[1][:3] == ["3", "code", "MUS-2"]


def test_the_status_gives_the_numbers_while_it_runs(client, officer_a):
    job = job_of(
        officer_a,
        state=ImportState.RUNNING,
        rows_total=200_000,
        rows_checked=50_000,
        rows_written=49_000,
        errors_found=0,
    )
    client.force_login(officer_a)

    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    page = client.get(job.get_absolute_url())

    assert status["state"] == "running" and not status["finished"]
    assert (status["checked"], status["written"], status["percent"]) == (
        50_000,
        49_000,
        25,
    )
    assert status["text"]["checked"] == "50.000"
    assert 'aria-valuenow="25"' in page.text and "width: 25%" in page.text
    assert "50.000" in page.text and "200.000" in page.text


def test_only_the_person_who_confirmed_it_and_administrators_see_a_job(
    client, officer_a, officer_b, ministry_user, administrator
):
    job = job_of(officer_a)
    urls = [job.get_absolute_url(), reverse("jobs:status", args=[job.pk])]

    assert client.get(urls[0]).status_code == 302
    for user, status in [
        (officer_b, 404),
        (ministry_user, 404),
        (officer_a, 200),
        (administrator, 200),
    ]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status, status]


def test_a_job_that_checked_every_row_says_it_is_finishing(client, officer_a):
    job = job_of(officer_a, state=ImportState.RUNNING, rows_total=10, rows_checked=10)
    client.force_login(officer_a)

    status = client.get(reverse("jobs:status", args=[job.pk])).json()

    # Not done until the rows are saved and the figures recounted.
    assert (status["percent"], status["finished"]) == (99, False)
    assert status["state_label"].startswith("Đang hoàn tất")
