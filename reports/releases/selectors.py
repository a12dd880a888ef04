"""Reads for the staff pages of releases: the list, one release, the data
years that can be published and what a publication would hold."""

import json
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from institutions.activity import active_q
from institutions.models import Institution
from lifelong_learning.pagination import BoundedPaginator
from reports.entry.models import AnnualReport, ReportStatus
from reports.releases.models import Release
from reports.releases.services import (
    figure_changes,
    release_latest,
    release_year_range,
)
from reports.releases.snapshot import snapshot_build

RELEASES_PAGE_SIZE = 20
# Below this share of the year's active institutions with an approved report,
# the confirmation warns that the public cards would show low reporting rates.
LOW_COVERAGE = Fraction(4, 5)


@dataclass(frozen=True)
class YearCounts:
    """A data year's reports: those a release would hold (approved) and those
    it would leave out (drafts, submitted, returned); the institutions active
    that year (the denominator of the reporting rates a release shows) and
    the year's latest release, if any."""

    year: int
    approved: int
    left_out: int
    active: int = 0
    released: str | None = None

    @property
    def coverage(self) -> Fraction | None:
        """Percentage of the active institutions with an approved report: the
        reporting rate the release's cards would show for the nation."""
        return Fraction(100 * self.approved, self.active) if self.active else None

    @property
    def coverage_percent(self) -> int | None:
        """The coverage rounded down, so 79.6 never reads as 80."""
        return None if self.coverage is None else int(self.coverage)

    @property
    def coverage_low(self) -> bool:
        return self.coverage is not None and self.coverage < 100 * LOW_COVERAGE


@dataclass(frozen=True)
class ReleasePreview:
    """What publishing a year now would give: its number and reports, and
    (with an earlier release of the year) how many figures would change."""

    number: str
    counts: YearCounts
    previous: Release | None
    changed_rows: int | None
    changed_figures: int | None


def release_page(*, page_number) -> Page:
    releases = Release.objects.select_related("published_by").defer("snapshot")
    return BoundedPaginator(releases, RELEASES_PAGE_SIZE).get_page(page_number)


def release_get(*, number: str) -> Release:
    return get_object_or_404(
        Release.objects.select_related("published_by"), number=number
    )


def release_public_url(number: str, page: str = "overview") -> str:
    """The address of a public page of the release ``number``."""
    return reverse(f"public:release_{page}", kwargs={"number": number})


def release_years() -> list[YearCounts]:
    """The data years with at least one approved report that a release can
    hold (within the targets' years), newest first."""
    years = release_year_range()
    if years is None:
        return []
    rows = (
        AnnualReport.objects.filter(year__range=years)
        .values("year")
        .annotate(
            approved=Count("pk", filter=Q(status=ReportStatus.APPROVED)),
            left_out=Count("pk", filter=~Q(status=ReportStatus.APPROVED)),
        )
        .filter(approved__gt=0)
        .order_by("-year")
    )
    rows = list(rows)
    if not rows:
        return []
    active = Institution.objects.aggregate(
        **{
            f"active_{row['year']}": Count("pk", filter=active_q(row["year"]))
            for row in rows
        }
    )
    released = dict(
        Release.objects.values("year")
        .annotate(sequence=Max("sequence"))
        .values_list("year", "sequence")
    )
    return [
        YearCounts(
            **row,
            active=active[f"active_{row['year']}"],
            released=(
                f"{row['year']}-{released[row['year']]}"
                if row["year"] in released
                else None
            ),
        )
        for row in rows
    ]


def release_next_number(year: int) -> str:
    latest = release_latest(year)
    return f"{year}-{latest.sequence + 1 if latest else 1}"


def release_preview(*, counts: YearCounts, notes: str = "") -> ReleasePreview:
    """What publishing ``counts.year`` now would give; the figures are compared
    with the year's latest release on a snapshot built now (nothing saved)."""
    number = release_next_number(counts.year)
    previous = release_latest(counts.year)
    changed_rows = changed_figures = None
    if previous is not None:
        snapshot = snapshot_build(
            year=counts.year,
            number=number,
            published_at=timezone.now(),
            publisher=settings.RELEASE_PUBLISHER,
            notes=notes,
        )
        changed = figure_changes(json.loads(previous.snapshot), snapshot)
        changed_rows = len(changed)
        changed_figures = sum(len(row["changes"]) for row in changed)
    return ReleasePreview(
        number=number,
        counts=counts,
        previous=previous,
        changed_rows=changed_rows,
        changed_figures=changed_figures,
    )


def release_revisions(release: Release) -> dict | None:
    """The release's revision log (None for the first release of a year)."""
    return json.loads(release.snapshot).get("revisions")
