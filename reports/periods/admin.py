"""The admin of reporting periods: the dates of a year, with each province's
extension inline; every save goes through :mod:`reports.periods.services`
(validated, in history, announced with ``deadlines_changed``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lifelong_learning.history import ChangeReasonAdminMixin
from reports.periods import services
from reports.periods.models import PeriodExtension, ReportingPeriod


class PeriodExtensionInline(admin.TabularInline):
    model = PeriodExtension
    extra = 0
    fields = ["province", "due_on", "closes_on", "reason", "updated_by"]
    readonly_fields = ["updated_by"]
    autocomplete_fields = ["province"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ChangeReasonAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "opens_on", "due_on", "closes_on", "updated_by"]
    fields = ["year", "opens_on", "due_on", "closes_on", "notes", "updated_by"]
    readonly_fields = ["updated_by"]
    inlines = [PeriodExtensionInline]

    def save_model(self, request, obj, form, change):
        saved = services.period_save(
            user=request.user,
            period=obj if change else None,
            year=obj.year,
            opens_on=obj.opens_on,
            due_on=obj.due_on,
            closes_on=obj.closes_on,
            notes=obj.notes,
            reason=form.cleaned_data.get("change_reason", ""),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        extensions = formset.save(commit=False)
        for extension in formset.deleted_objects:
            services.extension_delete(user=request.user, extension=extension)
        for extension in extensions:
            services.extension_save(
                user=request.user,
                period=form.instance,
                extension=extension if extension.pk else None,
                province=extension.province,
                due_on=extension.due_on,
                closes_on=extension.closes_on,
                reason=extension.reason,
            )

    def delete_model(self, request, obj):
        services.period_delete(user=request.user, period=obj)

    def delete_queryset(self, request, queryset):
        for period in queryset:
            services.period_delete(user=request.user, period=period)
