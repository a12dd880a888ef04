"""Reads of annual reports: the year sheet, the review queue, a report's page
and the export. Every function runs a constant number of queries, whatever the
number of institutions or reports."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from institutions.activity import active_q
from institutions.models import Category, Institution, Province
from lifelong_learning.history import change_reason_label, history_changes
from lifelong_learning.pagination import BoundedPaginator
from reports.entry.models import (
    AnnualReport,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from targets.indicators import REPORT_FIELDS, applicable_fields

SHEET_PAGE_SIZE = 25
# The statuses in which an institution has reported for the year.
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
REVIEW_PAGE_SIZE = 50
EXPORT_CHUNK_SIZE = 2000

# Year sheet ------------------------------------------------------------------


@dataclass
class SheetRow:
    """One institution of a year sheet: its report for the year (if any),
    last year's report (if any), and the fields that apply to it."""

    institution: Institution
    report: AnnualReport | None
    previous: AnnualReport | None
    fields: tuple[str, ...]

    @property
    def version(self) -> int:
        return self.report.version if self.report is not None else 0

    @property
    def locked(self) -> bool:
        return self.report is not None and self.report.is_locked


def sheet_fields(category: str) -> tuple[str, ...]:
    """The fields of a category's sheet, in the column order of formats.md."""
    applicable = applicable_fields(category)
    return tuple(name for name in REPORT_FIELDS if name in applicable)


def sheet_institutions(
    *, province_code: str, year: int, category: str, missing: bool = False
) -> QuerySet[Institution]:
    """The institutions of a year sheet: those of the category in the province
    that are active in the year, in Vietnamese alphabetical order; with
    ``missing``, only those without a submitted or approved report (the
    reminders link there)."""
    institutions = Institution.objects.filter(
        province_id=province_code, category=category
    ).active_in(year)
    if missing:
        institutions = institutions.exclude(
            Exists(
                AnnualReport.objects.filter(
                    institution=OuterRef("pk"), year=year, status__in=REPORTED
                )
            )
        )
    return institutions.select_related("province").order_by("name_sort", "code")


def sheet_page(
    *,
    province_code: str,
    year: int,
    category: str,
    page_number=1,
    per_page: int = SHEET_PAGE_SIZE,
    missing: bool = False,
) -> tuple[Page, list[SheetRow]]:
    """One page of a year sheet (three queries: count, page, reports)."""
    paginator = BoundedPaginator(
        sheet_institutions(
            province_code=province_code, year=year, category=category, missing=missing
        ),
        per_page,
    )
    page = paginator.get_page(page_number)
    institutions = list(page.object_list)
    reports = {
        (report.institution_id, report.year): report
        for report in AnnualReport.objects.filter(
            institution__in=institutions, year__in=(year, year - 1)
        ).select_related("updated_by")
    }
    fields = sheet_fields(category)
    rows = [
        SheetRow(
            institution=institution,
            report=reports.get((institution.pk, year)),
            previous=reports.get((institution.pk, year - 1)),
            fields=fields,
        )
        for institution in institutions
    ]
    return page, rows


@dataclass
class StatusCounts:
    """How many active institutions have a report in each status, and how many
    have none."""

    active: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0

    @property
    def reported(self) -> int:
        """Institutions whose report counts (submitted or approved)."""
        return self.submitted + self.approved

    @property
    def with_report(self) -> int:
        return self.draft + self.submitted + self.approved + self.returned

    @property
    def not_reported(self) -> int:
        return max(self.active - self.with_report, 0)

    def add(self, status: str, count: int) -> None:
        setattr(self, status, getattr(self, status) + count)


def _status_aggregates(year: int) -> dict:
    return {
        status: Count(
            "annual_reports",
            filter=Q(annual_reports__year=year, annual_reports__status=status),
        )
        for status in ReportStatus.values
    }


def reporting_counts(*, year: int) -> dict[tuple[str, str], StatusCounts]:
    """Counts of every year sheet of ``year``, by (province code, category),
    in one query; sheets without active institutions are left out."""
    rows = (
        Institution.objects.filter(active_q(year))
        .order_by()
        .values("province_id", "category")
        .annotate(active=Count("pk", distinct=True), **_status_aggregates(year))
    )
    return {
        (row.pop("province_id"), row.pop("category")): StatusCounts(**row)
        for row in rows
    }


