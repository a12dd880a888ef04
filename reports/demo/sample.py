"""Demo accounts and annual reports for `make run`."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from institutions.models import Category, Institution, Province, UserProfile
from lifelong_learning.roles import Role, role_groups_sync
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from reports.entry.services import BATCH_SIZE, report_values_check
from reports.periods.models import ReportingPeriod
from reports.periods.services import extension_save, period_save
from reports.periods.signals import deadlines_changed
from reports.progress.counters import counts_rebuild
from targets.indicators import REPORT_FIELDS, Criterion, applicable_fields
from targets.indicators import Count as CountField

DEMO_PASSWORD = "demo-1520"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    province_code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.ADMINISTRATOR, "Quản trị viên"),
    DemoAccount("ministry", Role.MINISTRY_STAFF, "Nguyễn Thị Bộ"),
    DemoAccount("officer-hanoi", Role.PROVINCIAL_OFFICER, "Trần Văn Hà", "01"),
    DemoAccount("officer-daklak", Role.PROVINCIAL_OFFICER, "Lê Thị Lắk", "66"),
]


@transaction.atomic
def demo_users_create() -> list[DemoAccount]:
    """Creates (or resets) one demo account per role, all with ``DEMO_PASSWORD``."""
    role_groups_sync()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        first, _space, last = account.full_name.rpartition(" ")
        user, _created = user_model.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": last,
                "last_name": first,
                # An address, so that notices' e-mail shows on the worker's
                # console in `make run`.
                "email": f"{account.username}@example.vn",
                "is_staff": account.role == Role.ADMINISTRATOR,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
        province = (
            Province.objects.get(code=account.province_code)
            if account.province_code
            else None
        )
        UserProfile.objects.update_or_create(user=user, defaults={"province": province})
    return DEMO_ACCOUNTS


# Annual reports ------------------------------------------------------------------

DEMO_CODE_PREFIX = "DEMO-"
# How fast each (province, category) moves towards its targets: the yearly
# change of a criterion's share relative to its 2022 share (one third a year
# doubles it by 2025, which is about what the 2025 targets ask), and the
# yearly growth of visits. Every status of metrics.md shows up somewhere.
_PACES = {
    "fast": (0.45, 0.18),  # on track
    "steady": (0.25, 0.08),  # acceleration needed
    "slow": (0.08, 0.04),  # limited progress
    "falling": (-0.12, -0.03),  # deterioration
    "ahead": (0.02, 0.12),  # already achieved
}
_PACE_WEIGHTS = {"fast": 4, "steady": 4, "slow": 3, "falling": 1, "ahead": 2}
# Share of institutions meeting each criterion in 2022: about half the 2025
# target of targets.csv, so that a steady doubling reaches it.
_BASE_SHARE = {
    Category.LIBRARY_PROVINCIAL: 0.5,
    Category.LIBRARY_DISTRICT: 0.33,
    Category.LIBRARY_COMMUNE: 0.15,
    Category.LIBRARY_UNIVERSITY: 0.45,
    Category.LIBRARY_SPECIALISED: 0.45,
    Category.LIBRARY_ARMED_FORCES: 0.4,
    Category.LIBRARY_SCHOOL: 0.35,
    Category.MUSEUM: 0.55,  # both criteria together: about 0.35
    Category.CULTURE_PROVINCIAL: 0.5,
    Category.CULTURE_DISTRICT: 0.4,
    Category.CULTURE_COMMUNE: 0.35,
    Category.CULTURE_VILLAGE: 0.3,
}
# Visits in 2022 of a typical institution of the category.
_BASE_VISITS = {
    Category.LIBRARY_PROVINCIAL: 120_000,
    Category.LIBRARY_DISTRICT: 15_000,
    Category.LIBRARY_COMMUNE: 2_500,
    Category.LIBRARY_UNIVERSITY: 40_000,
    Category.LIBRARY_SPECIALISED: 5_000,
    Category.LIBRARY_ARMED_FORCES: 6_000,
    Category.LIBRARY_SCHOOL: 8_000,
    Category.MUSEUM: 30_000,
}
# Counts a province did not collect in a year: Đắk Lắk's museums gave no
# research visitors in the base year, so its growth has no like-for-like panel
# and the dashboard shows "no data" for it.
_NOT_COLLECTED = {("66", CountField.STUDY_VISITS, 2022)}
_REPORTING_RATE = 0.94
_LAST_YEAR_REPORTING_RATE = 0.85
_RETURN_COMMENTS = [
    "Số lượt bạn đọc tăng bất thường so với năm trước, đề nghị kiểm tra lại.",
    "Đề nghị bổ sung số liệu còn thiếu trước khi gửi lại.",
    "Tiêu chí chuyển đổi số chưa khớp với báo cáo của Sở, đề nghị rà soát.",
]


@dataclass
class DemoReports:
    """What :func:`demo_reports_create` left in the database."""

    total: int
    by_status: dict[str, int]
    created: bool

    def summary(self) -> str:
        parts = ", ".join(
            f"{count} {status}" for status, count in self.by_status.items()
        )
        return f"{self.total} reports ({parts})"


def _pace(seed: int, province_code: str, category: str) -> str:
    rng = random.Random(f"{seed}-{province_code}-{category}")
    return rng.choices(list(_PACE_WEIGHTS), weights=list(_PACE_WEIGHTS.values()))[0]


def _stage(seed: int, province_code: str) -> str:
    """How far a province is with the last year's reports."""
    rng = random.Random(f"{seed}-{province_code}-stage")
    return rng.choices(
        [
            ReportStatus.APPROVED,
            ReportStatus.SUBMITTED,
            ReportStatus.DRAFT,
            ReportStatus.RETURNED,
        ],
        weights=[3, 5, 2, 1],
    )[0]


