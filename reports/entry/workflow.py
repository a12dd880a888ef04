"""The review workflow: moving reports between statuses, one report (submit,
approve, return, reopen) or a whole year sheet (submit, approve, return), by
one implementation (:func:`_move`), and saving a page of a year sheet.

Each move is a :class:`Step` that says from which statuses it starts, which
permission it needs and whether it needs a comment. A bulk action carries the
reports, with their versions, that the person was shown (see
:func:`selection_encode`) and is refused when they changed since.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from lifelong_learning.history import reason_clip
from lifelong_learning.roles import (
    REPORT_REVIEW,
    REPORT_SUBMIT,
    province_denied,
    user_can_write_province,
)
from lifelong_learning.signals import data_write
from reports.entry import services
from reports.entry.models import (
    AnnualReport,
    ReportComment,
    ReportStatus,
    ReportTransition,
    SheetReturn,
)
from reports.entry.services import (
    SHEET_CHANGE_REASON,
    ReportEntry,
    WriteResult,
    reports_save,
)
from reports.entry.signals import reports_moved
from reports.entry.warnings import unexplained_refusal, warnings_unexplained
from reports.periods.selectors import deadlines


@dataclass(frozen=True)
class Step:
    """One move of the workflow: the statuses it starts from, the one it
    leads to, who may take it (``permission``, fenced to the province unless
    it is the review permission), why a report in another status is refused,
    and, when it needs a comment, what to say without one."""

    name: str
    to_status: str
    from_statuses: tuple[str, ...]
    permission: str
    wrong_status: Promise
    comment_missing: Promise | None = None


SUBMIT = Step(
    "submit",
    ReportStatus.SUBMITTED,
    (ReportStatus.DRAFT, ReportStatus.RETURNED),
    REPORT_SUBMIT,
    gettext_lazy(
        "Only a draft or returned report can be submitted (this one is %(s)s)."
    ),
)
APPROVE = Step(
    "approve",
    ReportStatus.APPROVED,
    (ReportStatus.SUBMITTED,),
    REPORT_REVIEW,
    gettext_lazy("Only a submitted report can be approved (this one is %(s)s)."),
)
RETURN = Step(
    "return",
    ReportStatus.RETURNED,
    (ReportStatus.SUBMITTED,),
    REPORT_REVIEW,
    gettext_lazy("Only a submitted report can be returned (this one is %(s)s)."),
    comment_missing=gettext_lazy("Say what needs to be corrected."),
)
REOPEN = Step(
    "reopen",
    ReportStatus.RETURNED,
    (ReportStatus.APPROVED,),
    REPORT_REVIEW,
    gettext_lazy("Only an approved report can be reopened."),
    comment_missing=gettext_lazy("Give the reason for reopening."),
)


class SelectionChanged(Exception):
    """The reports of an action are no longer those the person saw: some
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
    """Refuses an action whose reports are not exactly those, in the same
    versions, that the person confirmed."""
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


def _require(step: Step, user, province_code: str) -> None:
    if user is None:  # management commands act for the system
        return
    if step.permission == REPORT_REVIEW:
        if not user.has_perm(REPORT_REVIEW):
            raise PermissionDenied(_("Only ministry staff review reports."))
    elif not user_can_write_province(user, province_code, step.permission):
        raise province_denied(user, step.permission)


def _comment(step: Step, comment: str) -> str:
    comment = comment.strip()
    if step.comment_missing is not None and not comment:
        raise ValidationError({"comment": step.comment_missing})
    return comment


