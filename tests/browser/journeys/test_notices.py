"""The officer's inbox: a returned report comes to the bell, opening the
notice leads to the report, and e-mail can be turned off. Done through the
controls only, in both languages, at phone and laptop size (see conftest)."""

import pytest
from django.contrib.auth import get_user_model

from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.workflow import report_return
from reports.notices.models import NoticeSettings
from reports.notices.services import notices_mark_all_read

pytestmark = pytest.mark.browser


def test_officer_opens_a_returned_report_from_the_bell_and_turns_email_off(journey):
    page = journey.page
    report = (
        AnnualReport.objects.filter(
            institution__province_id="01", status=ReportStatus.SUBMITTED
        )
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    ministry = get_user_model().objects.get(username="ministry")
    # The demo's correction of 2024 (reports/demo/releases.py) left the officer
    # notices of a reopening and an approval; read, so the bell counts the
    # returned report alone.
    notices_mark_all_read(user=get_user_model().objects.get(username="officer-hanoi"))
    report_return(user=ministry, report=report, comment="Thiếu số lượt bạn đọc")
    journey.login("officer-hanoi")
    journey.check()
    bell = page.get_by_test_id("notice-bell")
    assert bell.get_attribute("aria-label") == journey.say(
        "1 thông báo chưa đọc", "1 unread notice"
    )
    bell.click()
    page.wait_for_load_state()
    journey.check()
    notice = page.get_by_test_id("notice").first
    assert report.institution.name in notice.inner_text()
    assert "Thiếu số lượt bạn đọc" in notice.inner_text()
    notice.get_by_role("link").click()
    page.wait_for_load_state()
    journey.check()
    assert page.url.endswith(f"/reports/{report.pk}/")
    assert page.get_by_test_id("notice-bell").get_attribute("aria-label") == (
        journey.say("0 thông báo chưa đọc", "0 unread notices")
    )

    page.get_by_test_id("notice-bell").click()
    page.get_by_test_id("notice-settings").click()
    page.wait_for_load_state()
    journey.check()
    page.get_by_label(
        journey.say(
            "Gửi thêm thông báo qua e-mail cho tôi", "Also send me my notices by e-mail"
        )
    ).uncheck()
    page.get_by_role("button", name=journey.say("Lưu", "Save"), exact=True).click()
    page.wait_for_load_state()
    journey.check()
    officer = get_user_model().objects.get(username="officer-hanoi")
    assert NoticeSettings.objects.get(user=officer).email is False
