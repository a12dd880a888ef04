"""Writes to annual reports: saving values, and every step of the review workflow.

Every entry point (year sheet, single form, upload, command, admin, API) goes
through these functions, so the rules hold everywhere: values must apply to the
institution's category and year, approved reports are locked, a save based on
an outdated version is refused, officers act only in their own province, and
each change is kept in history with who and when.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from institutions.models import YEAR_MAX, YEAR_MIN, YEAR_RANGE_MESSAGE, Institution
from lifelong_learning.history import reason_clip
from lifelong_learning.roles import user_can_write_province, user_province
from lifelong_learning.signals import data_written_send
from reports.entry.models import (
    AnnualReport,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from targets.indicators import COUNT_FIELDS, REPORT_FIELDS, applicable_fields

# A count that grows or shrinks more than this factor against last year is flagged.
COUNT_CHANGE_FACTOR = 3
# The largest count the database column holds (a PostgreSQL integer).
COUNT_MAX = 2_147_483_647
# Reports written per bulk statement by the sheet, the review and the import.
BATCH_SIZE = 500
# The change reason the history records for saves of the year sheet.
SHEET_CHANGE_REASON = "sheet"

CHANGE = "reports.change_annualreport"
SUBMIT = "reports.submit_annualreport"
REVIEW = "reports.review_annualreport"


class ReportLocked(Exception):
    """The report is approved: only ministry staff may reopen it."""

    def __init__(self, report: AnnualReport):
        self.report = report
        super().__init__(
            _("The report of %(institution)s for %(year)s is approved and locked.")
            % {"institution": report.institution, "year": report.year}
        )


class StaleReport(Exception):
    """Someone else saved the report after the version the user started from."""

    def __init__(self, report: AnnualReport, submitted_values: dict):
        self.report = report
        self.submitted_values = submitted_values
        super().__init__(
            _(
                "%(user)s saved this report after you opened it. Nothing was "
                "overwritten: compare both versions and save again."
            )
            % {"user": report.updated_by or _("Someone")}
        )


@dataclass
class ReportCheck:
    """Errors (blocking) and warnings (recorded, never blocking) for one report."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)


def report_values_check(
    *, institution: Institution, year: int, values: dict, previous=None
) -> ReportCheck:
    """Checks parsed values (bool, int or None) for an institution and year.

    Errors: a field that does not apply to the category, a negative count, a
    year after the current one, a year in which the institution is not active.
    Warnings: a count that changed more than threefold against ``previous``
    (last year's report), a criterion that turned from yes to no.
    """
    check = ReportCheck()
    applicable = applicable_fields(institution.category)
    for name, value in values.items():
        if name not in REPORT_FIELDS:
            check.errors[name] = _("Unknown field.")
        elif value is not None and name not in applicable:
            check.errors[name] = _("%(field)s does not apply to %(category)s.") % {
                "field": REPORT_FIELDS[name],
                "category": institution.get_category_display(),
            }
        elif name in COUNT_FIELDS and value is not None and value < 0:
            check.errors[name] = _("Enter a whole number, zero or more.")
        elif name in COUNT_FIELDS and value is not None and value > COUNT_MAX:
            check.errors[name] = _("Enter a number of at most %(max)s.") % {
                "max": COUNT_MAX
            }
    if not YEAR_MIN <= year <= YEAR_MAX:
        check.errors["year"] = str(YEAR_RANGE_MESSAGE)
    elif year > timezone.localdate().year:
        # A year that has not begun has nothing to report yet.
        check.errors["year"] = _(
            "No report can be entered for %(year)s: it is after the current year."
        ) % {"year": year}
    elif not institution.is_active_in(year):
        check.errors["year"] = _(
            "%(institution)s is not active in %(year)s (opened %(opened)s, "
            "closed %(closed)s)."
        ) % {
            "institution": institution.name,
            "year": year,
            "opened": institution.opened_year or "–",
            "closed": institution.closed_year or "–",
        }
    if previous is not None:
        check.warnings = _warnings(values, previous)
    return check


def _warnings(values: dict, previous: AnnualReport) -> list[dict]:
    warnings = []
    for name, value in values.items():
        before = getattr(previous, name, None)
        if value is None or before is None:
            continue
        warning = {"field": name, "year": previous.year}
        if name in COUNT_FIELDS:
            if (before > 0 and value > COUNT_CHANGE_FACTOR * before) or (
                value * COUNT_CHANGE_FACTOR < before
            ):
                warning.update(before=before, value=value)
                warnings.append(warning)
        elif before is True and value is False:
            warnings.append(warning)
    for warning in warnings:
        warning["message"] = warning_message(warning)
    return warnings


