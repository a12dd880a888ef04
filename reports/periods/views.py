"""The ministry's periods page: every data year's dates and extensions, and
the forms that create or change them (writes in :mod:`reports.periods.services`)."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from lifelong_learning.roles import REPORT_REVIEW
from reports.periods import services
from reports.periods.forms import ExtensionForm, PeriodForm
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.selectors import periods_list


class PeriodListView(PermissionRequiredMixin, TemplateView):
    """Ministry staff: the reporting periods, newest first, with extensions."""

    permission_required = REPORT_REVIEW
    template_name = "reports/period_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            periods=periods_list(), today=timezone.localdate(), **kwargs
        )


class _SaveView(PermissionRequiredMixin, FormView):
    """Binds a form, hands it to a service, shows the model's refusals on the
    form."""

    permission_required = REPORT_REVIEW

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("The reporting period was saved."))
        return redirect("reports:periods")


class PeriodFormView(_SaveView):
    """Creates a period, or (given its year) changes its dates."""

    form_class = PeriodForm
    template_name = "reports/period_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "year" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                ReportingPeriod, year=self.kwargs["year"]
            )
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        services.period_save(
            user=self.request.user,
            period=form.instance if form.instance.pk else None,
            year=data["year"],
            opens_on=data["opens_on"],
            due_on=data["due_on"],
            closes_on=data["closes_on"],
            notes=data["notes"],
            reason=data["change_reason"],
        )


class ExtensionFormView(_SaveView):
    """Adds a province's extension to a period, or changes one."""

    form_class = ExtensionForm
    template_name = "reports/period_extension_form.html"

    @cached_property
    def period(self) -> ReportingPeriod:
        return get_object_or_404(ReportingPeriod, year=self.kwargs["year"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["period"] = self.period
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                PeriodExtension, period=self.period, pk=self.kwargs["pk"]
            )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(period=self.period, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        services.extension_save(
            user=self.request.user,
            period=self.period,
            extension=form.instance if form.instance.pk else None,
            province=data["province"],
            due_on=data["due_on"],
            closes_on=data["closes_on"],
            reason=data["reason"],
        )