def _move(
    reports: models.QuerySet,
    *,
    step: Step,
    user,
    where: tuple[str, str | None],
    comment: str = "",
    change_reason: str = "",
    sheet_return: SheetReturn | None = None,
    expected: dict[int, int] | None = None,
    sheet: bool = False,
) -> list[AnnualReport]:
    """Takes ``step`` for every report of ``reports`` (of the province and
    category ``where`` names; a category ``None`` is the whole province) in
    batches, locking each batch, with history, transitions and a recount.
    Refuses, writing nothing, a report whose status the step does not start
    from (``ValidationError``), a submission of reports with an unexplained
    warning (``ValidationError`` naming them) and, with ``expected`` (pk →
    version), reports that are not exactly those (:class:`SelectionChanged`)."""
    _selection_check(reports, expected)
    pks = list(reports.order_by("pk").values_list("pk", flat=True))
    history_user = user if user is not None and user.is_authenticated else None
    moved = []
    unexplained = []
    size = services.BATCH_SIZE
    # The counters follow by the difference of the few institutions moved,
    # or by a recount of the slice for many.
    institutions = set(
        AnnualReport.objects.filter(pk__in=pks).values_list("institution_id", flat=True)
    )
    with data_write("reports", institutions=institutions, slices=[where]):
        for start in range(0, len(pks), size):
            batch = list(
                AnnualReport.objects.select_for_update(of=("self",))
                .filter(pk__in=pks[start : start + size])
                .select_related("institution")
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
            if step is SUBMIT:
                closed = services.submission_refusals(batch)
                if closed:
                    raise ValidationError(next(iter(closed.values())))
                unexplained.extend(r for r in batch if warnings_unexplained(r.warnings))
            if unexplained:
                continue  # refused below, once every report has been seen
            for report in batch:
                if report.status not in step.from_statuses:
                    raise ValidationError(
                        step.wrong_status % {"s": report.get_status_display()}
                    )
                transitions.append(
                    ReportTransition(
                        report=report,
                        from_status=report.status,
                        to_status=step.to_status,
                        user=history_user,
                        comment=comment,
                        sheet_return=sheet_return,
                    )
                )
                report.status = step.to_status
                if step is SUBMIT and report.first_submitted_at is None:
                    report.first_submitted_at = now
                    report.on_time = _on_time(report, now)
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
                [
                    "status",
                    "version",
                    "updated_at",
                    "updated_by",
                    "review_comment",
                    "first_submitted_at",
                    "on_time",
                ],
                batch_size=size,
                default_user=history_user,
                default_change_reason=reason_clip(change_reason) or None,
            )
            ReportTransition.objects.bulk_create(transitions, batch_size=size)
            if comment and sheet_return is None and step.comment_missing is not None:
                # A report's own return (or reopening) opens its comment thread.
                ReportComment.objects.bulk_create(
                    [
                        ReportComment(report=report, author=history_user, body=comment)
                        for report in batch
                    ],
                    batch_size=size,
                )
            moved.extend(batch)
    if unexplained:
        unexplained.sort(key=lambda report: report.institution.name_sort)
        raise ValidationError(unexplained_refusal(unexplained))
    if pks:
        reports_moved.send(
            sender=AnnualReport,
            reports=moved,
            step=step.name,
            user=history_user,
            comment=comment,
            province_code=where[0],
            year=moved[0].year,
            category=where[1],
            sheet=sheet,
        )
    return moved


def _on_time(report: AnnualReport, moment) -> bool | None:
    """Whether a first submission at ``moment`` meets the due date of the
    report's province and year (``None`` when the year has no period)."""
    found = deadlines(province_code=report.institution.province_id, year=report.year)
    return None if found is None else found.is_on_time(moment)


# One report ----------------------------------------------------------------------


@transaction.atomic
def _report_move(
    step: Step, *, user, report: AnnualReport, comment: str = "", expected=None
) -> AnnualReport:
    institution = report.institution
    _require(step, user, institution.province_id)
    comment = _comment(step, comment)
    (moved,) = _move(
        AnnualReport.objects.filter(pk=report.pk),
        step=step,
        user=user,
        where=(institution.province_id, institution.category),
        comment=comment,
        change_reason=comment,
        expected=expected,
    )
    return moved


def report_submit(*, user, report: AnnualReport) -> AnnualReport:
    """Sends a draft or returned report to the ministry for review."""
    return _report_move(SUBMIT, user=user, report=report)


def report_approve(
    *, user, report: AnnualReport, expected_version: int | None = None
) -> AnnualReport:
    """Approves a submitted report, which locks it; with ``expected_version``,
    only if it is still the version the reviewer saw."""
    expected = None if expected_version is None else {report.pk: expected_version}
    return _report_move(APPROVE, user=user, report=report, expected=expected)


def report_return(*, user, report: AnnualReport, comment: str) -> AnnualReport:
    """Sends a submitted report back to the province with a comment."""
    return _report_move(RETURN, user=user, report=report, comment=comment)


def report_reopen(*, user, report: AnnualReport, reason: str) -> AnnualReport:
    """Unlocks an approved report and returns it to the province, with a reason."""
    return _report_move(REOPEN, user=user, report=report, comment=reason)


# Chosen reports --------------------------------------------------------------------


