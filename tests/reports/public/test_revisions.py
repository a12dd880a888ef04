"""The revision log page: each changed figure old → new with the audited
changes behind it, who as a role and never a name; empty for a first
release."""

import pytest
from django.urls import reverse

from reports.releases.services import release_publish

from .conftest import correct

pytestmark = pytest.mark.django_db


def test_a_first_release_has_nothing_to_compare(client, release_2024):
    html = client.get(
        reverse("public:release_revisions", args=["2024-1"])
    ).content.decode()

    assert 'data-testid="revisions-first"' in html
    assert 'data-testid="revision"' not in html


@pytest.mark.parametrize(
    "language,ministry,officer,old_new",
    [
        ("vi", "Bộ VHTTDL", "cán bộ tỉnh Thành phố Hà Nội", "50,0"),
        ("en", "Ministry of Culture, Sports and Tourism", "officer of", "50.0"),
    ],
)
def test_a_correction_lists_the_changed_figures_and_why(
    client,
    release_2024,
    approved_2024,
    ministry_user,
    officer_a,
    language,
    ministry,
    officer,
    old_new,
):
    officer_a.first_name, officer_a.last_name = "Bảo", "Nguyễn Văn"
    officer_a.save()
    correct(approved_2024[2], ministry_user=ministry_user, officer_a=officer_a)
    release_publish(year=2024, notes="Đính chính")

    html = client.get(
        reverse("public:release_revisions", args=["2024-2"]),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()

    # District libraries' services changed in A and the nation, 2025 and 2030.
    assert html.count('data-testid="revision"') == 4
    assert old_new in html
    assert ministry in html
    assert officer in html
    assert "Sai số liệu dịch vụ" in html
    assert "Bổ sung dịch vụ học tập" in html
    for name in (
        ministry_user.username,
        officer_a.username,
        "Nguyễn Văn",
    ):
        assert name not in html
    assert 'href="/data/2024-1/revisions/"' in html


def test_a_row_says_how_many_audited_changes_it_does_not_list(
    client, release_2024, approved_2024, ministry_user, officer_a, monkeypatch
):
    from reports.releases import services

    monkeypatch.setattr(services, "AUDIT_PER_FIGURE", 1)
    correct(approved_2024[2], ministry_user=ministry_user, officer_a=officer_a)
    release_publish(year=2024)

    html = client.get(
        reverse("public:release_revisions", args=["2024-2"])
    ).content.decode()

    assert 'data-testid="revision-audit-more"' in html
    assert "thay đổi khác đã ghi nhận, không liệt kê" in html
