"""Column and category codes of the registry's import shown with their words:
on the import page, beside each error, and in the XLSX template."""

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import csv_write, row

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    body = response.content.decode().split("<body", 1)[1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def test_import_page_explains_each_column_and_category_code(client, officer_a):
    client.force_login(officer_a)
    text = _text(client.get(reverse("institutions:import")))
    assert "province_code — mã tỉnh" in text
    assert "legacy_province_code — mã tỉnh cũ (63 tỉnh trước năm 2025)" in text
    assert "opened_year — năm thành lập" in text
    assert "museum — Bảo tàng" in text
    assert "library_provincial — Thư viện công cộng cấp tỉnh" in text


def test_import_errors_show_the_columns_words_beside_its_code(
    client, officer_a, tmp_path
):
    path = csv_write(tmp_path / "a.csv", [row(category="zoo", province_code="99")])
    client.force_login(officer_a)
    with path.open("rb") as handle:
        response = client.post(reverse("institutions:import"), {"file": handle})
    preview = client.get(response.url)
    errors = preview.content.decode().split('data-testid="import-errors"')[1]
    cells = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", errors).split()))
    assert "category loại hình" in cells
    assert "province_code mã tỉnh" in cells
    # The refusal names each category with its words.
    assert "museum (Bảo tàng)" in cells


def test_xlsx_template_explains_its_header(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("institutions:template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    header = {cell.value: cell.comment for cell in sheet[1]}
    assert header["province_code"].text == "mã tỉnh (mã của Tổng cục Thống kê)"
    assert header["opened_year"].text
    legend = workbook["cột"]
    rows = dict(legend.iter_rows(min_row=2, values_only=True))
    assert rows["commune_code"] == "mã xã (mã của Tổng cục Thống kê)"
    assert set(rows) == set(header)
