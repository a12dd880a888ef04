"""Administrators edit target rows here; every change is kept in their history."""

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from institutions.models import Category
from lifelong_learning.history import ChangeReasonAdminMixin
from lifelong_learning.numbers import NumbersAdminMixin
from targets.indicators import Count, Criterion

from .models import FAMILY_LABELS, Target
from .services import POSITION_STEP


def _checkboxes(name: str, choices) -> forms.MultipleChoiceField:
    field = Target._meta.get_field(name)
    # Not required here: the model's own "blank" message explains what is
    # missing better than a bare "This field is required."
    return forms.MultipleChoiceField(
        label=capfirst(field.verbose_name),
        help_text=field.help_text,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class TargetAdminForm(forms.ModelForm):
    """Criteria, counts and categories as checkboxes; the model validates
    them."""

    criteria = _checkboxes(
        "criteria",
        [
            (_("Criteria, for share rows"), Criterion.choices),
            (_("Counts, for growth rows"), Count.choices),
        ],
    )
    categories = _checkboxes("categories", Category.choices)

    class Meta:
        model = Target
        fields = [
            "family",
            "kind",
            "criteria",
            "categories",
            "baseline_year",
            "year",
            "threshold",
            "upper",
            "position",
        ]


class CategoryFilter(admin.SimpleListFilter):
    title = _("category of institution")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Category.choices

    def queryset(self, request, queryset):
        if self.value() not in Category.values:
            return queryset
        # The stored JSON list holds each slug in double quotes; matching the
        # quoted slug works on SQLite and PostgreSQL, unlike __contains.
        return queryset.filter(categories__icontains=f'"{self.value()}"')


class FamilyFilter(admin.SimpleListFilter):
    """The targets of the decision by their names, not their slugs."""

    title = _("target")
    parameter_name = "family"

    def lookups(self, request, model_admin):
        families = model_admin.get_queryset(request).values_list("family", flat=True)
        return [
            (family, FAMILY_LABELS.get(family, family))
            for family in dict.fromkeys(families.order_by("position"))
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(family=self.value())


@admin.register(Target)
class TargetAdmin(ChangeReasonAdminMixin, NumbersAdminMixin, SimpleHistoryAdmin):
    form = TargetAdminForm
    list_display = ["position", "target_label", "kind", "year", "threshold", "upper"]
    list_display_links = ["target_label"]
    list_filter = ["kind", FamilyFilter, "year", CategoryFilter]
    search_fields = ["family", "criteria", "categories"]
    history_list_display = ["threshold", "upper", "year"]

    @admin.display(description=_("target"), ordering="position")
    def target_label(self, obj):
        return obj.label

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        last = Target.objects.aggregate(last=Max("position"))["last"] or 0
        initial.setdefault("position", last + POSITION_STEP)
        return initial
