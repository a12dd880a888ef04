"""Reading and writing the exchange tables of ``formats.md`` as CSV or XLSX.

Readers stream: they yield one row at a time, so memory stays flat whatever the
file size. Writers stream too (CSV line by line, XLSX in openpyxl's write-only
mode). Cells that a spreadsheet would run as a formula are written with a
leading apostrophe, which the readers remove again, so an exported file imports
back unchanged.
"""

import codecs
import csv
import datetime
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
HEADER_ROW = 1
# Characters that make a spreadsheet treat a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_VALUE_DISPLAY_LIMIT = 80

# Hostile files are refused before (or while) they are read, whatever their size:
# a sheet declaring or holding more rows or columns than any real register,
# and an XLSX archive that would expand too much (a "zip bomb"). Real sheets
# compress about 10 to 15 times; a bomb, hundreds or thousands of times.
MAX_ROWS = 1_100_000
MAX_COLUMNS = 50
XLSX_MAX_UNCOMPRESSED_BYTES = 1024**3
XLSX_MAX_RATIO = 100
XLSX_MAX_MEMBERS = 10_000
_RATIO_MIN_BYTES = 1024 * 1024
# A file with errors is refused, whatever its other rows hold: an import keeps
# and shows the first errors and stops reading once it has found this many.
ERRORS_KEPT = 1000
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
_DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"

_YES = frozenset({"1", "true", "yes", "có", "co", "x"})
_NO = frozenset({"0", "false", "no", "không", "khong"})


@dataclass(frozen=True)
class RowError:
    """One problem in a file: the row (1 is the header), the column, the value
    as read and the reason. ``row`` is ``None`` for the file as a whole."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return str(self.message)
        value = self.value
        if len(value) > _VALUE_DISPLAY_LIMIT:
            value = value[: _VALUE_DISPLAY_LIMIT - 1] + "…"
        if not self.column:
            return _("row %(row)s: %(message)s") % {
                "row": self.row,
                "message": self.message,
            }
        return _('row %(row)s, column %(column)s, value "%(value)s": %(message)s') % {
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }


class RowErrors(list):
    """The errors (or warnings) of a file: every one is counted in ``total``,
    the first ``keep`` are kept (a file whose every row is wrong would
    otherwise hold millions). ``full`` once ``keep`` are kept: then the file
    is refused whatever its remaining rows hold, and an import stops reading
    there, recording the last row it read in ``stopped_at``."""

    def __init__(self, errors: Iterable[RowError] = (), *, keep: int | None = None):
        super().__init__()
        self.keep = ERRORS_KEPT if keep is None else keep
        self.total = 0
        self.stopped_at: int | None = None
        self.extend(errors)

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self) < self.keep:
            super().append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def __reduce__(self):
        # Pickled with its counts (the upload's check is kept as a pickle); the
        # default would add the items back through ``extend`` before them.
        return _row_errors_restore, (list(self), self.keep, self.total, self.stopped_at)

    @property
    def full(self) -> bool:
        return self.total >= self.keep

    @property
    def hidden(self) -> int:
        """How many were counted but not kept."""
        return self.total - len(self)

    def stopped_message(self) -> str:
        """Where and why reading stopped early, for people; empty if it did not."""
        if self.stopped_at is None:
            return ""
        return _(
            "Reading stopped at row %(row)s after the first %(kept)s errors: the "
            "file is refused anyway, and the rows after it were not checked. "
            "Correct these rows and upload the file again."
        ) % {
            "row": self.stopped_at,
            "kept": number_format(self.keep, force_grouping=True),
        }


def _row_errors_restore(
    errors: list[RowError], keep: int, total: int, stopped_at: int | None
) -> RowErrors:
    restored = RowErrors(errors, keep=keep)
    restored.total = total
    restored.stopped_at = stopped_at
    return restored


class TableError(Exception):
    """The file cannot be read as a table: wrong type, not UTF-8, empty, or a
    header with unknown or missing columns. ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


def _file_error(message: str, *, row: int | None = None) -> TableError:
    return TableError([RowError(row, "", "", message)])


