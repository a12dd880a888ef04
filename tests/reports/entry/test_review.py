"""The review pages: what awaits review by province and year, and one
province's sheet of a year approved all at once or returned with a comment."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports.entry.models import AnnualReport, ReportStatus, SheetReturn
from tests.conftest import PROVINCE_A
from tests.factories import ReportFactory
from tests.reports.conftest import libraries

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    client.force_login(user)
    return client


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_review_lists_provinces_and_years_with_counts(client, ministry_user, geography):
    first, second, _third = libraries(3)
    ReportFactory(institution=first, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=second, status=ReportStatus.APPROVED)
    logged_in(client, ministry_user)
    response = client.get(reverse("reports:review"), {"year": 2024, "waiting": "1"})
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row.province.code, row.year) == (PROVINCE_A, 2024)
    counts = row.counts
    assert (counts.submitted, counts.approved, counts.not_reported) == (1, 1, 1)
    assert reverse("reports:review_sheet", args=[PROVINCE_A, 2024]) in response.text


@pytest.mark.parametrize("year", ["²", "١٢", "99999999999999999999", "-1", "x"])
def test_review_with_a_year_that_is_no_year_lists_every_year(
    client, ministry_user, geography, year
):
    library = libraries(1)[0]
    ReportFactory(institution=library, year=2023, status=ReportStatus.APPROVED)
    ReportFactory(institution=library, year=2024, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    response = client.get(reverse("reports:review"), {"year": year})
    assert response.status_code == 200
    assert {row.year for row in response.context["rows"]} == {2023, 2024}


def test_review_sheet_approves_all_submitted(client, ministry_user, geography):
    first, second = libraries(2)
    ReportFactory(institution=first, status=ReportStatus.SUBMITTED)
    ReportFactory(institution=second, status=ReportStatus.DRAFT)
    logged_in(client, ministry_user)
    url = reverse("reports:review_sheet", args=[PROVINCE_A, 2024])
    page = client.get(url)
    assert page.context["submitted"] == 1
    assert page.context["to_approve"] is None
    # Without the confirmation nothing is approved.
    response = client.post(url, {"action": "approve"})
    assert AnnualReport.objects.get(institution=first).status == "submitted"
    confirm = client.get(url, {"confirm": "approve"})
    assert [r.institution for r in confirm.context["to_approve"]] == [first]
    listed = confirm.text.split('data-testid="confirm-list"')[1].split("</ul>")[0]
    assert first.name in listed and second.name not in listed
    response = client.post(
        f"{url}?confirm=approve",
        {"action": "approve", "selection": confirm.context["selection"]},
    )
    assert response.status_code == 302
    statuses = dict(AnnualReport.objects.values_list("institution", "status"))
    assert statuses == {first.pk: "approved", second.pk: "draft"}


def test_review_sheet_approval_is_refused_when_a_report_changed_after_it_was_seen(
    client, ministry_user, geography
):
    first, second = libraries(2)
    ReportFactory(institution=first, status=ReportStatus.SUBMITTED)
    changed = ReportFactory(institution=second, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    url = reverse("reports:review_sheet", args=[PROVINCE_A, 2024])
    confirm = client.get(url, {"confirm": "approve"})
    # The officer changes a submitted report and submits it again.
    changed.study_visits = 2_000_000_000
    changed.version += 1
    changed.save()

    response = client.post(
        f"{url}?confirm=approve",
        {"action": "approve", "selection": confirm.context["selection"]},
    )

    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"submitted"}
    assert second.name in texts(response)[0]
    assert first.name not in texts(response)[0]


def test_review_sheet_returns_with_a_comment(client, ministry_user, library_a):
    ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    url = reverse("reports:review_sheet", args=[PROVINCE_A, 2024])
    query = "?category=library_district"
    response = client.post(url + query, {"action": "return", "comment": ""})
    assert response.status_code == 400
    assert AnnualReport.objects.get().status == "submitted"
    client.post(url + query, {"action": "return", "comment": "Bổ sung"})
    report = AnnualReport.objects.get()
    # The sheet's comment is kept once, on the sheet, not in each report.
    assert (report.status, report.review_comment) == ("returned", "")
    sheet_return = SheetReturn.objects.get()
    assert (sheet_return.comment, sheet_return.reports) == ("Bổ sung", 1)
    assert report.transitions.last().sheet_return == sheet_return


def test_review_shows_the_latest_year_unless_asked(client, ministry_user, geography):
    (first,) = libraries(1)
    ReportFactory(institution=first, year=2023, status=ReportStatus.APPROVED)
    ReportFactory(institution=first, year=2024, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    rows = client.get(reverse("reports:review")).context["rows"]
    assert {row.year for row in rows} == {2024}
    rows = client.get(reverse("reports:review"), {"year": ""}).context["rows"]
    assert {row.year for row in rows} == {2023, 2024}


def test_review_sheet_keeps_its_filters_in_the_confirmation_and_after_it(
    client, ministry_user, library_a
):
    ReportFactory(institution=library_a, status=ReportStatus.SUBMITTED)
    logged_in(client, ministry_user)
    url = reverse("reports:review_sheet", args=[PROVINCE_A, 2024])
    page = client.get(url, {"category": "library_district", "page": "1"})
    assert page.context["confirm_query"] == "category=library_district&confirm=approve"
    assert page.context["page_query"] == "category=library_district"
    confirm = client.get(url, {"category": "library_district", "confirm": "approve"})
    response = client.post(
        f"{url}?category=library_district&confirm=approve",
        {"action": "approve", "selection": confirm.context["selection"]},
    )
    assert response.url == f"{url}?category=library_district"
    assert AnnualReport.objects.get().status == "approved"
