"""The upload of annual reports: step 1 (the template and the file), step 2
(the preview, then all or nothing), and the template download."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from institutions.models import Province
from institutions.uploads import (
    row_errors_response,
    upload_discard,
    upload_get,
    upload_result,
    upload_store,
)
from lifelong_learning.roles import (
    province_denied,
    user_can_write_province,
    user_province,
)
from lifelong_learning.uploads import file_response
from reports.entry import services
from reports.entry.exports import report_template_write
from reports.entry.formats import COLUMN_LABELS
from reports.entry.forms import (
    ReportUploadForm,
    SheetFilterForm,
)
from reports.entry.imports import reports_import
from reports.entry.models import ReportStatus
from reports.entry.views import sheet_url

VIEW = "reports.view_annualreport"
WARNINGS_SHOWN = 10
PREVIEW_ROWS = 20


class UploadMixin(PermissionRequiredMixin):
    permission_required = services.CHANGE

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
        if not user_can_write_province(user, province.code, services.CHANGE):
            raise province_denied(user, services.CHANGE)
        return province


class UploadView(UploadMixin, FormView):
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
        token = upload_store(
            session=self.request.session, upload=form.cleaned_data["file"]
        )
        url = reverse("reports:upload_preview", kwargs={"token": token})
        return redirect(f"{url}?{urlencode({'status': form.cleaned_data['status']})}")


class UploadPreviewView(UploadMixin, View):
    """Step 2: what the file would change, every error and warning; step 3
    (POST): write it all."""

    template_name = "reports/annualreport_upload_preview.html"

    def _upload(self, token):
        upload = upload_get(session=self.request.session, token=token)
        if upload is None:
            raise Http404
        return upload

    def _status(self, source) -> str:
        status = source.get("status", ReportStatus.DRAFT)
        if status not in (ReportStatus.DRAFT, ReportStatus.SUBMITTED):
            raise Http404
        return status

    def _checked(self, path, name, status):
        """The dry run, once per upload, status and language (kept with it)."""
        return upload_result(
            path=path,
            key=f"{status}-{get_language()}",
            compute=lambda: reports_import(
                path=path,
                user=self.request.user,
                status=status,
                dry_run=True,
                preview_limit=PREVIEW_ROWS,
                source=name,
            ),
        )

    def get(self, request, token):
        path, name = self._upload(token)
        status = self._status(request.GET)
        result = self._checked(path, name, status)
        if request.GET.get("errors") == "csv":
            return row_errors_response(errors=result.errors, file_name=name)
        return self._render(token, name, status, result)

    def post(self, request, token):
        path, name = self._upload(token)
        status = self._status(request.POST)
        checked = self._checked(path, name, status)
        if not checked.ok:
            # The same file is refused again, without reading it again.
            return self._render(token, name, status, checked, http_status=400)
        result = reports_import(
            path=path, user=request.user, status=status, source=name
        )
        if not result.ok:
            return self._render(token, name, status, result, http_status=400)
        upload_discard(session=request.session, token=token)
        messages.success(
            request,
            _("Imported %(file)s: %(summary)s.")
            % {"file": name, "summary": result.summary()},
        )
        for warning in result.warnings[:WARNINGS_SHOWN]:
            # The warning names its field in words; the row is what to add.
            messages.warning(
                request,
                _("row %(row)s: %(message)s")
                % {"row": warning.row, "message": warning.message},
            )
        if not result.sheets:
            return redirect("reports:sheet")
        # The sheet of the file's rows (the one with most rows when it spans
        # several), so the officer sees what was just uploaded.
        province_code, year, category = max(
            result.sheets, key=lambda sheet: result.sheets[sheet]
        )
        if len(result.sheets) > 1:
            messages.info(
                request,
                _("The file covered %(count)s year sheets; this is the largest.")
                % {"count": len(result.sheets)},
            )
        return redirect(
            sheet_url(province_code=province_code, year=year, category=category)
        )

    def _render(self, token, name, status, result, http_status=200):
        return render(
            self.request,
            self.template_name,
            {
                "token": token,
                "file_name": name,
                "status": status,
                "status_label": ReportStatus(status).label,
                "result": result,
                "column_labels": COLUMN_LABELS,
            },
            status=http_status,
        )


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