def table_format(name: str | Path) -> str:
    """Returns ``"csv"`` or ``"xlsx"`` from the file name's extension.

    Raises :class:`TableError` for any other extension.
    """
    suffix = Path(str(name)).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise _file_error(
            _(
                "The file %(name)s is neither CSV nor XLSX: its name must end "
                "in .csv or .xlsx."
            )
            % {"name": Path(str(name)).name}
        )
    return suffix


# Content ------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _not_xlsx_message() -> str:
    return _("The file is not an XLSX spreadsheet (Excel 2007 or later).")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def _xlsx_archive_check(handle: BinaryIO) -> None:
    """Reads the archive's directory only: the parts of a workbook must be
    there, and no part may expand beyond the limits."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise _file_error(_not_xlsx_message()) from error
    names = {member.filename for member in members}
    if not all(name in names for name in _XLSX_MEMBERS):
        if "mimetype" in names or "content.xml" in names:
            raise _file_error(
                _(
                    "The file is an OpenDocument spreadsheet (.ods), not XLSX. "
                    "Save it as “Excel 2007-365 (.xlsx)” and try again."
                )
            )
        raise _file_error(_not_xlsx_message())
    expanded = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    too_dense = any(
        member.file_size > _RATIO_MIN_BYTES
        and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if (
        len(members) > XLSX_MAX_MEMBERS
        or expanded > XLSX_MAX_UNCOMPRESSED_BYTES
        or too_dense
        or (expanded > _RATIO_MIN_BYTES and expanded > XLSX_MAX_RATIO * max(packed, 1))
    ):
        raise _file_error(
            _(
                "The XLSX file would expand to %(size)s MB when opened, far more "
                "than any register; it was refused without being opened. Save "
                "the table again from your spreadsheet program."
            )
            % {"size": _megabytes(expanded)}
        )


def table_content_check(
    handle: BinaryIO, name: str | Path, *, max_bytes: int | None = None
) -> None:
    """Refuses a file whose content does not match the type its name gives
    (an XLSX named .csv, an old .xls, UTF-16 text, a PDF…), a file larger
    than ``max_bytes``, and an XLSX archive that would expand too much.

    Reads the first bytes and, for XLSX, the archive's directory; never the
    rows. ``handle`` is a seekable binary file; it is left at its start.
    Raises :class:`TableError` with a message saying what to do.
    """
    expected = table_format(name)
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    if max_bytes is not None and size > max_bytes:
        raise _file_error(
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": _megabytes(max_bytes)}
        )
    if size == 0:
        raise _file_error(_("The file is empty."))
    head = handle.read(4096)
    handle.seek(0)
    if head.startswith(_OLE2_SIGNATURE):
        raise _file_error(
            _(
                "The file is an old Excel workbook (.xls, Excel 97-2003). Save it "
                "as XLSX or as “CSV UTF-8” and try again."
            )
        )
    if expected == CSV:
        if head.startswith(_ZIP_SIGNATURES):
            raise _file_error(
                _(
                    "The file is a compressed archive, probably an XLSX "
                    "spreadsheet, but its name ends in .csv: rename it to .xlsx, "
                    "or save it as “CSV UTF-8”."
                )
            )
        if head.startswith(_UTF16_BOMS):
            raise _file_error(
                _(
                    "The file is UTF-16 text (“Unicode text”), not UTF-8. Save "
                    "it as “CSV UTF-8” and try again."
                )
            )
        return
    if not head.startswith(_ZIP_SIGNATURES):
        if _looks_like_text(head):
            raise _file_error(
                _(
                    "The file is not an XLSX spreadsheet but text, probably CSV: "
                    "rename it to .csv."
                )
            )
        raise _file_error(_not_xlsx_message())
    _xlsx_archive_check(handle)
    handle.seek(0)


# Values -------------------------------------------------------------------------


def _formula_like(value: str) -> bool:
    # Apostrophes already in front are skipped so that escaping round-trips.
    return value.lstrip(ESCAPE).startswith(FORMULA_PREFIXES)


def escape_formula(value: str) -> str:
    """Prefixes an apostrophe to text that a spreadsheet would run as a formula."""
    if _formula_like(value):
        return ESCAPE + value
    return value


def unescape_formula(value: str) -> str:
    """Removes the apostrophe that :func:`escape_formula` added."""
    if value.startswith(ESCAPE) and _formula_like(value):
        return value[1:]
    return value


def pad_code(value: str, width: int) -> str:
    """Restores leading zeros that spreadsheets drop: ``pad_code("4", 5)`` is
    ``"00004"``. Anything but a shorter run of digits is returned unchanged."""
    value = value.strip()
    if value.isdigit() and value.isascii() and len(value) < width:
        return value.zfill(width)
    return value


def province_code_normalise(value: str) -> str:
    """``"1"`` → ``"01"``."""
    return pad_code(value, 2)


def commune_code_normalise(value: str) -> str:
    """``"4"`` → ``"00004"``."""
    return pad_code(value, 5)


def parse_yes_no(value: str) -> bool | None:
    """Reads 1/0, true/false, yes/no, có/không in any case; empty is ``None``.

    Raises ``ValueError`` with a translated reason otherwise.
    """
    text = value.strip().casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("not a yes/no value: use 1 or 0, yes or no, có or không"))


def parse_non_negative_int(value: str, *, thousands: str = "") -> int | None:
    """Reads a whole number ≥ 0 written with digits; empty is ``None``.

    With a ``thousands`` separator, the digits may also be grouped in threes
    with it (``1.234.567``); any other separator is refused, since ``1,234``
    is a decimal where the separator is a dot. Files are read without one:
    who wrote a file, in which language, is unknown.

    Raises ``ValueError`` with a translated reason otherwise.
    """
    text = value.strip()
    if not text:
        return None
    if thousands and _grouped(text, thousands):
        text = text.replace(thousands, "")
    if not (text.isdigit() and text.isascii()):
        raise ValueError(
            _(
                "not a whole number of 0 or more: write digits only, without "
                "thousands separators (1234)"
            )
        )
    return int(text)


def _grouped(text: str, separator: str) -> bool:
    head, *groups = text.split(separator)
    return (
        bool(groups)
        and 1 <= len(head) <= 3
        and not head.startswith("0")
        and all(len(group) == 3 for group in groups)
    )


def _cell_text(value) -> str:
    """The text of an XLSX cell as a person would read it in the sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


