"""reports/notices/views.py and the header's bell: each person's inbox, newest
first; opening a notice marks it read and follows its link; mark all read;
the choice of e-mail. Only the recipient sees a notice."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.notices.models import Notice, NoticeSettings

pytestmark = pytest.mark.django_db


def notice(user, subject="Báo cáo bị trả lại", url="/reports/sheet/", **kwargs):
    return Notice.objects.create(
        recipient=user, kind="report_returned", subject=subject, url=url, **kwargs
    )


def test_the_inbox_lists_the_persons_notices_newest_first(client, officer_a, officer_b):
    old = notice(officer_a, "Cũ")
    Notice.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    notice(officer_a, "Mới")
    notice(officer_b, "Của tỉnh khác")
    client.force_login(officer_a)
    page = client.get(reverse("reports:notices"))
    assert page.status_code == 200
    assert [n.subject for n in page.context["page_obj"]] == ["Mới", "Cũ"]
    assert "Của tỉnh khác" not in page.text


def test_the_inbox_is_paginated_and_says_when_empty(client, officer_a):
    client.force_login(officer_a)
    assert "Chưa có thông báo nào" in client.get(reverse("reports:notices")).text
    for number in range(25):
        notice(officer_a, f"Thông báo {number}")
    page = client.get(reverse("reports:notices"), {"page": 2})
    assert len(page.context["page_obj"].object_list) == 5


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, officer_a):
    mine = notice(officer_a, url="/reports/sheet/?year=2024")
    client.force_login(officer_a)
    response = client.get(reverse("reports:notice_open", args=[mine.pk]))
    assert response.status_code == 302
    assert response.url == "/reports/sheet/?year=2024"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_notice_with_a_foreign_link_opens_the_inbox(client, officer_a):
    mine = notice(officer_a, url="https://evil.example/")
    client.force_login(officer_a)
    response = client.get(reverse("reports:notice_open", args=[mine.pk]))
    assert response.url == reverse("reports:notices")


def test_only_the_recipient_opens_a_notice(client, officer_a, officer_b, administrator):
    theirs = notice(officer_b)
    for user in (officer_a, administrator):
        client.force_login(user)
        url = reverse("reports:notice_open", args=[theirs.pk])
        assert client.get(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_empties_the_bell(client, officer_a, officer_b):
    notice(officer_a)
    notice(officer_a)
    other = notice(officer_b)
    client.force_login(officer_a)
    home = client.get(reverse("home")).text
    assert 'aria-label="2 thông báo chưa đọc"' in home
    response = client.post(reverse("reports:notices_read"))
    assert response.status_code == 302
    assert 'aria-label="0 thông báo chưa đọc"' in client.get(reverse("home")).text
    other.refresh_from_db()
    assert other.read_at is None


def test_the_bell_costs_anonymous_visitors_no_query(client, officer_a):
    notice(officer_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home"))
    assert 'data-testid="notice-bell"' not in page.text
    assert not any("reports_notice" in query["sql"] for query in queries)


def test_the_bell_in_english(client, officer_a):
    notice(officer_a)
    client.force_login(officer_a)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'aria-label="1 unread notice"' in page.text


def test_email_can_be_turned_off_and_on(client, officer_a):
    client.force_login(officer_a)
    url = reverse("reports:notice_settings")
    assert client.get(url).context["form"].initial == {"email": True}
    assert client.post(url, {}).status_code == 302
    assert NoticeSettings.objects.get(user=officer_a).email is False
    assert client.get(url).context["form"].initial == {"email": False}
    client.post(url, {"email": "on"})
    assert NoticeSettings.objects.get(user=officer_a).email is True


def test_the_settings_page_says_when_the_account_has_no_address(client, officer_b):
    client.force_login(officer_b)
    page = client.get(reverse("reports:notice_settings"))
    assert 'data-testid="notice-no-address"' in page.text