def sheet_counts(*, province_code: str, year: int, category: str) -> StatusCounts:
    """Counts of a year sheet, in one query."""
    totals = (
        Institution.objects.filter(province_id=province_code, category=category)
        .filter(active_q(year))
        .aggregate(active=Count("pk", distinct=True), **_status_aggregates(year))
    )
    return StatusCounts(**totals)


# Review ------------------------------------------------------------------------


@dataclass
class ReviewRow:
    """The reports of one province in one year, by status."""

    province: Province
    year: int
    counts: StatusCounts = field(default_factory=StatusCounts)


def report_years() -> list[int]:
    """Years that have at least one report, newest first."""
    return list(
        AnnualReport.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def review_queue(*, years: list[int], waiting_only: bool = False) -> list[ReviewRow]:
    """One row per province and year with the counts of its reports by status
    and of its active institutions without a report (three queries). With
    ``waiting_only``, only rows with submitted reports."""
    if not years:
        return []
    active = (
        Institution.objects.order_by()
        .values("province_id")
        .annotate(**{f"y{year}": Count("pk", filter=active_q(year)) for year in years})
    )
    provinces = list(Province.objects.order_by("name_sort"))
    rows = {
        (province.code, year): ReviewRow(province=province, year=year)
        for year in years
        for province in provinces
    }
    for item in active:
        for year in years:
            row = rows.get((item["province_id"], year))
            if row is not None:
                row.counts.active = item[f"y{year}"]
    reports = (
        AnnualReport.objects.filter(year__in=years)
        .order_by()
        .values_list("institution__province_id", "year", "status")
        .annotate(count=Count("pk"))
    )
    for province_code, year, status, count in reports:
        rows[(province_code, year)].counts.add(status, count)
    result = sorted(rows.values(), key=lambda row: -row.year)
    if waiting_only:
        result = [row for row in result if row.counts.submitted]
    return result


@dataclass
class CategoryCounts:
    category: str
    label: str
    counts: StatusCounts


def review_sheet_counts(*, province_code: str, year: int) -> list[CategoryCounts]:
    """Counts by category for one province and year (two queries), leaving
    out categories without active institutions or reports."""
    counts = {value: StatusCounts() for value in Category.values}
    active = (
        Institution.objects.filter(province_id=province_code)
        .filter(active_q(year))
        .order_by()
        .values_list("category")
        .annotate(count=Count("pk"))
    )
    for category, count in active:
        counts[category].active = count
    reports = (
        AnnualReport.objects.filter(institution__province_id=province_code, year=year)
        .order_by()
        .values_list("institution__category", "status")
        .annotate(count=Count("pk"))
    )
    for category, status, count in reports:
        counts[category].add(status, count)
    return [
        CategoryCounts(category=value, label=label, counts=counts[value])
        for value, label in Category.choices
        if counts[value].active or counts[value].with_report
    ]


def review_sheet_reports(
    *, province_code: str, year: int, category: str | None = None, status=None
) -> QuerySet[AnnualReport]:
    """The reports of a province and year (optionally one category or status)
    with their institutions, in the order of the year sheet."""
    reports = AnnualReport.objects.filter(
        institution__province_id=province_code, year=year
    ).select_related("institution", "updated_by")
    if category:
        reports = reports.filter(institution__category=category)
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("institution__name_sort", "institution__code")


# One report --------------------------------------------------------------------


def report_get(*, institution: Institution, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(institution=institution, year=year)
        .select_related("updated_by")
        .first()
    )


def report_transitions(report: AnnualReport) -> QuerySet[ReportTransition]:
    """Every step of the report's review workflow, oldest first."""
    return report.transitions.select_related("user").order_by("at", "pk")


_HISTORY_FIELDS = (*REPORT_FIELDS, "status")


def report_history_entries(report: AnnualReport) -> list[dict]:
    """The report's change records, newest first (one query): date, user,
    reason and the fields that changed, as (label, old, new)."""
    records = list(
        report.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
    )
    entries = []
    for index, record in enumerate(records):
        before = records[index + 1] if index + 1 < len(records) else None
        changes = history_changes(record, before, include=_HISTORY_FIELDS)
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "reason": change_reason_label(record.history_change_reason),
                "version": record.version,
                "changes": [
                    {
                        "field": change.name,
                        "label": change.label,
                        "old": change.old,
                        "new": change.new,
                    }
                    for change in changes
                ],
            }
        )
    return entries