def _status(rng: random.Random, stage: str, last: bool) -> str:
    if not last:
        pick = rng.random()
        if pick < 0.03:
            return ReportStatus.SUBMITTED
        return ReportStatus.RETURNED if pick < 0.04 else ReportStatus.APPROVED
    if rng.random() < 0.8:
        return stage
    return rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED])


def _demo_values(
    institution: Institution, years: list[int], seed: int
) -> dict[int, dict]:
    """The values an institution reports each year (a missing year: no
    report). Each institution keeps its own propensity, so trends are smooth."""
    rng = random.Random(f"{seed}-{institution.code}")
    name = _pace(seed, institution.province_id, institution.category)
    pace, growth = _PACES[name]
    base = _BASE_SHARE[institution.category]
    if name == "ahead":
        base = min(1.0, 2.2 * base)
    applicable = applicable_fields(institution.category)
    propensity = rng.random()
    visits = _BASE_VISITS.get(institution.category, 0) * rng.lognormvariate(0, 0.5)
    reports = {}
    for offset, year in enumerate(years):
        last = year == years[-1]
        rate = _LAST_YEAR_REPORTING_RATE if last else _REPORTING_RATE
        if not institution.is_active_in(year) or rng.random() > rate:
            rng.random()  # keep the sequence the same whether or not it reports
            continue
        share = min(1.0, max(0.0, base * (1 + pace * offset)))
        values: dict = {}
        for name in Criterion.values:
            if name in applicable:
                noise = rng.gauss(0, 0.05)
                values[name] = propensity + noise < share
        for name in CountField.values:
            if name in applicable:
                factor = (1 + growth) ** offset * rng.lognormvariate(0, 0.04)
                if (institution.province_id, name, year) not in _NOT_COLLECTED:
                    values[name] = round(visits * factor)
        reports[year] = values
    return reports


def _when(year: int, step: int) -> datetime:
    """Reports of a year are entered in January of the next year and reviewed
    in the following weeks."""
    return datetime(year + 1, 1, 10, 9, tzinfo=UTC) + timedelta(days=12 * step)