# Reading ------------------------------------------------------------------------


class _CsvPosition:
    """The row that the CSV reader is reading, for messages."""

    row = 1


# As Python's CSV reader reads them: a quote opens quoted text only at the start
# of a cell (elsewhere it is a character), and "" inside quoted text is a quote.
_QUOTED = re.compile(r'(?:^|(?<=,))"[^"]*(?:""[^"]*)*"')
_OPENING_QUOTE = re.compile(r'(?:^|(?<=,))"')


def _too_wide_error(row: int) -> TableError:
    return _file_error(
        _(
            "more than %(max)s columns: a table has at most %(max)s columns. "
            "Delete what lies right of the table, even empty cells, and save it "
            "again."
        )
        % {"max": MAX_COLUMNS},
        row=row,
    )


def _value_too_far_error(row: int) -> TableError:
    return _file_error(
        _("values beyond column %(max)s; a table has at most %(max)s columns.")
        % {"max": MAX_COLUMNS},
        row=row,
    )


class _CsvWidthGuard:
    """Counts the cells of the record being read before the CSV parser sees
    its lines, so that a record of a million empty cells is refused at its
    first cell beyond ``MAX_COLUMNS`` instead of becoming a list of a million
    strings. Delimiters inside quotes do not count; a quoted value may span
    lines."""

    def __init__(self):
        self.in_quotes = False
        self.delimiters = 0

    def check(self, line: str, row: int) -> None:
        if '"' in line or self.in_quotes:
            # Quoted text is removed; what follows a quote that opens quoted
            # text without closing it continues on the next line.
            text = _QUOTED.sub("", '"' + line if self.in_quotes else line)
            opening = _OPENING_QUOTE.search(text)
            self.in_quotes = opening is not None
            outside = text[: opening.start()] if opening else text
        else:
            outside = line
        self.delimiters += outside.count(",")
        if self.delimiters >= MAX_COLUMNS:
            raise _too_wide_error(row)
        if not self.in_quotes:
            self.delimiters = 0


