"""The institution registry in a real browser: search without diacritics,
import through the pages, the commune list following the province."""

import csv

import pytest

from institutions.models import Institution
from lifelong_learning.roles import Role
from tests.factories import InstitutionFactory, UserFactory

from .conftest import PHONE, login

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(province_a, province_b):
    InstitutionFactory(code="DL-TV", name="Thư viện tỉnh Đắk Lắk", province=province_b)
    InstitutionFactory(
        code="DL-BT", name="Bảo tàng Đắk Lắk", category="museum", province=province_b
    )
    InstitutionFactory(code="HN-TV", name="Thư viện Hà Nội", province=province_a)


def _registry_only(page) -> None:
    """Opens the registry and forgets what the page shown after login (the
    dashboard, another app's page) logged, so that the assertions are about
    the registry's pages."""
    page.goto("/institutions/")
    page.recorder.console_errors.clear()


def table_names(page) -> list[str]:
    return page.locator(
        "[data-testid=institution-table] tbody tr td:nth-child(2)"
    ).all_inner_texts()


def test_search_dak_lak_finds_dak_lak_institutions(page, tmp_path, registry):
    UserFactory(username="ministry-r", role=Role.MINISTRY_STAFF)
    login(page, "ministry-r")
    _registry_only(page)

    page.click("nav >> text=Thiết chế")
    page.wait_for_url("**/institutions/")
    assert page.locator("h1").inner_text() == "Danh mục thiết chế"
    page.fill("input[name=q]", "dak lak")
    page.click("[data-testid=filter-submit]")
    page.wait_for_url("**/institutions/?*q=dak+lak*")

    assert table_names(page) == ["Bảo tàng Đắk Lắk", "Thư viện tỉnh Đắk Lắk"]
    counts = page.locator("[data-testid=category-counts]").inner_text()
    assert "Bảo tàng: 1" in counts
    assert "Thư viện công cộng cấp tỉnh: 1" in counts
    page.screenshot(path=tmp_path / "list-laptop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    filters = page.locator("#institution-filters")
    assert filters.is_visible()  # open because a filter is active
    assert page.locator(".table-responsive").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"]
    page.screenshot(path=tmp_path / "list-phone.png", full_page=True)

    page.goto("/institutions/")
    assert not page.locator("#institution-filters").is_visible()
    page.click("text=Hiện/ẩn bộ lọc")
    page.wait_for_selector("#institution-filters.collapse.show")
    page.screenshot(path=tmp_path / "list-phone-filters.png", full_page=True)

    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []


def _csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "category", "province_code", "commune_code"])
        writer.writerows(rows)
    return path


def test_officer_imports_a_csv_file_through_the_pages(page, tmp_path, registry):
    UserFactory(username="officer-r", role=Role.PROVINCIAL_OFFICER, province="01")
    bad = _csv(
        tmp_path / "bad.csv",
        [["HN-BT", "Bảo tàng Hà Nội", "museumx", "1", ""],
         ["DL-X", "Thư viện xã", "library_commune", "66", ""]],
    )  # fmt: skip
    good = _csv(
        tmp_path / "good.csv",
        [["HN-BT", "Bảo tàng Hà Nội", "museum", "1", ""],
         ["HN-NVH", "Nhà văn hóa thôn Đông", "culture_village", "01", "4"],
         ["HN-TV", "Thư viện Thành phố Hà Nội", "library_provincial", "01", ""]],
    )  # fmt: skip
    login(page, "officer-r")
    _registry_only(page)

    page.click("text=Nhập từ tệp")
    page.set_input_files("input[type=file]", str(bad))
    page.click("text=Kiểm tra tệp")
    errors = page.locator("[data-testid=import-errors] tbody tr")
    assert errors.count() == 2
    row, column, value = errors.nth(0).inner_text().split("\t")[:3]
    # The column's code, with its meaning in words beneath it.
    assert (row, column.split()[0], value) == ("2", "category", "museumx")
    assert "loại hình" in column
    assert "nằm ngoài tỉnh của bạn" in errors.nth(1).inner_text()
    assert page.locator("[data-testid=import-confirm]").count() == 0
    page.screenshot(path=tmp_path / "import-errors.png", full_page=True)

    page.click("text=Tải lên tệp đã sửa")
    page.set_input_files("input[type=file]", str(good))
    page.click("text=Kiểm tra tệp")
    assert page.locator("[data-testid=count-new]").inner_text() == "2"
    assert page.locator("[data-testid=count-updated]").inner_text() == "1"
    assert page.locator("[data-testid=count-errors]").inner_text() == "0"
    page.screenshot(path=tmp_path / "import-preview.png", full_page=True)
    page.click("[data-testid=import-confirm]")

    page.wait_for_url("**/imports/*/")
    assert (
        "2 thiết chế mới, 1 cập nhật, 0 không đổi"
        in page.locator("[data-testid=job-summary]").inner_text()
    )
    page.click("[data-testid=job-next]")
    page.wait_for_url("**/institutions/")
    assert table_names(page) == [
        "Bảo tàng Hà Nội",
        "Nhà văn hóa thôn Đông",
        "Thư viện Thành phố Hà Nội",
    ]
    assert Institution.objects.get(code="HN-NVH").commune_id == "00004"
    page.set_viewport_size(PHONE)
    page.goto("/institutions/import/")
    page.screenshot(path=tmp_path / "import-phone.png", full_page=True)

    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []


def test_commune_list_follows_the_province_and_detail_page(page, tmp_path, registry):
    UserFactory(username="admin-r", role=Role.ADMINISTRATOR)
    login(page, "admin-r")
    _registry_only(page)

    page.goto("/institutions/new/")
    page.select_option("select[name=province]", "66")
    # The page's Content-Security-Policy forbids evaluating strings, so wait
    # for the option the script adds rather than for a JavaScript condition.
    page.locator("select[name=commune] option[value='22015']").wait_for(
        state="attached"
    )
    assert page.locator("select[name=commune] option").count() == 103
    page.select_option("select[name=commune]", "22015")
    page.fill("input[name=code]", "DL-NEW")
    page.fill("input[name=name]", "Thư viện phường Tuy Hòa")
    page.select_option("select[name=category]", "library_commune")
    page.fill("input[name=opened_year]", "1995")
    page.screenshot(path=tmp_path / "create.png", full_page=True)
    page.click("[data-testid=institution-form] button[type=submit]")

    page.wait_for_url("**/institutions/*/")
    assert page.locator("h1").inner_text() == "Thư viện phường Tuy Hòa"
    fields = page.locator("[data-testid=institution-fields]").inner_text()
    assert "Phường Tuy Hòa" in fields
    assert "1995" in fields
    assert "admin-r" in page.locator(
        "[data-testid=institution-history]"
    ).inner_text() or (
        "Test" in page.locator("[data-testid=institution-history]").inner_text()
    )
    page.screenshot(path=tmp_path / "detail.png", full_page=True)

    page.click("text=Đóng cửa")
    page.fill("input[name=closed_year]", "2025")
    page.click("text=Đóng cửa thiết chế")
    page.wait_for_url("**/institutions/*/")
    assert "Đóng cửa từ năm 2025" in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    page.screenshot(path=tmp_path / "detail-phone.png", full_page=True)

    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []
