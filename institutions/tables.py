"""The sortable table of the institution list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Institution


class YearColumn(tables.Column):
    """A year shown as written ("1976"), never with a thousands separator."""

    def render(self, value):
        return str(value)


def _from(breakpoint: str, *, nowrap: bool = False) -> dict:
    """Cell attributes that hide a column on screens narrower than ``breakpoint``."""
    classes = f"d-none d-{breakpoint}-table-cell"
    cell = f"{classes} text-nowrap" if nowrap else classes
    return {"th": {"class": classes}, "td": {"class": cell}}


class InstitutionTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Code"), linkify=True, attrs=_from("md", nowrap=True)
    )
    name = tables.Column(
        verbose_name=_("Name"), linkify=True, order_by=("name_sort", "code")
    )
    category = tables.Column(verbose_name=_("Category"))
    province = tables.Column(
        verbose_name=_("Province"), order_by=("province__name_sort", "name_sort")
    )
    commune = tables.Column(
        verbose_name=_("Commune"),
        order_by=("commune__name_sort", "name_sort"),
        attrs=_from("lg"),
    )
    opened_year = YearColumn(verbose_name=_("Opening year"), attrs=_from("md"))
    closed_year = YearColumn(verbose_name=_("Closing year"), attrs=_from("sm"))

    class Meta:
        model = Institution
        fields = [
            "code",
            "name",
            "category",
            "province",
            "commune",
            "opened_year",
            "closed_year",
        ]
        order_by = "name"
        attrs = {
            "class": "table table-sm table-hover align-middle mb-0",
            "data-testid": "institution-table",
        }
        empty_text = _("No institution matches these filters.")