def _csv_lines(handle: BinaryIO, position: _CsvPosition) -> Iterator[str]:
    """Decodes the file line by line, so that a line that is not UTF-8 (a
    file mixing encodings) or holds binary data is named by its row, and a
    record wider than ``MAX_COLUMNS`` is refused before it is split."""
    guard = _CsvWidthGuard()
    for line_number, raw in enumerate(handle, start=1):
        if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if b"\x00" in raw:
            raise _file_error(
                _(
                    "binary data (a NUL byte): the file is not a CSV table. Save it "
                    "as “CSV UTF-8” and try again."
                ),
                row=position.row,
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _file_error(
                _(
                    "not UTF-8 text: the file mixes encodings or holds binary data. "
                    "Save it as “CSV UTF-8” and try again."
                ),
                row=position.row,
            ) from error
        guard.check(line, position.row)
        yield line


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    position = _CsvPosition()
    with path.open("rb") as handle:
        try:
            for row in csv.reader(_csv_lines(handle, position)):
                if len(row) > MAX_COLUMNS:  # the guard's count and the reader's differ
                    raise _too_wide_error(position.row)
                yield position.row, row
                position.row += 1
        except csv.Error as error:
            raise _file_error(
                _("The file is not a readable CSV table (near row %(row)s).")
                % {"row": position.row}
            ) from error


def _sheet_size_check(rows: int, columns: int) -> None:
    """Refuses a sheet whose declared size exceeds the limits, before reading
    any row (a declared size that is too small is harmless)."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise _file_error(
            _(
                "The sheet declares %(rows)s rows and %(columns)s columns; a table "
                "has at most %(max_rows)s rows and %(max_columns)s columns. Delete "
                "what lies outside the table and save it again."
            )
            % {
                "rows": rows,
                "columns": columns,
                "max_rows": MAX_ROWS,
                "max_columns": MAX_COLUMNS,
            }
        )


def _declared_size(source: BinaryIO) -> tuple[int, int]:
    """The rows and columns a worksheet declares (``<dimension>``), read up to
    the start of its data and no further; ``(0, 0)`` if it declares none."""
    for _event, element in iterparse(source, events=("start",)):
        if element.tag == _DIMENSION_TAG:
            try:
                _min_col, _min_row, columns, rows = range_boundaries(
                    element.get("ref", "")
                )
            except (TypeError, ValueError):
                return 0, 0
            return rows or 0, columns or 0
        if element.tag == _DATA_TAG:
            break
    return 0, 0


def _xlsx_cells(row: int, cells: list[dict]) -> list[str]:
    """The texts of a row from the cells the sheet holds (it leaves out empty
    ones): a value far right costs one cell, not one per column before it,
    and a value beyond ``MAX_COLUMNS`` refuses the file at that cell."""
    texts: list[str] = []
    for cell in cells:
        text = _cell_text(cell["value"])
        if not text.strip():
            continue
        column = cell["column"]
        if column > MAX_COLUMNS:
            raise _value_too_far_error(row)
        if column > len(texts):
            texts.extend([""] * (column - len(texts)))
        texts[column - 1] = text
    return texts


class _SheetRowParser(WorkSheetParser):
    """openpyxl's sheet parser, for the rows only. A cell that holds nothing
    (no value, inline text or formula: a formatted empty cell) is passed over
    without being parsed; rows are dropped once read (``parse`` keeps every
    row element, emptied, until the sheet's end) and so are row formats
    (``parse`` keeps a dict for each formatted row)."""

    def rows(self) -> Iterator[tuple[int, list[dict]]]:
        data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == _DATA_TAG:
                    data = element
            elif element.tag == _ROW_TAG:
                yield self.parse_row(element)
                if data is not None:
                    data.clear()
            elif element.tag == _DATA_TAG:
                return

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = self.row_counter + 1 if number is None else int(number)
        self.col_counter = 0
        cells = []
        skipped = None
        for cell in row:
            if not len(cell):
                skipped = cell.get("r")
                if skipped is None:
                    self.col_counter += 1
                continue
            if skipped is not None and cell.get("r") is None:
                # The column of a cell without a reference follows the last.
                self.col_counter = coordinate_to_tuple(skipped)[1]
            skipped = None
            cells.append(self.parse_cell(cell))
        return self.row_counter, cells


def _xlsx_first_sheet(path: Path) -> tuple[ExcelReader, str | None]:
    """The workbook's shared strings and styles, and the part of its first
    worksheet. Unlike ``load_workbook``, which parses every sheet that
    declares no size to its end just to find none, this reads no sheet."""
    reader = ExcelReader(path, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    for _sheet, relation in reader.parser.find_sheets():
        if relation.target in reader.valid_files and "chartsheet" not in relation.Type:
            return reader, relation.target
    return reader, None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    not_xlsx = _not_xlsx_message()
    try:
        reader, sheet_part = _xlsx_first_sheet(path)
    except Exception as error:  # a damaged archive fails in many ways
        raise _file_error(not_xlsx) from error
    try:
        if sheet_part is None:
            return
        try:
            with reader.archive.open(sheet_part) as source:
                declared = _declared_size(source)
        except Exception as error:
            raise _file_error(not_xlsx) from error
        _sheet_size_check(*declared)
        # The sheet's rows as stored, each a list of the cells it holds: the
        # declared size (which some programs write wrong) plays no part, and
        # neither rows nor cells that the file leaves out cost anything, unlike
        # ``iter_rows``, which fills every row up to its last cell.
        workbook = reader.wb
        with reader.archive.open(sheet_part) as source:
            parser = _SheetRowParser(
                source,
                reader.shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            rows = parser.rows()
            while True:
                try:
                    row_number, cells = next(rows)
                except StopIteration:
                    return
                except Exception as error:
                    raise _file_error(not_xlsx) from error
                yield row_number, _xlsx_cells(row_number, cells)
    finally:
        reader.archive.close()


def _raw_rows(
    path: Path, max_bytes: int | None = None
) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open("rb") as handle:
            table_content_check(handle, path, max_bytes=max_bytes)
    except OSError as error:
        raise _file_error(_("The file cannot be read.")) from error
    if table_format(path) == CSV:
        return _csv_rows(path)
    return _xlsx_rows(path)


def _size_check(row_number: int) -> None:
    """Refuses, while reading, a row beyond the row limit."""
    if row_number > MAX_ROWS:
        raise _file_error(
            _("more than %(max)s rows: split the file into several files.")
            % {"max": MAX_ROWS},
            row=row_number,
        )


def _header(
    cells: list[str],
    columns: Sequence[str],
    required: Sequence[str],
    one_of: Sequence[Sequence[str]],
) -> list[str]:
    names = [unescape_formula(cell.strip()) for cell in cells]
    errors = []
    seen: set[str] = set()
    for name in names:
        if not name:
            continue
        if name not in columns:
            errors.append(
                RowError(
                    HEADER_ROW,
                    name,
                    name,
                    _("unknown column; the columns are: %(columns)s")
                    % {"columns": ", ".join(columns)},
                )
            )
        elif name in seen:
            errors.append(RowError(HEADER_ROW, name, name, _("column given twice")))
        seen.add(name)
    for name in required:
        if name not in seen:
            errors.append(
                RowError(HEADER_ROW, name, "", _("required column is missing"))
            )
    for group in one_of:
        if not seen.intersection(group):
            errors.append(
                RowError(
                    HEADER_ROW,
                    group[0],
                    "",
                    _("one of the columns %(columns)s is required")
                    % {"columns": ", ".join(group)},
                )
            )
    if errors:
        raise TableError(errors)
    return names


class TableReader:
    """The rows of a CSV or XLSX file, read lazily.

    Iterating yields ``(row_number, values)`` with ``values`` a dict of column
    name to stripped text (header row is 1; fully blank rows are skipped). Text
    found under a column without a name is kept under the key ``""``; see
    :func:`unnamed_cell_error`.
    Raises :class:`TableError` for a file that cannot be read, a header with
    unknown, repeated or missing ``required`` columns (or none of a group of
    ``one_of``), or no data rows.
    Each iteration reads the file again from the start. Before reading, the
    content must match the file's type (:func:`table_content_check`, with
    ``max_bytes`` if given); files beyond ``MAX_ROWS`` rows or
    ``MAX_COLUMNS`` columns are refused at the first row or cell beyond them.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        columns: Sequence[str],
        required: Sequence[str] = (),
        one_of: Sequence[Sequence[str]] = (),
        max_bytes: int | None = None,
    ):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.format = table_format(self.path)
        self.columns = tuple(columns)
        self.required = tuple(required)
        self.one_of = tuple(tuple(group) for group in one_of)
        self.header: list[str] = []

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        rows = _raw_rows(self.path, self.max_bytes)
        header = None
        data_rows = 0
        for row_number, cells in rows:
            _size_check(row_number)
            if header is None:
                if row_number != HEADER_ROW or not any(cell.strip() for cell in cells):
                    raise _file_error(
                        _("The file is empty: its first row must name the columns.")
                    )
                header = _header(cells, self.columns, self.required, self.one_of)
                self.header = [name for name in header if name]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            data_rows += 1
            yield row_number, self._values(header, cells, row_number)
        if header is None:
            raise _file_error(_("The file is empty."))
        if data_rows == 0:
            raise _file_error(
                _("The file has a header row but no data rows."), row=HEADER_ROW + 1
            )

    def _values(
        self, header: list[str], cells: list[str], row_number: int
    ) -> dict[str, str]:
        values = dict.fromkeys(self.header, "")
        for index, cell in enumerate(cells):
            text = unescape_formula(cell.strip())
            name = header[index] if index < len(header) else ""
            if name:
                values[name] = text
            elif text:
                values.setdefault("", text)
        return values


