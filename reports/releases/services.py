"""Publishing a release, and what moved since the release before it.

:func:`release_publish` is the one way a release is made (the page, the admin
action and ``manage.py publish_release`` call it): it freezes the figures of a
data year from approved reports only, numbers the release (``2025-1``, then
``2025-2``) and, when an earlier release of the year exists, writes down in
the snapshot every figure that changed (old → new) with the audited changes
behind it: approvals, reopenings and other changes with a reason, of the
reports and institutions of that area and those categories, made between the
two publications. Who is kept as a role (ministry, a province's officer,
the command line), never a person's name: the log is public.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import Institution
from lifelong_learning.history import reason_clip
from lifelong_learning.roles import user_province, user_sees_all_provinces
from reports.entry.models import AnnualReport, ReportStatus
from reports.progress.figures import NATION
from reports.releases.models import Release
from reports.releases.snapshot import canonical, snapshot_build
from targets.selectors import target_list

# The figures of a row that a revision compares, in the order a log shows them.
COMPARED = (
    "value",
    "status",
    "numerator",
    "denominator",
    "reporters",
    "reporting_rate",
    "on_time",
    "on_time_rate",
    "panel",
    "base_total",
    "year_total",
)
NOTES_MAX_LENGTH = 2000
# The audited changes a revision log keeps per changed figure (those with a
# reason first): a year's approvals nationwide can number in the thousands.
AUDIT_PER_FIGURE = 100


@dataclass(frozen=True)
class ReleaseError(Exception):
    message: str

    def __str__(self) -> str:
        return self.message


def release_year_range() -> tuple[int, int] | None:
    """The data years a release can hold: from the earliest baseline year to
    the last target year (None without target rows)."""
    targets = list(target_list())
    if not targets:
        return None
    return min(t.baseline_year for t in targets), max(t.year for t in targets)


def _year_check(year: int) -> None:
    years = release_year_range()
    if years is None:
        raise ReleaseError(_("There are no target rows: run the migrations."))
    first, last = years
    if not first <= year <= last:
        raise ReleaseError(
            _("The data year must lie between %(first)s and %(last)s.")
            % {"first": first, "last": last}
        )
    approved = AnnualReport.objects.filter(year=year, status=ReportStatus.APPROVED)
    if not approved.exists():
        raise ReleaseError(
            _(
                "No report of %(year)s is approved yet: a release holds approved "
                "reports only."
            )
            % {"year": year}
        )


def _role(user) -> str:
    """Who made a change, as the public log names them."""
    if user is None:
        return "system"
    if user_sees_all_provinces(user):
        return "ministry"
    province = user_province(user)
    return f"province:{province.code}" if province else "system"


def release_latest(year: int | None = None) -> Release | None:
    releases = Release.objects.order_by("-published_at", "-pk")
    if year is not None:
        releases = releases.filter(year=year)
    return releases.first()


def release_publish(*, year: int, user=None, notes: str = "", now=None) -> Release:
    """Publishes the next release of ``year`` and returns it."""
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise ReleaseError(
            _("Notes can be at most %(max)s characters.") % {"max": NOTES_MAX_LENGTH}
        )
    _year_check(year)
    now = now or timezone.now()
    publisher = settings.RELEASE_PUBLISHER
    with transaction.atomic():
        previous = release_latest(year)
        sequence = previous.sequence + 1 if previous else 1
        number = f"{year}-{sequence}"
        snapshot = snapshot_build(
            year=year,
            number=number,
            published_at=now,
            publisher=publisher,
            notes=notes,
        )
        snapshot["revisions"] = (
            revisions_build(previous, snapshot, until=now) if previous else None
        )
        release = Release(
            number=number,
            year=year,
            sequence=sequence,
            published_at=now,
            published_by=user,
            publisher=publisher,
            notes=notes,
            snapshot=canonical(snapshot),
        )
        try:
            with transaction.atomic():
                release.save()
        except IntegrityError as error:
            raise ReleaseError(
                _("Release %(number)s was published at the same moment: try again.")
                % {"number": number}
            ) from error
    return release


# Revisions ----------------------------------------------------------------------


def _row_key(row: dict) -> tuple:
    return (row["family"], tuple(row["categories"]), row["target_year"])


def figure_changes(old: dict, new: dict) -> list[dict]:
    """Every figure of ``new``'s rows that differs from ``old``'s, per area and
    target row: ``{"area", "family", "categories", "target_year", "changes":
    [{"figure", "old", "new"}]}``, in the new snapshot's order."""
    changed = []
    for area, rows in new["rows"].items():
        before = {_row_key(row): row for row in old["rows"].get(area, [])}
        for row in rows:
            was = before.get(_row_key(row), {})
            changes = [
                {"figure": name, "old": was.get(name), "new": row.get(name)}
                for name in COMPARED
                if (name in row or name in was) and was.get(name) != row.get(name)
            ]
            if changes:
                changed.append(
                    {
                        "area": area,
                        "family": row["family"],
                        "categories": row["categories"],
                        "target_year": row["target_year"],
                        "changes": changes,
                    }
                )
    return changed


