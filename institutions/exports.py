"""Institution files: exports in the columns of ``formats.md`` and the
spreadsheet template for imports."""

from pathlib import Path

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lifelong_learning.tabular import table_write, xlsx_template_write

from .formats import COLUMN_LABELS, COLUMNS
from .models import Category, FormerProvince, Institution, Province
from .selectors import institution_export_rows


def institutions_export(*, queryset: QuerySet[Institution], path: str | Path) -> int:
    """Writes the institutions of ``queryset`` to a CSV or XLSX file (by the
    extension of ``path``), streaming; returns the number of rows. The file
    imports back unchanged."""
    return table_write(path, columns=COLUMNS, rows=institution_export_rows(queryset))


def institution_template_write(path: str | Path) -> None:
    """Writes the empty XLSX import template with drop-down lists of
    categories and of current and former province codes."""
    xlsx_template_write(
        path,
        columns=COLUMNS,
        choices={
            "category": list(Category.values),
            "province_code": list(
                Province.objects.order_by("code").values_list("code", flat=True)
            ),
            "legacy_province_code": list(
                FormerProvince.objects.order_by("code").values_list("code", flat=True)
            ),
        },
        title=_("institutions"),
        labels=COLUMN_LABELS,
        reference=[
            (
                _("categories"),
                [
                    ("category", _("meaning")),
                    *((value, str(label)) for value, label in Category.choices),
                ],
            ),
            (
                _("provinces"),
                [
                    ("province_code", _("province")),
                    *Province.objects.order_by("code").values_list("code", "name"),
                ],
            ),
            (
                _("former provinces"),
                [
                    ("legacy_province_code", _("former province"), _("merged into")),
                    *FormerProvince.objects.order_by("code").values_list(
                        "code", "name", "province__name"
                    ),
                ],
            ),
        ],
    )
