"""The follow-up list of a province: its active institutions without a
counted report for the year, or whose report does not meet a criterion of
their category's targets; why each is listed, where to act, and the list as a
downloadable table."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from institutions.activity import active_q
from institutions.models import Category, Institution
from reports.entry.models import ReportStatus
from reports.progress.counters import criteria_mask
from reports.progress.figures import counted_statuses
from reports.progress.models import InstitutionCount, ReportCount
from reports.progress.tables import Table
from targets.indicators import REPORT_FIELDS, Criterion, Kind
from targets.models import Target
from targets.selectors import target_list


def criteria_by_category(targets: Iterable[Target]) -> dict[str, list[str]]:
    """The criteria that the share targets ask of each category, in the order
    they are declared."""
    asked: dict[str, set[str]] = defaultdict(set)
    for target in targets:
        if target.kind == Kind.SHARE:
            for category in target.categories:
                asked[category].update(target.criteria)
    return {
        category: [c for c in Criterion.values if c in asked[category]]
        for category in Category.values
        if asked.get(category)
    }


def follow_up_list(
    *,
    province_code: str,
    year: int,
    approved_only: bool = False,
    targets: Iterable[Target] | None = None,
) -> QuerySet[Institution]:
    """The province's institutions active in ``year`` that need a follow-up:
    no counted report for the year (none, a draft, a returned report, or one
    awaiting approval when only approved reports count), or a counted report
    in which a criterion of its category's targets is not true.

    Each institution carries ``report_id``, ``report_status`` and the
    report's criteria (``None`` without a report); ordered by category, then
    name. One query (two with a paginator's count).
    """
    targets = list(target_list()) if targets is None else list(targets)
    asked = criteria_by_category(targets)
    statuses = counted_statuses(approved_only=approved_only)
    unmet = Q()
    for category, criteria in asked.items():
        any_unmet = Q()
        for criterion in criteria:
            any_unmet |= Q(**{f"report_{criterion}": False})
            any_unmet |= Q(**{f"report_{criterion}__isnull": True})
        unmet |= Q(category=category) & any_unmet
    category_order = Case(
        *(When(category=c, then=Value(i)) for i, c in enumerate(Category.values)),
        default=Value(len(Category.values)),
    )
    return (
        Institution.objects.filter(province_id=province_code)
        .filter(active_q(year))
        .annotate(
            report=FilteredRelation(
                "annual_reports", condition=Q(annual_reports__year=year)
            ),
            report_id=F("report__pk"),
            report_status=F("report__status"),
            **{f"report_{c}": F(f"report__{c}") for c in Criterion.values},
        )
        .filter(Q(report_status__isnull=True) | ~Q(report_status__in=statuses) | unmet)
        .order_by(category_order, "name_sort", "code")
    )


def follow_up_count(
    *,
    province_code: str,
    year: int,
    approved_only: bool = False,
    targets: Iterable[Target] | None = None,
) -> int:
    """How many institutions :func:`follow_up_list` lists, from the province's
    progress counters: its active institutions less those with a counted
    report meeting every criterion asked of their category.

    Two small queries over the province's counter rows. (Counting the list
    itself joins the reports of the year, which PostgreSQL hashes for the
    whole country: 52 ms of a province page at 150,000 institutions, growing
    with the nation.)"""
    targets = list(target_list()) if targets is None else list(targets)
    asked = criteria_by_category(targets)
    active = InstitutionCount.objects.filter(province_id=province_code).aggregate(
        active=Sum("institutions", filter=active_q(year))
    )["active"]
    meeting = ReportCount.objects.filter(
        province_id=province_code,
        year=year,
        active=True,
        status__in=counted_statuses(approved_only=approved_only),
    ).alias(
        **{
            f"met_{category}": ExpressionWrapper(
                F("criteria").bitand(criteria_mask(criteria)),
                output_field=IntegerField(),
            )
            for category, criteria in asked.items()
        }
    )
    every = ~Q(category__in=list(asked))
    for category, criteria in asked.items():
        every |= Q(category=category, **{f"met_{category}": criteria_mask(criteria)})
    good = meeting.filter(every).aggregate(good=Sum("reports"))["good"]
    return (active or 0) - (good or 0)


@dataclass
class FollowUp:
    """An institution of the follow-up list, the reason and where to act."""

    institution: object
    reasons: list[str]
    url: str


def _follow_up_reasons(institution, asked: dict, statuses: list[str]) -> list[str]:
    status = institution.report_status
    if status is None:
        return [_("No report for the year")]
    if status not in statuses:
        return [
            {
                ReportStatus.DRAFT: _("Draft, not submitted"),
                ReportStatus.RETURNED: _("Returned for correction"),
                ReportStatus.SUBMITTED: _("Awaiting approval"),
            }.get(status, str(status))
        ]
    reasons = []
    unmet = [
        c
        for c in asked.get(institution.category, [])
        if getattr(institution, f"report_{c}") is False
    ]
    unanswered = [
        c
        for c in asked.get(institution.category, [])
        if getattr(institution, f"report_{c}") is None
    ]
    if unmet:
        reasons.append(
            _("Does not meet: %(criteria)s")
            % {"criteria": "; ".join(str(REPORT_FIELDS[c]) for c in unmet)}
        )
    if unanswered:
        reasons.append(
            _("Not answered: %(criteria)s")
            % {"criteria": "; ".join(str(REPORT_FIELDS[c]) for c in unanswered)}
        )
    return reasons


def data_entry_url(institution, year: int) -> str:
    """The year sheet of the institution's category and province."""
    sheet = reverse("reports:sheet")
    query = urlencode(
        {
            "year": year,
            "category": institution.category,
            "province": institution.province_id,
        }
    )
    return f"{sheet}?{query}"


def follow_ups(
    institutions, *, year: int, approved_only: bool, targets
) -> Iterator[FollowUp]:
    """What to follow up at each institution, made as the institutions are
    read: a download streams a whole province's."""
    asked = criteria_by_category(targets)
    statuses = counted_statuses(approved_only=approved_only)
    return (
        FollowUp(
            institution=institution,
            reasons=_follow_up_reasons(institution, asked, statuses),
            url=data_entry_url(institution, year),
        )
        for institution in institutions
    )


def follow_up_table(items: Iterable[FollowUp]) -> Table:
    """The follow-ups as a table whose rows are made as it is written."""
    return Table(
        name="follow-up",
        columns=[_("Code"), _("Institution"), _("Category"), _("Follow-up")],
        rows=(
            [
                item.institution.code,
                item.institution.name,
                str(Category(item.institution.category).label),
                " / ".join(item.reasons),
            ]
            for item in items
        ),
        plain={0},
    )
