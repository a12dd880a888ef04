"""reports/notices/reminders.py and ``manage.py send_reminders``: the ladder
14, 7 and 1 days before a province's due date and 3 days after, once per rung,
only where institutions have not reported, to active officers."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from institutions.models import Category
from lifelong_learning.roles import Role
from reports.notices.models import Notice, NoticeKind, ReminderSent
from reports.notices.reminders import reminders_send
from reports.periods.models import PeriodExtension, ReportingPeriod
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import ReportFactory, UserFactory
from tests.reports.conftest import institution

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 3, 31)


def day(offset: int) -> datetime.date:
    """``offset`` days before the due date (negative: after it)."""
    return DUE - datetime.timedelta(days=offset)


@pytest.fixture
def period(geography):
    return ReportingPeriod.objects.create(
        year=2024,
        opens_on=datetime.date(2025, 1, 1),
        due_on=DUE,
        closes_on=datetime.date(2025, 4, 30),
    )


@pytest.fixture
def cycle(period, officer_a, officer_b, library_a, museum_a, report_b):
    """Province A: 1 of 2 institutions reported; province B: all reported."""
    ReportFactory(institution=museum_a, year=2024, status="approved")
    ReportFactory(institution=library_a, year=2024, status="draft")
    report_b.status = "submitted"
    report_b.save()
    return period


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("offset", "sent"),
    [
        (15, False),
        (14, True),
        (13, False),
        (7, True),
        (1, True),
        (0, False),
        (-1, False),
        (-3, True),
        (-4, False),
    ],
)
def test_the_ladder_reminds_on_its_days_only(cycle, offset, sent):
    assert bool(reminders_send(today=day(offset))) is sent


def test_a_reminder_says_how_many_reported_and_links_the_missing_ones(
    cycle, officer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=day(7))
    (notice,) = Notice.objects.all()
    assert notice.recipient == officer_a  # province B has nothing missing
    assert notice.kind == NoticeKind.REMINDER
    assert notice.subject == "Nhắc hạn: 1/2 thiết chế đã báo cáo năm 2024"
    link = "/reports/sheet/?year=2024&category=library_district&province=01&missing=1"
    assert notice.url == link
    assert "– Thư viện công cộng cấp huyện: 1 thiết chế" in notice.body
    assert "Bảo tàng" not in notice.body  # the museum reported
    assert "còn 7 ngày" in notice.body
    (email,) = mail.outbox
    assert email.to == ["officer-a@example.vn"]
    record = ReminderSent.objects.get()
    assert (record.province_id, record.days_before_due) == (PROVINCE_A, 7)
    assert (record.reported, record.active, record.recipients) == (1, 2, 1)
    assert record.sent_on == day(7)


def test_the_link_opens_the_recipients_sheet_filtered_to_the_missing_ones(
    cycle, client, officer_a, officer_b
):
    reminders_send(today=day(14))
    client.force_login(officer_a)
    page = client.get(Notice.objects.get().url)
    assert page.status_code == 200
    assert "Thư viện Ba Đình" in page.text
    client.force_login(officer_b)
    assert client.get(Notice.objects.get().url).status_code == 403


def test_a_second_run_the_same_day_sends_nothing_twice(cycle):
    assert "1 reminders sent" in run("--date", day(1).isoformat())
    assert "0 reminders sent" in run("--date", day(1).isoformat())
    assert Notice.objects.count() == 1
    assert ReminderSent.objects.count() == 1


def test_a_dry_run_prints_what_would_be_sent_and_records_nothing(cycle):
    out = run("--date", day(-3).isoformat(), "--dry-run")
    assert "Would send: 2024 Thành phố Hà Nội, 3 days after the due date" in out
    assert "1/2 institutions reported, to 1 officers" in out
    assert not Notice.objects.exists()
    assert not ReminderSent.objects.exists()
    assert mail.outbox == []


def test_a_bad_date_is_refused(cycle):
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        run("--date", "31/03/2025")


def test_no_reminder_where_nothing_is_missing_or_no_one_is_active(
    cycle, officer_a, library_a
):
    officer_a.is_active = False
    officer_a.save()
    UserFactory(username="ministry-x", role=Role.MINISTRY_STAFF, email="m@example.vn")
    assert reminders_send(today=day(14)) == []
    assert not Notice.objects.exists()
    officer_a.is_active = True
    officer_a.save()
    library_a.annual_reports.update(status="submitted")
    assert reminders_send(today=day(7)) == []


def test_an_extension_moves_the_ladder_of_its_province(cycle, officer_a):
    PeriodExtension.objects.create(
        period=cycle,
        province_id=PROVINCE_A,
        due_on=DUE + datetime.timedelta(days=10),
        closes_on=datetime.date(2025, 5, 31),
        reason="Bão lũ",
    )
    assert reminders_send(today=day(14)) == []
    (reminder,) = reminders_send(today=day(4))
    assert reminder.rung == 14
    (reminder,) = reminders_send(today=day(-13))
    assert reminder.rung == -3


def test_a_closed_or_not_yet_open_period_reminds_no_one(period, officer_a, library_a):
    period.opens_on = day(10)
    period.save()
    assert reminders_send(today=day(14)) == []
    period.opens_on = datetime.date(2025, 1, 1)
    period.closes_on = DUE
    period.save()
    assert reminders_send(today=day(-3)) == []
    assert reminders_send(today=day(1))[0].counts[Category.LIBRARY_DISTRICT].active


def test_only_the_provinces_officers_are_reminded(cycle, officer_a, officer_b):
    reminders_send(today=day(14))
    assert set(Notice.objects.values_list("recipient", flat=True)) == {officer_a.pk}
    assert PROVINCE_B not in ReminderSent.objects.values_list("province", flat=True)


def test_the_sheet_filter_keeps_only_institutions_not_reported(
    client, officer_a, geography
):
    reported = institution("L1", "Thư viện Đã Gửi", Category.LIBRARY_DISTRICT, "01")
    institution("L2", "Thư viện Chưa Gửi", Category.LIBRARY_DISTRICT, "01")
    returned = institution("L3", "Thư viện Bị Trả", Category.LIBRARY_DISTRICT, "01")
    ReportFactory(institution=reported, year=2024, status="submitted")
    ReportFactory(institution=returned, year=2024, status="returned")
    client.force_login(officer_a)
    query = {"year": 2024, "category": Category.LIBRARY_DISTRICT}
    everything = client.get("/reports/sheet/", query).text
    missing = client.get("/reports/sheet/", {**query, "missing": 1}).text
    assert "Thư viện Đã Gửi" in everything
    assert "Thư viện Đã Gửi" not in missing
    assert "Thư viện Chưa Gửi" in missing and "Thư viện Bị Trả" in missing
