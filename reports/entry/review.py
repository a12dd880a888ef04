"""The review pages of ministry staff: what awaits review, by province and
year; one province's sheet of a year, approved all at once or returned with a
comment; the review console of a province's year (chosen reports, a category
or the province approved after a confirmation, chosen reports returned each
with its comment); and replies in a report's comment thread (the steps on one
report are in :mod:`reports.entry.views`)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from institutions.models import Category, Province
from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import (
    REPORT_REVIEW,
    REPORT_VIEW,
    province_denied,
    user_can_see_province,
)
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry import comments, workflow
from reports.entry.console import (
    CHOSEN_MAX,
    console_page,
    console_reports,
    reports_chosen,
)
from reports.entry.forms import ReviewCommentForm
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.selectors import (
    REVIEW_PAGE_SIZE,
    report_years,
    review_queue,
    review_sheet_counts,
    review_sheet_reports,
)


class ReviewView(PermissionRequiredMixin, TemplateView):
    """Ministry staff: reports by province and year, with what awaits review."""

    permission_required = REPORT_REVIEW
    template_name = "reports/annualreport_review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = report_years()
        chosen = self.request.GET.get("year")
        if chosen is None:  # the latest year first; "" asks for every year
            selected = years[:1]
        elif chosen.isascii() and chosen.isdigit() and int(chosen) in years:
            selected = [int(chosen)]
        else:
            selected = years
        waiting_only = self.request.GET.get("waiting") == "1"
        context.update(
            years=years,
            year=selected[0] if len(selected) == 1 else None,
            waiting_only=waiting_only,
            rows=review_queue(years=selected, waiting_only=waiting_only),
        )
        return context


class ReviewSheetView(PermissionRequiredMixin, View):
    """Ministry staff: the reports of one province and year (optionally one
    category), approved all at once or returned with a comment."""

    permission_required = REPORT_REVIEW
    template_name = "reports/annualreport_review_sheet.html"

    def _scope(self, province_code, year):
        province = get_object_or_404(Province, code=province_code)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise Http404
        category = self.request.GET.get("category") or None
        if category is not None and category not in Category.values:
            raise Http404
        return province, category

    def get(self, request, province, year):
        province, category = self._scope(province, year)
        return self._render(province, year, category, ReviewCommentForm())

    def _query(self, *drop: str, **add: str) -> str:
        """This page's query string without the ``drop`` parameters (and the
        confirmation), with ``add``."""
        query = self.request.GET.copy()
        for name in (*drop, "confirm"):
            query.pop(name, None)
        for name, value in add.items():
            query[name] = value
        return query.urlencode()

    def _without_confirm(self) -> str:
        query = self._query()
        return f"{self.request.path}?{query}" if query else self.request.path

    def post(self, request, province, year):
        province, category = self._scope(province, year)
        action = request.POST.get("action")
        options = {
            "user": request.user,
            "province_code": province.code,
            "year": year,
            "category": category,
        }
        if action == "approve":
            # Approves exactly the reports, in the versions, the reviewer was
            # shown on the confirmation.
            selection = request.POST.get("selection")
            if not selection:
                messages.error(request, _("Confirm the list of reports to approve."))
                return redirect(self._without_confirm())
            try:
                count = workflow.report_sheet_approve(
                    expected=workflow.selection_decode(selection), **options
                )
            except workflow.SelectionChanged as error:
                messages.error(request, str(error))
                return redirect(request.get_full_path())
            messages.success(
                request,
                _("%(count)s submitted reports were approved.") % {"count": count},
            )
            return redirect(self._without_confirm())
        elif action == "return":
            form = ReviewCommentForm(request.POST)
            if not form.is_valid():
                return self._render(province, year, category, form, status=400)
            count = workflow.report_sheet_return(
                comment=form.cleaned_data["comment"], **options
            )
            messages.success(
                request,
                _("%(count)s submitted reports were returned to the province.")
                % {"count": count},
            )
        else:
            raise Http404
        return redirect(request.get_full_path())

    def _render(self, province, year, category, form, status=200):
        reports = review_sheet_reports(
            province_code=province.code,
            year=year,
            category=category,
            status=self.request.GET.get("status") or None,
        )
        page = BoundedPaginator(reports, REVIEW_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        categories = review_sheet_counts(province_code=province.code, year=year)
        submitted = sum(
            item.counts.submitted
            for item in categories
            if category is None or item.category == category
        )
        to_approve = None
        if self.request.GET.get("confirm") == "approve" and submitted:
            to_approve = list(
                workflow.sheet_reports(
                    workflow.APPROVE,
                    province_code=province.code,
                    year=year,
                    category=category,
                )
                .select_related("institution")
                .order_by("institution__name_sort")
            )
        context = {
            "to_approve": to_approve,
            "selection": workflow.selection_encode(to_approve or []),
            "confirm_query": self._query("page", confirm="approve"),
            "province": province,
            "year": year,
            "category": category,
            "category_label": Category(category).label if category else None,
            "categories": categories,
            "page_obj": page,
            "submitted": submitted,
            "comment_form": form,
            "status": self.request.GET.get("status") or "",
            "statuses": ReportStatus.choices,
            "page_query": self._query("page"),
        }
        return render(self.request, self.template_name, context, status=status)


# The review console ------------------------------------------------------------


def _ids(values: list[str]) -> list[int]:
    """The report ids of a query or form, ignoring what is no id."""
    return [int(value) for value in values if value.isascii() and value.isdigit()][
        :CHOSEN_MAX
    ]


class ConsoleMixin(PermissionRequiredMixin):
    """Ministry staff: one province's year, its submitted reports."""

    permission_required = REPORT_REVIEW

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = kwargs["year"]
        self.console_url = reverse(
            "reports:review_console", args=[kwargs["province"], self.year]
        )

    def province(self) -> Province:
        province = get_object_or_404(Province, code=self.kwargs["province"])
        if not YEAR_MIN <= self.year <= YEAR_MAX:
            raise Http404
        return province

    def context(self, province, **extra) -> dict:
        return {
            "province": province,
            "year": self.year,
            "console_url": self.console_url,
            "sheet_url": reverse(
                "reports:review_sheet", args=[province.code, self.year]
            ),
            **extra,
        }


