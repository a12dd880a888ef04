"""The upload of annual reports: step 1 (the template and the file), step 2
(the preview, then all or nothing), and the template download."""

from functools import cached_property

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views import View

from institutions.models import Province
from jobs.models import ImportKind
from jobs.uploads import JobUploadPreviewView
from lifelong_learning.roles import (
    REPORT_CHANGE,
    province_denied,
    user_can_write_province,
    user_province,
)
from lifelong_learning.uploads import UploadFormView, file_response
from reports.entry.exports import report_template_write
from reports.entry.formats import COLUMN_LABELS
from reports.entry.forms import (
    ReportUploadForm,
    SheetFilterForm,
)
from reports.entry.imports import reports_import
from reports.entry.models import ReportStatus
from reports.entry.tasks import PREVIEW_ROWS, reports_check_job, reports_import_job


class UploadMixin(PermissionRequiredMixin):
    permission_required = REPORT_CHANGE

    def upload_province(self) -> Province:
        """The province of the upload page and template: the officer's own;
        another province asked for in the address is refused."""
        user = self.request.user
        code = self.request.GET.get("province")
        own = user_province(user)
        if code:
            province = get_object_or_404(Province, code=code)
        elif own is not None:
            province = own
        else:
            province = Province.objects.order_by("name_sort").first()
        if not user_can_write_province(user, province.code, REPORT_CHANGE):
            raise province_denied(user, REPORT_CHANGE)
        return province


class UploadView(UploadMixin, UploadFormView):
    """Step 1: the template to download, and the file to upload."""

    form_class = ReportUploadForm
    template_name = "reports/annualreport_upload.html"
    extra_context = {"column_labels": COLUMN_LABELS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province = self.upload_province()
        context.update(
            province=province,
            template_form=SheetFilterForm(self.request.GET, user=self.request.user),
            own_province=user_province(self.request.user),
        )
        return context

    def form_valid(self, form):
        self.upload_province()
        return super().form_valid(form)

    def preview_url(self, token, form):
        url = reverse("reports:upload_preview", kwargs={"token": token})
        return f"{url}?{urlencode({'status': form.cleaned_data['status']})}"


class UploadPreviewView(UploadMixin, JobUploadPreviewView):
    """Step 2: what the file would change, every error and warning (checked
    on the worker); step 3 (POST): write it all with the status asked for,
    on the worker."""

    template_name = "reports/annualreport_upload_preview.html"
    refused_status = 400
    job_kind = ImportKind.REPORTS
    job_task = reports_import_job
    check_task = reports_check_job

    @cached_property
    def status(self) -> str:
        source = (
            self.request.POST if self.request.method == "POST" else self.request.GET
        )
        status = source.get("status", ReportStatus.DRAFT)
        if status not in (ReportStatus.DRAFT, ReportStatus.SUBMITTED):
            raise Http404
        return status

    def check_key(self):
        return f"{self.status}-{get_language()}"

    def check(self, path, name):
        return reports_import(
            path=path,
            user=self.request.user,
            status=self.status,
            dry_run=True,
            preview_limit=PREVIEW_ROWS,
            source=name,
        )

    def job_options(self):
        return {"status": self.status}

    def get_context_data(self, **context):
        return {
            **context,
            "status": self.status,
            "status_label": ReportStatus(self.status).label,
            "column_labels": COLUMN_LABELS,
        }


class UploadTemplateView(UploadMixin, View):
    """The XLSX template of a year sheet, pre-filled with its institutions."""

    def get(self, request):
        province = self.upload_province()
        form = SheetFilterForm(request.GET, user=request.user)
        if not form.is_valid():
            raise Http404
        year = form.cleaned_data["year"]
        category = form.cleaned_data["category"]
        filename = f"reports-{province.code}-{year}-{category}.xlsx"
        return file_response(
            ".xlsx",
            lambda path: report_template_write(
                path=path, province_code=province.code, year=year, category=category
            ),
            filename,
        )
