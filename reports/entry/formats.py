"""The exchange format of annual reports (formats.md): its columns, in the
order an export writes them, which a file must have, and what each holds.
The import, the export, the upload page and the API read them from here."""

from django.utils.translation import gettext_lazy

from targets.indicators import REPORT_FIELDS

COLUMNS = ("institution_code", "year", *REPORT_FIELDS)
REQUIRED_COLUMNS = ("institution_code", "year")
# What each column holds, for the upload page, its errors and the template.
COLUMN_LABELS = {
    "institution_code": gettext_lazy("institution code"),
    "year": gettext_lazy("year of the report"),
    **REPORT_FIELDS,
}
