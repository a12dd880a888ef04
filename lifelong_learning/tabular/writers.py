"""Writing tables, streamed (CSV line by line, XLSX in openpyxl's write-only
mode): exports, error lists and templates with drop-down lists. A CSV cell
that a spreadsheet would run as a formula gets a leading apostrophe, which the
readers remove again, so an exported file imports back unchanged."""

import csv
import re
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation

from .content import CSV, table_format
from .values import escape_formula


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