def unnamed_cell_error(row_number: int, values: dict[str, str]) -> RowError | None:
    """An error for a value in a column that has no name in the header."""
    if values.get(""):
        return RowError(
            row_number, "", values[""], _("value in a column without a header")
        )
    return None


# Writing ------------------------------------------------------------------------


def _xlsx(value) -> str | int | float:
    """A value as a file's cell: empty, 1 or 0, a number, or text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    return str(value)


def _out(value) -> str | int | float:
    """The same in a CSV, whose text cannot say it is not a formula."""
    value = _xlsx(value)
    return escape_formula(value) if isinstance(value, str) else value


def xlsx_row(sheet, values: Iterable) -> list:
    """The cells of a row of a write-only XLSX sheet: numbers stay numbers and
    text is always a text cell, which Excel and LibreOffice show exactly as
    written and never evaluate, so "=1+1" needs no apostrophe (CSV, which has
    no cell types, gets one: :func:`escape_formula`)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


@contextmanager
def table_writer(path: str | Path, *, columns: Sequence[str]):
    """Opens ``path`` for writing a table with ``columns`` as its header and
    yields a function that writes one row (a sequence in column order).

    CSV is written as UTF-8 with a BOM so that spreadsheets detect the encoding.
    """
    path = Path(path)
    if table_format(path) == CSV:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(columns)
            yield lambda row: writer.writerow([_out(value) for value in row])
        return
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(xlsx_row(sheet, columns))
    yield lambda row: sheet.append(xlsx_row(sheet, [_xlsx(value) for value in row]))
    workbook.save(path)