def warning_message(warning: dict) -> str:
    """The text of a stored warning in the active language (the message saved
    with it, in the language of whoever saved, is the fallback)."""
    name = warning.get("field")
    if name not in REPORT_FIELDS or "year" not in warning:
        return warning.get("message", "")
    if name in COUNT_FIELDS:
        return _(
            "%(field)s changed more than threefold: %(before)s in %(year)s, "
            "%(value)s now."
        ) % {
            "field": REPORT_FIELDS[name],
            "before": number_format(warning["before"], force_grouping=True),
            "year": warning["year"],
            "value": number_format(warning["value"], force_grouping=True),
        }
    return _("%(field)s turned from yes in %(year)s to no.") % {
        "field": REPORT_FIELDS[name],
        "year": warning["year"],
    }


def _require_write(user, institution: Institution, permission: str) -> None:
    if user is None:  # management commands act for the system
        return
    if not user_can_write_province(user, institution.province_id, permission):
        raise PermissionDenied(
            _("You may not change reports of %(province)s.")
            % {"province": institution.province.name}
        )


def _require_review(user) -> None:
    if user is not None and not user.has_perm("reports.review_annualreport"):
        raise PermissionDenied(_("Only ministry staff review reports."))


def _record_transition(report, from_status, user, comment="") -> None:
    if from_status != report.status:
        ReportTransition.objects.create(
            report=report,
            from_status=from_status,
            to_status=report.status,
            user=user,
            comment=comment,
        )


def _save(report: AnnualReport, user, reason: str = "") -> None:
    report.updated_by = user
    report.version += 1 if report.pk else 0
    report._history_user = user
    if reason.strip():
        # The history keeps at most 100 characters of a reason.
        report._change_reason = reason_clip(reason)
    report.full_clean(exclude=["institution"])
    report.save()


@transaction.atomic
def report_save(
    *,
    user,
    institution: Institution,
    year: int,
    values: dict,
    expected_version: int | None = None,
    status: str = ReportStatus.DRAFT,
    reason: str = "",
) -> AnnualReport:
    """Creates or updates the report of ``institution`` for ``year``;
    ``reason`` goes to its history.

    ``values`` maps field names to parsed values; fields not given keep their
    value. Refuses an approved report (:class:`ReportLocked`), a save based on
    an older version than the stored one (:class:`StaleReport`), and values
    that break the rules (``ValidationError`` with one message per field).
    Warnings are stored on the report.
    """
    permission = (
        "reports.change_annualreport"
        if status == ReportStatus.DRAFT
        else "reports.submit_annualreport"
    )
    _require_write(user, institution, permission)
    if status == ReportStatus.APPROVED:
        _require_review(user)
    report = (
        AnnualReport.objects.select_for_update()
        .filter(institution=institution, year=year)
        .first()
    )
    if report is not None and report.is_locked:
        raise ReportLocked(report)
    if (
        report is not None
        and expected_version is not None
        and report.version != expected_version
    ):
        raise StaleReport(report, values)
    previous = AnnualReport.objects.filter(
        institution=institution, year=year - 1
    ).first()
    check = report_values_check(
        institution=institution, year=year, values=values, previous=previous
    )
    if check.errors:
        raise ValidationError(check.errors)
    from_status = report.status if report else ""
    creating = report is None
    if creating:
        report = AnnualReport(institution=institution, year=year)
    for name, value in values.items():
        setattr(report, name, value)
    report.warnings = check.warnings
    report.status = status
    try:
        with transaction.atomic():
            _save(report, user, reason)
    except IntegrityError:
        # Two first saves of the same report at once: the other one stands.
        stored = AnnualReport.objects.filter(institution=institution, year=year).first()
        if not creating or stored is None:
            raise
        raise StaleReport(stored, values) from None
    _record_transition(report, from_status, user)
    return report


@transaction.atomic
def report_submit(*, user, report: AnnualReport) -> AnnualReport:
    """Sends a draft or returned report to the ministry for review."""
    _require_write(user, report.institution, "reports.submit_annualreport")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("Only a draft or returned report can be submitted (this one is %(s)s).")
            % {"s": report.get_status_display()}
        )
    return _move(report, ReportStatus.SUBMITTED, user)


