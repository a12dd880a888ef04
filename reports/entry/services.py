"""Writes of report values, one report or many, by one path.

Every entry point (year sheet, single form, upload, command, admin, API)
checks with :func:`reports_check` and writes with :func:`reports_write` (a
single save is a batch of one), so the rules hold everywhere: values must
apply to the institution's category and year, approved reports are locked, a
save based on an outdated version is refused, officers act only in their own
province, and each change is kept in history with who and when. Moving reports
between statuses is in :mod:`reports.entry.workflow`. Just over 500 lines:
the checks and the write are one path and read best together.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from institutions.models import Institution
from lifelong_learning.history import reason_clip
from lifelong_learning.roles import (
    REPORT_CHANGE,
    REPORT_REVIEW,
    REPORT_SUBMIT,
    user_can_write_province,
    user_province,
)
from lifelong_learning.signals import data_write
from lifelong_learning.years import YEAR_MAX, YEAR_MIN, YEAR_RANGE_MESSAGE
from reports.entry.models import (
    COUNTED_STATUSES,
    AnnualReport,
    ReportStatus,
    ReportTransition,
)
from reports.entry.warnings import (
    EXPLANATION_MAX,
    EXPLANATION_MIN,
    explanation_key,
    warning_key,
    warnings_explain,
    warnings_find,
    warnings_unexplained,
)
from reports.periods.selectors import deadlines, entry_refusals
from targets.indicators import COUNT_FIELDS, REPORT_FIELDS, applicable_fields

# The largest count the database column holds (a PostgreSQL integer).
COUNT_MAX = 2_147_483_647
# Reports written per bulk statement by the sheet, the review and the import.
BATCH_SIZE = 500
# The change reason the history records for saves of the year sheet.
SHEET_CHANGE_REASON = "sheet"


class ReportLocked(Exception):
    """The report is approved: only ministry staff may reopen it."""

    def __init__(self, report: AnnualReport):
        self.report = report
        super().__init__(
            _("The report of %(institution)s for %(year)s is approved and locked.")
            % {"institution": report.institution, "year": report.year}
        )


class StaleReport(Exception):
    """Someone else saved (or deleted) the report after the version the user
    started from; ``report`` is what is stored now, if anything."""

    def __init__(self, report: AnnualReport | None, submitted_values: dict):
        self.report = report
        self.submitted_values = submitted_values
        super().__init__(
            _(
                "%(user)s saved this report after you opened it. Nothing was "
                "overwritten: compare both versions and save again."
            )
            % {"user": getattr(report, "updated_by", None) or _("Someone")}
        )


@dataclass
class ReportCheck:
    """Errors (blocking) and warnings (recorded; a submitted report must
    explain them) for one report."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)