def table_write(
    path: str | Path, *, columns: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Writes ``rows`` under a header of ``columns``; returns the row count."""
    count = 0
    with table_writer(path, columns=columns) as write:
        for row in rows:
            write(row)
            count += 1
    return count


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31]


def xlsx_column_labels(workbook, sheet, labels: dict[str, str]) -> None:
    """Explains the header of ``sheet``, whose cells hold column codes: each
    known code gets its words as a cell comment, and a last sheet lists every
    code with its words."""
    for cell in sheet[1]:
        label = labels.get(str(cell.value))
        if label:
            cell.comment = Comment(
                str(label), _("Lifelong-learning portal"), width=240, height=60
            )
    legend = workbook.create_sheet(_sheet_title(_("columns")))
    legend.append([_("column"), _("meaning")])
    for cell in sheet[1]:
        legend.append([cell.value, str(labels.get(str(cell.value), ""))])
    legend.column_dimensions["A"].width = 28
    legend.column_dimensions["B"].width = 60


def xlsx_template_write(
    path: str | Path,
    *,
    columns: Sequence[str],
    choices: dict[str, Sequence[str]],
    title: str,
    reference: Sequence[tuple[str, Sequence[Sequence]]] = (),
    rows: int = 5000,
    labels: dict[str, str] | None = None,
) -> None:
    """Writes an empty XLSX sheet with ``columns`` as header, where each column
    of ``choices`` offers a drop-down list of its values (kept on a hidden
    sheet) for ``rows`` data rows. ``reference`` adds visible sheets after it,
    each a title and rows (the first row a header), e.g. codes and names;
    ``labels`` (code → words) explains the header (:func:`xlsx_column_labels`)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append(list(columns))
    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    for index, name in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
    for list_index, (name, values) in enumerate(choices.items(), start=1):
        list_letter = lists.cell(row=1, column=list_index).column_letter
        lists.cell(row=1, column=list_index, value=name)
        for row_index, value in enumerate(values, start=2):
            lists.cell(row=row_index, column=list_index, value=value)
        column_letter = sheet.cell(row=1, column=columns.index(name) + 1).column_letter
        validation = DataValidation(
            type="list",
            formula1=f"lists!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
        )
        validation.add(f"{column_letter}2:{column_letter}{rows + 1}")
        sheet.add_data_validation(validation)
    # Codes keep their leading zeros when typed into text-formatted cells.
    for name in columns:
        if name.endswith("code"):
            letter = sheet.cell(row=1, column=columns.index(name) + 1).column_letter
            for row_index in range(2, rows + 2):
                sheet[f"{letter}{row_index}"].number_format = "@"
    sheet.freeze_panes = "A2"
    for reference_title, reference_rows in reference:
        reference_sheet = workbook.create_sheet(_sheet_title(reference_title))
        for reference_row in reference_rows:
            reference_sheet.append(list(reference_row))
        reference_sheet.column_dimensions["A"].width = 24
        reference_sheet.column_dimensions["B"].width = 48
        reference_sheet.column_dimensions["C"].width = 32
    if labels:
        xlsx_column_labels(workbook, sheet, labels)
    workbook.save(path)


class SeenKeys:
    """The keys of a file's rows seen so far (an institution code, a code and
    a year), each with the row where it first appeared, to find repeats.

    The most recent ``memory_keys`` stay in a dict; older ones move to a
    temporary SQLite file, so memory stays bounded whatever the file's size.
    Close it (or use it as a context manager) to remove the file.
    """

    def __init__(self, memory_keys: int = 100_000):
        self.memory_keys = memory_keys
        self._recent: dict[str, int] = {}
        self._spilled: sqlite3.Connection | None = None
        self._directory: tempfile.TemporaryDirectory | None = None

    def first_row(self, key: str, row: int) -> int | None:
        """The row where ``key`` first appeared, or ``None`` when this is its
        first appearance (then ``row`` is remembered as it)."""
        first = self._recent.get(key)
        if first is None and self._spilled is not None:
            found = self._spilled.execute(
                "SELECT row FROM seen WHERE key = ?", (key,)
            ).fetchone()
            first = found[0] if found else None
        if first is not None:
            return first
        self._recent[key] = row
        if len(self._recent) >= self.memory_keys:
            self._spill()
        return None

    def _spill(self) -> None:
        if self._spilled is None:
            self._directory = tempfile.TemporaryDirectory(prefix="portal-import-")
            path = os.path.join(self._directory.name, "seen.sqlite3")
            self._spilled = sqlite3.connect(path)
            self._spilled.execute("PRAGMA journal_mode = OFF")
            self._spilled.execute("PRAGMA synchronous = OFF")
            self._spilled.execute(
                "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID"
            )
        with self._spilled:
            self._spilled.executemany(
                "INSERT INTO seen (key, row) VALUES (?, ?)", self._recent.items()
            )
        self._recent = {}

    def close(self) -> None:
        if self._spilled is not None:
            self._spilled.close()
            self._spilled = None
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
