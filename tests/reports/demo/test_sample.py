"""Demo annual reports for `make run`: years, statuses, trends, idempotence."""

import datetime
from collections import Counter

import pytest
from django.utils import translation

from institutions.demo import demo_institutions_create
from reports.demo.sample import (
    demo_period_create,
    demo_reports_create,
    demo_users_create,
)
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.selectors import deadlines
from targets.indicators import APPLICABLE_FIELDS, REPORT_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(geography):
    demo_users_create()
    demo_institutions_create(per_province=12)
    return demo_reports_create()


def test_reports_by_year_status_category_and_trend(demo):
    """2022–2025 with some institutions not reporting; earlier years mostly
    approved, the last a mix; only applicable values in active years; visits
    growing on average."""
    years = Counter(AnnualReport.objects.values_list("year", flat=True))
    assert sorted(years) == [2022, 2023, 2024, 2025]
    assert demo.total == sum(years.values())
    active_pairs = 34 * 12 * 4
    assert 0.75 * active_pairs < demo.total < active_pairs

    for year in (2022, 2023, 2024):
        statuses = Counter(
            AnnualReport.objects.filter(year=year).values_list("status", flat=True)
        )
        assert statuses["approved"] > 0.9 * sum(statuses.values())
    last = Counter(
        AnnualReport.objects.filter(year=2025).values_list("status", flat=True)
    )
    assert set(last) == set(ReportStatus.values)
    assert last["returned"] < last["submitted"]

    for report in AnnualReport.objects.select_related("institution"):
        institution = report.institution
        assert institution.is_active_in(report.year)
        applicable = APPLICABLE_FIELDS[institution.category]
        for name in REPORT_FIELDS:
            if name not in applicable:
                assert getattr(report, name) is None

    totals = {
        year: sum(
            AnnualReport.objects.filter(
                year=year, learning_visits__isnull=False
            ).values_list("learning_visits", flat=True)
        )
        / AnnualReport.objects.filter(year=year, learning_visits__isnull=False).count()
        for year in (2022, 2024)
    }
    assert totals[2024] > totals[2022]


def test_returned_reports_carry_a_comment_and_every_report_its_transitions(demo):
    returned = list(AnnualReport.objects.filter(status="returned")[:20])
    assert returned
    for report in returned:
        assert report.review_comment
        last = report.transitions.order_by("at", "pk").last()
        assert (last.to_status, last.comment) == ("returned", report.review_comment)
    approved = AnnualReport.objects.filter(status="approved").first()
    steps = list(approved.transitions.values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "approved"]
    approval = approved.transitions.get(to_status="approved")
    assert approval.user.username == "ministry"
    # Entered and reviewed early in the following year, not when seeded.
    assert approval.at.year == approved.year + 1
    assert AnnualReport.objects.get(pk=approved.pk).updated_at.year == approved.year + 1
    assert approved.history.count() == 1
    assert ReportTransition.objects.count() > demo.total


def test_creating_again_is_idempotent_and_another_seed_replaces(demo):
    before = list(
        AnnualReport.objects.order_by("pk").values_list("pk", "status", *REPORT_FIELDS)
    )
    again = demo_reports_create()
    assert not again.created
    assert again.total == demo.total
    after = list(
        AnnualReport.objects.order_by("pk").values_list("pk", "status", *REPORT_FIELDS)
    )
    assert after == before

    other = demo_reports_create(seed=7)
    assert other.created
    assert AnnualReport.objects.count() == other.total
    assert ReportTransition.objects.filter(report__isnull=True).count() == 0
    back = demo_reports_create()
    assert back.by_status == demo.by_status


def test_the_demo_period_is_open_for_the_year_just_ended_with_dak_laks_extension(
    geography,
):
    today = datetime.date(2026, 3, 10)
    period = demo_period_create(today=today)
    assert (period.year, period.opens_on, period.due_on, period.closes_on) == (
        2025,
        datetime.date(2026, 1, 9),
        datetime.date(2026, 3, 22),
        datetime.date(2026, 4, 19),
    )
    assert ReportingPeriod.objects.count() == 1  # earlier years: none
    extended = deadlines(province_code="66", year=2025)
    assert extended.extended and extended.reason
    assert extended.due_on > period.due_on
    with translation.override("vi"):
        assert extended.due_text(today) == "Hạn nộp 05/04/2026 — còn 26 ngày"
    # Seeding again changes nothing; a later day moves the dates with it.
    demo_period_create(today=today)
    assert period.history.count() == 1
    assert PeriodExtension.history.count() == 1
    moved = demo_period_create(today=today + datetime.timedelta(days=1))
    assert moved.due_on == datetime.date(2026, 3, 23)
    assert ReportingPeriod.objects.count() == 1


def test_demo_first_submissions_are_timed_against_the_demo_period(demo):
    period = demo_period_create()
    demo_reports_create(seed=7)  # another seed: the reports are written anew
    sent = AnnualReport.objects.filter(
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    )
    assert sent.exists()
    assert not sent.filter(first_submitted_at__isnull=True).exists()
    in_period = sent.filter(year=period.year)
    assert in_period.exists()
    # Entered in January, well before the demo's due date: all on time.
    assert set(in_period.values_list("on_time", flat=True)) == {True}
    # Years without a period have no timeliness.
    assert set(sent.exclude(year=period.year).values_list("on_time", flat=True)) == {
        None
    }
    drafts = AnnualReport.objects.filter(status=ReportStatus.DRAFT)
    assert not drafts.filter(first_submitted_at__isnull=False).exists()
