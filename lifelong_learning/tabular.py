"""Reading and writing the exchange tables of ``formats.md`` as CSV or XLSX.

Readers stream: they yield one row at a time, so memory stays flat whatever the
file size. Writers stream too (CSV line by line, XLSX in openpyxl's write-only
mode). Cells that a spreadsheet would run as a formula are written with a
leading apostrophe, which the readers remove again, so an exported file imports
back unchanged.
"""

import csv
import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
HEADER_ROW = 1
# Characters that make a spreadsheet treat a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_VALUE_DISPLAY_LIMIT = 80

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


def parse_non_negative_int(value: str) -> int | None:
    """Reads a whole number ≥ 0 written with digits only; empty is ``None``.

    Raises ``ValueError`` with a translated reason otherwise.
    """
    text = value.strip()
    if not text:
        return None
    if not (text.isdigit() and text.isascii()):
        raise ValueError(_("not a whole number of 0 or more"))
    return int(text)


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


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        row_number = 0
        try:
            for row_number, row in enumerate(csv.reader(handle), start=1):  # noqa: B007
                yield row
        except UnicodeDecodeError as error:
            raise _file_error(
                _(
                    "The file is not UTF-8 text (near row %(row)s). Save it as "
                    "“CSV UTF-8” and try again."
                )
                % {"row": row_number + 1}
            ) from error
        except csv.Error as error:
            raise _file_error(
                _("The file is not a readable CSV table (near row %(row)s).")
                % {"row": row_number + 1}
            ) from error


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    not_xlsx = _("The file is not an XLSX spreadsheet (Excel 2007 or later).")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged archive fails in many ways
        raise _file_error(not_xlsx) from error
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without it nothing is cut off.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as error:
                raise _file_error(not_xlsx) from error
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _raw_rows(path: Path) -> Iterator[list[str]]:
    if table_format(path) == CSV:
        return _csv_rows(path)
    return _xlsx_rows(path)


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
    Each iteration reads the file again from the start.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        columns: Sequence[str],
        required: Sequence[str] = (),
        one_of: Sequence[Sequence[str]] = (),
    ):
        self.path = Path(path)
        self.format = table_format(self.path)
        self.columns = tuple(columns)
        self.required = tuple(required)
        self.one_of = tuple(tuple(group) for group in one_of)
        self.header: list[str] = []

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        rows = _raw_rows(self.path)
        header = None
        data_rows = 0
        for row_number, cells in enumerate(rows, start=1):
            if header is None:
                if not any(cell.strip() for cell in cells):
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


def _out(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return value
    return escape_formula(str(value))


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
    sheet.append(list(columns))
    yield lambda row: sheet.append([_out(value) for value in row])
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


def xlsx_template_write(
    path: str | Path,
    *,
    columns: Sequence[str],
    choices: dict[str, Sequence[str]],
    title: str,
    reference: Sequence[tuple[str, Sequence[Sequence]]] = (),
    rows: int = 5000,
) -> None:
    """Writes an empty XLSX sheet with ``columns`` as header, where each column
    of ``choices`` offers a drop-down list of its values (kept on a hidden
    sheet) for ``rows`` data rows. ``reference`` adds visible sheets after it,
    each a title and rows (the first row a header), e.g. codes and names."""
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
    workbook.save(path)