def _chosen(province_code: str, year: int, expected: dict[int, int]):
    return AnnualReport.objects.filter(
        pk__in=list(expected), institution__province_id=province_code, year=year
    )


@transaction.atomic
def reports_approve(
    *, user, province_code: str, year: int, expected: dict[int, int]
) -> int:
    """Approves exactly the chosen reports (pk → version seen) of a province
    and year; refuses, approving none, when any of them changed since."""
    _require(APPROVE, user, province_code)
    return len(
        _move(
            _chosen(province_code, year, expected),
            step=APPROVE,
            user=user,
            where=(province_code, None),
            expected=expected,
        )
    )


@transaction.atomic
def reports_return(
    *,
    user,
    province_code: str,
    year: int,
    expected: dict[int, int],
    comments: dict[int, str],
) -> int:
    """Returns the chosen reports (pk → version seen) of a province and year,
    each with its own comment (pk → comment); refuses, returning none, when
    a comment is missing (naming the institution) or a report changed since."""
    _require(RETURN, user, province_code)
    reports = _chosen(province_code, year, expected)
    _selection_check(reports, expected)
    chosen = list(reports.select_related("institution").order_by("pk"))
    missing = {
        str(report.pk): _("Say what %(institution)s needs to correct.")
        % {"institution": report.institution.name}
        for report in chosen
        if not (comments.get(report.pk) or "").strip()
    }
    if missing:
        raise ValidationError(missing)
    for report in chosen:
        comment = _comment(RETURN, comments[report.pk])
        _move(
            AnnualReport.objects.filter(pk=report.pk),
            step=RETURN,
            user=user,
            where=(province_code, report.institution.category),
            comment=comment,
            change_reason=comment,
            expected={report.pk: expected[report.pk]},
        )
    return len(chosen)


# A year sheet ----------------------------------------------------------------------


def sheet_reports(
    step: Step, *, province_code: str, year: int, category: str | None
) -> models.QuerySet[AnnualReport]:
    """The reports of a province and year (of one category unless it is
    ``None``) that ``step`` acts on."""
    reports = AnnualReport.objects.filter(
        institution__province_id=province_code,
        year=year,
        status__in=step.from_statuses,
    )
    if category:
        reports = reports.filter(institution__category=category)
    return reports


@transaction.atomic
def report_sheet_move(
    step: Step,
    *,
    user,
    province_code: str,
    year: int,
    category: str | None = None,
    comment: str = "",
    expected: dict[int, int] | None = None,
) -> int:
    """Takes ``step`` for every report of a province and year (or of one
    category of it) that the step starts from; returns how many. With
    ``expected``, only if those are exactly the reports, in the versions, the
    person confirmed. A return's comment is kept once, on a
    :class:`SheetReturn`."""
    _require(step, user, province_code)
    comment = _comment(step, comment)
    reports = sheet_reports(
        step, province_code=province_code, year=year, category=category
    )
    sheet_return = None
    if step is RETURN:
        count = reports.count()
        if not count:
            return 0
        sheet_return = SheetReturn.objects.create(
            province_id=province_code,
            year=year,
            category=category or "",
            comment=comment,
            reports=count,
            returned_by=user if user is not None and user.is_authenticated else None,
        )
    return len(
        _move(
            reports,
            step=step,
            user=user,
            where=(province_code, category),
            comment=comment,
            change_reason=comment or SHEET_CHANGE_REASON,
            sheet_return=sheet_return,
            expected=expected,
            sheet=True,
        )
    )


def report_sheet_submit(*, user, province_code, year, category, expected=None) -> int:
    """Sends every draft or returned report of a year sheet for review."""
    return report_sheet_move(
        SUBMIT,
        user=user,
        province_code=province_code,
        year=year,
        category=category,
        expected=expected,
    )


def report_sheet_approve(
    *, user, province_code, year, category=None, expected=None
) -> int:
    """Approves (and so locks) every submitted report of a province and year."""
    return report_sheet_move(
        APPROVE,
        user=user,
        province_code=province_code,
        year=year,
        category=category,
        expected=expected,
    )


def report_sheet_return(*, user, province_code, year, comment, category=None) -> int:
    """Returns every submitted report of a province and year to the province
    with one comment."""
    return report_sheet_move(
        RETURN,
        user=user,
        province_code=province_code,
        year=year,
        category=category,
        comment=comment,
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
    nothing (:class:`~reports.entry.services.ReportsRefused`); with
    ``submit``, then sends every draft or returned report of the whole sheet
    for review."""
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
