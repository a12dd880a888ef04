"""Publishing a release: approved reports only, frozen for good, numbered per
year, with the revision log of a correction."""

import datetime
import json

import pytest

from reports.entry.models import ReportStatus
from reports.progress.figures import progress_rows
from reports.releases.models import Release, ReleaseFrozen
from reports.releases.services import ReleaseError, release_publish
from reports.releases.snapshot import FrozenFigures
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.reports.releases.conftest import PUBLISHED, correct

pytestmark = pytest.mark.django_db

DISTRICT_2025 = ("library_lll_services", ["library_district"], 2025)


def _row(rows: list[dict], key=DISTRICT_2025) -> dict:
    family, categories, year = key
    return next(
        row
        for row in rows
        if row["family"] == family
        and row["categories"] == categories
        and row["target_year"] == year
    )


def test_a_release_counts_approved_reports_only(approved_2024):
    release = release_publish(year=2024, notes="First figures", now=PUBLISHED)

    snapshot = json.loads(release.snapshot)
    assert release.number == "2024-1"
    assert (release.year, release.sequence, release.notes) == (2024, 1, "First figures")
    # Province A: 4 active district libraries, 3 approved reports (the
    # submitted one is left out), 2 of them with services: 2 / 4 = 50.0 %.
    row = _row(snapshot["rows"][PROVINCE_A])
    assert (row["numerator"], row["denominator"], row["reporters"]) == (2, 4, 3)
    assert row["value"] == 50.0
    assert row["reporting_rate"] == 75.0
    # The nation adds B's one library: 3 of 5.
    nation = _row(snapshot["rows"]["VN"])
    assert (nation["numerator"], nation["denominator"]) == (3, 5)
    # Exactly the live figures of approved reports at that moment.
    assert snapshot["rows"]["VN"] == progress_rows(year=2024, approved_only=True)
    assert snapshot["rows"][PROVINCE_B] == progress_rows(
        year=2024, province_code=PROVINCE_B, approved_only=True
    )


def test_frozen_figures_give_back_the_stored_rows_without_a_query(
    approved_2024, django_assert_num_queries
):
    release = release_publish(year=2024, now=PUBLISHED)
    snapshot = json.loads(release.snapshot)

    with django_assert_num_queries(0):
        frozen = FrozenFigures(snapshot)
        rows = {
            area: [e.row() for e in frozen.evaluations(area)] for area in frozen.areas
        }

    assert rows == snapshot["rows"]
    assert len(rows) == 35  # the nation and the 34 provinces


def test_a_later_approved_change_moves_the_dashboards_not_the_release(
    approved_2024, ministry_user, officer_a
):
    release = release_publish(year=2024, now=PUBLISHED)
    frozen_text = release.snapshot
    report = approved_2024[2]  # A-3, approved without services

    correct(report, ministry_user=ministry_user, officer_a=officer_a)

    live = _row(progress_rows(year=2024, province_code=PROVINCE_A, approved_only=True))
    assert live["numerator"] == 3
    release.refresh_from_db()
    assert release.snapshot == frozen_text
    assert _row(json.loads(release.snapshot)["rows"][PROVINCE_A])["numerator"] == 2


def test_a_release_can_be_neither_changed_nor_deleted(approved_2024):
    release = release_publish(year=2024, now=PUBLISHED)

    release.notes = "changed"
    with pytest.raises(ReleaseFrozen):
        release.save()
    with pytest.raises(ReleaseFrozen):
        release.delete()
    with pytest.raises(ReleaseFrozen):
        Release.objects.filter(pk=release.pk).update(notes="changed")
    with pytest.raises(ReleaseFrozen):
        Release.objects.all().delete()
    release.refresh_from_db()
    assert release.notes == ""


def test_a_year_without_approved_reports_is_refused(approved_2024):
    with pytest.raises(ReleaseError, match="Chưa có báo cáo năm 2025 nào được duyệt"):
        release_publish(year=2025)
    with pytest.raises(ReleaseError, match="khoảng 2022 đến 2030"):
        release_publish(year=2031)
    assert not Release.objects.exists()