class _Roles:
    """Each user's role, worked out once per user (:func:`_role`)."""

    def __init__(self):
        self.users = get_user_model().objects
        self.known: dict[int | None, str] = {None: "system"}

    def __call__(self, user_id: int | None) -> str:
        if user_id not in self.known:
            self.known[user_id] = _role(self.users.filter(pk=user_id).first())
        return self.known[user_id]


def _audit_entries(year: int, since, until) -> list[dict]:
    """The audited changes between two publications that can move a year's
    figures: report records that are approvals or carry a reason, and
    institution records (openings, closings, moves), oldest first. Read as
    plain rows (a year's approvals can be many); the place and category of a
    report are its institution's, joined in the same query."""
    role = _Roles()
    entries = []

    def add(key, when, user, reason, what, status, institution, province, category):
        entries.append(
            (
                key,
                {
                    "when": when.isoformat(),
                    "who": role(user),
                    "why": reason_clip(reason or ""),
                    "what": what,
                    "status": status,
                    "institution": institution,
                    "province": province,
                    "category": category,
                },
            )
        )

    reports = (
        AnnualReport.history.filter(
            year=year, history_date__gt=since, history_date__lte=until
        )
        .filter(
            Q(status=ReportStatus.APPROVED)
            | Q(history_change_reason__isnull=False) & ~Q(history_change_reason="")
        )
        .order_by()
        .values_list(
            "history_id",
            "history_date",
            "history_user_id",
            "history_change_reason",
            "status",
            "institution_id",
            "institution__province_id",
            "institution__category",
        )
    )
    for pk, when, user, reason, status, *place in reports.iterator(chunk_size=2000):
        add((when, 0, pk), when, user, reason, "report", status, *place)
    institutions = (
        Institution.history.filter(history_date__gt=since, history_date__lte=until)
        .order_by()
        .values_list(
            "history_id",
            "history_date",
            "history_user_id",
            "history_change_reason",
            "id",
            "province_id",
            "category",
        )
    )
    for pk, when, user, reason, *place in institutions.iterator(chunk_size=2000):
        add((when, 1, pk), when, user, reason, "institution", None, *place)
    entries.sort(key=lambda item: item[0])
    return [entry for _key, entry in entries]


def _behind(indexes: list[int], entries: list[dict]) -> list[int]:
    """At most :data:`AUDIT_PER_FIGURE` of ``indexes``: every change with a
    reason first, then the latest others, in time order."""
    if len(indexes) <= AUDIT_PER_FIGURE:
        return indexes
    reasoned = [index for index in indexes if entries[index]["why"]]
    others = [index for index in indexes if not entries[index]["why"]]
    kept = reasoned[-AUDIT_PER_FIGURE:]
    kept += others[len(others) - (AUDIT_PER_FIGURE - len(kept)) :]
    return sorted(kept)


def revisions_build(previous: Release, snapshot: dict, *, until) -> dict:
    """What changed since ``previous``: the changed figures, each with the
    audited changes behind it (those of its area, nationwide for the nation,
    and its categories): at most :data:`AUDIT_PER_FIGURE` of them, with
    ``audit_count`` saying how many there were. Only the changes a figure
    points to are kept."""
    old = previous_snapshot(previous)
    changed = figure_changes(old, snapshot)
    entries = _audit_entries(snapshot["release"]["year"], previous.published_at, until)
    by_category: dict[str, list[int]] = defaultdict(list)
    by_place: dict[tuple, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        by_category[entry["category"]].append(index)
        by_place[entry["category"], entry["province"]].append(index)
    for figure in changed:
        if figure["area"] == NATION:
            found = [i for c in figure["categories"] for i in by_category[c]]
        else:
            found = [
                i for c in figure["categories"] for i in by_place[c, figure["area"]]
            ]
        found.sort()
        figure["audit"] = _behind(found, entries)
        figure["audit_count"] = len(found)
    # Renumbered to the changes kept.
    kept = sorted({index for figure in changed for index in figure["audit"]})
    position = {index: new for new, index in enumerate(kept)}
    for figure in changed:
        figure["audit"] = [position[index] for index in figure["audit"]]
    return {
        "previous": previous.number,
        "figures": changed,
        "audit": [entries[index] for index in kept],
    }


def previous_snapshot(release: Release) -> dict:
    return json.loads(release.snapshot)
