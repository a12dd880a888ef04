from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lifelong_learning.history import ChangeReasonAdminMixin
from lifelong_learning.numbers import NumbersAdminMixin
from reports.entry.forms import CountField
from reports.entry.models import (
    AnnualReport,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from reports.entry.services import ReportEntry, report_save, reports_check
from targets.indicators import COUNT_FIELDS, REPORT_FIELDS


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "user", "comment", "sheet_return"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AnnualReportAdminForm(forms.ModelForm):
    """Applies the same rules as every other entry point, through the services."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualReport
        fields = ["institution", "year", *REPORT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            # Typed as on the year sheet: plain digits, or grouped as the
            # reader's language groups them (1.234 in Vietnamese).
            model_field = AnnualReport._meta.get_field(name)
            self.fields[name] = CountField(
                label=capfirst(model_field.verbose_name),
                help_text=model_field.help_text,
            )
        if self.instance.pk:
            # The stored version, also when reverting to an old one from the
            # history: the save must start from what is stored now.
            self.fields["expected_version"].initial = (
                AnnualReport.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.fields["institution"].disabled = True
            self.fields["year"].disabled = True

    def clean(self):
        cleaned = super().clean()
        institution, year = cleaned.get("institution"), cleaned.get("year")
        if self.instance.pk:
            current = AnnualReport.objects.get(pk=self.instance.pk)
            if current.is_locked:
                raise forms.ValidationError(
                    _("This report is approved and locked; reopen it first.")
                )
            # The version the page was opened with is required: without it a
            # save could overwrite newer values unseen.
            if cleaned.get("expected_version") != current.version:
                raise forms.ValidationError(
                    _("Someone else saved this report after you opened it. Reload.")
                )
        if institution and year:
            # The checks of every entry point (values, the reporting period's
            # dates); who may write and the version are checked on saving.
            values = {name: cleaned.get(name) for name in REPORT_FIELDS}
            (check,) = reports_check(
                user=None, entries=[ReportEntry(institution, year, values)]
            )
            for name, message in check.errors.items():
                self.add_error(name if name in self.fields else None, message)
        return cleaned


@admin.register(AnnualReport)
class AnnualReportAdmin(ChangeReasonAdminMixin, NumbersAdminMixin, SimpleHistoryAdmin):
    form = AnnualReportAdminForm
    list_display = ["institution", "year", "status", "updated_at", "updated_by"]
    list_filter = ["status", "year", "institution__category", "institution__province"]
    search_fields = ["institution__code", "institution__name_search"]
    autocomplete_fields = ["institution"]
    readonly_fields = ["status", "version", "warnings", "updated_at", "updated_by"]
    inlines = [ReportTransitionInline]

    def save_model(self, request, obj, form, change):
        saved = report_save(
            user=request.user,
            institution=form.cleaned_data["institution"],
            year=form.cleaned_data["year"],
            values={name: form.cleaned_data.get(name) for name in REPORT_FIELDS},
            # A new report starts from none (version 0); a change from the
            # version the form was opened with, which clean() requires.
            expected_version=form.cleaned_data["expected_version"] if change else 0,
            status=obj.status if change else ReportStatus.DRAFT,
            reason=form.cleaned_data.get("change_reason", ""),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SheetReturn)
class SheetReturnAdmin(NumbersAdminMixin, admin.ModelAdmin):
    """Whole sheets returned by the ministry: a record, read only."""

    list_display = ["returned_at", "province", "year", "category", "reports"]
    list_filter = ["province"]
    fields = [
        "province",
        "year",
        "category",
        "comment",
        "reports",
        "returned_by",
        "returned_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
