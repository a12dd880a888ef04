"""The exchange format of annual reports (formats.md): its columns, in the
order an export writes them, which a file must have, and what each holds.
The import, the export, the upload page and the API read them from here."""

from django.utils.translation import gettext_lazy

from targets.indicators import REPORT_FIELDS

COLUMNS = ("institution_code", "year", *REPORT_FIELDS)
REQUIRED_COLUMNS = ("institution_code", "year")
# Beyond formats.md, read by the import and offered by the template, never
# exported: one text explaining the warnings of the row (ignored without one).
OPTIONAL_COLUMNS = ("explanation",)
IMPORT_COLUMNS = (*COLUMNS, *OPTIONAL_COLUMNS)
# What each column holds, for the upload page, its errors and the template.
COLUMN_LABELS = {
    "institution_code": gettext_lazy("institution code"),
    "year": gettext_lazy("year of the report"),
    **REPORT_FIELDS,
    "explanation": gettext_lazy(
        "optional: why the row's warnings are right (3 to 500 characters); "
        "needed to submit a row with a warning, ignored where there is none"
    ),
}
