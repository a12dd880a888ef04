"""A citizen reads the official figures without an account: on a phone in
Vietnamese and on a laptop in English, they open the public page, switch to
the earlier release with the drop-down, open the revision log and download
every file in one zip."""

import io
import json
import zipfile

import pytest

from reports.releases.services import release_publish
from tests.reports.public.conftest import correct
from tests.reports.releases.conftest import PUBLISHED, approved_2024  # noqa: F401

from .conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

JOURNEYS = [
    pytest.param(
        PHONE,
        "vi-VN",
        {
            "banner": "Bản công bố chính thức 2024-2",
            "older": "Bản công bố chính thức 2024-1",
            "changed": "Những gì đã thay đổi",
            "log": "Nhật ký điều chỉnh",
            "first": "Đây là bản công bố đầu tiên",
            "ministry": "Bộ VHTTDL",
        },
        id="phone-vi",
    ),
    pytest.param(
        LAPTOP,
        "en-GB",
        {
            "banner": "Official release 2024-2",
            "older": "Official release 2024-1",
            "changed": "What changed",
            "log": "Revision log",
            "first": "This is the first release",
            "ministry": "Ministry of Culture, Sports and Tourism",
        },
        id="laptop-en",
    ),
]


@pytest.fixture
def corrected_2024(approved_2024, ministry_user, officer_a):  # noqa: F811
    """2024-1, then a correction in Hà Nội and 2024-2."""
    release_publish(year=2024, notes="Số liệu chính thức", now=PUBLISHED)
    correct(approved_2024[2], ministry_user=ministry_user, officer_a=officer_a)
    return release_publish(year=2024, notes="Đính chính Hà Nội")


@pytest.mark.parametrize("viewport,locale,words", JOURNEYS)
def test_a_citizen_reads_switches_release_and_downloads_the_zip(
    browser, live_server, corrected_2024, officer_a, viewport, locale, words, tmp_path
):
    context = browser.new_context(
        viewport=viewport,
        locale=locale,
        base_url=live_server.url,
        extra_http_headers={"Accept-Language": locale.split("-")[0]},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/data/")
        banner = page.locator("[data-testid=release-banner]")
        assert words["banner"] in banner.inner_text()
        assert page.locator("[data-testid=release-latest]").is_visible()
        assert page.locator("[data-testid=status-card]").count() > 0
        assert not context.cookies()  # nothing stored about the reader

        # The revision log of the latest release: the correction, by role.
        page.click("[data-testid=release-revisions-link]")
        page.wait_for_url("**/data/revisions/**")
        assert words["log"] in page.locator("h1").inner_text()
        assert page.locator("[data-testid=revision]").count() == 4
        page.locator("[data-testid=revision] details summary").first.click()
        audit = page.locator("[data-testid=revision-audit]").first.inner_text()
        assert words["ministry"] in audit
        assert "Sai số liệu dịch vụ" in audit
        assert officer_a.username not in page.content()

        # The drop-down switches to 2024-1, on the same page.
        page.select_option("#release-select", "2024-1")
        page.wait_for_url("**/data/2024-1/revisions/**")
        assert words["older"] in banner.inner_text()
        assert words["first"] in page.locator("main").inner_text()

        # Every file of 2024-1 in one zip, with its manifest.
        with page.expect_download() as info:
            page.click("[data-testid=release-zip]")
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        manifest = next(n for n in archive.namelist() if n.endswith("manifest.json"))
        assert json.loads(archive.read(manifest))["release"] == "2024-1"
        assert not errors
        assert not context.cookies()
    finally:
        context.close()
