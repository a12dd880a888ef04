"""Writes to annual reports: saving values, and every step of the review workflow.

Every entry point (year sheet, single form, upload, command, admin, API) goes
through these functions, so the rules hold everywhere: values must apply to the
institution's category and year, approved reports are locked, a save based on
an outdated version is refused, officers act only in their own province, and
each change is kept in history with who and when.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from institutions.models import Institution
from lifelong_learning.roles import user_can_write_province

from .indicators import REPORT_FIELDS, Count, applicable_fields
from .models import AnnualReport, ReportStatus, ReportTransition

# A count that grows or shrinks more than this factor against last year is flagged.
COUNT_CHANGE_FACTOR = 3


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
    year in which the institution is not active. Warnings: a count that changed
    more than threefold against ``previous`` (last year's report), a criterion
    that turned from yes to no.
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
        elif name in Count.values and value is not None and value < 0:
            check.errors[name] = _("Enter a whole number, zero or more.")
    if not _is_active(institution, year):
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


def _is_active(institution: Institution, year: int) -> bool:
    opened, closed = institution.opened_year, institution.closed_year
    return (opened is None or opened <= year) and (closed is None or closed > year)


def _warnings(values: dict, previous: AnnualReport) -> list[dict[str, str]]:
    warnings = []
    for name, value in values.items():
        before = getattr(previous, name, None)
        if value is None or before is None:
            continue
        if name in Count.values:
            if (before > 0 and value > COUNT_CHANGE_FACTOR * before) or (
                value * COUNT_CHANGE_FACTOR < before
            ):
                warnings.append(
                    {
                        "field": name,
                        "message": _(
                            "%(field)s changed more than threefold: %(before)s in "
                            "%(year)s, %(value)s now."
                        )
                        % {
                            "field": REPORT_FIELDS[name],
                            "before": before,
                            "year": previous.year,
                            "value": value,
                        },
                    }
                )
        elif before is True and value is False:
            warnings.append(
                {
                    "field": name,
                    "message": _("%(field)s turned from yes in %(year)s to no.")
                    % {"field": REPORT_FIELDS[name], "year": previous.year},
                }
            )
    return warnings


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


def _save(report: AnnualReport, user) -> None:
    report.updated_by = user
    report.version += 1 if report.pk else 0
    report._history_user = user
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
) -> AnnualReport:
    """Creates or updates the report of ``institution`` for ``year``.

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
    if report is None:
        report = AnnualReport(institution=institution, year=year)
    for name, value in values.items():
        setattr(report, name, value)
    report.warnings = check.warnings
    report.status = status
    _save(report, user)
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
def report_approve(*, user, report: AnnualReport) -> AnnualReport:
    """Approves a submitted report, which locks it."""
    _require_review(user)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
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
    _save(report, user)
    _record_transition(report, from_status, user, comment)
    return report
