"""Writing annual reports as files: the export (the columns of formats.md, so
an exported file imports back unchanged) and the pre-filled XLSX template of a
year sheet."""

from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from lifelong_learning.tabular import table_write, xlsx_column_labels
from reports.entry.formats import COLUMN_LABELS, COLUMNS, OPTIONAL_COLUMNS
from reports.entry.selectors import (
    report_export_rows,
    report_template_rows,
    sheet_fields,
)
from reports.entry.warnings import EXPLANATION_MAX, EXPLANATION_MIN
from targets.indicators import COUNT_FIELDS

# Words the template offers for a criterion; the importer reads both languages.
_YES_NO = {"vi": ("có", "không"), "en": ("yes", "no")}


def reports_export(
    *, path: str | Path, year: int | None = None, province_code: str | None = None
) -> int:
    """Writes the reports (of one year and/or province) to a CSV or XLSX file;
    returns how many rows were written."""
    return table_write(
        path,
        columns=COLUMNS,
        rows=report_export_rows(year=year, province_code=province_code),
    )


def _yes_no(value, words: tuple[str, str]) -> str | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return words[0] if value else words[1]
    return value


def report_template_write(
    *, path: str | Path, province_code: str, year: int, category: str
) -> int:
    """Writes the XLSX template of a year sheet: on the first sheet one row per
    active institution (code, year and the values already entered, ready to
    fill in and upload), drop-down lists for the criteria and an empty
    ``explanation`` column (for the row's warnings, needed to submit them); on
    a second sheet the institutions' names and last year's values, for
    reference. Approved reports are locked, so their rows are left out.
    Returns the row count."""
    words = _YES_NO.get((get_language() or "vi")[:2], _YES_NO["en"])
    fields = sheet_fields(category)
    columns = ["institution_code", "year", *fields, *OPTIONAL_COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("reports")
    sheet.append(columns)
    reference = workbook.create_sheet(_("institutions"))
    reference.append(
        [
            "institution_code",
            _("name"),
            _("status in %(year)s") % {"year": year},
            *[
                _("%(field)s in %(year)s") % {"field": name, "year": year - 1}
                for name in fields
            ],
        ]
    )
    count = 0
    for institution, report, previous in report_template_rows(
        province_code=province_code, year=year, category=category
    ):
        status = report.get_status_display() if report is not None else "—"
        reference.append(
            [
                institution.code,
                institution.name,
                status,
                *[_yes_no(getattr(previous, name, None), words) for name in fields],
            ]
        )
        # A text cell: shown as written, never run as a formula.
        reference.cell(row=reference.max_row, column=2).data_type = "s"
        if report is not None and report.is_locked:
            continue
        sheet.append(
            [
                institution.code,
                year,
                *[_yes_no(getattr(report, name, None), words) for name in fields],
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
        count += 1
    last_row = max(sheet.max_row, 2)
    explanation = sheet.cell(row=1, column=len(columns)).column_letter
    length = DataValidation(
        type="textLength",
        operator="between",
        formula1=str(EXPLANATION_MIN),
        formula2=str(EXPLANATION_MAX),
        allow_blank=True,
        showErrorMessage=True,
    )
    length.add(f"{explanation}2:{explanation}{last_row}")
    sheet.add_data_validation(length)
    for index, name in enumerate(fields, start=3):
        letter = sheet.cell(row=1, column=index).column_letter
        if name in COUNT_FIELDS:
            validation = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0"
            )
        else:
            validation = DataValidation(
                type="list", formula1=f'"{words[0]},{words[1]}"'
            )
        validation.allow_blank = True
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
    for worksheet in (sheet, reference):
        worksheet.freeze_panes = "B2"
        for column in worksheet.iter_cols(min_row=1, max_row=1):
            width = max(14, len(str(column[0].value or "")) + 4)
            worksheet.column_dimensions[column[0].column_letter].width = width
    reference.column_dimensions["B"].width = 48
    sheet.column_dimensions[explanation].width = 48
    xlsx_column_labels(workbook, sheet, COLUMN_LABELS)
    workbook.save(path)
    return count