def test_drafts_submitted_and_returned_reports_alone_publish_nothing(geography):
    from tests.factories import ReportFactory
    from tests.reports.releases.conftest import library

    for code, status in [
        ("D", ReportStatus.DRAFT),
        ("S", ReportStatus.SUBMITTED),
        ("R", ReportStatus.RETURNED),
    ]:
        ReportFactory(institution=library(code), year=2024, status=status)
    with pytest.raises(ReleaseError):
        release_publish(year=2024)
    assert not Release.objects.exists()


def test_notes_too_long_are_refused(approved_2024):
    with pytest.raises(ReleaseError, match="tối đa 2000"):
        release_publish(year=2024, notes="x" * 2001)
    assert not Release.objects.exists()


def test_a_correction_is_the_next_number_with_the_changed_figures_and_reasons(
    approved_2024, ministry_user, officer_a
):
    # Published now: the audited changes are those made between the two.
    first = release_publish(year=2024)
    report = approved_2024[2]
    correct(report, ministry_user=ministry_user, officer_a=officer_a)

    second = release_publish(year=2024, notes="Correction")

    assert second.number == "2024-2"
    revisions = json.loads(second.snapshot)["revisions"]
    assert revisions["previous"] == first.number
    changed = {
        (f["area"], f["family"], tuple(f["categories"]), f["target_year"]): f
        for f in revisions["figures"]
    }
    # Exactly the rows of district libraries' services, in A and the nation,
    # for both target years; nothing in B, no other row.
    assert set(changed) == {
        (area, "library_lll_services", ("library_district",), year)
        for area in (PROVINCE_A, "VN")
        for year in (2025, 2030)
    }
    figure = changed[PROVINCE_A, "library_lll_services", ("library_district",), 2025]
    moves = {c["figure"]: (c["old"], c["new"]) for c in figure["changes"]}
    assert moves["numerator"] == (2, 3)
    assert moves["value"] == (50.0, 75.0)
    assert "denominator" not in moves
    # The audited changes behind it: the reopening (ministry, its reason),
    # the officer's change (its reason) and the approval.
    behind = [revisions["audit"][index] for index in figure["audit"]]
    assert [(e["who"], e["why"]) for e in behind if e["why"]] == [
        ("ministry", "Sai số liệu dịch vụ"),
        ("province:01", "Bổ sung dịch vụ học tập"),
    ]
    assert behind[-1]["status"] == ReportStatus.APPROVED
    assert behind[-1]["who"] == "ministry"
    assert all(e["province"] == PROVINCE_A for e in behind)
    # No person's name anywhere in the log.
    assert ministry_user.username not in second.snapshot
    assert officer_a.username not in second.snapshot


def test_the_first_release_of_a_year_has_no_revisions(approved_2024):
    release = release_publish(year=2024, now=PUBLISHED)
    assert json.loads(release.snapshot)["revisions"] is None


def test_an_unchanged_correction_lists_no_figure(approved_2024):
    release_publish(year=2024, now=PUBLISHED)
    second = release_publish(year=2024, now=PUBLISHED + datetime.timedelta(days=1))
    assert json.loads(second.snapshot)["revisions"]["figures"] == []


def test_a_figure_keeps_at_most_its_share_of_audited_changes_reasons_first(
    approved_2024, ministry_user, officer_a, monkeypatch
):
    from reports.releases import services

    monkeypatch.setattr(services, "AUDIT_PER_FIGURE", 2)
    release_publish(year=2024)
    report = approved_2024[2]
    correct(report, ministry_user=ministry_user, officer_a=officer_a)

    revisions = json.loads(release_publish(year=2024).snapshot)["revisions"]

    figure = next(f for f in revisions["figures"] if f["area"] == PROVINCE_A)
    # Three changes lie behind it (reopening, change, approval): the two with
    # a reason are kept, in time order, and the count says three.
    assert figure["audit_count"] == 3
    behind = [revisions["audit"][index] for index in figure["audit"]]
    assert [entry["why"] for entry in behind] == [
        "Sai số liệu dịch vụ",
        "Bổ sung dịch vụ học tập",
    ]
    # Only the changes some figure points to are kept.
    pointed = {index for f in revisions["figures"] for index in f["audit"]}
    assert pointed == set(range(len(revisions["audit"])))