_STEPS = {
    ReportStatus.DRAFT: [ReportStatus.DRAFT],
    ReportStatus.SUBMITTED: [ReportStatus.DRAFT, ReportStatus.SUBMITTED],
    ReportStatus.APPROVED: [
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
    ],
    ReportStatus.RETURNED: [
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        ReportStatus.RETURNED,
    ],
}


@transaction.atomic
def demo_reports_create(*, years=range(2022, 2026), seed: int = 1520) -> DemoReports:
    """Creates deterministic annual reports for the demo institutions (codes
    starting with ``DEMO-``) for ``years``: shares of criteria and visits that
    move at different paces by province and category, some institutions not
    reporting, most earlier years approved and the last year a mix of drafts,
    submissions, approvals and returns. Each report has its transitions, one
    history record and the warnings of the rules.

    Idempotent: when the stored reports already are the ones the seed gives,
    nothing is written; otherwise the demo reports of ``years`` are replaced.
    """
    years = sorted(years)
    institutions = list(
        Institution.objects.filter(code__startswith=DEMO_CODE_PREFIX).order_by("code")
    )
    users = {
        account.province_code: account.username
        for account in DEMO_ACCOUNTS
        if account.role == Role.PROVINCIAL_OFFICER
    }
    user_model = get_user_model()
    by_name = {
        user.username: user
        for user in user_model.objects.filter(
            username__in=[*users.values(), "ministry"]
        )
    }
    ministry = by_name.get("ministry")
    planned: list[tuple[AnnualReport, list[str], str]] = []
    for institution in institutions:
        rng = random.Random(f"{seed}-{institution.code}-status")
        stage = _stage(seed, institution.province_id)
        previous = None
        for year, values in _demo_values(institution, years, seed).items():
            status = _status(rng, stage, year == years[-1])
            comment = rng.choice(_RETURN_COMMENTS) if status == "returned" else ""
            report = AnnualReport(
                institution=institution,
                year=year,
                status=status,
                review_comment=comment,
                version=len(_STEPS[status]),
                updated_by=ministry if status in ("approved", "returned") else None,
                **values,
            )
            report.updated_by = report.updated_by or by_name.get(
                users.get(institution.province_id)
            )
            if previous is not None and previous.year == year - 1:
                report.warnings = report_values_check(
                    institution=institution, year=year, values=values, previous=previous
                ).warnings
            planned.append((report, _STEPS[status], comment))
            previous = report
    existing = AnnualReport.objects.filter(institution__in=institutions, year__in=years)
    fields = ["institution_id", "year", "status", *REPORT_FIELDS]
    wanted = sorted(
        tuple(getattr(report, name) for name in fields) for report, *_ in planned
    )
    if sorted(existing.values_list(*fields)) == wanted:
        counts_rebuild()
        return _demo_result(existing, created=False)
    _demo_reports_delete(existing)
    for year in years:
        reports = [report for report, *_ in planned if report.year == year]
        bulk_create_with_history(
            reports,
            AnnualReport,
            batch_size=BATCH_SIZE,
            default_date=_when(year, 0),
            default_change_reason="demo",
        )
    transitions = []
    for report, steps, comment in planned:
        before = ""
        for step in steps:
            reviewer = step in ("approved", "returned")
            transitions.append(
                ReportTransition(
                    report=report,
                    from_status=before,
                    to_status=step,
                    user=ministry if reviewer else report.updated_by,
                    comment=comment if step == "returned" else "",
                )
            )
            before = step
    ReportTransition.objects.bulk_create(transitions, batch_size=BATCH_SIZE)
    # Dates as if each year had been entered and reviewed in its own time
    # (auto_now and auto_now_add set "now" on insert).
    dates: dict[tuple[type, datetime], list[int]] = defaultdict(list)
    steps = list(ReportStatus.values)
    for transition in transitions:
        when = _when(transition.report.year, steps.index(transition.to_status))
        dates[ReportTransition, when].append(transition.pk)
    for report, *_ in planned:
        dates[AnnualReport, _when(report.year, len(steps) - 1)].append(report.pk)
    submitted = steps.index(ReportStatus.SUBMITTED)
    for report, report_steps, _comment in planned:
        if ReportStatus.SUBMITTED in report_steps:
            dates[_FIRST_SUBMISSION, _when(report.year, submitted)].append(report.pk)
    for (model, when), pks in dates.items():
        field = {
            ReportTransition: "at",
            AnnualReport: "updated_at",
            _FIRST_SUBMISSION: "first_submitted_at",
        }[model]
        model = AnnualReport if model is _FIRST_SUBMISSION else model
        for start in range(0, len(pks), BATCH_SIZE):
            model.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
                **{field: when}
            )
    # Which first submissions met their period's due date (a year with a
    # period); the receiver recounts the counters too.
    for year in years:
        deadlines_changed.send(sender=ReportingPeriod, year=year, provinces=None)
    counts_rebuild()
    return _demo_result(existing, created=True)


