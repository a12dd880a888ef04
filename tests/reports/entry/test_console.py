"""The review console: one province's year as a whole, each submitted report
with its changes since the last approval and its explained warnings; chosen
reports, a category or the province approved after a confirmation naming
them; chosen reports returned, each with its own comment."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from institutions.models import Category
from reports.entry import services, workflow
from reports.entry.models import AnnualReport, ReportComment, ReportStatus
from tests.conftest import PROVINCE_A
from tests.factories import ReportFactory
from tests.reports.conftest import libraries

pytestmark = pytest.mark.django_db

CONSOLE = reverse("reports:review_console", args=[PROVINCE_A, 2024])
APPROVE = reverse("reports:review_console_approve", args=[PROVINCE_A, 2024])
RETURN = reverse("reports:review_console_return", args=[PROVINCE_A, 2024])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def submitted(library, **values):
    return ReportFactory(institution=library, status=ReportStatus.SUBMITTED, **values)


def statuses() -> dict[str, str]:
    return dict(AnnualReport.objects.values_list("institution__code", "status"))


def test_console_shows_the_changes_since_the_last_approval(
    client, ministry_user, officer_a, geography
):
    approved_once, never = libraries(2)
    report = submitted(approved_once, learning_visits=10, lll_services=True)
    workflow.report_approve(user=ministry_user, report=report)
    workflow.report_reopen(user=ministry_user, report=report, reason="Sửa số lượt")
    report.refresh_from_db()
    services.report_save(
        user=officer_a,
        institution=approved_once,
        year=2024,
        values={"learning_visits": 12, "lll_services": True},
        expected_version=report.version,
        status=ReportStatus.SUBMITTED,
    )
    submitted(never, learning_visits=7)
    client.force_login(ministry_user)

    response = client.get(CONSOLE)

    assert response.status_code == 200
    (group,) = response.context["groups"]
    assert group.category == Category.LIBRARY_DISTRICT
    first, second = group.items
    assert first.report.institution == approved_once
    assert not first.is_new
    assert [(c.name, c.old, c.new) for c in first.changes] == [
        ("learning_visits", 10, 12)
    ]
    assert second.is_new
    assert [(c.name, c.old, c.new) for c in second.changes] == [
        ("learning_visits", None, 7)
    ]
    row = response.text.split(f'data-testid="console-report-{approved_once.code}"')[1]
    assert "10 → <strong>12</strong>" in row.split("</li>")[0]
    row = response.text.split(f'data-testid="console-report-{never.code}"')[1]
    assert 'data-testid="new-report"' in row.split("</li>")[0]


def test_console_shows_warnings_with_their_explanations(
    client, ministry_user, geography
):
    (library,) = libraries(1)
    warning = {
        "field": "learning_visits",
        "message": "Lượt tăng gấp bốn",
        "explanation": "Mở thêm phòng đọc thiếu nhi",
    }
    submitted(library, learning_visits=400, warnings=[warning])
    client.force_login(ministry_user)

    response = client.get(CONSOLE)

    assert "Lượt tăng gấp bốn" in response.text
    assert "Mở thêm phòng đọc thiếu nhi" in response.text


def test_console_lists_only_submitted_reports_grouped_by_category(
    client, ministry_user, museum_a, geography
):
    first, second = libraries(2)
    submitted(first)
    ReportFactory(institution=second, status=ReportStatus.APPROVED)
    submitted(museum_a)
    client.force_login(ministry_user)

    groups = client.get(CONSOLE).context["groups"]

    assert [(g.category, [i.report.institution for i in g.items]) for g in groups] == [
        (Category.LIBRARY_DISTRICT, [first]),
        (Category.MUSEUM, [museum_a]),
    ]


def test_officers_may_not_open_the_console(client, officer_a, geography):
    client.force_login(officer_a)
    assert client.get(CONSOLE).status_code == 403
    assert client.get(APPROVE, {"all": "1"}).status_code == 403


def test_queue_and_review_sheet_link_the_console(client, ministry_user, geography):
    submitted(libraries(1)[0])
    client.force_login(ministry_user)
    queue = client.get(reverse("reports:review"), {"year": 2024})
    sheet = client.get(reverse("reports:review_sheet", args=[PROVINCE_A, 2024]))
    assert CONSOLE in queue.text
    assert CONSOLE in sheet.text


# Approval ----------------------------------------------------------------------


def test_confirmation_of_chosen_reports_names_them_and_approves_only_them(
    client, ministry_user, geography
):
    first, second, third = libraries(3)
    reports = [submitted(library) for library in (first, second, third)]
    client.force_login(ministry_user)

    confirm = client.get(APPROVE, {"report": [reports[0].pk, reports[2].pk]})

    assert confirm.context["scope"] == "chosen"
    listed = confirm.text.split('data-testid="confirm-list"')[1].split("</ul>")[0]
    assert first.name in listed and third.name in listed
    assert second.name not in listed
    assert "2" in confirm.text.split('data-testid="confirm-what"')[1].split("</h1>")[0]
    response = client.post(
        f"{APPROVE}?report={reports[0].pk}&report={reports[2].pk}",
        {"selection": confirm.context["selection"]},
    )
    assert response.status_code == 302
    assert statuses() == {
        first.code: "approved",
        second.code: "submitted",
        third.code: "approved",
    }


def test_confirmation_of_a_category_names_the_category_and_its_reports(
    client, ministry_user, museum_a, geography
):
    (library,) = libraries(1)
    submitted(library)
    submitted(museum_a)
    client.force_login(ministry_user)

    confirm = client.get(APPROVE, {"category": Category.MUSEUM})

    heading = confirm.text.split('data-testid="confirm-what"')[1].split("</h1>")[0]
    assert str(Category.MUSEUM.label) in heading
    listed = confirm.text.split('data-testid="confirm-list"')[1].split("</ul>")[0]
    assert museum_a.name in listed and library.name not in listed
    client.post(
        f"{APPROVE}?category={Category.MUSEUM}",
        {"selection": confirm.context["selection"]},
    )
    assert statuses() == {museum_a.code: "approved", library.code: "submitted"}


def test_confirmation_of_the_province_approves_every_submitted_report(
    client, ministry_user, museum_a, library_b, geography
):
    (library,) = libraries(1)
    submitted(library)
    submitted(museum_a)
    submitted(library_b)
    client.force_login(ministry_user)

    confirm = client.get(APPROVE, {"all": "1"})

    assert len(confirm.context["reports"]) == 2
    client.post(f"{APPROVE}?all=1", {"selection": confirm.context["selection"]})
    assert statuses() == {
        library.code: "approved",
        museum_a.code: "approved",
        library_b.code: "submitted",
    }


def test_nothing_chosen_goes_back_to_the_console(client, ministry_user, geography):
    client.force_login(ministry_user)
    response = client.get(APPROVE)
    assert response.status_code == 302 and response.url == CONSOLE


def test_approval_is_refused_naming_a_report_that_changed_since_the_confirmation(
    client, ministry_user, geography
):
    first, second = libraries(2)
    reports = [submitted(first), submitted(second)]
    client.force_login(ministry_user)
    query = f"report={reports[0].pk}&report={reports[1].pk}"
    confirm = client.get(f"{APPROVE}?{query}")
    # The report is returned and sent again by the province meanwhile.
    changed = reports[1]
    changed.learning_visits = 99
    changed.version += 1
    changed.save()

    response = client.post(
        f"{APPROVE}?{query}", {"selection": confirm.context["selection"]}
    )

    assert set(statuses().values()) == {"submitted"}
    (message,) = texts(response)
    assert second.name in message and first.name not in message


def test_a_category_approval_is_refused_when_a_report_was_submitted_since(
    client, ministry_user, geography
):
    first, late = libraries(2)
    submitted(first)
    client.force_login(ministry_user)
    query = f"category={Category.LIBRARY_DISTRICT}"
    confirm = client.get(f"{APPROVE}?{query}")
    submitted(late)

    response = client.post(
        f"{APPROVE}?{query}", {"selection": confirm.context["selection"]}
    )

    assert set(statuses().values()) == {"submitted"}
    assert late.name in texts(response)[0]


# Return ------------------------------------------------------------------------


def test_chosen_reports_are_returned_each_with_its_own_comment(
    client, ministry_user, geography
):
    first, second, kept = libraries(3)
    reports = [submitted(library) for library in (first, second, kept)]
    client.force_login(ministry_user)
    form = client.get(RETURN, {"report": [reports[0].pk, reports[1].pk]})
    assert [row["report"] for row in form.context["rows"]] == reports[:2]

    response = client.post(
        RETURN,
        {
            "selection": form.context["selection"],
            f"comment-{reports[0].pk}": "Thiếu số lượt",
            f"comment-{reports[1].pk}": "Kiểm tra tiêu chí chuyển đổi số",
        },
    )

    assert response.status_code == 302
    assert statuses() == {
        first.code: "returned",
        second.code: "returned",
        kept.code: "submitted",
    }
    comments = dict(AnnualReport.objects.values_list("pk", "review_comment"))
    assert comments[reports[0].pk] == "Thiếu số lượt"
    assert comments[reports[1].pk] == "Kiểm tra tiêu chí chuyển đổi số"
    # Each comment opens the report's thread, as written by the reviewer.
    thread = ReportComment.objects.order_by("report_id")
    assert [(c.report_id, c.body, c.author) for c in thread] == [
        (reports[0].pk, "Thiếu số lượt", ministry_user),
        (reports[1].pk, "Kiểm tra tiêu chí chuyển đổi số", ministry_user),
    ]


def test_an_empty_return_comment_is_refused_naming_the_institution(
    client, ministry_user, geography
):
    first, second = libraries(2)
    reports = [submitted(first), submitted(second)]
    client.force_login(ministry_user)
    form = client.get(RETURN, {"report": [r.pk for r in reports]})

    response = client.post(
        RETURN,
        {
            "selection": form.context["selection"],
            f"comment-{reports[0].pk}": "Thiếu số lượt",
            f"comment-{reports[1].pk}": "   ",
        },
    )

    assert response.status_code == 400
    assert set(statuses().values()) == {"submitted"}
    assert not ReportComment.objects.exists()
    errors = response.text.split('data-testid="comment-error"')
    assert len(errors) == 2 and second.name in errors[1].split("</div>")[0]
    # What the reviewer wrote is kept.
    assert "Thiếu số lượt" in response.text
    assert 'data-testid="return-refused"' in response.text


def test_a_return_is_refused_when_a_chosen_report_changed_since(
    client, ministry_user, geography
):
    (library,) = libraries(1)
    report = submitted(library)
    client.force_login(ministry_user)
    form = client.get(RETURN, {"report": [report.pk]})
    report.version += 1
    report.save()

    response = client.post(
        RETURN,
        {"selection": form.context["selection"], f"comment-{report.pk}": "Sửa"},
    )

    assert statuses() == {library.code: "submitted"}
    assert library.name in texts(response)[0]


def test_reports_of_another_province_cannot_be_chosen(
    client, ministry_user, library_b, geography
):
    other = submitted(library_b)
    client.force_login(ministry_user)
    response = client.post(APPROVE, {"selection": workflow.selection_encode([other])})
    assert statuses() == {library_b.code: "submitted"}
    assert library_b.name in texts(response)[0]