@transaction.atomic
def report_approve(
    *, user, report: AnnualReport, expected_version: int | None = None
) -> AnnualReport:
    """Approves a submitted report, which locks it; with ``expected_version``,
    only if it is still the version the reviewer saw."""
    _require_review(user)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and report.version != expected_version:
        raise SelectionChanged([report])
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be approved (this one is %(s)s).")
            % {"s": report.get_status_display()}
        )
    return _move(report, ReportStatus.APPROVED, user)


@transaction.atomic
def report_return(*, user, report: AnnualReport, comment: str) -> AnnualReport:
    """Sends a submitted report back to the province with a comment."""
    _require_review(user)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to be corrected.")})
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be returned (this one is %(s)s).")
            % {"s": report.get_status_display()}
        )
    return _move(report, ReportStatus.RETURNED, user, comment.strip())


@transaction.atomic
def report_reopen(*, user, report: AnnualReport, reason: str) -> AnnualReport:
    """Unlocks an approved report and returns it to the province, with a reason."""
    _require_review(user)
    if not reason.strip():
        raise ValidationError({"comment": _("Give the reason for reopening.")})
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("Only an approved report can be reopened."))
    return _move(report, ReportStatus.RETURNED, user, reason.strip())


def _move(report: AnnualReport, to_status: str, user, comment: str = ""):
    from_status = report.status
    report.status = to_status
    if comment:
        report.review_comment = comment
    _save(report, user, comment)
    _record_transition(report, from_status, user, comment)
    return report


# Many reports at once: the year sheet, the review of a sheet, the import -------


@dataclass
class ReportEntry:
    """The values to save for one institution and year, as a sheet row or a
    file row gives them.

    ``expected_version`` is the version the user started from: 0 when there
    was no report yet, ``None`` to skip the check (an import replaces what is
    stored, as formats.md says).
    """

    institution: Institution
    year: int
    values: dict[str, bool | int | None]
    expected_version: int | None = None


@dataclass
class EntryCheck:
    """What :func:`reports_check` found for one entry: the stored report (if
    any), last year's report, errors by field (``NON_FIELD_ERRORS`` for the
    report as a whole), warnings, and whether the stored report is newer than
    the version the user started from."""

    entry: ReportEntry
    stored: AnnualReport | None
    previous: AnnualReport | None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)
    stale: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.stale

    def changes(self, status: str) -> bool:
        """True when saving would change the stored report (or create one)."""
        if self.stored is None:
            return True
        return self.stored.status != status or any(
            getattr(self.stored, name) != value
            for name, value in self.entry.values.items()
        )


class ReportsRefused(Exception):
    """Some entries of a batch break the rules, are locked or stale; nothing was
    written. ``checks`` holds the check of every entry, ``refused`` the failing
    ones."""

    def __init__(self, checks: Sequence[EntryCheck]):
        self.checks = list(checks)
        self.refused = [check for check in self.checks if not check.ok]
        super().__init__(
            _("%(count)s reports could not be saved.") % {"count": len(self.refused)}
        )


def _permission_for(status: str) -> str:
    return CHANGE if status == ReportStatus.DRAFT else SUBMIT


def _fence_message(user, institution: Institution) -> str:
    own = user_province(user)
    if own is not None and own.code != institution.province_id:
        return _(
            "%(institution)s belongs to %(province)s: you may only enter reports "
            "of %(own)s."
        ) % {
            "institution": institution.name,
            "province": institution.province.name,
            "own": own.name,
        }
    return _("You may not change reports of %(province)s.") % {
        "province": institution.province.name
    }


