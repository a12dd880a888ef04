"""What the public pages read: published releases, and nothing else.

A release's figures come from its snapshot alone
(:class:`~reports.releases.snapshot.FrozenFigures`); no live count, report,
follow-up list or person is ever read here.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import gettext as _

from institutions.text import place_sort_key
from reports.releases.models import RELEASE_LIST_KEY, Release
from reports.releases.snapshot import FrozenFigures


@dataclass(frozen=True)
class ReleaseEntry:
    """A release as the drop-down lists it."""

    number: str
    year: int
    published_at: datetime
    latest: bool


@dataclass(frozen=True)
class PublicProvince:
    """A province as the release recorded it (the tables and maps read
    ``code``, ``name`` and ``name_sort``)."""

    code: str
    name: str
    name_sort: str


def release_entries() -> list[ReleaseEntry]:
    """Every release, newest first, the newest marked latest: read once and
    kept in the cache until a release is published (its save deletes it), so
    a cached public page costs no query."""

    def read():
        rows = Release.objects.order_by("-published_at", "-pk").values_list(
            "number", "year", "published_at"
        )
        return [
            ReleaseEntry(number=number, year=year, published_at=when, latest=index == 0)
            for index, (number, year, when) in enumerate(rows)
        ]

    return cache.get_or_set(RELEASE_LIST_KEY, read, None)


def release_get(number: str) -> Release:
    try:
        return Release.objects.get(number=number)
    except Release.DoesNotExist:
        raise Http404(_("No release has this number.")) from None


def release_newest() -> Release | None:
    return Release.objects.order_by("-published_at", "-pk").first()


# Parsed snapshots by SHA-256: a release never changes, so its digest names
# its figures for good. A few are kept per process (the latest and the ones
# people compare it with).
_FROZEN: dict[str, FrozenFigures] = {}
FROZEN_KEPT = 8


def release_figures(release: Release) -> FrozenFigures:
    """The release's figures, parsed once per process."""
    figures = _FROZEN.get(release.snapshot_sha256)
    if figures is None:
        figures = FrozenFigures(json.loads(release.snapshot))
        if len(_FROZEN) >= FROZEN_KEPT:
            _FROZEN.pop(next(iter(_FROZEN)))
        _FROZEN[release.snapshot_sha256] = figures
    return figures


def release_provinces(figures: FrozenFigures) -> list[PublicProvince]:
    """The provinces of the release, in Vietnamese alphabetical order."""
    provinces = [
        PublicProvince(code=code, name=name, name_sort=place_sort_key(name))
        for code, name in figures.province_names.items()
    ]
    return sorted(provinces, key=lambda province: province.name_sort)
