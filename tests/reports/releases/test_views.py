"""Ministry staff's release pages: the list, one release, and publishing
through the form and its confirmation (approved reports only, a double
submit publishes once); officers are refused, anonymous people sent to log
in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.releases.models import Release
from reports.releases.services import ReleaseError, release_publish
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("reports:releases")
PUBLISH = reverse("reports:release_publish")
CONFIRM = reverse("reports:release_publish_confirm")
AT_14_41_UTC = datetime.datetime(2026, 12, 1, 14, 41, tzinfo=datetime.UTC)


def _report(code: str, year: int, status: str, lll_services=True):
    return ReportFactory(
        institution=InstitutionFactory(
            code=code,
            name=f"Thư viện {code}",
            category=Category.LIBRARY_DISTRICT,
            province=PROVINCE_A,
            opened_year=2000,
        ),
        year=year,
        status=status,
        lll_services=lll_services,
    )


@pytest.fixture
def reports_2025(geography):
    """Two approved reports of 2025, one submitted and one draft (left out);
    and a 2024 report that is only submitted."""
    return [
        _report("L-1", 2025, ReportStatus.APPROVED),
        _report("L-2", 2025, ReportStatus.APPROVED, lll_services=False),
        _report("L-3", 2025, ReportStatus.SUBMITTED),
        _report("L-4", 2025, ReportStatus.DRAFT),
        _report("L-5", 2024, ReportStatus.SUBMITTED),
    ]


def _confirm(client, year=2025, notes="", number="2025-1"):
    return client.post(CONFIRM, {"year": year, "notes": notes, "number": number})


def test_officers_and_anonymous_people_may_not_see_or_publish_releases(
    client, officer_a, reports_2025
):
    release_publish(year=2025, notes="")
    detail = reverse("reports:release", args=["2025-1"])
    for url in (LIST, PUBLISH, detail):
        assert client.get(url).status_code == 302
        assert client.get(url).url.startswith(reverse("login"))
    client.force_login(officer_a)
    for url in (LIST, PUBLISH, detail):
        assert client.get(url).status_code == 403
    assert _confirm(client, number="2025-2").status_code == 403
    assert Release.objects.count() == 1


def test_the_list_says_when_there_is_no_release(client, ministry_user):
    client.force_login(ministry_user)
    page = client.get(LIST)
    assert page.status_code == 200
    assert 'data-testid="empty-state"' in page.text


def test_the_menu_offers_releases_to_ministry_staff_only(
    client, ministry_user, officer_a
):
    client.force_login(ministry_user)
    assert f'href="{LIST}"' in client.get(reverse("home")).text
    client.force_login(officer_a)
    assert f'href="{LIST}"' not in client.get(reverse("home")).text


def test_the_form_offers_years_with_approved_reports_and_what_is_left_out(
    client, ministry_user, reports_2025
):
    client.force_login(ministry_user)
    page = client.get(PUBLISH)
    assert page.status_code == 200
    assert '<option value="2025"' in page.text
    assert '<option value="2024"' not in page.text
    assert "2025 — 2 đã duyệt, 2 chưa duyệt" in page.text


def test_the_form_says_when_no_year_can_be_published(client, ministry_user):
    _report("L-9", 2025, ReportStatus.SUBMITTED)
    client.force_login(ministry_user)
    page = client.get(PUBLISH)
    assert 'data-testid="empty-state"' in page.text
    assert "<select" not in page.text


def test_the_confirmation_shows_the_number_the_reports_and_writes_nothing(
    client, ministry_user, reports_2025
):
    client.force_login(ministry_user)
    page = client.post(PUBLISH, {"year": 2025, "notes": "Số liệu chính thức"})
    assert page.status_code == 200
    assert "Công bố bản 2025-1 của năm số liệu 2025?" in page.text
    assert "Bản công bố gồm 2 báo cáo đã duyệt của năm." in page.text
    assert "2 báo cáo chưa được duyệt" in page.text
    assert 'data-testid="confirm-first"' in page.text
    assert 'name="number" value="2025-1"' in page.text
    assert 'value="Số liệu chính thức"' in page.text
    assert Release.objects.count() == 0


def test_ministry_publishes_2025_1_then_a_correction_2025_2(
    client, ministry_user, reports_2025
):
    client.force_login(ministry_user)
    response = _confirm(client, notes="Lần đầu")
    assert response.status_code == 302
    assert response.url == reverse("reports:release", args=["2025-1"])
    first = Release.objects.get()
    assert (first.number, first.year, first.notes) == ("2025-1", 2025, "Lần đầu")
    assert first.published_by == ministry_user
    page = client.get(response.url)
    assert "Đã công bố bản 2025-1" in page.text
    assert "Lần đầu" in page.text

    # A report approved afterwards: the confirmation counts what will change.
    reports_2025[2].status = ReportStatus.APPROVED
    reports_2025[2].save()
    page = client.post(PUBLISH, {"year": 2025, "notes": "Bổ sung L-3"})
    assert "Công bố bản 2025-2 của năm số liệu 2025?" in page.text
    assert 'data-testid="confirm-changes"' in page.text
    assert "So với bản 2025-1," in page.text
    assert "sẽ thay đổi" in page.text

    response = _confirm(client, notes="Bổ sung L-3", number="2025-2")
    assert response.url == reverse("reports:release", args=["2025-2"])
    second = Release.objects.get(number="2025-2")
    assert (second.year, second.sequence, second.notes) == (2025, 2, "Bổ sung L-3")
    assert second.published_by == ministry_user
    page = client.get(response.url)
    assert "So với bản 2025-1" in page.text

    rows = client.get(LIST).text
    assert rows.index('data-testid="release-2025-2"') < rows.index(
        'data-testid="release-2025-1"'
    )
    assert second.snapshot_sha256[:12] in rows
    assert "/data/2025-2/" in rows and "/data/2025-2/revisions/" in rows


def test_a_second_click_on_the_confirmation_publishes_nothing_more(
    client, ministry_user, reports_2025
):
    client.force_login(ministry_user)
    assert _confirm(client).status_code == 302
    again = _confirm(client)
    assert again.status_code == 200
    assert "Bản công bố 2025-1 của năm 2025 đã được công bố lúc" in again.text
    assert "không công bố thêm bản nào" in again.text
    assert list(Release.objects.values_list("number", flat=True)) == ["2025-1"]


def test_the_confirmation_again_says_when_in_vietnam_time_as_the_list_does(
    client, ministry_user, reports_2025
):
    """Back and submitting again: the time of the release already published is
    Vietnam's (UTC+7) in the list's format, not UTC."""
    release_publish(year=2025, notes="", now=AT_14_41_UTC)
    client.force_login(ministry_user)

    again = _confirm(client)

    assert "đã được công bố lúc 21:41 01/12/2026" in again.text
    assert "14:41" not in again.text
    assert "21:41 01/12/2026" in client.get(LIST).text


def test_a_release_page_says_when_in_the_format_of_the_list(
    client, ministry_user, reports_2025
):
    release_publish(year=2025, notes="", now=AT_14_41_UTC)
    client.force_login(ministry_user)

    page = client.get(reverse("reports:release", args=["2025-1"])).text

    assert '<dd class="col-sm-9">21:41 01/12/2026</dd>' in page
    assert "Ngày 01" not in page


def test_a_release_published_by_someone_else_meanwhile_is_not_repeated(
    client, ministry_user, administrator, reports_2025
):
    client.force_login(ministry_user)
    page = client.post(PUBLISH, {"year": 2025})
    assert 'name="number" value="2025-1"' in page.text
    release_publish(year=2025, user=administrator, notes="")
    response = _confirm(client)
    assert response.status_code == 200
    assert "Bản công bố 2025-1 của năm 2025 đã được công bố lúc" in response.text
    assert Release.objects.count() == 1


def test_a_release_that_overtakes_the_check_is_rolled_back(
    client, ministry_user, reports_2025, monkeypatch
):
    """Published by another request after the form's check and before this
    one's: the unique number lets only one 2025-1 exist, and a 2025-2 made by
    this request instead is rolled back."""
    from reports.releases import forms

    release_publish(year=2025, notes="khác")
    # The form's check ran before the other release was written.
    monkeypatch.setattr(forms, "release_next_number", lambda year: "2025-1")
    client.force_login(ministry_user)
    response = _confirm(client)
    assert response.status_code == 200
    assert "Bản công bố 2025-1 của năm 2025 đã được công bố lúc" in response.text
    assert list(Release.objects.values_list("number", "notes")) == [("2025-1", "khác")]


def test_notes_that_are_too_long_are_refused(client, ministry_user, reports_2025):
    client.force_login(ministry_user)
    for url in (PUBLISH, CONFIRM):
        page = client.post(url, {"year": 2025, "notes": "x" * 2001, "number": "2025-1"})
        assert page.status_code == 200
        assert "Ghi chú tối đa 2000 ký tự (hiện có 2001)." in page.text
    # Line breaks sent as CRLF count once, and are kept as LF.
    notes = "\r\n".join(["x" * 999, "y" * 1000])
    assert _confirm(client, notes=notes).status_code == 302
    assert Release.objects.get().notes == notes.replace("\r\n", "\n")


def test_a_year_without_approved_reports_is_refused_clearly(
    client, ministry_user, reports_2025
):
    client.force_login(ministry_user)
    for url in (PUBLISH, CONFIRM):
        page = client.post(url, {"year": 2024, "number": "2024-1"})
        assert page.status_code == 200
        assert "Không thể công bố số liệu năm 2024" in page.text
    assert Release.objects.count() == 0


def test_a_year_outside_the_targets_is_not_offered_and_nothing_written(
    client, ministry_user, geography
):
    """Approved reports of a year outside the target rows (2031): the form
    does not offer it, a forged post is refused, as the service refuses it."""
    _report("L-7", 2031, ReportStatus.APPROVED)
    client.force_login(ministry_user)
    assert 'value="2031"' not in client.get(PUBLISH).text
    page = _confirm(client, year=2031, number="2031-1")
    assert page.status_code == 200
    assert "chưa có gì để công bố" in page.text
    with pytest.raises(ReleaseError):
        release_publish(year=2031)
    assert Release.objects.count() == 0


def test_the_confirmation_may_only_be_posted(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(CONFIRM).status_code == 405


def test_the_list_shows_who_published_and_pages(client, ministry_user, reports_2025):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(21):
        release_publish(
            year=2025,
            user=ministry_user if day == 0 else None,
            notes=f"Ghi chú {day}",
            now=start + datetime.timedelta(days=day),
        )
    ministry_user.first_name, ministry_user.last_name = "Hà", "Trần Văn"
    ministry_user.save()
    client.force_login(ministry_user)
    first = client.get(LIST)
    assert first.text.count('data-testid="release-2025-') == 20
    assert 'data-testid="release-2025-21"' in first.text
    assert 'data-testid="release-2025-1"' not in first.text
    second = client.get(LIST, {"page": 2})
    assert 'data-testid="release-2025-1"' in second.text
    assert "Trần Văn Hà" in second.text
    assert "Ghi chú 0" in second.text


def test_the_confirmation_warns_when_few_institutions_have_an_approved_report(
    client, ministry_user, reports_2025
):
    """2 approved reports of 5 institutions active in 2025 (40 %, under 80 %):
    a warning, and publishing is still possible."""
    client.force_login(ministry_user)

    page = client.post(PUBLISH, {"year": 2025}).text

    assert 'data-testid="confirm-low-coverage"' in page
    assert 'class="alert alert-warning' in page
    assert "Chỉ 40% thiết chế có báo cáo đã được duyệt." in page
    assert "2 trên 5 thiết chế hoạt động năm 2025 có báo cáo đã được duyệt." in page
    assert 'data-testid="release-confirm-publish"' in page
    assert _confirm(client).status_code == 302


def test_the_confirmation_does_not_warn_when_most_reports_are_approved(
    client, ministry_user, geography
):
    for code in ("L-1", "L-2", "L-3", "L-4"):
        _report(code, 2025, ReportStatus.APPROVED)
    _report("L-5", 2025, ReportStatus.SUBMITTED)
    client.force_login(ministry_user)

    page = client.post(PUBLISH, {"year": 2025}).text

    assert 'data-testid="release-confirm"' in page
    assert 'data-testid="confirm-low-coverage"' not in page


def test_the_years_choice_says_which_years_already_have_a_release(
    client, ministry_user, reports_2025
):
    _report("L-6", 2024, ReportStatus.APPROVED)
    release_publish(year=2025, notes="")
    release_publish(year=2025, notes="")
    client.force_login(ministry_user)

    page = client.get(PUBLISH).text

    assert "2025 — 2 đã duyệt, 2 chưa duyệt (đã có 2025-2)" in page
    assert "2024 — 1 đã duyệt, 1 chưa duyệt</option>" in page