def reports_check(
    *,
    user,
    entries: Sequence[ReportEntry],
    status: str = ReportStatus.DRAFT,
    lock: bool = False,
) -> list[EntryCheck]:
    """Checks a batch of entries with the rules of :func:`report_save`, in two
    queries whatever the batch size.

    Each entry gets the errors of :func:`report_values_check`, an error when
    the user may not write in the institution's province or the stored report
    is approved, and ``stale`` when the stored version differs from the
    expected one. ``lock`` locks the stored reports until the transaction ends.
    """
    permission = _permission_for(status)
    may_approve = user is None or user.has_perm(REVIEW)
    writable: dict[str, bool] = {}
    pairs = {(entry.institution.pk, entry.year) for entry in entries}
    stored = _reports_by_key(pairs, lock=lock)
    previous = _reports_by_key({(pk, year - 1) for pk, year in pairs})
    checks = []
    for entry in entries:
        institution = entry.institution
        report = stored.get((institution.pk, entry.year))
        before = previous.get((institution.pk, entry.year - 1))
        values = report_values_check(
            institution=institution,
            year=entry.year,
            values=entry.values,
            previous=before,
        )
        check = EntryCheck(
            entry=entry,
            stored=report,
            previous=before,
            errors=values.errors,
            warnings=values.warnings,
        )
        province = institution.province_id
        if user is not None and province not in writable:
            writable[province] = user_can_write_province(user, province, permission)
        if user is not None and not writable[province]:
            check.errors[NON_FIELD_ERRORS] = _fence_message(user, institution)
        elif status == ReportStatus.APPROVED and not may_approve:
            check.errors[NON_FIELD_ERRORS] = _("Only ministry staff review reports.")
        elif report is not None and report.is_locked:
            check.errors[NON_FIELD_ERRORS] = str(ReportLocked(report))
        elif entry.expected_version is not None:
            current = report.version if report is not None else 0
            check.stale = current != entry.expected_version
        checks.append(check)
    return checks


def _reports_by_key(
    pairs: Iterable[tuple[int, int]], *, lock: bool = False
) -> dict[tuple[int, int], AnnualReport]:
    pairs = set(pairs)
    if not pairs:
        return {}
    queryset = AnnualReport.objects.filter(
        institution_id__in={pk for pk, _year in pairs},
        year__in={year for _pk, year in pairs},
    ).select_related("updated_by")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return {
        (report.institution_id, report.year): report
        for report in queryset
        if (report.institution_id, report.year) in pairs
    }


@dataclass
class WriteResult:
    """How many reports a batch created, updated or left as they were."""

    created: list[AnnualReport] = field(default_factory=list)
    updated: list[AnnualReport] = field(default_factory=list)
    unchanged: int = 0
    # The (province code, category) pairs whose reports were written.
    slices: set[tuple[str, str]] = field(default_factory=set)

    @property
    def saved(self) -> list[AnnualReport]:
        return [*self.created, *self.updated]


_WRITE_FIELDS = [
    *REPORT_FIELDS,
    "status",
    "warnings",
    "version",
    "updated_at",
    "updated_by",
]


def reports_write(
    *,
    user,
    checks: Sequence[EntryCheck],
    status: str,
    comment: str = "",
    change_reason: str = "",
    recount: bool = True,
) -> WriteResult:
    """Writes checked entries (all must be ``ok``) with bulk statements:
    history records and status transitions included, reports that would not
    change left alone. Call it inside the transaction of :func:`reports_check`
    with ``lock=True``. With ``recount`` off, the caller recounts the
    progress counters of ``result.slices`` itself before the transaction
    ends (an import does it once, after its last batch)."""
    if not all(check.ok for check in checks):
        raise ValueError("reports_write takes checked entries only")
    result = WriteResult()
    now = timezone.now()
    history_user = user if user is not None and user.is_authenticated else None
    creates, updates, moves = [], [], []
    for check in checks:
        if not check.changes(status):
            result.unchanged += 1
            continue
        report = check.stored
        if report is None:
            report = AnnualReport(
                institution=check.entry.institution, year=check.entry.year
            )
            creates.append(report)
        else:
            report.version += 1
            report.updated_at = now
            updates.append(report)
            if report.status != status:
                moves.append((report, report.status))
        for name, value in check.entry.values.items():
            setattr(report, name, value)
        report.status = status
        report.warnings = check.warnings
        report.updated_by = history_user
    if creates:
        result.created = bulk_create_with_history(
            creates,
            AnnualReport,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason_clip(change_reason),
        )
        moves.extend((report, "") for report in result.created)
    if updates:
        bulk_update_with_history(
            updates,
            AnnualReport,
            _WRITE_FIELDS,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason_clip(change_reason),
        )
        result.updated = updates
    ReportTransition.objects.bulk_create(
        [
            ReportTransition(
                report=report,
                from_status=from_status,
                to_status=report.status,
                user=history_user,
                comment=comment,
            )
            for report, from_status in moves
        ],
        batch_size=BATCH_SIZE,
    )
    result.slices = {
        (check.entry.institution.province_id, check.entry.institution.category)
        for check in checks
        if check.changes(status)
    }
    if recount:
        data_written_send("reports", slices=result.slices)
    return result