# Files ------------------------------------------------------------------------


def report_export_rows(
    *, year: int | None = None, province_code: str | None = None
) -> Iterator[tuple]:
    """Rows in the order of the exchange columns (``formats.COLUMNS``),
    streamed from the database in chunks."""
    reports = AnnualReport.objects.all()
    if year is not None:
        reports = reports.filter(year=year)
    if province_code is not None:
        reports = reports.filter(institution__province_id=province_code)
    return (
        reports.order_by("year", "institution__code")
        .values_list("institution__code", "year", *REPORT_FIELDS)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )


def report_template_rows(
    *, province_code: str, year: int, category: str
) -> Iterator[tuple[Institution, AnnualReport | None, AnnualReport | None]]:
    """The institutions of a year sheet with this year's and last year's
    reports, a chunk of institutions at a time (two queries per chunk)."""
    institutions = sheet_institutions(
        province_code=province_code, year=year, category=category
    )
    paginator = Paginator(institutions, EXPORT_CHUNK_SIZE)
    for number in paginator.page_range:
        chunk = list(paginator.page(number).object_list)
        reports = {
            (report.institution_id, report.year): report
            for report in AnnualReport.objects.filter(
                institution__in=chunk, year__in=(year, year - 1)
            )
        }
        for institution in chunk:
            yield (
                institution,
                reports.get((institution.pk, year)),
                reports.get((institution.pk, year - 1)),
            )


# Returned work ---------------------------------------------------------------

RETURNED_COMMENTS_SHOWN = 20


@dataclass
class ReturnedGroup:
    """The returned reports of one year and category of a province."""

    year: int
    category: str
    count: int
    comments: list[AnnualReport] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return Category(self.category).label


@dataclass
class ReturnedWork:
    """What the ministry sent back to a province and the province has not
    resubmitted: per year and category, the number of reports and each
    report's own comment; and each sheet returned as a whole, its comment
    once."""

    groups: list[ReturnedGroup]
    sheet_returns: list

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def _sheet_returns_waiting(province_code: str):
    """Whole-sheet returns of a province that some report still waits on: a
    report they returned is still returned, with no comment of its own."""
    return (
        SheetReturn.objects.filter(
            province_id=province_code,
            transitions__report__status=ReportStatus.RETURNED,
            transitions__report__review_comment="",
        )
        .select_related("returned_by")
        .distinct()
    )


def sheet_returns_open(*, province_code: str, year: int, category: str) -> list:
    """The whole-sheet returns of a year sheet whose reports still wait for
    the province's corrections, newest first."""
    return list(
        _sheet_returns_waiting(province_code)
        .filter(Q(category=category) | Q(category=""), year=year)
        .order_by("-returned_at")
    )


def returned_work(*, province_code: str) -> ReturnedWork:
    """The returned reports of a province, in three queries."""

    returned = AnnualReport.objects.filter(
        institution__province_id=province_code, status=ReportStatus.RETURNED
    )
    groups = {
        (row["year"], row["institution__category"]): ReturnedGroup(
            year=row["year"], category=row["institution__category"], count=row["n"]
        )
        for row in returned.values("year", "institution__category")
        .annotate(n=Count("pk"))
        .order_by("-year", "institution__category")
    }
    commented = (
        returned.exclude(review_comment="")
        .select_related("institution")
        .order_by("-year", "institution__category", "institution__name_sort")
    )
    for report in commented[:RETURNED_COMMENTS_SHOWN]:
        groups[(report.year, report.institution.category)].comments.append(report)
    sheet_returns = list(
        _sheet_returns_waiting(province_code).order_by("-year", "-returned_at")
    )
    return ReturnedWork(groups=list(groups.values()), sheet_returns=sheet_returns)
