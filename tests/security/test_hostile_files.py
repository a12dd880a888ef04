"""Hostile files: too large, not what their name says, XLSX zip bombs, huge
sheets, CSV with mixed encodings or binary data. Each is refused quickly,
with a message saying what is wrong (and where), and nothing is written."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from institutions.formats import COLUMNS
from institutions.imports import institutions_import
from institutions.models import Institution
from lifelong_learning.tabular import (
    TableError,
    TableReader,
    readers,
    table_content_check,
)
from lifelong_learning.uploads import SizeLimitedUploadHandler
from reports.entry.imports import reports_import
from reports.entry.models import AnnualReport
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

ROW = ["HF-1", "Thư viện Thử", "library_district", PROVINCE_A, "", "", "2000", ""]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read_errors(path: Path, **options) -> list[str]:
    """Every message the reader gives for the file (empty when it reads)."""
    try:
        list(TableReader(path, columns=COLUMNS, **options))
    except TableError as error:
        return [str(e) for e in error.errors]
    return []


def refused_quickly(path: Path) -> str:
    """Imports the file; asserts it is refused with nothing written, and
    returns the message. (How quickly is a figure of `make bench`, not a
    timed test.)"""
    before = Institution.objects.count()
    result = institutions_import(path=path)
    assert not result.ok
    assert Institution.objects.count() == before
    return " ".join(str(error) for error in result.errors)


def xlsx_bytes(rows=(COLUMNS, ROW)) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rewrite(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                info.filename, replace.get(info.filename) or source.read(info)
            )
    return buffer.getvalue()


def csv_file(tmp_path, content: bytes, name="hostile.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


HEADER = ",".join(COLUMNS).encode() + b"\r\n"
GOOD_LINE = ",".join(ROW).encode() + b"\r\n"


# Size -----------------------------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_by_the_form(
    client, administrator, settings, monkeypatch
):
    from institutions import forms

    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    monkeypatch.setattr(forms, "IMPORT_MAX_BYTES", settings.MAX_UPLOAD_BYTES)
    client.force_login(administrator)
    big = HEADER + GOOD_LINE * (settings.MAX_UPLOAD_BYTES // len(GOOD_LINE) + 10)
    for url in (reverse("institutions:import"), reverse("reports:upload")):
        response = client.post(
            url,
            {"file": SimpleUploadedFile("big.csv", big), "status": "draft"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "larger than" in str(response.context["form"].errors["file"])
    assert not client.session.get("institution_imports")


def test_an_upload_over_the_limit_keeps_at_most_the_limit_on_disk(settings):
    settings.MAX_UPLOAD_BYTES = 1000
    handler = SizeLimitedUploadHandler(RequestFactory().post("/"))
    handler.new_file("file", "big.csv", "text/csv", 10_000)
    for start in range(0, 10_000, 64):
        handler.receive_data_chunk(b"x" * 64, start)
    upload = handler.file_complete(10_048)
    assert upload.size == 10_048  # what was sent: the form refuses it
    assert Path(upload.temporary_file_path()).stat().st_size == 1001
    upload.close()


def test_the_reader_refuses_a_file_over_its_byte_limit(tmp_path):
    path = csv_file(tmp_path, HEADER + GOOD_LINE * 100)
    [message] = read_errors(path, max_bytes=1024)
    assert "larger than" in message


# Type by content -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", xlsx_bytes(), "probably an XLSX spreadsheet"),
        ("a.xlsx", HEADER + GOOD_LINE, "not an XLSX spreadsheet but text"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel"),
        ("a.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel"),
        ("a.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)), "not an XLSX"),
        ("a.csv", "code,name\r\n".encode("utf-16"), "UTF-16"),
        ("a.xlsx", b"PK\x03\x04" + b"\x00" * 100, "not an XLSX"),
    ],
    ids=["xlsx-as-csv", "csv-as-xlsx", "xls", "xls-as-csv", "pdf", "utf16", "bad-zip"],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(
    tmp_path, name, content, message
):
    path = csv_file(tmp_path, content, name)
    assert message in refused_quickly(path)


def test_an_opendocument_spreadsheet_is_named_as_such(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    path = csv_file(tmp_path, buffer.getvalue(), "a.xlsx")
    assert "OpenDocument" in refused_quickly(path)


def test_the_upload_form_checks_the_content(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("institutions:import"),
        {"file": SimpleUploadedFile("register.csv", xlsx_bytes())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "probably an XLSX" in str(response.context["form"].errors["file"])


def test_content_check_leaves_the_file_at_its_start():
    handle = io.BytesIO(HEADER + GOOD_LINE)
    handle.read(5)
    table_content_check(handle, "a.csv")
    assert handle.tell() == 0


# Zip bombs and huge sheets -------------------------------------------------------


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    """A worksheet of 300 MB of nothing, packed into a few hundred KB."""
    valid = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in valid.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, valid.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b'<worksheet><sheetData><row r="1">')
            chunk = b" " * (1024 * 1024)
            for _megabyte in range(300):
                part.write(chunk)
            part.write(b"</row></sheetData></worksheet>")
    assert path.stat().st_size < 2 * 1024 * 1024
    message = refused_quickly(path)
    assert "would expand to 300 MB" in message
    assert "refused without being opened" in message


def _declared_size_set(data: bytes, member: str, size: int) -> bytes:
    """Rewrites the uncompressed size that the archive's central directory
    declares for ``member`` (what a crafted bomb lies about)."""
    data = bytearray(data)
    name = member.encode()
    position = 0
    while True:
        position = data.index(b"PK\x01\x02", position)
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == name:
            struct.pack_into("<I", data, position + 24, size)
            return bytes(data)
        position += 4


def test_an_archive_declaring_gigabytes_is_refused(tmp_path):
    data = _declared_size_set(xlsx_bytes(), "xl/worksheets/sheet1.xml", 4_000_000_000)
    path = csv_file(tmp_path, data, "declared.xlsx")
    assert "would expand to" in refused_quickly(path)


@pytest.mark.parametrize(
    ("dimension", "declared"),
    [("A1:H2000000", "2000000 rows"), ("A1:ZZ10", "702 columns")],
    ids=["rows", "columns"],
)
def test_a_sheet_declaring_a_huge_size_is_refused_before_any_row_is_read(
    tmp_path, dimension, declared
):
    data = xlsx_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<dimension ref=")
    end = sheet.index(b"/>", start) + 2
    sheet = sheet[:start] + f'<dimension ref="{dimension}"/>'.encode() + sheet[end:]
    path = csv_file(
        tmp_path, xlsx_rewrite(data, {"xl/worksheets/sheet1.xml": sheet}), "a.xlsx"
    )
    message = refused_quickly(path)
    assert declared in message


def test_a_row_with_values_beyond_fifty_columns_is_refused_naming_the_row(tmp_path):
    rows = [COLUMNS, ROW, [*ROW[:1], *[""] * 60, "far away"]]
    path = csv_file(tmp_path, xlsx_bytes(rows), "wide.xlsx")
    # Without a declared size, the limit holds while reading.
    data = path.read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<dimension ref=")
    sheet = sheet[:start] + sheet[sheet.index(b"/>", start) + 2 :]
    path.write_bytes(xlsx_rewrite(data, {"xl/worksheets/sheet1.xml": sheet}))
    message = refused_quickly(path)
    assert "row 3: values beyond column 50" in message


def test_a_file_with_more_rows_than_the_limit_is_refused_naming_the_row(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(readers, "MAX_ROWS", 5)
    path = csv_file(tmp_path, HEADER + GOOD_LINE * 10)
    assert "row 6: more than 5 rows" in refused_quickly(path)


def test_an_entity_expansion_bomb_in_the_sheet_is_refused(tmp_path):
    """ "Billion laughs" (3 GB from a few hundred bytes): the XML parser's
    amplification limit stops it."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    data = xlsx_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = (
        f"<?xml version='1.0'?><!DOCTYPE worksheet [{entities}]>".encode()
        + sheet.replace(b"<t>code</t>", b"<t>&a9;</t>")
    )
    path = csv_file(
        tmp_path, xlsx_rewrite(data, {"xl/worksheets/sheet1.xml": sheet}), "lol.xlsx"
    )
    assert "not an XLSX" in refused_quickly(path)


