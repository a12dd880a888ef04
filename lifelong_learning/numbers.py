"""One rule for numbers, everywhere a person reads or types them.

- A year is written as it is (2025), never grouped like a count.
- A count or a decimal is shown in the reader's language: 1.234 and 12,5 in
  Vietnamese, 1,234 and 12.5 in English.
- A typed count may be grouped the way the reader's language groups it, or
  written with plain digits (see ``tabular.parse_non_negative_int``).
- Numbers in HTML attributes, addresses and hidden fields are never
  localised: templates write them with ``|unlocalize``.

A field holds a year when its name is ``year`` or ends with ``_year``
(``opened_year``, ``baseline_year``).
"""

from decimal import Decimal

from django import forms
from django.db import models
from django.utils.formats import get_format, number_format
from simple_history.template_utils import HistoricalRecordContextHelper


def is_year_field(name: str) -> bool:
    return name == "year" or name.endswith("_year")


def count_text(value: int) -> str:
    """A count with the thousands separator of the reader's language."""
    return number_format(value, use_l10n=True, force_grouping=True)


def grouping_example() -> str:
    """1234 grouped the way the reader's language groups it: 1.234 or 1,234."""
    return count_text(1234)


def thousand_separator() -> str:
    return get_format("THOUSAND_SEPARATOR")


def field_value_text(model_field: models.Field, value):
    """A stored number as a person reads it: a year or an id as written, a
    count or a decimal in the reader's language (a decimal with its field's
    places). Any other value is returned unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if (
        is_year_field(model_field.name)
        or model_field.is_relation
        or model_field.primary_key
    ):
        return str(value)
    if isinstance(model_field, models.DecimalField):
        return number_format(
            value, model_field.decimal_places, use_l10n=True, force_grouping=True
        )
    return count_text(value)


_AS_WRITTEN = "%s_as_written"


def _year_column(model_field: models.Field):
    name = model_field.name

    def column(obj):
        value = getattr(obj, name)
        return None if value is None else str(value)

    column.__name__ = name
    column.short_description = model_field.verbose_name
    column.admin_order_field = name
    return column


class _HistoryNumbers(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return field_value_text(self.model._meta.get_field(change.field), value)


class NumbersAdminMixin:
    """The rule of this module in the admin, whose own display groups every
    integer (years too) and whose decimal inputs are not localised: year
    columns and history values as written, decimal inputs localised (typed
    "12,5" in Vietnamese) in a text box like the list that shows them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._year_columns = {
            field.name: _year_column(field)
            for field in self.model._meta.concrete_fields
            if isinstance(field, models.IntegerField) and is_year_field(field.name)
        }
        for name, column in self._year_columns.items():
            # The history view calls the admin's attribute of a column's name;
            # a read-only field shows the admin's attribute when the model
            # has no field of that name.
            setattr(self, name, column)
            setattr(self, _AS_WRITTEN % name, column)

    def get_list_display(self, request):
        return [
            self._year_columns.get(item, item) if isinstance(item, str) else item
            for item in super().get_list_display(request)
        ]

    def _as_written(self, name):
        return _AS_WRITTEN % name if name in self._year_columns else name

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [self._as_written(name) for name in fields]

    def get_exclude(self, request, obj=None):
        exclude = super().get_exclude(request, obj)
        readonly = super().get_readonly_fields(request, obj)
        shown = [name for name in readonly if name in self._year_columns]
        if not shown:
            return exclude
        return [*(exclude or ()), *shown]

    def get_fields(self, request, obj=None):
        readonly = set(super().get_readonly_fields(request, obj))
        return [
            self._as_written(name) if name in readonly else name
            for name in super().get_fields(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("localize", True)
            kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return _HistoryNumbers(self.model, historical_record)
