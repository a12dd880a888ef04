"""Pages of annual reports: the year sheet and one report, with the steps of
the workflow on them (the review pages are in :mod:`reports.entry.review`, the
upload in :mod:`reports.entry.uploads`).

Officers see and change their own province only (403 elsewhere); ministry staff
see every province and review; administrators do everything.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from institutions.models import Category, Institution
from lifelong_learning.roles import (
    REPORT_CHANGE,
    REPORT_REVIEW,
    REPORT_SUBMIT,
    REPORT_VIEW,
    province_denied,
    user_can_see_province,
    user_can_write_province,
)
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry import services, workflow
from reports.entry.forms import (
    ReportForm,
    ReviewCommentForm,
    SheetFilterForm,
    SheetForm,
)
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.selectors import (
    report_get,
    report_history_entries,
    report_transitions,
    sheet_counts,
    sheet_page,
    sheet_returns_open,
)
from reports.entry.warnings import unexplained_refusal, warnings_unexplained

WARNINGS_SHOWN = 10


def _require_see(user, province_code: str) -> None:
    if not user_can_see_province(user, province_code):
        raise province_denied(user)


def _warning_messages(request, warnings: list[tuple[AnnualReport, str]]) -> None:
    for report, message in warnings[:WARNINGS_SHOWN]:
        messages.warning(
            request,
            _("%(institution)s: %(message)s")
            % {"institution": report.institution.name, "message": message},
        )
    if len(warnings) > WARNINGS_SHOWN:
        messages.warning(
            request,
            _("%(count)s more warnings are shown in the rows of the sheet.")
            % {"count": len(warnings) - WARNINGS_SHOWN},
        )


def sheet_url(
    *,
    province_code: str,
    year: int,
    category: str,
    page=None,
    view="reports:sheet",
    missing: bool = False,
) -> str:
    query = {"year": year, "category": category, "province": province_code}
    if missing:
        query["missing"] = 1
    if page:
        query["page"] = page
    return f"{reverse(view)}?{urlencode(query)}"


# Year sheet --------------------------------------------------------------------


class SheetView(PermissionRequiredMixin, View):
    """The year sheet: every active institution of a category in a province,
    one row each, edited in place a page at a time."""

    permission_required = REPORT_VIEW
    template_name = "reports/annualreport_sheet.html"

    def _scope(self):
        user = self.request.user
        form = SheetFilterForm(self.request.GET, user=user)
        requested = form.requested_province_code
        if requested and not user_can_see_province(user, requested):
            raise province_denied(user)
        if not form.is_valid():
            return form, None
        province = form.cleaned_data["province"]
        if province is None:
            raise PermissionDenied(_("Your account is not bound to a province."))
        _require_see(user, province.code)
        return form, province

    def get(self, request):
        form, province = self._scope()
        if province is None:
            return render(request, self.template_name, {"filter_form": form})
        return self._render(form, province, page_number=request.GET.get("page"))

    def _target(self, permission: str):
        """The sheet asked for (its filter form, province, year, category),
        once the user may act on it with ``permission``."""
        form, province = self._scope()
        if province is None:
            raise Http404
        if not user_can_write_province(self.request.user, province.code, permission):
            raise province_denied(self.request.user, permission)
        return form, province, form.cleaned_data["year"], form.cleaned_data["category"]

    def post(self, request):
        form, province, year, category = self._target(REPORT_CHANGE)
        submit = request.POST.get("action") == "submit"
        page_number = request.GET.get("page")
        page, rows = sheet_page(
            province_code=province.code,
            year=year,
            category=category,
            page_number=page_number,
            missing=form.cleaned_data["missing"],
        )
        sheet = SheetForm(request.POST, rows=rows, year=year)
        if not sheet.is_valid():
            messages.error(request, _("Nothing was saved: correct the marked cells."))
            return self._render(form, province, page=page, sheet=sheet, status=400)
        try:
            result = workflow.report_sheet_save(
                user=request.user,
                province_code=province.code,
                year=year,
                category=category,
                entries=sheet.entries(),
            )
        except services.ReportsRefused as refused:
            sheet.refusal_apply(refused.checks)
            if sheet.conflicts:
                messages.error(
                    request,
                    _(
                        "Nothing was saved: someone else saved some of these reports "
                        "after you opened the sheet. Compare both versions below."
                    ),
                )
            else:
                messages.error(
                    request, _("Nothing was saved: correct the marked cells.")
                )
            return self._render(form, province, page=page, sheet=sheet, status=409)
        written = result.written
        if written.saved or not submit:
            messages.success(
                request,
                _("Saved: %(created)s new and %(updated)s changed reports.")
                % {"created": len(written.created), "updated": len(written.updated)},
            )
        _warning_messages(request, result.warnings)
        url = sheet_url(
            province_code=province.code,
            year=year,
            category=category,
            page=page_number,
            missing=form.cleaned_data["missing"],
        )
        if submit:
            # Nothing is sent before the person has seen what will be sent.
            return redirect(
                sheet_url(
                    province_code=province.code,
                    year=year,
                    category=category,
                    view="reports:sheet_submit",
                )
            )
        return redirect(url)

    def _render(
        self, form, province, *, page_number=None, page=None, sheet=None, status=200
    ):
        user = self.request.user
        year = form.cleaned_data["year"]
        category = form.cleaned_data["category"]
        missing = form.cleaned_data["missing"]
        if page is None:
            page, rows = sheet_page(
                province_code=province.code,
                year=year,
                category=category,
                page_number=page_number,
                missing=missing,
            )
            sheet = SheetForm(rows=rows, year=year)
        can_edit = user_can_write_province(user, province.code, REPORT_CHANGE)
        context = {
            "filter_form": form,
            "province": province,
            "year": year,
            "category": category,
            "category_label": Category(category).label,
            "page_obj": page,
            "sheet": sheet,
            "counts": sheet_counts(
                province_code=province.code, year=year, category=category
            ),
            "can_edit": can_edit,
            "can_submit": user_can_write_province(user, province.code, REPORT_SUBMIT),
            "can_review": user.has_perm(REPORT_REVIEW),
            "sheet_returns": sheet_returns_open(
                province_code=province.code, year=year, category=category
            ),
            "page_query": urlencode(
                {
                    "year": year,
                    "category": category,
                    "province": province.code,
                    **({"missing": 1} if missing else {}),
                }
            ),
        }
        return render(self.request, self.template_name, context, status=status)


class SheetSubmitView(SheetView):
    """Confirms the submission of a year sheet: lists every report that will
    be sent (drafts and returned reports on all pages) and sends exactly
    those, in the versions shown, once the person confirms."""

    template_name = "reports/annualreport_sheet_submit.html"

    def _reports(self, province, year, category):
        return (
            workflow.sheet_reports(
                workflow.SUBMIT,
                province_code=province.code,
                year=year,
                category=category,
            )
            .select_related("institution")
            .order_by("institution__name_sort")
        )

    def get(self, request):
        _form, province, year, category = self._target(REPORT_SUBMIT)
        reports = list(self._reports(province, year, category))
        back = sheet_url(province_code=province.code, year=year, category=category)
        if not reports:
            messages.info(
                request,
                _("Nothing to submit: this sheet has no draft or returned report."),
            )
            return redirect(back)
        unexplained = [r for r in reports if warnings_unexplained(r.warnings)]
        if unexplained:
            messages.error(request, unexplained_refusal(unexplained))
            return redirect(back)
        return render(
            request,
            self.template_name,
            {
                "province": province,
                "year": year,
                "category_label": Category(category).label,
                "reports": reports,
                "selection": workflow.selection_encode(reports),
                "back_url": back,
            },
        )

    def post(self, request):
        _form, province, year, category = self._target(REPORT_SUBMIT)
        back = sheet_url(province_code=province.code, year=year, category=category)
        try:
            count = workflow.report_sheet_submit(
                user=request.user,
                province_code=province.code,
                year=year,
                category=category,
                expected=workflow.selection_decode(request.POST.get("selection")),
            )
        except workflow.SelectionChanged as error:
            messages.error(request, str(error))
            return redirect(request.get_full_path())
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(back)
        messages.success(
            request,
            _("%(count)s reports of the sheet were submitted for review.")
            % {"count": count},
        )
        return redirect(back)


# One report --------------------------------------------------------------------


class ReportPageView(PermissionRequiredMixin, View):
    """One institution's report for one year: the form (or the values, when
    the user may not change them), the warnings, the review actions, every
    transition and the change history. Reached by report (``detail``) or by
    institution and year (``edit``, also before a report exists)."""

    permission_required = REPORT_VIEW
    template_name = "reports/annualreport_detail.html"

    def _target(self) -> tuple[Institution, int, AnnualReport | None]:
        if "pk" in self.kwargs:
            report = get_object_or_404(
                AnnualReport.objects.select_related(
                    "institution__province", "updated_by"
                ),
                pk=self.kwargs["pk"],
            )
            institution, year = report.institution, report.year
        else:
            institution = get_object_or_404(
                Institution.objects.select_related("province"),
                pk=self.kwargs["institution_pk"],
            )
            year = self.kwargs["year"]
            if not YEAR_MIN <= year <= YEAR_MAX:
                raise Http404
            report = None
        _require_see(self.request.user, institution.province_id)
        if report is None:
            report = report_get(institution=institution, year=year)
        return institution, year, report

    def _form(self, institution, year, report, data=None) -> ReportForm:
        return ReportForm(
            data,
            institution=institution,
            year=year,
            report=report,
            previous=report_get(institution=institution, year=year - 1),
        )

    def get(self, request, **kwargs):
        institution, year, report = self._target()
        return self._render(
            institution, year, report, self._form(institution, year, report)
        )

    def post(self, request, **kwargs):
        institution, year, report = self._target()
        user = request.user
        if not user_can_write_province(user, institution.province_id, REPORT_CHANGE):
            raise province_denied(user, REPORT_CHANGE)
        form = self._form(institution, year, report, request.POST.copy())
        submit = request.POST.get("action") == "submit"
        if not form.is_valid():
            return self._render(institution, year, report, form, status=400)
        entry = form.entry()
        try:
            report = services.report_save(
                user=user,
                institution=institution,
                year=year,
                values=entry.values,
                expected_version=entry.expected_version,
                status=ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT,
                reason=form.cleaned_data["reason"],
                explanations=entry.explanations,
            )
        except services.StaleReport as stale:
            form.conflict_show(stale.report)
            messages.error(request, str(stale))
            return self._render(institution, year, stale.report, form, status=409)
        except services.ReportLocked as locked:
            form.add_error(None, str(locked))
            return self._render(institution, year, report, form, status=409)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(form.error_field(name), errors)
            return self._render(institution, year, report, form, status=400)
        if submit:
            messages.success(request, _("The report was saved and submitted."))
        else:
            messages.success(request, _("The report was saved as a draft."))
        _warning_messages(
            request, [(report, warning["message"]) for warning in report.warnings]
        )
        return redirect(report)

    def _render(self, institution, year, report, form, status=200):
        user = self.request.user
        province = institution.province_id
        can_edit = user_can_write_province(user, province, REPORT_CHANGE) and (
            report is None or not report.is_locked
        )
        context = {
            "institution": institution,
            "institution_url": institution.get_absolute_url(),
            "year": year,
            "report": report,
            "form": form,
            "conflict_forms": [form] if form.conflict is not None else [],
            "active": institution.is_active_in(year),
            "can_edit": can_edit,
            "can_submit": can_edit
            and user_can_write_province(user, province, REPORT_SUBMIT),
            "can_review": user.has_perm(REPORT_REVIEW),
            "transitions": report_transitions(report) if report else [],
            "history": report_history_entries(report) if report else [],
            "comment_form": ReviewCommentForm(),
            "sheet_url": sheet_url(
                province_code=province, year=year, category=institution.category
            ),
        }
        return render(self.request, self.template_name, context, status=status)


class ReportActionView(PermissionRequiredMixin, View):
    """A step of the review workflow on one report (POST only)."""

    http_method_names = ["post"]
    needs_comment = False
    # Approvals carry the version the reviewer saw (see workflow.report_approve).
    needs_version = False
    done = ""
    comment_missing = ""

    def service(self, *, user, report, comment, version):
        raise NotImplementedError

    def post(self, request, pk):
        report = get_object_or_404(
            AnnualReport.objects.select_related("institution__province"), pk=pk
        )
        _require_see(request.user, report.institution.province_id)
        comment = ""
        if self.needs_comment:
            form = ReviewCommentForm(request.POST)
            if not form.is_valid():
                messages.error(request, self.comment_missing)
                return redirect(report)
            comment = form.cleaned_data["comment"]
        version = request.POST.get("version", "")
        if self.needs_version and not version.isdigit():
            messages.error(
                request, _("Open the report again and approve what you see.")
            )
            return redirect(report)
        try:
            self.service(
                user=request.user,
                report=report,
                comment=comment,
                version=int(version) if version.isdigit() else None,
            )
        except workflow.SelectionChanged as error:
            messages.error(request, str(error))
            return redirect(report)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(report)
        messages.success(request, self.done)
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            return redirect(next_url)
        return redirect(report)


class ReportSubmitView(ReportActionView):
    permission_required = REPORT_SUBMIT
    done = gettext_lazy("The report was submitted for review.")

    def service(self, *, user, report, comment, version):
        workflow.report_submit(user=user, report=report)


class ReportApproveView(ReportActionView):
    permission_required = REPORT_REVIEW
    done = gettext_lazy("The report was approved; it is now locked.")
    needs_version = True

    def service(self, *, user, report, comment, version):
        workflow.report_approve(user=user, report=report, expected_version=version)


class ReportReturnView(ReportActionView):
    permission_required = REPORT_REVIEW
    needs_comment = True
    done = gettext_lazy("The report was returned to the province.")
    comment_missing = gettext_lazy("Say what needs to be corrected.")

    def service(self, *, user, report, comment, version):
        workflow.report_return(user=user, report=report, comment=comment)


class ReportReopenView(ReportActionView):
    permission_required = REPORT_REVIEW
    needs_comment = True
    done = gettext_lazy("The report was reopened and returned to the province.")
    comment_missing = gettext_lazy("Give the reason for reopening.")

    def service(self, *, user, report, comment, version):
        workflow.report_reopen(user=user, report=report, reason=comment)
