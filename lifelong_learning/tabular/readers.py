"""Reading a table's rows, streamed one at a time so memory stays flat whatever
the file size (:class:`TableReader`): CSV line by line, XLSX by parsing its
first sheet's XML. Rows or columns beyond the limits are refused at the first
one beyond them, before they cost anything."""

import codecs
import csv
import datetime
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .content import CSV, not_xlsx_message, table_content_check, table_format
from .errors import RowError, TableError, file_error
from .values import unescape_formula

HEADER_ROW = 1
# A sheet declaring or holding more rows or columns than any real register is
# refused before (or while) it is read, whatever its size.
MAX_ROWS = 1_100_000
MAX_COLUMNS = 50
_DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"


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


class _CsvPosition:
    """The row that the CSV reader is reading, for messages."""

    row = 1


# As Python's CSV reader reads them: a quote opens quoted text only at the start
# of a cell (elsewhere it is a character), and "" inside quoted text is a quote.
_QUOTED = re.compile(r'(?:^|(?<=,))"[^"]*(?:""[^"]*)*"')
_OPENING_QUOTE = re.compile(r'(?:^|(?<=,))"')


def _too_wide_error(row: int) -> TableError:
    return file_error(
        _(
            "more than %(max)s columns: a table has at most %(max)s columns. "
            "Delete what lies right of the table, even empty cells, and save it "
            "again."
        )
        % {"max": MAX_COLUMNS},
        row=row,
    )


def _value_too_far_error(row: int) -> TableError:
    return file_error(
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
            raise file_error(
                _(
                    "binary data (a NUL byte): the file is not a CSV table. Save it "
                    "as “CSV UTF-8” and try again."
                ),
                row=position.row,
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise file_error(
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
            raise file_error(
                _("The file is not a readable CSV table (near row %(row)s).")
                % {"row": position.row}
            ) from error


def _sheet_size_check(rows: int, columns: int) -> None:
    """Refuses a sheet whose declared size exceeds the limits, before reading
    any row (a declared size that is too small is harmless)."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise file_error(
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
    not_xlsx = not_xlsx_message()
    try:
        reader, sheet_part = _xlsx_first_sheet(path)
    except Exception as error:  # a damaged archive fails in many ways
        raise file_error(not_xlsx) from error
    try:
        if sheet_part is None:
            return
        try:
            with reader.archive.open(sheet_part) as source:
                declared = _declared_size(source)
        except Exception as error:
            raise file_error(not_xlsx) from error
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
                    raise file_error(not_xlsx) from error
                yield row_number, _xlsx_cells(row_number, cells)
    finally:
        reader.archive.close()


def table_rows_estimate(path: Path) -> int:
    """About how many rows below the header a table holds, for a progress
    bar before it is read: a CSV's lines, an XLSX sheet's declared size
    (0 when it declares none). Not a check: a file that cannot be read
    gives 0, and reading it says why."""
    try:
        if table_format(path) == CSV:
            lines = 0
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    lines += chunk.count(b"\n")
            return max(lines - HEADER_ROW, 0)
        reader, sheet_part = _xlsx_first_sheet(path)
        try:
            if sheet_part is None:
                return 0
            with reader.archive.open(sheet_part) as source:
                rows, _columns = _declared_size(source)
        finally:
            reader.archive.close()
    except Exception:  # a damaged file: its reading reports it
        return 0
    return max(rows - HEADER_ROW, 0)


def _raw_rows(
    path: Path, max_bytes: int | None = None
) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open("rb") as handle:
            table_content_check(handle, path, max_bytes=max_bytes)
    except OSError as error:
        raise file_error(_("The file cannot be read.")) from error
    if table_format(path) == CSV:
        return _csv_rows(path)
    return _xlsx_rows(path)


def _size_check(row_number: int) -> None:
    """Refuses, while reading, a row beyond the row limit."""
    if row_number > MAX_ROWS:
        raise file_error(
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
                    raise file_error(
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
            raise file_error(_("The file is empty."))
        if data_rows == 0:
            raise file_error(
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