class ReviewConsoleView(ConsoleMixin, View):
    """The review console: every submitted report of a province's year by
    category, with its changes since the last approval and its warnings;
    chosen reports, a category or the province go to a confirmation."""

    template_name = "reports/annualreport_review_console.html"

    def get(self, request, province, year):
        province = self.province()
        page, groups = console_page(
            province_code=province.code,
            year=year,
            page_number=request.GET.get("page"),
        )
        categories = [
            item
            for item in review_sheet_counts(province_code=province.code, year=year)
            if item.counts.submitted
        ]
        context = self.context(
            province,
            page_obj=page,
            groups=groups,
            categories=categories,
            waiting=sum(item.counts.submitted for item in categories),
            page_query="",
        )
        return render(request, self.template_name, context)


class ConsoleApproveView(ConsoleMixin, View):
    """Confirms an approval that names what will be approved (the chosen
    reports, a category or the whole province) and approves exactly those
    reports, in the versions shown."""

    template_name = "reports/annualreport_review_console_confirm.html"

    def _scope(self, province) -> tuple[str, str | None, list]:
        """What the query asks to approve: ``chosen`` reports, a
        ``category`` or the whole ``province``, and its submitted reports."""
        query = self.request.GET
        category = query.get("category") or None
        if category is not None:
            if category not in Category.values:
                raise Http404
            reports = console_reports(
                province_code=province.code, year=self.year, category=category
            )
            return "category", category, list(reports)
        if query.get("all") == "1":
            reports = console_reports(province_code=province.code, year=self.year)
            return "province", None, list(reports)
        chosen = reports_chosen(
            province_code=province.code,
            year=self.year,
            pks=_ids(query.getlist("report")),
        )
        return "chosen", None, chosen

    def get(self, request, province, year):
        province = self.province()
        scope, category, reports = self._scope(province)
        if not reports:
            messages.info(request, _("Choose the submitted reports to approve."))
            return redirect(self.console_url)
        context = self.context(
            province,
            scope=scope,
            category_label=Category(category).label if category else None,
            reports=reports,
            selection=workflow.selection_encode(reports),
        )
        return render(request, self.template_name, context)

    def post(self, request, province, year):
        province = self.province()
        scope, category, _reports = self._scope(province)
        selection = request.POST.get("selection")
        if not selection:
            messages.error(request, _("Confirm the list of reports to approve."))
            return redirect(self.console_url)
        options = {"user": request.user, "province_code": province.code, "year": year}
        try:
            expected = workflow.selection_decode(selection)
            if scope == "chosen":
                count = workflow.reports_approve(expected=expected, **options)
            else:
                count = workflow.report_sheet_approve(
                    category=category, expected=expected, **options
                )
        except workflow.SelectionChanged as error:
            messages.error(request, str(error))
            return redirect(request.get_full_path())
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(self.console_url)
        messages.success(
            request,
            _("%(count)s submitted reports were approved.") % {"count": count},
        )
        return redirect(self.console_url)


