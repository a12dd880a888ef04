"""The filters of the institution list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong_learning.years import YEAR_MAX, YEAR_MIN

from .forms import YEAR_ATTRS, ProvinceChoiceField, commune_field_limit
from .models import Category, Commune, Institution
from .selectors import province_visible_list


class ProvinceFilter(django_filters.ModelChoiceFilter):
    field_class = ProvinceChoiceField


class InstitutionFilterSet(django_filters.FilterSet):
    """Search by name (without diacritics or case) or code, and filter by
    province, commune, category and year of activity."""

    q = django_filters.CharFilter(
        method="search",
        label=_("Name or code"),
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. thu vien dak lak"), "type": "search"}
        ),
    )
    province = ProvinceFilter(
        label=_("Province"), queryset=None, empty_label=_("All provinces")
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        empty_label=_("All communes"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("All categories")
    )
    active_in_year = django_filters.NumberFilter(
        method="active_in",
        label=_("Active in year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs=YEAR_ATTRS),
    )

    class Meta:
        model = Institution
        fields = ["q", "province", "commune", "category", "active_in_year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].queryset = province_visible_list(user=user)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["province"].widget.attrs["data-commune-select"] = "id_commune"
            form.fields["active_in_year"].localize = False
            form.fields["active_in_year"].widget.is_localized = False
            province = self.data.get("province") or None
            queryset = self.filters["province"].queryset
            if province is None and queryset.count() == 1:
                province = queryset.get().code
            commune_field_limit(form.fields["commune"], province, _("All communes"))
        return self._form

    def search(self, queryset, name, value):
        return queryset.search(value)

    def active_in(self, queryset, name, value):
        return queryset.active_in(int(value))