@transaction.atomic
def reports_save(
    *,
    user,
    entries: Sequence[ReportEntry],
    status: str = ReportStatus.DRAFT,
) -> WriteResult:
    """Saves many reports at once, all or nothing, with the rules of
    :func:`report_save`: raises :class:`ReportsRefused` (nothing written) when
    any entry has errors, is locked or stale. Unchanged reports keep their
    version."""
    checks = reports_check(user=user, entries=entries, status=status, lock=True)
    if not all(check.ok for check in checks):
        raise ReportsRefused(checks)
    try:
        with transaction.atomic():
            return reports_write(
                user=user,
                checks=checks,
                status=status,
                change_reason=SHEET_CHANGE_REASON,
            )
    except IntegrityError:
        # Someone created one of these reports after the check (two first
        # saves of the same row at once): their save stands, and this one is
        # refused as stale, like any save based on what is no longer there.
        checks = reports_check(user=user, entries=entries, status=status, lock=True)
        if all(check.ok for check in checks):
            raise
        raise ReportsRefused(checks) from None


def _sheet_reports(*, province_code: str, year: int, category: str | None):
    reports = AnnualReport.objects.filter(
        institution__province_id=province_code, year=year
    )
    if category:
        reports = reports.filter(institution__category=category)
    return reports


class SelectionChanged(Exception):
    """The reports of a bulk action are no longer those the person saw: some
    changed, appeared or left since the page was opened."""

    def __init__(self, reports: Sequence[AnnualReport]):
        self.reports = list(reports)
        super().__init__(
            _(
                "Nothing was done: %(count)s reports changed since you opened the "
                "page (%(names)s). Check them and confirm again."
            )
            % {
                "count": len(self.reports),
                "names": ", ".join(r.institution.name for r in self.reports[:10])
                + ("…" if len(self.reports) > 10 else ""),
            }
        )


def selection_encode(reports: Iterable[AnnualReport]) -> str:
    """The reports a person is shown for a bulk action, as "pk:version,…"."""
    return ",".join(f"{report.pk}:{report.version}" for report in reports)


def selection_decode(text: str) -> dict[int, int]:
    """Reads :func:`selection_encode`; refuses anything else."""
    selection = {}
    for item in filter(None, (text or "").split(",")):
        pk, _sep, version = item.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            raise ValidationError(_("The list of reports to act on is damaged."))
        selection[int(pk)] = int(version)
    return selection


def _selection_check(reports, expected: dict[int, int] | None) -> None:
    """Refuses a bulk action whose reports are not exactly those, in the
    same versions, that the person confirmed."""
    if expected is None:
        return
    current = {
        report.pk: report
        for report in reports.select_related("institution").order_by(
            "institution__name_sort"
        )
    }
    changed = [
        report for pk, report in current.items() if expected.get(pk) != report.version
    ]
    gone = set(expected) - set(current)
    if gone:
        changed.extend(
            AnnualReport.objects.filter(pk__in=gone)
            .select_related("institution")
            .order_by("institution__name_sort")
        )
    if changed:
        raise SelectionChanged(changed)


def _move_many(
    reports,
    *,
    province_code: str,
    category: str | None,
    to_status: str,
    user,
    comment: str = "",
    sheet_return: SheetReturn | None = None,
    expected: dict[int, int] | None = None,
) -> int:
    """Moves every report of ``reports`` (a queryset of the reports of one
    province, and of one category unless ``category`` is ``None``) to
    ``to_status`` in batches, locking each batch, with history and
    transitions. With ``expected`` (pk → version), refuses with
    :class:`SelectionChanged` unless the reports are exactly those."""
    _selection_check(reports, expected)
    pks = list(reports.order_by("pk").values_list("pk", flat=True))
    history_user = user if user is not None and user.is_authenticated else None
    for start in range(0, len(pks), BATCH_SIZE):
        batch = list(
            AnnualReport.objects.select_for_update()
            .filter(pk__in=pks[start : start + BATCH_SIZE])
            .order_by("pk")
        )
        if expected is not None and any(
            expected.get(report.pk) != report.version for report in batch
        ):
            raise SelectionChanged(
                [r for r in batch if expected.get(r.pk) != r.version]
            )
        now = timezone.now()
        transitions = []
        for report in batch:
            transitions.append(
                ReportTransition(
                    report=report,
                    from_status=report.status,
                    to_status=to_status,
                    user=history_user,
                    comment=comment,
                    sheet_return=sheet_return,
                )
            )
            report.status = to_status
            report.version += 1
            report.updated_at = now
            report.updated_by = history_user
            if sheet_return is not None:
                # The sheet's comment is kept once, on the sheet; an older
                # comment of the report no longer applies.
                report.review_comment = ""
            elif comment:
                report.review_comment = comment
        bulk_update_with_history(
            batch,
            AnnualReport,
            ["status", "version", "updated_at", "updated_by", "review_comment"],
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason_clip(comment or SHEET_CHANGE_REASON),
        )
        ReportTransition.objects.bulk_create(transitions, batch_size=BATCH_SIZE)
    if pks:
        # A slice without a category is the whole province.
        data_written_send("reports", slices=[(province_code, category)])
    return len(pks)