class ConsoleReturnView(ConsoleMixin, View):
    """Returns the chosen reports to the province, each with its own comment
    (a box per report; an empty one is refused naming the institution)."""

    template_name = "reports/annualreport_review_console_return.html"

    def _render(self, province, reports, *, comments=None, errors=None, status=200):
        comments = comments or {}
        errors = errors or {}
        rows = [
            {
                "report": report,
                "comment": comments.get(report.pk, ""),
                "errors": errors.get(str(report.pk), []),
            }
            for report in reports
        ]
        context = self.context(
            province,
            rows=rows,
            has_errors=bool(errors),
            selection=workflow.selection_encode(reports),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, province, year):
        province = self.province()
        reports = reports_chosen(
            province_code=province.code,
            year=year,
            pks=_ids(request.GET.getlist("report")),
        )
        if not reports:
            messages.info(request, _("Choose the submitted reports to return."))
            return redirect(self.console_url)
        return self._render(province, reports)

    def post(self, request, province, year):
        province = self.province()
        try:
            expected = workflow.selection_decode(request.POST.get("selection"))
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(self.console_url)
        if not expected:
            messages.error(request, _("Choose the submitted reports to return."))
            return redirect(self.console_url)
        comments = {pk: request.POST.get(f"comment-{pk}", "") for pk in expected}
        try:
            count = workflow.reports_return(
                user=request.user,
                province_code=province.code,
                year=year,
                expected=expected,
                comments=comments,
            )
        except workflow.SelectionChanged as error:
            messages.error(request, str(error))
            return redirect(self.console_url)
        except ValidationError as error:
            reports = reports_chosen(
                province_code=province.code, year=year, pks=list(expected)
            )
            return self._render(
                province,
                reports,
                comments=comments,
                errors=error.message_dict,
                status=400,
            )
        messages.success(
            request,
            _("%(count)s reports were returned to the province, each with its comment.")
            % {"count": count},
        )
        return redirect(self.console_url)


# The comment thread of a report ---------------------------------------------------


class ReportCommentView(PermissionRequiredMixin, View):
    """A reply in a report's comment thread (POST only): the province's
    officers and ministry staff, while the report is returned or sent again."""

    permission_required = REPORT_VIEW
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(
            AnnualReport.objects.select_related("institution"), pk=pk
        )
        if not user_can_see_province(request.user, report.institution.province_id):
            raise province_denied(request.user)
        try:
            comments.report_comment_add(
                user=request.user, report=report, body=request.POST.get("body", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your reply was added to the thread."))
        return redirect(f"{report.get_absolute_url()}#thread")