def report_values_check(
    *, institution: Institution, year: int, values: dict, previous=None
) -> ReportCheck:
    """Checks parsed values (bool, int or None) for an institution and year.

    Errors: a field that does not apply to the category, a negative count, a
    year after the current one, a year in which the institution is not active.
    Warnings: the rules of :func:`reports.entry.warnings.warnings_find`
    against ``previous`` (last year's report).
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
        check.warnings = warnings_find(values, previous)
    return check


@dataclass
class ReportEntry:
    """The values to save for one institution and year, as a sheet row, a
    file row or the report's form gives them.

    ``expected_version`` is the version the user started from: 0 when there
    was no report yet, ``None`` to skip the check (an import replaces what is
    stored, as formats.md says). ``explanations`` maps a field to the
    explanation of its warning; a field left out keeps the explanation stored
    with the same warning.
    """

    institution: Institution
    year: int
    values: dict[str, bool | int | None]
    expected_version: int | None = None
    explanations: dict[str, str] = field(default_factory=dict)


@dataclass
class EntryCheck:
    """What :func:`reports_check` found for one entry: the stored report (if
    any), last year's report, errors by field (``NON_FIELD_ERRORS`` for the
    report as a whole), warnings, whether the user may not write it at all
    (``denied``), and whether the stored report is newer than the version the
    user started from (``stale``)."""

    entry: ReportEntry
    stored: AnnualReport | None
    previous: AnnualReport | None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)
    stale: bool = False
    denied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.stale

    @property
    def locked(self) -> bool:
        return self.stored is not None and self.stored.is_locked

    def changes(self, status: str) -> bool:
        """True when saving would change the stored report (or create one)."""
        if self.stored is None:
            return True
        return (
            self.stored.status != status
            or any(
                getattr(self.stored, name) != value
                for name, value in self.entry.values.items()
            )
            or _warning_state(self.stored.warnings) != _warning_state(self.warnings)
        )

    def refusal(self) -> Exception:
        """Why a refused entry was refused, as the exception a single save
        raises: ``PermissionDenied``, :class:`ReportLocked`,
        :class:`StaleReport` or ``ValidationError``."""
        if self.denied:
            return PermissionDenied(self.errors[NON_FIELD_ERRORS])
        if self.locked:
            return ReportLocked(self.stored)
        if self.stale:
            return StaleReport(self.stored, self.entry.values)
        return ValidationError(self.errors)


def _warning_state(warnings: list[dict]) -> list[tuple]:
    return sorted(
        (warning_key(warning), warning.get("explanation", ""))
        for warning in warnings or ()
        if isinstance(warning, dict)
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
    """A draft is a change; saving in any other status also submits."""
    return REPORT_CHANGE if status == ReportStatus.DRAFT else REPORT_SUBMIT


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
    """Checks a batch of entries, in two queries whatever the batch size.

    Each entry gets the errors of :func:`report_values_check`, an error (and
    ``denied``) when the user may not write in the institution's province or,
    for ``status`` approved, may not review; an error when the stored report
    is approved; and ``stale`` when the stored version differs from the
    expected one; an error before the reporting period opens or after it
    closes (:func:`_period_refusals`). ``lock`` locks the stored reports (not
    their institutions) until the transaction ends. ``user`` ``None`` is the
    system.
    """
    permission = _permission_for(status)
    may_approve = user is None or user.has_perm(REPORT_REVIEW)
    writable: dict[str, bool] = {}
    pairs = {(entry.institution.pk, entry.year) for entry in entries}
    stored = _reports_by_key(pairs, lock=lock)
    previous = _reports_by_key({(pk, year - 1) for pk, year in pairs})
    closed = _period_refusals(entries, stored)
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
        _warnings_check(check, status)
        province = institution.province_id
        if user is not None and province not in writable:
            writable[province] = user_can_write_province(user, province, permission)
        if user is not None and not writable[province]:
            check.errors[NON_FIELD_ERRORS] = _fence_message(user, institution)
            check.denied = True
        elif status == ReportStatus.APPROVED and not may_approve:
            check.errors[NON_FIELD_ERRORS] = _("Only ministry staff review reports.")
            check.denied = True
        elif report is not None and report.is_locked:
            check.errors[NON_FIELD_ERRORS] = str(ReportLocked(report))
        elif (institution.pk, entry.year) in closed:
            check.errors[NON_FIELD_ERRORS] = closed[institution.pk, entry.year]
        elif entry.expected_version is not None:
            current = report.version if report is not None else 0
            check.stale = current != entry.expected_version
        checks.append(check)
    return checks


def _warnings_check(check: EntryCheck, status: str) -> None:
    """The warnings of the report as it will be stored (a field not given
    keeps its value, and its warning), with their explanations; a report
    saved as submitted (or approved) must explain every warning."""
    if check.stored is not None and check.previous is not None:
        applicable = applicable_fields(check.entry.institution.category)
        values = {name: getattr(check.stored, name) for name in applicable}
        check.warnings = warnings_find({**values, **check.entry.values}, check.previous)
    check.errors.update(
        warnings_explain(
            check.warnings,
            explanations=check.entry.explanations,
            stored=check.stored.warnings if check.stored is not None else [],
        )
    )
    if status == ReportStatus.DRAFT:
        return
    for warning in warnings_unexplained(check.warnings):
        key = explanation_key(warning["field"])
        check.errors.setdefault(
            key,
            _(
                "Explain this warning before submitting (%(min)s to %(max)s "
                "characters): %(warning)s"
            )
            % {
                "min": EXPLANATION_MIN,
                "max": EXPLANATION_MAX,
                "warning": warning["message"],
            },
        )


def _period_refusals(
    entries: Sequence[ReportEntry], stored: dict[tuple[int, int], AnnualReport]
) -> dict[tuple[int, int], str]:
    """Why entries are refused by their reporting period's dates (before it
    opens, after it closes, the province's extension included), by
    (institution pk, year). A report the ministry returned (or reopened) may
    still be corrected after closing, until it is submitted again."""
    refused = entry_refusals(
        pairs={(entry.institution.province_id, entry.year) for entry in entries}
    )
    if not refused:
        return {}
    found = {
        (entry.institution.pk, entry.year): refused[where]
        for entry in entries
        if (where := (entry.institution.province_id, entry.year)) in refused
    }
    reports = [stored[key] for key in found if key in stored]
    for report in reports_being_corrected(reports):
        del found[report.institution_id, report.year]
    return found


def reports_being_corrected(
    reports: Sequence[AnnualReport],
) -> list[AnnualReport]:
    """The reports of ``reports`` that the ministry returned (or reopened) and
    that have not been submitted again: they may be corrected and submitted
    after their period closed. A returned report corrected and saved as a
    draft is still being corrected: its last return comes after its last
    submission."""
    last = dict(
        ReportTransition.objects.filter(
            report__in=[r for r in reports if r.status == ReportStatus.DRAFT],
            to_status__in=(ReportStatus.SUBMITTED, ReportStatus.RETURNED),
        )
        .order_by("at", "pk")
        .values_list("report_id", "to_status")
    )
    return [
        report
        for report in reports
        if ReportStatus.RETURNED in (report.status, last.get(report.pk))
    ]


def submission_refusals(reports: Sequence[AnnualReport]) -> dict[int, str]:
    """Why sending stored ``reports`` for review is refused by their reporting
    period (after it closed, before it opened), by report pk; a report being
    corrected after a return is let through."""
    refused = entry_refusals(
        pairs={(report.institution.province_id, report.year) for report in reports}
    )
    if not refused:
        return {}
    waiting = [
        report
        for report in reports
        if (report.institution.province_id, report.year) in refused
    ]
    corrected = {report.pk for report in reports_being_corrected(waiting)}
    return {
        report.pk: refused[report.institution.province_id, report.year]
        for report in waiting
        if report.pk not in corrected
    }


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
    """The reports a batch created, updated or left as they were."""

    created: list[AnnualReport] = field(default_factory=list)
    updated: list[AnnualReport] = field(default_factory=list)
    kept: list[AnnualReport] = field(default_factory=list)
    # The (province code, category) pairs whose reports were written.
    slices: set[tuple[str, str]] = field(default_factory=set)
    # The years of the reports written.
    years: set[int] = field(default_factory=set)

    @property
    def saved(self) -> list[AnnualReport]:
        return [*self.created, *self.updated]

    @property
    def unchanged(self) -> int:
        return len(self.kept)


_WRITE_FIELDS = [
    *REPORT_FIELDS,
    "status",
    "warnings",
    "version",
    "updated_at",
    "updated_by",
    "first_submitted_at",
    "on_time",
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
    reason = reason_clip(change_reason) or None
    creates, updates, moves = [], [], []
    due = {}  # (province code, year) → its deadlines, looked up once
    written = []  # the checks whose reports change (known before they do)
    for check in checks:
        if not check.changes(status):
            result.kept.append(check.stored)
            continue
        written.append(check)
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
        if status in COUNTED_STATUSES and report.first_submitted_at is None:
            # Saved or imported as submitted (or approved): its first submission.
            key = (check.entry.institution.province_id, report.year)
            if key not in due:
                due[key] = deadlines(province_code=key[0], year=key[1])
            report.first_submitted_at = now
            report.on_time = None if due[key] is None else due[key].is_on_time(now)
        report.warnings = check.warnings
        report.updated_by = history_user
    result.slices = {
        (check.entry.institution.province_id, check.entry.institution.category)
        for check in written
    }
    result.years = {check.entry.year for check in written}
    if recount:
        # The counters follow by the difference of the institutions written
        # (a few) or a recount of their slices (many).
        institutions = {check.entry.institution.pk for check in written}
        with data_write("reports", institutions=institutions, slices=result.slices):
            _reports_store(
                result, creates, updates, moves, history_user, reason, comment
            )
    else:
        _reports_store(result, creates, updates, moves, history_user, reason, comment)
    return result


def _reports_store(
    result, creates, updates, moves, history_user, reason, comment
) -> None:
    """Writes the reports of :func:`reports_write`, their history and status
    transitions."""
    if creates:
        result.created = bulk_create_with_history(
            creates,
            AnnualReport,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason,
        )
        moves.extend((report, "") for report in result.created)
    if updates:
        bulk_update_with_history(
            updates,
            AnnualReport,
            _WRITE_FIELDS,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason,
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


@transaction.atomic
def reports_save(
    *,
    user,
    entries: Sequence[ReportEntry],
    status: str = ReportStatus.DRAFT,
    change_reason: str = SHEET_CHANGE_REASON,
) -> WriteResult:
    """Saves many reports at once, all or nothing: raises
    :class:`ReportsRefused` (nothing written) when any entry has errors, is
    locked or stale. Unchanged reports keep their version; ``change_reason``
    goes to the history of the others."""
    checks = reports_check(user=user, entries=entries, status=status, lock=True)
    if not all(check.ok for check in checks):
        raise ReportsRefused(checks)
    try:
        with transaction.atomic():
            return reports_write(
                user=user, checks=checks, status=status, change_reason=change_reason
            )
    except IntegrityError:
        # Someone created one of these reports after the check (two first
        # saves of the same row at once): their save stands, and this one is
        # refused as stale, like any save based on what is no longer there.
        checks = reports_check(user=user, entries=entries, status=status, lock=True)
        if all(check.ok for check in checks):
            raise
        raise ReportsRefused(checks) from None


def report_save(
    *,
    user,
    institution: Institution,
    year: int,
    values: dict,
    expected_version: int,
    status: str = ReportStatus.DRAFT,
    reason: str = "",
    explanations: dict[str, str] | None = None,
) -> AnnualReport:
    """Creates or updates the report of ``institution`` for ``year`` (a batch
    of one of :func:`reports_save`); ``reason`` goes to its history.

    ``values`` maps field names to parsed values; fields not given keep their
    value. ``expected_version`` is the version the user started from (0 for
    a report that did not exist). Refuses a user who may not write it
    (``PermissionDenied``), an approved report (:class:`ReportLocked`), a
    save based on another version than the stored one (:class:`StaleReport`),
    and values that break the rules (``ValidationError`` with one message per
    field). Warnings are stored on the report with their ``explanations``
    (by field; see :class:`ReportEntry`); a save that changes nothing writes
    nothing.
    """
    entry = ReportEntry(institution, year, values, expected_version, explanations or {})
    try:
        written = reports_save(
            user=user, entries=[entry], status=status, change_reason=reason
        )
    except ReportsRefused as refused:
        raise refused.refused[0].refusal() from None
    (report,) = written.saved or written.kept
    return report
