"""The review console and a returned report's comment thread, through the
controls: ministry staff open a province's year from the review queue, approve
two chosen reports after the confirmation names them, return another with its
own comment; the province's officer reads the comment on the report's page
and replies. In both languages, at phone and laptop size."""

import pytest

from reports.entry.models import AnnualReport, ReportComment, ReportStatus

pytestmark = pytest.mark.browser

HANOI = "01"
YEAR = 2025


def _submitted() -> list[AnnualReport]:
    return list(
        AnnualReport.objects.filter(
            institution__province_id=HANOI, year=YEAR, status=ReportStatus.SUBMITTED
        ).select_related("institution")
    )


def test_ministry_approves_chosen_reports_and_returns_one_then_the_officer_replies(
    journey,
):
    page = journey.page
    waiting = _submitted()
    assert len(waiting) >= 3
    approved, also_approved, returned = waiting[:3]
    journey.login("ministry")
    journey.nav(journey.say("Duyệt báo cáo", "Review"))
    journey.check()
    page.get_by_label(journey.say("Năm", "Year"), exact=True).select_option(str(YEAR))
    page.get_by_test_id("review-filter").get_by_role(
        "button", name=journey.say("Xem", "Show")
    ).click()
    page.wait_for_load_state()
    page.get_by_test_id(f"review-row-{HANOI}-{YEAR}").get_by_test_id(
        "console-link"
    ).click()
    page.wait_for_load_state()
    journey.check()

    for report in (approved, also_approved):
        page.get_by_label(report.institution.name, exact=True).check()
    page.get_by_test_id("approve-chosen").click()
    page.wait_for_load_state()
    journey.check()
    listed = page.get_by_test_id("confirm-list").inner_text()
    assert approved.institution.name in listed
    assert also_approved.institution.name in listed
    assert returned.institution.name not in listed
    page.get_by_test_id("confirm-approve").click()
    page.wait_for_load_state()
    journey.check()
    statuses = dict(
        AnnualReport.objects.filter(pk__in=[r.pk for r in waiting[:3]]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        approved.pk: ReportStatus.APPROVED,
        also_approved.pk: ReportStatus.APPROVED,
        returned.pk: ReportStatus.SUBMITTED,
    }

    page.get_by_label(returned.institution.name, exact=True).check()
    page.get_by_test_id("return-chosen").click()
    page.wait_for_load_state()
    journey.check()
    page.get_by_label(returned.institution.name).fill("Thiếu số lượt người học")
    page.get_by_test_id("confirm-return").click()
    page.wait_for_load_state()
    journey.check()
    returned.refresh_from_db()
    assert returned.status == ReportStatus.RETURNED

    journey.logout()
    journey.login("officer-hanoi")
    page.goto(returned.get_absolute_url())
    page.wait_for_load_state()
    journey.check()
    thread = page.get_by_test_id("thread")
    assert "Thiếu số lượt người học" in thread.inner_text()
    page.get_by_test_id("thread-body").fill("Đã đối chiếu sổ, sẽ gửi lại")
    page.get_by_test_id("thread-reply").click()
    page.wait_for_load_state()
    journey.check()
    assert list(
        ReportComment.objects.filter(report=returned).values_list("body", flat=True)
    ) == ["Thiếu số lượt người học", "Đã đối chiếu sổ, sẽ gửi lại"]
    assert "Đã đối chiếu sổ, sẽ gửi lại" in page.get_by_test_id("thread").inner_text()
