"""The review pages of ministry staff: what awaits review, by province and
year, and one province's sheet of a year, approved all at once or returned
with a comment (the steps on one report are in :mod:`reports.entry.views`)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from institutions.models import Category, Province
from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import REPORT_REVIEW
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry import workflow
from reports.entry.forms import ReviewCommentForm
from reports.entry.models import ReportStatus
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
