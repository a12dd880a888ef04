"""An officer uploads a file whose every row is wrong: the check lists the
first errors, says where it stopped reading, and gives them as a file; the
officer goes back to upload a corrected one. An officer imports a file of
institutions: the upload leads at once to the check's page, which follows the
worker into the preview; confirming leads at once to the import's page, whose
progress bar follows the worker to the result. Through the controls, in both
languages, at phone and laptop size (see conftest)."""

import csv
import io

import pytest

from institutions.models import Institution
from institutions.tasks import institutions_check_job, institutions_import_job
from jobs.models import ImportJob
from reports.entry.models import AnnualReport
from tests.jobs.conftest import NO_WORKER

pytestmark = pytest.mark.browser

WRONG_ROWS = 3_000


def test_officer_uploads_a_file_of_wrong_rows_and_gets_the_first_errors(
    journey, tmp_path
):
    page = journey.page
    journey.login("officer-hanoi")
    journey.nav(journey.say("Nhập số liệu", "Data entry"))
    page.get_by_test_id("sheet-upload").click()
    page.wait_for_load_state()
    journey.check()
    path = tmp_path / "sai.csv"
    path.write_text("institution_code,year\n" + "a,\n" * WRONG_ROWS)
    before = AnnualReport.objects.count()

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    journey.check()

    assert page.get_by_test_id("count-errors").inner_text() == journey.say(
        "1.000+", "1,000+"
    )
    notice = page.get_by_test_id("errors-limited").inner_text()
    assert journey.say("Đã dừng đọc ở dòng 501", "Reading stopped at row 501") in notice
    rows = page.get_by_test_id("import-errors").locator("tbody tr")
    assert rows.count() == 1_000
    with page.expect_download() as download_info:
        page.get_by_test_id("errors-download").click()
    download = tmp_path / "errors.csv"
    download_info.value.save_as(download)
    listed = list(csv.reader(io.StringIO(download.read_text(encoding="utf-8-sig"))))
    assert len(listed) == 1 + 1_000 + 1  # header, errors, where reading stopped
    assert AnnualReport.objects.count() == before

    page.get_by_role(
        "link", name=journey.say("Tải lên tệp đã sửa", "Upload a corrected file")
    ).click()
    page.wait_for_load_state()
    journey.check()
    assert page.get_by_test_id("upload-form").is_visible()


def test_officer_imports_institutions_and_follows_the_import_to_its_result(
    journey, tmp_path, settings
):
    # No worker picks the job up until the test runs it, so the page is seen
    # waiting, then following the import to its result by itself.
    settings.TASKS = NO_WORKER
    page = journey.page
    journey.login("officer-hanoi")
    journey.nav(journey.say("Thiết chế", "Institutions"))
    page.get_by_role(
        "link", name=journey.say("Nhập từ tệp", "Import from a file")
    ).click()
    page.wait_for_load_state()
    journey.check()
    path = tmp_path / "bao-tang.csv"
    codes = [f"JOURNEY-{number}" for number in range(3)]
    path.write_text(
        "code,name,category,province_code,opened_year\n"
        + "".join(f"{code},Bảo tàng {code},museum,01,1990\n" for code in codes)
    )

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_test_id("import-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    journey.check()

    # The check's page, at once: waiting for the worker to check the file.
    progress = page.get_by_test_id("job-progress")
    assert progress.get_attribute("data-state") == "pending"
    assert (
        journey.say("Đang chờ kiểm tra", "Waiting for a worker to check it")
        in progress.inner_text()
    )
    job = ImportJob.objects.get(file_name="bao-tang.csv")
    institutions_check_job.call(job.pk)  # the worker

    # The page turns into the preview by itself.
    page.get_by_test_id("import-confirm").wait_for()
    journey.check()
    assert page.get_by_test_id("count-new").inner_text() == "3"
    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state()
    journey.check()

    # The import's page, at once: waiting for the worker.
    progress = page.get_by_test_id("job-progress")
    assert progress.get_attribute("data-state") == "queued"
    assert (
        journey.say("Đang chờ xử lý", "Waiting for a worker") in progress.inner_text()
    )
    assert not Institution.objects.filter(code__in=codes).exists()

    job = ImportJob.objects.get(file_name="bao-tang.csv")
    institutions_import_job.call(job.pk)  # the worker

    page.get_by_test_id("job-result").wait_for()
    journey.check()
    bar = page.get_by_test_id("job-progress").get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.get_by_test_id("job-progress").get_attribute("data-state") == "done"
    assert page.get_by_test_id("count-new").inner_text() == "3"
    assert (
        journey.say("3 thiết chế mới", "3 new")
        in page.get_by_test_id("job-summary").inner_text()
    )
    assert Institution.objects.filter(code__in=codes).count() == 3

    page.get_by_test_id("job-next").click()
    page.wait_for_load_state()
    journey.check()
    assert page.url.endswith("/institutions/")
