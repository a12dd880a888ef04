"""Column codes of the report upload shown with their words: on the upload
page, beside each error, and in the year sheet's XLSX template."""

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.conftest import csv_write

from .test_views import logged_in, upload

pytestmark = pytest.mark.django_db


def _words(fragment: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def test_upload_page_explains_each_column(client, officer_a):
    logged_in(client, officer_a)
    content = client.get(reverse("reports:upload")).content.decode()
    columns = _words(content.split('data-testid="upload-columns"')[1].split("</ul>")[0])
    assert "institution_code — mã thiết chế" in columns
    assert "year — năm báo cáo" in columns
    assert "lll_services — " in columns
    assert re.search(r"learning_visits — \w", columns)


def test_upload_errors_show_the_columns_words(client, officer_a, library_a, tmp_path):
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "NO-SUCH", "year": "2024", "learning_visits": "x"}],
    )
    logged_in(client, officer_a)
    preview = client.get(upload(client, path).url)
    errors = _words(preview.content.decode().split('data-testid="import-errors"')[1])
    assert "institution_code mã thiết chế" in errors


def test_year_sheet_template_explains_its_header(client, officer_a, library_a):
    logged_in(client, officer_a)
    response = client.get(
        reverse("reports:upload_template"),
        {"year": 2024, "category": library_a.category, "province": "01"},
    )
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    workbook = load_workbook(io.BytesIO(content))
    header = {cell.value: cell.comment for cell in workbook.worksheets[0][1]}
    assert header["institution_code"].text == "mã thiết chế"
    assert header["year"].text == "năm báo cáo"
    legend = workbook["cột"]
    rows = dict(legend.iter_rows(min_row=2, values_only=True))
    assert set(rows) == set(header)
    assert all(rows.values())
