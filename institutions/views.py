"""Pages of the institution registry: list, detail, create, edit, close,
export and import."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from jobs.models import ImportKind
from jobs.uploads import JobUploadPreviewView
from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import (
    province_denied,
    user_can_see_province,
    user_can_write_province,
)
from lifelong_learning.tabular import CSV, XLSX
from lifelong_learning.uploads import (
    UploadFormView,
    file_response,
)

from . import imports, services
from .exports import institution_template_write, institutions_export
from .filters import InstitutionFilterSet
from .formats import COLUMN_LABELS
from .forms import InstitutionCloseForm, InstitutionForm, InstitutionImportForm
from .models import Category, Institution
from .selectors import (
    commune_list,
    institution_category_counts,
    institution_history_entries,
    institution_visible_list,
)
from .tables import InstitutionTable
from .tasks import institutions_check_job, institutions_import_job

VIEW = "institutions.view_institution"
# Named, not imported: the registry sits below the reports app.


class InstitutionFilterMixin:
    def get_queryset(self):
        return institution_visible_list(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs


class InstitutionListView(
    PermissionRequiredMixin, InstitutionFilterMixin, SingleTableMixin, FilterView
):
    permission_required = VIEW
    filterset_class = InstitutionFilterSet
    table_class = InstitutionTable
    table_pagination = {"per_page": 50, "paginator_class": BoundedPaginator}
    template_name = "institutions/institution_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = self.filterset.qs
        counts = institution_category_counts(queryset)
        user = self.request.user
        query = self.request.GET.copy()
        for key in ("page", "sort"):
            query.pop(key, None)
        context.update(
            category_counts=counts,
            total=sum(item["count"] for item in counts),
            filter_query=query.urlencode(),
            filters_active=any(
                self.request.GET.get(name) for name in self.filterset.filters
            ),
            can_add=user.has_perm(services.ADD),
            can_import=user.has_perm(services.ADD) and user.has_perm(services.CHANGE),
        )
        return context


class InstitutionExportView(PermissionRequiredMixin, InstitutionFilterMixin, View):
    """The current filter of the list as a CSV or XLSX file."""

    permission_required = VIEW

    def get(self, request, file_format):
        if file_format not in (CSV, XLSX):
            raise Http404
        queryset = self.get_queryset()
        filterset = InstitutionFilterSet(
            request.GET, queryset=queryset, user=request.user
        )
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        filename = f"institutions-{date.today():%Y%m%d}.{file_format}"
        return file_response(
            f".{file_format}",
            lambda path: institutions_export(queryset=rows, path=path),
            filename,
        )


class InstitutionDetailView(PermissionRequiredMixin, DetailView):
    permission_required = VIEW
    template_name = "institutions/institution_detail.html"
    queryset = Institution.objects.select_related(
        "province", "commune", "former_province__province"
    )

    def get_object(self, queryset=None):
        institution = super().get_object(queryset)
        if not user_can_see_province(self.request.user, institution.province_id):
            raise province_denied(self.request.user)
        return institution

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        institution = self.object
        user = self.request.user
        context.update(
            history=institution_history_entries(institution),
            can_change=user_can_write_province(
                user, institution.province_id, services.CHANGE
            ),
        )
        return context


class InstitutionCreateView(PermissionRequiredMixin, CreateView):
    permission_required = services.ADD
    form_class = InstitutionForm
    template_name = "institutions/institution_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, permission=services.ADD)
        return kwargs

    def form_valid(self, form):
        try:
            self.object = services.institution_create(
                user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Institution %(name)s added.") % {"name": self.object}
        )
        return redirect(self.object)


class InstitutionWriteMixin(PermissionRequiredMixin):
    """Only users who may change institutions of the object's province."""

    permission_required = services.CHANGE
    model = Institution

    def get_object(self, queryset=None):
        institution = super().get_object(queryset)
        if not user_can_write_province(
            self.request.user, institution.province_id, services.CHANGE
        ):
            raise province_denied(self.request.user, services.CHANGE)
        return institution

    def stored(self) -> Institution:
        """The institution as saved (the form changes its instance while
        validating)."""
        return Institution.objects.get(pk=self.object.pk)


class InstitutionUpdateView(InstitutionWriteMixin, UpdateView):
    form_class = InstitutionForm
    template_name = "institutions/institution_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, permission=services.CHANGE)
        return kwargs

    def form_valid(self, form):
        data = {
            name: value for name, value in form.cleaned_data.items() if name != "code"
        }
        try:
            self.object = services.institution_update(
                institution=self.stored(), user=self.request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Institution %(name)s saved.") % {"name": self.object}
        )
        return redirect(self.object)


class InstitutionCloseView(InstitutionWriteMixin, UpdateView):
    form_class = InstitutionCloseForm
    template_name = "institutions/institution_close.html"

    def form_valid(self, form):
        try:
            self.object = services.institution_close(
                institution=self.stored(),
                closed_year=form.cleaned_data["closed_year"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Institution %(name)s closed from %(year)s.")
            % {"name": self.object, "year": self.object.closed_year},
        )
        return redirect(self.object)


class CommuneOptionsView(LoginRequiredMixin, View):
    """The communes of a province, for the commune drop-down lists."""

    def get(self, request):
        communes = commune_list(province_code=request.GET.get("province"))
        return JsonResponse(
            {"communes": [[c.code, f"{c.name} ({c.code})"] for c in communes]}
        )


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = (services.ADD, services.CHANGE)


class InstitutionImportView(ImportPermissionMixin, UploadFormView):
    """Step 1: upload a file."""

    form_class = InstitutionImportForm
    template_name = "institutions/institution_import.html"
    extra_context = {
        "column_labels": COLUMN_LABELS,
        "categories": Category.choices,
    }

    def preview_url(self, token, form):
        return reverse("institutions:import-preview", kwargs={"token": token})


class InstitutionImportPreviewView(ImportPermissionMixin, JobUploadPreviewView):
    """Step 2: what the file would change, and its errors (checked on the
    worker); step 3: write it all, on the worker."""

    template_name = "institutions/institution_import_preview.html"
    job_kind = ImportKind.INSTITUTIONS
    job_task = institutions_import_job
    check_task = institutions_check_job

    def check(self, path, name):
        return imports.institutions_import(
            path=path, user=self.request.user, dry_run=True
        )

    def get_context_data(self, **context):
        return {**context, "column_labels": COLUMN_LABELS}


class InstitutionTemplateView(PermissionRequiredMixin, View):
    """The XLSX import template."""

    permission_required = VIEW

    def get(self, request):
        return file_response(
            ".xlsx", institution_template_write, "institutions-template.xlsx"
        )