def sheet_to_submit(*, province_code: str, year: int, category: str):
    """The reports that submitting a year sheet sends: its drafts and returned
    reports, on every page."""
    return _sheet_reports(
        province_code=province_code, year=year, category=category
    ).filter(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))


def sheet_to_review(*, province_code: str, year: int, category: str | None):
    """The submitted reports that approving or returning a sheet acts on."""
    return _sheet_reports(
        province_code=province_code, year=year, category=category
    ).filter(status=ReportStatus.SUBMITTED)


@transaction.atomic
def report_sheet_submit(
    *,
    user,
    province_code: str,
    year: int,
    category: str,
    expected: dict[int, int] | None = None,
) -> int:
    """Sends every draft or returned report of a year sheet (one province,
    year and category) for review; returns how many were sent. With
    ``expected``, only if those are exactly the reports the person confirmed."""
    if not user_can_write_province(user, province_code, SUBMIT):
        raise PermissionDenied(_("You may not submit reports of this province."))
    return _move_many(
        sheet_to_submit(province_code=province_code, year=year, category=category),
        province_code=province_code,
        category=category,
        to_status=ReportStatus.SUBMITTED,
        user=user,
        expected=expected,
    )


@transaction.atomic
def report_sheet_approve(
    *,
    user,
    province_code: str,
    year: int,
    category: str | None = None,
    expected: dict[int, int] | None = None,
) -> int:
    """Approves (and so locks) every submitted report of a province and year,
    or of one category of it; returns how many. With ``expected``, only if
    those are exactly the reports, in the versions, the reviewer saw."""
    _require_review(user)
    return _move_many(
        sheet_to_review(province_code=province_code, year=year, category=category),
        province_code=province_code,
        category=category,
        to_status=ReportStatus.APPROVED,
        user=user,
        expected=expected,
    )


@transaction.atomic
def report_sheet_return(
    *, user, province_code: str, year: int, comment: str, category: str | None = None
) -> int:
    """Returns every submitted report of a province and year (or of one
    category of it) to the province with one comment, kept once on a
    :class:`SheetReturn`; returns how many."""
    _require_review(user)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to be corrected.")})
    reports = sheet_to_review(province_code=province_code, year=year, category=category)
    count = reports.count()
    if not count:
        return 0
    sheet_return = SheetReturn.objects.create(
        province_id=province_code,
        year=year,
        category=category or "",
        comment=comment.strip(),
        reports=count,
        returned_by=user if user is not None and user.is_authenticated else None,
    )
    return _move_many(
        reports,
        province_code=province_code,
        category=category,
        to_status=ReportStatus.RETURNED,
        user=user,
        comment=comment.strip(),
        sheet_return=sheet_return,
    )


@dataclass
class SheetSaveResult:
    """What saving a page of a year sheet did."""

    written: WriteResult
    submitted: int = 0

    @property
    def warnings(self) -> list[tuple[AnnualReport, str]]:
        return [
            (report, warning["message"])
            for report in self.written.saved
            for warning in report.warnings
        ]


@transaction.atomic
def report_sheet_save(
    *,
    user,
    province_code: str,
    year: int,
    category: str,
    entries: Sequence[ReportEntry],
    submit: bool = False,
) -> SheetSaveResult:
    """Saves the changed rows of a page of a year sheet as drafts, all or
    nothing (:class:`ReportsRefused`); with ``submit``, then sends every draft
    or returned report of the whole sheet for review."""
    for entry in entries:
        institution = entry.institution
        if (
            institution.province_id != province_code
            or institution.category != category
            or entry.year != year
        ):
            raise ValueError(f"{institution.code} {entry.year} is not in this sheet")
    written = reports_save(user=user, entries=entries) if entries else WriteResult()
    submitted = 0
    if submit:
        submitted = report_sheet_submit(
            user=user, province_code=province_code, year=year, category=category
        )
    return SheetSaveResult(written=written, submitted=submitted)
