"""Reads of the review console: one province's year as a whole, every
submitted report grouped by category with what changed since its last
approval (old → new, read from its history), its warnings and their
explanations. A page runs a constant number of queries (the views are in
:mod:`reports.entry.review`)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, When

from institutions.models import Category
from lifelong_learning.history import FieldChange, history_changes
from lifelong_learning.pagination import BoundedPaginator
from reports.entry.models import AnnualReport, ReportStatus
from targets.indicators import REPORT_FIELDS

CONSOLE_PAGE_SIZE = 100
# A confirmation names at most this many chosen reports (a page's worth).
CHOSEN_MAX = CONSOLE_PAGE_SIZE


@dataclass
class ConsoleReport:
    """A submitted report with its changes since the last approval; a report
    never approved has ``approved_at`` None and its values as changes from
    nothing."""

    report: AnnualReport
    changes: list[FieldChange]
    approved_at: datetime | None

    @property
    def is_new(self) -> bool:
        return self.approved_at is None


@dataclass
class ConsoleGroup:
    """The submitted reports of one category on a page of the console."""

    category: str
    items: list[ConsoleReport] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Category(self.category).label


def _category_order() -> Case:
    return Case(
        *[
            When(institution__category=value, then=position)
            for position, value in enumerate(Category.values)
        ],
        output_field=IntegerField(),
    )


def console_reports(
    *, province_code: str, year: int, category: str | None = None
) -> QuerySet[AnnualReport]:
    """The submitted reports of a province and year (optionally of one
    category), by category in the order of the programme, then by name."""
    reports = AnnualReport.objects.filter(
        institution__province_id=province_code,
        year=year,
        status=ReportStatus.SUBMITTED,
    )
    if category:
        reports = reports.filter(institution__category=category)
    return reports.select_related("institution", "updated_by").order_by(
        _category_order(), "institution__name_sort", "institution__code"
    )


def reports_chosen(
    *, province_code: str, year: int, pks: list[int]
) -> list[AnnualReport]:
    """The submitted reports among ``pks`` of a province and year."""
    return list(
        console_reports(province_code=province_code, year=year).filter(
            pk__in=pks[:CHOSEN_MAX]
        )
    )


def _with_records(reports: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    records = AnnualReport.history.model.objects.filter(id=OuterRef("pk")).order_by(
        "-history_date", "-history_id"
    )
    return reports.annotate(
        latest_record=Subquery(records.values("history_id")[:1]),
        approved_record=Subquery(
            records.filter(status=ReportStatus.APPROVED).values("history_id")[:1]
        ),
    )


def console_items(reports: list[AnnualReport]) -> list[ConsoleReport]:
    """Each report (annotated by :func:`console_page`) with its changes since
    its last approved history record (one query)."""
    wanted = {
        pk
        for report in reports
        for pk in (report.latest_record, report.approved_record)
        if pk is not None
    }
    records = {
        record.history_id: record
        for record in AnnualReport.history.model.objects.filter(history_id__in=wanted)
    }
    items = []
    for report in reports:
        latest = records.get(report.latest_record)
        approved = records.get(report.approved_record)
        changes = (
            history_changes(latest, approved, include=REPORT_FIELDS)
            if latest is not None
            else []
        )
        items.append(
            ConsoleReport(
                report=report,
                changes=changes,
                approved_at=approved.history_date if approved is not None else None,
            )
        )
    return items


def console_page(
    *, province_code: str, year: int, page_number=None
) -> tuple[Page, list[ConsoleGroup]]:
    """A page of the console: the submitted reports, grouped by category
    (three queries: count, page, history records)."""
    page = BoundedPaginator(
        _with_records(console_reports(province_code=province_code, year=year)),
        CONSOLE_PAGE_SIZE,
    ).get_page(page_number)
    groups: list[ConsoleGroup] = []
    for item in console_items(list(page.object_list)):
        category = item.report.institution.category
        if not groups or groups[-1].category != category:
            groups.append(ConsoleGroup(category=category))
        groups[-1].items.append(item)
    return page, groups
