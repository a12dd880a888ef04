"""One whole reporting cycle on a clock the test controls, through the
services, the reminder command, the inbox, the mailbox and the published
figures: the period opens → reminder at −14 → partial submission → reminder at
−7 lists only what is missing → the due date passes → a late submission is
counted late → a return with a comment reaches the officer's inbox and mailbox
→ the fix → approval → timeliness on the dashboard, in the API and in the PDF
equals a hand count."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from institutions.models import Category, Institution
from lifelong_learning.roles import Role
from reports.entry import workflow
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import report_save
from reports.notices.models import Notice, NoticeKind
from reports.periods.services import period_save
from tests.conftest import PROVINCE_A
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
YEAR = 2025
CATEGORY = Category.LIBRARY_PROVINCIAL
NAMES = ["Thư viện Bắc", "Thư viện Trung", "Thư viện Nam"]


def moment(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=VIETNAM)


class Clock:
    """The portal's clock: ``timezone.now`` (and so ``localdate``, auto_now)."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch

    def set(self, when: datetime.datetime) -> None:
        self._monkeypatch.setattr(timezone, "now", lambda: when)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def people(geography):
    officer = UserFactory(
        username="officer-cycle",
        email="officer@hanoi.example.vn",
        role=Role.PROVINCIAL_OFFICER,
        province=PROVINCE_A,
    )
    ministry = UserFactory(
        username="ministry-cycle",
        email="ministry@example.vn",
        role=Role.MINISTRY_STAFF,
    )
    return officer, ministry


@pytest.fixture
def libraries(geography):
    return [
        Institution.objects.create(
            code=f"CYCLE-{index}",
            name=name,
            category=CATEGORY,
            province_id=PROVINCE_A,
            opened_year=2000,
        )
        for index, name in enumerate(NAMES)
    ]


def enter(officer, institution, values, *, submit=True) -> AnnualReport:
    stored = AnnualReport.objects.filter(institution=institution, year=YEAR).first()
    report = report_save(
        user=officer,
        institution=institution,
        year=YEAR,
        values=values,
        expected_version=stored.version if stored else 0,
    )
    if submit:
        report = workflow.report_submit(user=officer, report=report)
    return report


def reminders(date: str) -> None:
    call_command("send_reminders", "--date", date, stdout=io.StringIO())


def share_row(rows: list[dict]) -> dict:
    """The progress row of the provincial libraries' share target with
    lifelong-learning services (the target the cycle's reports feed)."""
    return next(
        row
        for row in rows
        if row.get("kind") == "share" and CATEGORY in row.get("categories", [])
    )


def test_one_whole_reporting_cycle(
    client, clock, people, libraries, django_capture_on_commit_callbacks
):
    officer, ministry = people
    north, centre, south = libraries
    values = {"lll_services": True, "digital_transformation": True}

    # The ministry opens the period: due 31/03, closed after 30/04.
    clock.set(moment(1, 15))
    period_save(
        user=ministry,
        year=YEAR,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
        closes_on=datetime.date(2026, 4, 30),
    )

    # −14 days: nobody has reported; the officer is reminded, by inbox and mail.
    clock.set(moment(3, 17, 7))
    # E-mail is queued when the transaction commits, for the worker (the
    # test settings run tasks at once).
    with django_capture_on_commit_callbacks(execute=True):
        reminders("2026-03-17")
    reminder = Notice.objects.get(recipient=officer, kind=NoticeKind.REMINDER)
    assert "0/3" in reminder.subject
    assert [message.to for message in mail.outbox] == [[officer.email]]
    reminders("2026-03-17")  # the daily timer ran twice: nothing twice
    assert Notice.objects.filter(kind=NoticeKind.REMINDER).count() == 1

    # One library reports on time.
    clock.set(moment(3, 20))
    first = enter(officer, north, values)
    assert first.on_time is True

    # −7 days: the reminder counts 1/3 and its link lists only the missing two.
    clock.set(moment(3, 24, 7))
    reminders("2026-03-24")
    second = Notice.objects.filter(kind=NoticeKind.REMINDER).order_by("-pk").first()
    assert second.recipient == officer
    assert "1/3" in second.subject
    client.force_login(officer)
    sheet = client.get(second.url, headers={"accept-language": "vi"})
    assert sheet.status_code == 200
    page = sheet.text
    assert centre.name in page and south.name in page
    assert north.name not in page

    # The due date passes; a library reports late (00:00:01 on 1 April in
    # Vietnam is already the next day).
    clock.set(datetime.datetime(2026, 4, 1, 0, 0, 1, tzinfo=VIETNAM))
    late = enter(officer, centre, values)
    assert late.on_time is False

    # The ministry returns the on-time report with a comment.
    clock.set(moment(4, 3))
    mail.outbox.clear()
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(
            user=ministry, report=first, comment="Thiếu số lượt khách"
        )
    returned = Notice.objects.get(recipient=officer, kind=NoticeKind.REPORT_RETURNED)
    assert "Thiếu số lượt khách" in returned.body
    assert returned.url.endswith(reverse("reports:detail", args=[first.pk]))
    client.force_login(officer)  # the clock moved past the last session
    inbox = client.get(reverse("reports:notices"), headers={"accept-language": "vi"})
    assert returned.subject in inbox.text
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert "Thiếu số lượt khách" in mail.outbox[0].body

    # The officer fixes it and sends it again (still first submitted on time).
    clock.set(moment(4, 5))
    fixed = enter(officer, north, {**values, "learning_visits": 1200})
    assert (fixed.status, fixed.on_time) == (ReportStatus.SUBMITTED, True)

    # The ministry approves both.
    clock.set(moment(4, 8))
    for report in (fixed, late):
        report.refresh_from_db()
        workflow.report_approve(
            user=ministry, report=report, expected_version=report.version
        )
    assert (
        Notice.objects.filter(
            recipient=officer, kind=NoticeKind.REPORT_APPROVED
        ).count()
        == 2
    )

    # Hand count for Hà Nội's provincial libraries in 2025: 3 active, 2
    # reported (66.7%), 1 first submitted by the due date (33.3%).
    client.force_login(ministry)
    api = client.get(
        reverse("api:progress"), {"year": YEAR, "province": PROVINCE_A}
    ).json()
    row = share_row(api["rows"])
    assert (row["on_time"], row["on_time_rate"]) == (1, 33.3)
    assert row["reporting_rate"] == 66.7

    dashboard = client.get(
        reverse("reports:province", args=[PROVINCE_A]),
        {"year": YEAR},
        headers={"accept-language": "vi"},
    )
    assert dashboard.status_code == 200
    assert "33,3" in dashboard.text

    with translation.override("vi"):
        pdf = client.get(
            reverse("reports:report_pdf"),
            {"year": YEAR},
            headers={"accept-language": "vi"},
        )
    assert pdf.status_code == 200
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "33,3" in text
