"""Files whose every row is wrong, or that are wider than any table: the
preview keeps and shows at most ERRORS_KEPT errors (all counted), stops
reading where the verdict cannot change any more, refuses over-wide rows
before expanding them, and checks a file once per upload. Bounded sizes and
call counts, never times (the times are in ``make bench``)."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from institutions import imports as institution_imports
from institutions.models import Institution
from lifelong_learning.tabular import (
    ERRORS_KEPT,
    MAX_COLUMNS,
    TableError,
    TableReader,
    readers,
)
from reports.entry import tasks as report_tasks
from reports.entry.formats import COLUMNS as REPORT_COLUMNS
from reports.entry.imports import reports_import
from reports.entry.services import BATCH_SIZE
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

BAD_ROWS = 50_000
PAGE_LIMIT_BYTES = 800_000


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def bad_report_csv(rows: int = BAD_ROWS) -> bytes:
    """The file of the issue: a header, then ``a,`` on every line (an unknown
    institution and no year: two errors a row)."""
    return b"institution_code,year\n" + b"a,\n" * rows


def bad_institution_csv(rows: int = BAD_ROWS) -> bytes:
    lines = [b"code,name,category,province_code\n"]
    lines += [f"X{n},,bad,99\n".encode() for n in range(rows)]
    return b"".join(lines)


def error_table_rows(page: str) -> int:
    table = page.split('data-testid="import-errors"', 1)[1].split("</table>", 1)[0]
    return table.count("<tr") - 1  # the header row


def upload(client, url, content: bytes, name="bad.csv", **data):
    response = client.post(url, {"file": SimpleUploadedFile(name, content), **data})
    assert response.status_code == 302, response.content[:2000]
    return response["Location"]


# Errors kept, counted and shown --------------------------------------------------


def test_a_report_file_of_bad_rows_keeps_the_first_errors_and_stops(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(bad_report_csv())

    result = reports_import(path=path, dry_run=True)

    assert len(result.errors) == ERRORS_KEPT
    # Rows are checked a batch at a time: after the batch in which the
    # errors reached ERRORS_KEPT, reading stopped.
    rows_read = -(-ERRORS_KEPT // 2 // BATCH_SIZE) * BATCH_SIZE
    assert result.errors.total == 2 * rows_read
    assert result.errors.stopped_at == 1 + rows_read
    assert f"Reading stopped at row {1 + rows_read}" in (
        result.errors.stopped_message()
    )


def test_errors_beyond_the_kept_ones_are_counted_when_reading_ends_first(tmp_path):
    rows = min(BATCH_SIZE - 1, ERRORS_KEPT)
    path = tmp_path / "bad.csv"
    # An unknown institution, a year of three digits, a count that is not one.
    path.write_bytes(b"institution_code,year,study_visits\n" + b"a,202,x\n" * rows)

    result = reports_import(path=path, dry_run=True)

    assert (len(result.errors), result.errors.total) == (ERRORS_KEPT, 3 * rows)
    assert result.errors.hidden == 3 * rows - ERRORS_KEPT
    assert result.errors.stopped_at is None


def test_an_institution_file_of_bad_rows_stops_at_the_row_of_the_last_kept_error(
    tmp_path, geography
):
    path = tmp_path / "bad.csv"
    path.write_bytes(bad_institution_csv())

    result = institution_imports.institutions_import(path=path, dry_run=True)

    per_row = 3  # no name, unknown category, unknown province
    rows_read = result.errors.stopped_at - 1
    assert rows_read == -(-ERRORS_KEPT // per_row)
    assert result.errors.total == per_row * rows_read
    assert len(result.errors) == ERRORS_KEPT


def test_the_report_preview_of_50000_bad_rows_is_a_bounded_page(client, officer_a):
    client.force_login(officer_a)
    url = upload(client, reverse("reports:upload"), bad_report_csv(), status="draft")

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert len(page.content) < PAGE_LIMIT_BYTES
    assert error_table_rows(page.text) == ERRORS_KEPT
    assert 'data-testid="count-errors">1,000+<' in page.text
    assert f"Reading stopped at row {BATCH_SIZE + 1}" in page.text


def test_the_institution_preview_of_50000_bad_rows_is_a_bounded_page(
    client, administrator
):
    client.force_login(administrator)
    url = upload(client, reverse("institutions:import"), bad_institution_csv())

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert len(page.content) < PAGE_LIMIT_BYTES
    assert error_table_rows(page.text) == ERRORS_KEPT
    assert "Reading stopped at row 335" in page.text
    assert not Institution.objects.filter(code__startswith="X").exists()


def test_the_errors_download_as_csv(client, administrator):
    client.force_login(administrator)
    url = upload(client, reverse("institutions:import"), bad_institution_csv())
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'href="?errors=csv"' in page.text

    response = client.get(url, {"errors": "csv"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'filename="bad-errors.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["row", "column", "value", "reason"]
    assert len(rows) == 1 + ERRORS_KEPT + 1
    assert rows[1][:2] == ["2", "name"]
    assert rows[-1][3].startswith("Reading stopped at row 335")


# Checked once per upload ---------------------------------------------------------


def counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(kwargs.get("dry_run", False))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_the_institution_preview_checks_the_file_once(
    client, administrator, monkeypatch
):
    calls = counting(monkeypatch, institution_imports, "institutions_import")
    client.force_login(administrator)
    url = upload(client, reverse("institutions:import"), bad_institution_csv(100))

    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    second = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    client.get(url, {"errors": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    confirmed = client.post(url, HTTP_ACCEPT_LANGUAGE="en")

    assert calls == [True]
    assert first.context["result"].errors == second.context["result"].errors
    assert confirmed.context["result"].errors.total == 300
    # In another language the messages differ: checked once more, in it.
    client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert calls == [True, True]


def test_the_report_preview_checks_the_file_once_per_status(
    client, officer_a, monkeypatch
):
    calls = counting(monkeypatch, report_tasks, "reports_import")
    client.force_login(officer_a)
    url = upload(client, reverse("reports:upload"), bad_report_csv(100), status="draft")

    client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    refused = client.post(url, {"status": "draft"}, HTTP_ACCEPT_LANGUAGE="en")
    assert calls == [True]
    assert refused.status_code == 400

    client.get(url.replace("status=draft", "status=submitted"))
    assert calls == [True, True]


def test_a_valid_upload_is_checked_once_and_written_on_confirm(
    client, officer_a, monkeypatch
):
    InstitutionFactory(code="OK-1", province=PROVINCE_A, opened_year=2000)
    calls = counting(monkeypatch, report_tasks, "reports_import")
    client.force_login(officer_a)
    content = b"institution_code,year,lll_services\nOK-1,2024,1\n"
    url = upload(client, reverse("reports:upload"), content, status="draft")

    client.get(url)
    client.get(url)
    confirmed = client.post(url, {"status": "draft"})

    assert confirmed.status_code == 302
    assert calls == [True, False]


# Over-wide rows ------------------------------------------------------------------


def read_errors(path) -> list[str]:
    try:
        list(TableReader(path, columns=REPORT_COLUMNS))
    except TableError as error:
        return [str(e) for e in error.errors]
    return []


@pytest.fixture
def widest(monkeypatch) -> list[int]:
    """The width of every row the CSV reader splits, as it splits it."""
    widths = []
    reader = csv.reader

    def spy(lines, *args, **kwargs):
        for row in reader(lines, *args, **kwargs):
            widths.append(len(row))
            yield row

    monkeypatch.setattr(readers.csv, "reader", spy)
    return widths


def test_a_csv_row_of_a_million_cells_is_refused_before_it_is_split(tmp_path, widest):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"institution_code,year\nA,2024" + b"," * 1_000_000 + b"\n")

    [message] = read_errors(path)

    assert message.startswith("row 2: more than 50 columns")
    assert max(widest) <= MAX_COLUMNS


def test_commas_inside_quotes_do_not_count_as_cells(tmp_path):
    commas = "," * (3 * MAX_COLUMNS)
    path = tmp_path / "quoted.csv"
    path.write_text(
        f'institution_code,year\n"{commas}",2024\n"a\n{commas}\nb",2024\nX,2024\n'
    )
    rows = list(TableReader(path, columns=REPORT_COLUMNS))
    assert [values["institution_code"] for _row, values in rows] == [
        commas,
        f"a\n{commas}\nb",
        "X",
    ]
    assert [row for row, _values in rows] == [2, 3, 4]


def test_a_csv_row_of_51_cells_is_refused_naming_it(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("institution_code,year\nA,2024\nB,2024" + "," * 49 + "\n")
    assert read_errors(path)[0].startswith("row 3: more than 50 columns")


def xlsx_touching_xfd(rows: int, far_value: str = "") -> bytes:
    """A sheet without a declared size whose every row holds a cell in the
    last column (XFD), empty or with ``far_value``."""
    far = f"<is><t>{far_value}</t></is>" if far_value else ""
    kind = ' t="inlineStr"' if far_value else ""
    body = ['<row r="1"><c r="A1" t="inlineStr"><is><t>institution_code</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>year</t></is></c></row>']  # fmt: skip
    for n in range(2, rows + 2):
        body.append(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a</t></is></c>'
            f'<c r="B{n}"><v>2024</v></c><c r="XFD{n}"{kind}>{far}</c></row>'
        )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main"><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(info.filename, data)
    return target_buffer.getvalue()


def test_an_xlsx_touching_column_xfd_costs_per_cell_held_not_per_column(
    tmp_path, monkeypatch
):
    content = xlsx_touching_xfd(1_000)
    assert len(content) < 16 * 1024
    path = tmp_path / "far.xlsx"
    path.write_bytes(content)
    texts = []
    cell_text = readers._cell_text

    def spy(value):
        texts.append(value)
        return cell_text(value)

    monkeypatch.setattr(readers, "_cell_text", spy)

    rows = list(TableReader(path, columns=REPORT_COLUMNS))

    assert len(rows) == 1_000
    assert rows[0] == (2, {"institution_code": "a", "year": "2024"})
    # Three cells a row (A, B and the empty XFD), not 16,384.
    assert len(texts) <= 3 * 1_001


def test_an_xlsx_value_in_column_xfd_is_refused_at_that_row(tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx_touching_xfd(2_000, far_value="far away"))
    assert read_errors(path) == [
        "row 2: values beyond column 50; a table has at most 50 columns."
    ]


def test_an_xlsx_without_a_declared_size_is_not_read_to_its_end_first(
    tmp_path, monkeypatch
):
    """openpyxl's ``load_workbook`` parses a whole sheet that declares no size
    just to find none; reading stops after the first errors instead."""
    from openpyxl.worksheet import _reader

    rows_parsed = []
    iterparse = _reader.iterparse

    def spy(source, *args, **kwargs):
        for event, element in iterparse(source, *args, **kwargs):
            if event == "end" and element.tag == _reader.ROW_TAG:
                rows_parsed.append(element)
            yield event, element

    monkeypatch.setattr(_reader, "iterparse", spy)
    monkeypatch.setattr(readers, "iterparse", spy)
    path = tmp_path / "long.xlsx"
    path.write_bytes(xlsx_touching_xfd(5 * BATCH_SIZE * 2))

    result = reports_import(path=path, dry_run=True)

    # One error in row 2, two in each row after it (a repeated pair, too).
    assert result.errors.stopped_at == 2 * BATCH_SIZE + 1
    assert 2 * BATCH_SIZE <= len(rows_parsed) <= 2 * BATCH_SIZE + 2


def test_formatted_empty_rows_and_cells_are_read_without_being_kept(tmp_path):
    """Rows that only carry formats (a height, a style) and empty styled cells
    are passed over; the values around them keep their columns."""
    rows = "".join(
        f'<row r="{n}" ht="20" customHeight="1"><c r="C{n}" s="1"/></row>'
        for n in range(2, 2_000)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        'institution_code</t></is></c><c t="inlineStr"><is><t>year</t></is></c>'
        f"</row>{rows}"
        '<row r="2000"><c r="A2000" t="inlineStr"><is><t>X</t></is></c>'
        '<c r="C2000" s="1"/><c><v>2024</v></c></row></sheetData></worksheet>'
    )
    content = xlsx_touching_xfd(1)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(info.filename, data)
    path = tmp_path / "formatted.xlsx"
    path.write_bytes(buffer.getvalue())

    rows = list(TableReader(path, columns=[*REPORT_COLUMNS]))

    # The year follows the empty C2000, in column D: under no header.
    assert rows == [(2000, {"institution_code": "X", "year": "", "": "2024"})]


@pytest.mark.parametrize(
    "before",
    ['A,2024\nB"C,2024\n', 'A,"2024"x\n', 'A,"20""24\n"\n'],
    ids=["quote-inside-a-cell", "text-after-quotes", "doubled-quote"],
)
def test_quotes_that_open_no_quoted_text_do_not_hide_a_wide_row(
    tmp_path, widest, before
):
    path = tmp_path / "wide.csv"
    path.write_text("institution_code,year\n" + before + "X" + "," * 100_000 + "\n")

    [message] = read_errors(path)

    assert "more than 50 columns" in message
    assert max(widest) <= MAX_COLUMNS
