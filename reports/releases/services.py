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
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import Institution
from lifelong_learning.history import reason_clip
from lifelong_learning.roles import user_province, user_sees_all_provinces
from reports.entry.models import AnnualReport, ReportStatus
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


def _audit_entries(year: int, since, until) -> list[dict]:
    """The audited changes between two publications that can move a year's
    figures: report records that are approvals or carry a reason, and
    institution records (openings, closings, moves), oldest first."""
    reports = (
        AnnualReport.history.filter(
            year=year, history_date__gt=since, history_date__lte=until
        )
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    institutions = {
        pk: (province, category)
        for pk, province, category in Institution.objects.filter(
            pk__in={record.institution_id for record in reports}
        ).values_list("pk", "province_id", "category")
    }
    entries = []
    for record in reports:
        if record.status != ReportStatus.APPROVED and not record.history_change_reason:
            continue
        province, category = institutions.get(record.institution_id, (None, None))
        entries.append(
            {
                "when": record.history_date.isoformat(),
                "who": _role(record.history_user),
                "why": reason_clip(record.history_change_reason or ""),
                "what": "report",
                "status": record.status,
                "institution": record.institution_id,
                "province": province,
                "category": category,
                "_sort": (record.history_date, 0, record.history_id),
            }
        )
    for record in Institution.history.filter(
        history_date__gt=since, history_date__lte=until
    ).select_related("history_user"):
        entries.append(
            {
                "when": record.history_date.isoformat(),
                "who": _role(record.history_user),
                "why": reason_clip(record.history_change_reason or ""),
                "what": "institution",
                "status": None,
                "institution": record.id,
                "province": record.province_id,
                "category": record.category,
                "_sort": (record.history_date, 1, record.history_id),
            }
        )
    entries.sort(key=lambda entry: entry.pop("_sort"))
    return entries


def revisions_build(previous: Release, snapshot: dict, *, until) -> dict:
    """What changed since ``previous``: the changed figures, each with the
    indexes of the audited changes behind it (those of its area, nationwide
    for the nation, and its categories)."""
    old = previous_snapshot(previous)
    changed = figure_changes(old, snapshot)
    entries = _audit_entries(snapshot["release"]["year"], previous.published_at, until)
    for figure in changed:
        categories = set(figure["categories"])
        figure["audit"] = [
            index
            for index, entry in enumerate(entries)
            if entry["category"] in categories
            and (figure["area"] == "VN" or entry["province"] == figure["area"])
        ]
    return {"previous": previous.number, "figures": changed, "audit": entries}


def previous_snapshot(release: Release) -> dict:
    return json.loads(release.snapshot)
