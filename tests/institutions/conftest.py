"""Files and bad-input cases shared by the institution tests."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook

from institutions.formats import COLUMNS

BA_DINH = "00004"  # Phường Ba Đình, Hà Nội (01)
TUY_HOA = "22015"  # Phường Tuy Hòa, Đắk Lắk (66)


def row(**values) -> dict[str, str]:
    """A valid row (a museum in Hà Nội) with ``values`` changed."""
    base = {
        "code": "MUS-01",
        "name": "Bảo tàng Hà Nội",
        "category": "museum",
        "province_code": "01",
        "legacy_province_code": "",
        "commune_code": "",
        "opened_year": "1982",
        "closed_year": "",
    }
    base.update(values)
    return base


def csv_write(path: Path, rows, *, columns=COLUMNS, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for values in rows:
            writer.writerow([values.get(column, "") for column in columns])
    return path


def xlsx_write(path: Path, rows, *, columns=COLUMNS) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for values in rows:
        sheet.append([values.get(column, "") for column in columns])
    workbook.save(path)
    return path


@dataclass(frozen=True)
class BadInput:
    """A file breaking one rule of formats.md and the error it must produce:
    ``where`` is (row, column, value) or None for an error about the file."""

    name: str
    filename: str
    rows: list = field(default_factory=list)
    columns: tuple = COLUMNS
    raw: bytes | None = None
    where: tuple | None = None
    reason: str = ""

    def write(self, directory: Path) -> Path:
        path = directory / self.filename
        if self.raw is not None:
            path.write_bytes(self.raw)
        elif path.suffix == ".xlsx":
            xlsx_write(path, self.rows, columns=self.columns)
        else:
            csv_write(path, self.rows, columns=self.columns)
        return path


_LATIN1 = "code,name,category,province_code\nX1,Bibliothèque,museum,01\n"

BAD_INPUTS = [
    BadInput(
        "unknown category",
        "f.csv",
        [row(category="museumx")],
        where=(2, "category", "museumx"),
        reason="unknown category",
    ),
    BadInput(
        "unknown province code",
        "f.csv",
        [row(province_code="99")],
        where=(2, "province_code", "99"),
        reason="not the code of one of the 34 current provinces",
    ),
    BadInput(
        "former code in the current-province column",
        "f.csv",
        [row(province_code="35")],
        where=(2, "province_code", "35"),
        reason="put 35 in legacy_province_code",
    ),
    BadInput(
        "unknown former province code",
        "f.csv",
        [row(province_code="", legacy_province_code="03")],
        where=(2, "legacy_province_code", "03"),
        reason="63 former provinces",
    ),
    BadInput(
        "province_code and legacy_province_code disagree",
        "f.csv",
        [row(province_code="01", legacy_province_code="72")],
        where=(2, "legacy_province_code", "72"),
        reason="merged into Tỉnh Tây Ninh, not into Thành phố Hà Nội",
    ),
    BadInput(
        "commune outside the province",
        "f.csv",
        [row(commune_code=TUY_HOA)],
        where=(2, "commune_code", TUY_HOA),
        reason="Phường Tuy Hòa lies in Tỉnh Đắk Lắk, not in Thành phố Hà Nội",
    ),
    BadInput(
        "unknown commune",
        "f.csv",
        [row(commune_code="99999")],
        where=(2, "commune_code", "99999"),
        reason="not the code of a current commune",
    ),
    BadInput(
        "closing year equal to the opening year",
        "f.csv",
        [row(opened_year="2000", closed_year="2000")],
        where=(2, "closed_year", "2000"),
        reason="greater than the opening year",
    ),
    BadInput(
        "closing year before the opening year",
        "f.xlsx",
        [row(opened_year="2000", closed_year="1999")],
        where=(2, "closed_year", "1999"),
        reason="greater than the opening year",
    ),
    BadInput(
        "year that is not a year",
        "f.csv",
        [row(opened_year="19xx")],
        where=(2, "opened_year", "19xx"),
        reason="four-digit year",
    ),
    BadInput(
        "duplicate codes in the file",
        "f.csv",
        [row(), row(name="Bảo tàng khác")],
        where=(3, "code", "MUS-01"),
        reason="already used in row 2",
    ),
    BadInput(
        "missing required value",
        "f.csv",
        [row(name="")],
        where=(2, "name", ""),
        reason="a value is required",
    ),
    BadInput(
        "no province in either column",
        "f.csv",
        [row(province_code="", legacy_province_code="")],
        where=(2, "province_code", ""),
        reason="province_code or in legacy_province_code",
    ),
    BadInput(
        "code with forbidden characters",
        "f.csv",
        [row(code="MUS 01")],
        where=(2, "code", "MUS 01"),
        reason="1 to 40 letters",
    ),
    BadInput(
        "unknown column",
        "f.csv",
        [row(remarks="x")],
        columns=(*COLUMNS, "remarks"),
        where=(1, "remarks", "remarks"),
        reason="unknown column",
    ),
    BadInput(
        "missing required column",
        "f.xlsx",
        [row()],
        columns=tuple(c for c in COLUMNS if c != "category"),
        where=(1, "category", ""),
        reason="required column is missing",
    ),
    BadInput(
        "file that is not UTF-8",
        "f.csv",
        raw=_LATIN1.encode("latin-1"),
        reason="not UTF-8",
    ),
    BadInput("empty file", "f.csv", raw=b"", reason="empty"),
    BadInput(
        "header without rows",
        "f.csv",
        raw=",".join(COLUMNS).encode() + b"\r\n",
        reason="no data rows",
    ),
    BadInput(
        "XLSX that is not a spreadsheet",
        "f.xlsx",
        raw=b"code,name\nA,B\n",
        reason="not an XLSX spreadsheet",
    ),
]


@pytest.fixture(params=BAD_INPUTS, ids=lambda case: case.name)
def bad_input(request) -> BadInput:
    return request.param


def error_text(where: tuple) -> str:
    """How an error's place reads in English messages."""
    row_number, column, value = where
    return f'row {row_number}, column {column}, value "{value}"'
