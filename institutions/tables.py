"""The sortable table of the institution list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Institution


class YearColumn(tables.Column):
    """A year shown as written ("1976"), never with a thousands separator."""

    def render(self, value):
        return str(value)


class InstitutionTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True, order_by=("name_sort", "code"))
    category = tables.Column()
    province = tables.Column(order_by=("province__name_sort", "name_sort"))
    commune = tables.Column(order_by=("commune__name_sort", "name_sort"))
    opened_year = YearColumn(verbose_name=_("opened"))
    closed_year = YearColumn(verbose_name=_("closed"))

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
