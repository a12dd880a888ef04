"""lifelong_learning/tabular/: streaming CSV/XLSX readers and writers."""

import codecs

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lifelong_learning.tabular import (
    RowError,
    TableError,
    TableReader,
    commune_code_normalise,
    escape_formula,
    parse_non_negative_int,
    parse_yes_no,
    province_code_normalise,
    table_format,
    table_write,
    unescape_formula,
    unnamed_cell_error,
    xlsx_template_write,
)

COLUMNS = ("code", "name", "year")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(path, **kwargs):
    kwargs.setdefault("columns", COLUMNS)
    return list(TableReader(path, **kwargs))


def errors_of(path, **kwargs) -> list[RowError]:
    with pytest.raises(TableError) as raised:
        read(path, **kwargs)
    return raised.value.errors


def test_csv_with_and_without_bom_reads_the_same(tmp_path):
    text = "code,name\r\nA1,Thư viện\r\n"
    plain = tmp_path / "plain.csv"
    plain.write_bytes(text.encode())
    bom = tmp_path / "bom.csv"
    bom.write_bytes(codecs.BOM_UTF8 + text.encode())

    assert read(plain) == read(bom) == [(2, {"code": "A1", "name": "Thư viện"})]


def test_values_are_stripped_and_blank_rows_skipped_keeping_row_numbers(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code , name\n A1 , x \n,\n\nB2,y\n", encoding="utf-8")

    assert read(path) == [
        (2, {"code": "A1", "name": "x"}),
        (5, {"code": "B2", "name": "y"}),
    ]


def test_csv_that_is_not_utf8_is_refused_clearly(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("code,name\nA,Thư viện\n".encode("utf-16"))

    [error] = errors_of(path)
    assert error.row is None
    assert "not UTF-8" in str(error)


def test_non_utf8_late_in_a_long_file_is_found(tmp_path):
    path = tmp_path / "a.csv"
    body = "".join(f"C{n},Thư viện\n" for n in range(5000))
    path.write_bytes(
        ("code,name\n" + body).encode() + "Bibliothèque\n".encode("latin-1")
    )

    rows = []
    with pytest.raises(TableError, match="not UTF-8"):
        rows.extend(TableReader(path, columns=COLUMNS))
    assert len(rows) > 1000


def test_empty_file_header_only_and_blank_first_row_are_errors(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    header_only = tmp_path / "header.csv"
    header_only.write_text("code,name\n", encoding="utf-8")
    blank_first = tmp_path / "blank.csv"
    blank_first.write_text(",\ncode,name\n", encoding="utf-8")

    assert "empty" in str(errors_of(empty)[0])
    assert "no data rows" in str(errors_of(header_only)[0])
    assert "empty" in str(errors_of(blank_first)[0])


def test_header_errors_name_every_bad_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code,remarks,code,notes\nA,b,c,d\n", encoding="utf-8")

    errors = errors_of(path, required=("code", "name"), one_of=[("year", "age")])

    assert [(e.row, e.column, e.message.split(";")[0]) for e in errors] == [
        (1, "remarks", "unknown column"),
        (1, "code", "column given twice"),
        (1, "notes", "unknown column"),
        (1, "name", "required column is missing"),
        (1, "year", "one of the columns year, age is required"),
    ]


def test_value_under_a_column_without_header_is_reported(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code,name\nA,b,extra\nB,c,\n", encoding="utf-8")

    rows = read(path)

    assert unnamed_cell_error(*rows[0]) == RowError(
        2, "", "extra", "value in a column without a header"
    )
    assert unnamed_cell_error(*rows[1]) is None


def test_xlsx_reads_the_first_sheet_with_numbers_as_written(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "year"])
    sheet.append([1, "Thư viện", 1976.0])
    sheet.append([None, None, None])
    sheet.append(["B", "=1+1", 2001])
    other = workbook.create_sheet("other")
    other.append(["ignored"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)

    assert read(path) == [
        (2, {"code": "1", "name": "Thư viện", "year": "1976"}),
        (4, {"code": "B", "name": "", "year": "2001"}),
    ]


def test_xlsx_that_is_not_a_spreadsheet_is_refused_clearly(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("code,name\nA,b\n", encoding="utf-8")

    [error] = errors_of(path)
    assert "not an XLSX spreadsheet" in str(error)


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a", "a.csv.zip"])
def test_other_extensions_are_refused(name):
    with pytest.raises(TableError, match=r"\.csv or \.xlsx"):
        table_format(name)


def test_format_is_chosen_by_extension_in_any_case():
    assert table_format("A.CSV") == "csv"
    assert table_format("/x/y.Xlsx") == "xlsx"


@pytest.mark.parametrize(
    "value", ["=SUM(A1)", "+1", "-2", "@x", "\tx", "'=x", "=", "-"]
)
def test_formula_escaping_round_trips(value):
    escaped = escape_formula(value)
    assert escaped[0] not in "=+-@\t"
    assert unescape_formula(escaped) == value


def test_plain_text_is_not_escaped():
    assert escape_formula("Thư viện") == "Thư viện"
    assert unescape_formula("'quoted") == "'quoted"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_writer_output_reads_back_identically(tmp_path, suffix):
    rows = [
        ("=cmd|' /C calc'!A0", 'Tên "có" dấu, phẩy', 1976),
        ("-x", "+84", None),
        ("@a", "", 2025),
    ]
    path = tmp_path / f"a.{suffix}"

    assert table_write(path, columns=COLUMNS, rows=rows) == 3

    assert read(path) == [
        (
            2,
            {
                "code": "=cmd|' /C calc'!A0",
                "name": 'Tên "có" dấu, phẩy',
                "year": "1976",
            },
        ),
        (3, {"code": "-x", "name": "+84", "year": ""}),
        (4, {"code": "@a", "name": "", "year": "2025"}),
    ]


def test_xlsx_writer_never_stores_a_formula(tmp_path):
    path = tmp_path / "a.xlsx"
    table_write(path, columns=COLUMNS, rows=[("=1+1", "@SUM(A1)", 1)])

    sheet = load_workbook(path).active
    # Text cells: shown as written (no apostrophe) and never evaluated.
    assert [cell.data_type for cell in sheet[2]] == ["s", "s", "n"]
    assert sheet["A2"].value == "=1+1"


def test_csv_is_written_with_a_bom_for_spreadsheets(tmp_path):
    path = tmp_path / "a.csv"
    table_write(path, columns=COLUMNS, rows=[("A", "Đắk Lắk", 1)])

    assert path.read_bytes().startswith(codecs.BOM_UTF8 + b"code,name,year\r\n")


def test_template_has_drop_down_lists_on_a_hidden_sheet(tmp_path):
    path = tmp_path / "t.xlsx"
    xlsx_template_write(
        path,
        columns=("code", "kind"),
        choices={"kind": ["a", "b", "c"]},
        title="things",
        reference=[("help", [("kind", "meaning"), ("a", "A thing")])],
    )

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["things", "lists", "help"]
    assert workbook["lists"].sheet_state == "hidden"
    sheet = workbook["things"]
    assert [cell.value for cell in sheet[1]] == ["code", "kind"]
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == "lists!$A$2:$A$4"
    assert str(validation.sqref).startswith("B2:B")
    assert [c.value for c in workbook["lists"]["A"]] == ["kind", "a", "b", "c"]


@pytest.mark.parametrize(
    ("raw", "province", "commune"),
    [("1", "01", "00001"), ("4", "04", "00004"), ("01", "01", "00001"),
     ("123", "123", "00123"), ("", "", ""), ("ab", "ab", "ab")],
)  # fmt: skip
def test_leading_zeros_are_restored(raw, province, commune):
    assert province_code_normalise(raw) == province
    assert commune_code_normalise(raw) == commune


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("0", False), ("TRUE", True), ("false", False), ("Yes", True),
     ("no", False), ("Có", True), ("KHÔNG", False), ("", None), (" ", None)],
)  # fmt: skip
def test_yes_no_values(raw, expected):
    assert parse_yes_no(raw) is expected


@pytest.mark.parametrize("raw", ["2", "maybe", "y", "-1"])
def test_yes_no_refuses_other_values(raw):
    with pytest.raises(ValueError, match="yes/no"):
        parse_yes_no(raw)


def test_non_negative_integers():
    assert parse_non_negative_int("0") == 0
    assert parse_non_negative_int(" 1520 ") == 1520
    assert parse_non_negative_int("") is None
    for bad in ("-1", "1.5", "1,000", "1.000", "x", "²"):
        with pytest.raises(ValueError, match="whole number"):
            parse_non_negative_int(bad)


@pytest.mark.parametrize(("separator", "other"), [(".", ","), (",", ".")])
def test_non_negative_integers_grouped_with_the_given_separator_only(separator, other):
    """Forms pass the reader's separator; files are read with none (plain
    digits), since who wrote a file, in which language, is unknown."""

    def parse(text):
        return parse_non_negative_int(text.replace("_", separator), thousands=separator)

    assert parse("1_234") == 1234
    assert parse(" 1_234_567 ") == 1234567
    assert parse("1234") == 1234
    assert parse("") is None
    for bad in ("1_23", "1_2345", "1234_567", "0_123", "_123", "1__234", "1_234_",
                "12_34", f"1{other}234", "-1_234"):  # fmt: skip
        with pytest.raises(ValueError, match="whole number"):
            parse(bad)


def test_row_error_reads_row_column_value_and_reason():
    error = RowError(3, "category", "museumx", "unknown category")

    assert str(error) == 'row 3, column category, value "museumx": unknown category'
    assert str(RowError(None, "", "", "The file is empty.")) == "The file is empty."
    assert str(RowError(4, "", "", "bad")) == "row 4: bad"
