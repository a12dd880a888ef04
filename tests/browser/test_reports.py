"""The year sheet in a real browser: an officer fills and submits it for five
institutions, ministry staff approve it."""

import pytest

from institutions.models import Category
from reports.entry.models import AnnualReport, ReportStatus
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory

from .conftest import LAPTOP, PHONE, login, logout

pytestmark = pytest.mark.browser

NAMES = [
    "Thư viện huyện Ba Vì",
    "Thư viện huyện Đông Anh",
    "Thư viện huyện Gia Lâm",
    "Thư viện huyện Mê Linh",
    "Thư viện huyện Sóc Sơn",
]
VISITS = ["1200", "850", "14300", "0", "2750"]


@pytest.fixture
def sheet_institutions(province_a):
    institutions = [
        InstitutionFactory(
            code=f"HN-LIB-{index}",
            name=name,
            category=Category.LIBRARY_DISTRICT,
            province=PROVINCE_A,
            opened_year=1995,
        )
        for index, name in enumerate(NAMES)
    ]
    for institution, visits in zip(
        institutions, (1000, 900, 3000, 40, 2500), strict=True
    ):
        ReportFactory(
            institution=institution,
            year=2024,
            lll_services=True,
            learning_visits=visits,
            status=ReportStatus.APPROVED,
        )
    return institutions


def test_officer_fills_and_submits_a_sheet_and_ministry_approves_it(
    page, tmp_path, sheet_institutions, officer_a, ministry_user
):
    login(page, officer_a.username)
    page.locator("header").get_by_role("link", name="Nhập số liệu").click()
    page.select_option("#id_year", "2025")
    page.select_option("#id_category", Category.LIBRARY_DISTRICT)
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    counter = page.get_by_test_id("reported-counter")
    assert "0/5 thiết chế đã báo cáo" in counter.inner_text()
    assert "2024: 14.300" not in page.content()
    assert "2024: 3.000" in page.content()

    # Criteria with the drop-downs, named by institution and field.
    for index, institution in enumerate(sheet_institutions):
        label = f"{institution.name}: Cung cấp dịch vụ học tập suốt đời"
        page.get_by_label(label, exact=True).select_option(label="Có")
        digital = f"{institution.name}: Ứng dụng CNTT và chuyển đổi số"
        page.get_by_label(digital, exact=True).select_option(
            label="Có" if index % 2 == 0 else "Không"
        )
    # Visits from the keyboard: Enter moves down the column.
    first_visits = f"{sheet_institutions[0].name}: Lượt bạn đọc đến học tập"
    page.get_by_label(first_visits, exact=True).focus()
    for visits in VISITS:
        page.keyboard.type(visits)
        page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.name")
    assert focused == f"r{sheet_institutions[-1].pk}-learning_visits"
    # Tab goes along the row, from the criteria to the visits.
    page.get_by_label(
        f"{sheet_institutions[0].name}: Ứng dụng CNTT và chuyển đổi số", exact=True
    ).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == (
        f"r{sheet_institutions[0].pk}-learning_visits"
    )
    page.screenshot(path=tmp_path / "sheet-filled-laptop.png")

    page.get_by_test_id("sheet-save").click()
    page.wait_for_load_state()
    assert "Đã lưu: 5 báo cáo mới" in page.locator(".alert-success").inner_text()
    # 1,200 against 1,000 and a fall from 40 to 0 are fine; 14,300 against
    # 3,000 is more than threefold: warned, saved as a draft all the same.
    warnings = page.locator(".alert-warning").all_inner_texts()
    assert len(warnings) == 1
    assert "Thư viện huyện Gia Lâm" in warnings[0]
    assert page.get_by_test_id("row-warning").count() == 1
    drafts = AnnualReport.objects.filter(year=2025, status=ReportStatus.DRAFT)
    assert drafts.count() == 5

    # Submitting is refused, naming the institution, until the warning is
    # explained in the box beside it.
    page.get_by_test_id("sheet-submit").click()
    page.wait_for_load_state()
    refusal = page.locator(".alert-danger").inner_text()
    assert "hãy giải thích từng cảnh báo" in refusal
    assert "Thư viện huyện Gia Lâm" in refusal
    gia_lam = sheet_institutions[2]
    page.get_by_label(
        f"{gia_lam.name}: Giải thích cảnh báo về Lượt bạn đọc đến học tập",
        exact=True,
    ).fill("Thư viện mới mở phòng đọc thiếu nhi")
    page.screenshot(path=tmp_path / "sheet-explained-laptop.png", full_page=True)
    page.get_by_test_id("sheet-submit").click()
    page.wait_for_load_state()
    # Asked once, naming the five reports.
    assert page.get_by_test_id("confirm-list").locator("li").count() == 5
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state()
    assert "Đã gửi 5 báo cáo" in page.locator("main").inner_text()
    counter = page.get_by_test_id("reported-counter")
    assert "5/5 thiết chế đã báo cáo" in counter.inner_text()
    page.screenshot(path=tmp_path / "sheet-submitted-laptop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=tmp_path / "sheet-submitted-phone.png", full_page=True)
    # The page itself never scrolls sideways; the table does, inside its box.
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    table = page.locator(".sheet-scroll")
    assert table.evaluate("element => element.scrollWidth > element.clientWidth")
    page.set_viewport_size(LAPTOP)
    logout(page)

    login(page, ministry_user.username)
    page.locator("header").get_by_role("link", name="Duyệt báo cáo").click()
    row = page.get_by_test_id(f"review-row-{PROVINCE_A}-2025")
    assert row.get_by_test_id("submitted").inner_text() == "5"
    row.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.screenshot(path=tmp_path / "review-sheet-laptop.png", full_page=True)
    page.get_by_test_id("approve-all").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("confirm-list").locator("li").count() == 5
    page.get_by_test_id("confirm-approve").click()
    page.wait_for_load_state()
    assert "Đã duyệt 5 báo cáo" in page.locator("main").inner_text()

    reports = AnnualReport.objects.filter(year=2025).order_by("institution__code")
    assert [r.status for r in reports] == [ReportStatus.APPROVED] * 5
    assert [r.learning_visits for r in reports] == [int(v) for v in VISITS]
    assert [r.digital_transformation for r in reports] == [
        True,
        False,
        True,
        False,
        True,
    ]
    for report in reports:
        steps = list(report.transitions.values_list("to_status", "user"))
        assert steps == [
            ("draft", officer_a.pk),
            ("submitted", officer_a.pk),
            ("approved", ministry_user.pk),
        ]
    # The officer's sheet is now locked.
    logout(page)
    login(page, officer_a.username)
    page.goto("/reports/sheet/?year=2025&category=library_district")
    assert page.locator("tr.is-locked").count() == 5
    assert page.locator("tbody select, tbody input:not([type=hidden])").count() == 0
    page.screenshot(path=tmp_path / "sheet-approved-laptop.png")

    assert page.recorder.external_hosts() == set()
    assert page.recorder.console_errors == []