# The first submission's date, set with the other dates above.
_FIRST_SUBMISSION = "first_submitted_at"


def _demo_reports_delete(reports) -> None:
    """Removes demo reports with their transitions and history records. The
    demo is replaced wholesale, so no "deleted" history record is kept for
    each report, and the deletion runs as three statements."""
    ids = list(reports.values_list("pk", flat=True))
    ReportTransition.objects.filter(report_id__in=ids).delete()
    AnnualReport.history.filter(id__in=ids).delete()
    queryset = AnnualReport.objects.filter(pk__in=ids)
    queryset._raw_delete(queryset.db)


def _demo_result(reports, *, created: bool) -> DemoReports:
    counts = dict(reports.order_by().values_list("status").annotate(count=Count("pk")))
    by_status = {status: counts.get(status, 0) for status in ReportStatus.values}
    return DemoReports(
        total=sum(by_status.values()), by_status=by_status, created=created
    )


# The demo's reporting period, in days from today: opened two months ago, due
# in twelve days, closing in forty; Đắk Lắk has two more weeks.
DEMO_PERIOD_DAYS = {"opens_on": -60, "due_on": 12, "closes_on": 40}
DEMO_EXTENSION_PROVINCE = "66"
DEMO_EXTENSION_DAYS = {"due_on": 26, "closes_on": 54}
DEMO_EXTENSION_REASON = (
    "Mưa lũ kéo dài ở các xã vùng cao: Sở Văn hóa, Thể thao và Du lịch xin "
    "thêm hai tuần để các thư viện xã gửi số liệu."
)


def demo_period_create(*, today: date | None = None) -> ReportingPeriod:
    """The reporting period of the year the demo officers enter (the year just
    ended), with dates around ``today`` so the banner shows, and one
    extension for Đắk Lắk with its reason. Earlier years keep no period: their
    data is historical. Idempotent: dates already in place are not saved
    again."""
    today = today or timezone.localdate()
    dates = {
        name: today + timedelta(days=days) for name, days in DEMO_PERIOD_DAYS.items()
    }
    period = ReportingPeriod.objects.filter(year=today.year - 1).first()
    if period is None or any(getattr(period, k) != v for k, v in dates.items()):
        period = period_save(user=None, year=today.year - 1, period=period, **dates)
    extension_dates = {
        name: today + timedelta(days=days) for name, days in DEMO_EXTENSION_DAYS.items()
    }
    extension = period.extensions.filter(province_id=DEMO_EXTENSION_PROVINCE).first()
    if extension is None or any(
        getattr(extension, k) != v for k, v in extension_dates.items()
    ):
        extension_save(
            user=None,
            period=period,
            extension=extension,
            province=Province.objects.get(code=DEMO_EXTENSION_PROVINCE),
            reason=DEMO_EXTENSION_REASON,
            **extension_dates,
        )
    return period
