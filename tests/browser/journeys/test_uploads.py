"""An officer uploads a file whose every row is wrong: the check lists the
first errors, says where it stopped reading, and gives them as a file; the
officer goes back to upload a corrected one. Through the controls, in both
languages, at phone and laptop size (see conftest)."""

import csv
import io

import pytest

from reports.entry.models import AnnualReport

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