# CSV encodings and binary data ---------------------------------------------------


def test_a_csv_mixing_encodings_is_refused_naming_the_row(tmp_path):
    rows = [HEADER] + [
        GOOD_LINE.replace(b"HF-1", f"HF-{n}".encode()) for n in range(2, 5000)
    ]
    # Saved by an old Vietnamese Windows program (code page 1258).
    legacy = "HF-X,Nhà văn hóa,culture_commune,01,,,2000,\r\n".encode("cp1258")
    path = csv_file(tmp_path, b"".join([*rows, legacy, GOOD_LINE]))
    message = refused_quickly(path)
    assert "row 5000: not UTF-8 text" in message
    assert "mixes encodings" in message


def test_a_row_number_counts_records_not_lines(tmp_path):
    multiline = b'HF-2,"Thu vien\r\nhai dong",library_district,01,,,2000,\r\n'
    bad = "HF-3,Bảo tàng,museum,01,,,2000,\r\n".encode("latin-1", "replace")
    bad = bad.replace(b"?", b"\xe0")
    path = csv_file(tmp_path, HEADER + multiline + bad)
    assert "row 3: not UTF-8 text" in refused_quickly(path)


def test_binary_data_in_a_csv_is_refused_naming_the_row(tmp_path):
    path = csv_file(tmp_path, HEADER + GOOD_LINE * 2 + b"HF-9,\x00\x01\x02,x\r\n")
    assert "row 4: binary data" in refused_quickly(path)


def test_a_utf8_csv_with_a_bom_still_reads(tmp_path):
    path = csv_file(tmp_path, b"\xef\xbb\xbf" + HEADER + GOOD_LINE)
    assert read_errors(path) == []


def test_report_imports_refuse_the_same_files(tmp_path, geography):
    before = AnnualReport.objects.count()
    for name, content in [
        ("r.csv", xlsx_bytes()),
        ("r.csv", b"institution_code,year\r\nA,2024\r\n\xff\xfe,2024\r\n"),
        ("r.xlsx", b"institution_code,year\r\n"),
    ]:
        result = reports_import(path=csv_file(tmp_path, content, name))
        assert not result.ok
    assert AnnualReport.objects.count() == before


def test_a_report_file_with_a_very_long_name_imports(client, officer_a):
    """Its name goes into the history's reason, which holds 100 characters."""
    InstitutionFactory(code="LONG-1", province=PROVINCE_A, opened_year=2000)
    client.force_login(officer_a)
    name = "báo cáo năm " * 20 + ".csv"
    content = b"institution_code,year,lll_services\r\nLONG-1,2024,1\r\n"
    response = client.post(
        reverse("reports:upload"),
        {"file": SimpleUploadedFile(name, content), "status": "draft"},
    )
    assert response.status_code == 302
    response = client.post(response["Location"], {"status": "draft"})
    assert response.status_code == 302
    report = AnnualReport.objects.get(institution__code="LONG-1")
    # Cut between words, with an ellipsis, within the field's 100 characters.
    reason = report.history.first().history_change_reason
    assert len(reason) <= 100 and reason.endswith("…")
