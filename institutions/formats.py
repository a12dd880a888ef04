"""The exchange format of institutions (formats.md): its columns, in the order
an export writes them, which a file must have, and what each holds. The
import, the export, the import page and the API read them from here."""

from django.utils.translation import gettext_lazy

COLUMNS = (
    "code",
    "name",
    "category",
    "province_code",
    "legacy_province_code",
    "commune_code",
    "opened_year",
    "closed_year",
)
# What each column holds, for the import page, its errors and the template.
COLUMN_LABELS = {
    "code": gettext_lazy("institution code"),
    "name": gettext_lazy("name"),
    "category": gettext_lazy("category"),
    "province_code": gettext_lazy("GSO code of the province"),
    "legacy_province_code": gettext_lazy(
        "GSO code of the former province (the 63 provinces before 2025)"
    ),
    "commune_code": gettext_lazy("GSO code of the commune"),
    "opened_year": gettext_lazy("opening year"),
    "closed_year": gettext_lazy("closing year"),
}
REQUIRED_COLUMNS = ("code", "name", "category")
PROVINCE_COLUMNS = ("province_code", "legacy_province_code")
