"""Annual reports: what each institution reports for a calendar year, and the
review workflow that turns a draft into approved, counted data."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from institutions.models import Institution
from lifelong_learning.years import year_range_constraint
from targets.indicators import Count, Criterion


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# Statuses whose figures count towards progress (metrics.md: drafts never count;
# a returned report is sent back for correction and no longer counts).
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def _criterion_field(criterion: Criterion) -> models.BooleanField:
    return models.BooleanField(
        criterion.label,
        null=True,
        blank=True,
        help_text=_("Yes, no, or empty when not reported."),
    )


def _count_field(count: Count) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        count.label,
        null=True,
        blank=True,
        help_text=_("Whole number, zero or more; empty when not reported."),
    )


class AnnualReport(models.Model):
    """One institution's criteria and counts for one calendar year.

    Only the fields that apply to the institution's category
    (``targets.indicators.APPLICABLE_FIELDS``) may be filled.
    """

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("institution"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    lll_services = _criterion_field(Criterion.LLL_SERVICES)
    digital_transformation = _criterion_field(Criterion.DIGITAL_TRANSFORMATION)
    education_programme = _criterion_field(Criterion.EDUCATION_PROGRAMME)
    digital_exhibitions = _criterion_field(Criterion.DIGITAL_EXHIBITIONS)
    creative_activities = _criterion_field(Criterion.CREATIVE_ACTIVITIES)
    clubs_and_classes = _criterion_field(Criterion.CLUBS_AND_CLASSES)
    regular_activities = _criterion_field(Criterion.REGULAR_ACTIVITIES)
    learning_visits = _count_field(Count.LEARNING_VISITS)
    study_visits = _count_field(Count.STUDY_VISITS)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        help_text=_("Why the report was returned or reopened."),
    )
    first_submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        help_text=_(
            "When the report was first sent for review; timeliness is read from it."
        ),
    )
    on_time = models.BooleanField(
        _("on time"),
        null=True,
        blank=True,
        help_text=_(
            "First submitted by its province's due date; empty while not submitted "
            "or when the year has no reporting period."
        ),
    )
    warnings = models.JSONField(
        _("warnings"),
        default=list,
        blank=True,
        help_text=_("Plausibility warnings recorded when the report was saved."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Increases with every save; a save based on an older version is refused."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()
    # The audit trail's name for these records, and its path to their province.
    audit_kind = "report"
    audit_province_path = "institution__province"

    class Meta:
        ordering = ["-year", "institution__name_sort"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        permissions = [
            ("submit_annualreport", _("Can submit annual reports")),
            ("review_annualreport", _("Can approve, return and reopen reports")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"],
                name="report_one_per_institution_year",
                violation_error_message=_(
                    "This institution already has a report for this year."
                ),
            ),
            year_range_constraint(
                "year",
                name="report_year_range",
                message=gettext_noop("The year must lie between %(min)s and %(max)s."),
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="report_year_status")]

    def __str__(self):
        return f"{self.institution} – {self.year}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED_STATUSES


class ReportTransition(models.Model):
    """One step of a report's review workflow: who moved it, when, and why."""

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("annual report"),
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=ReportStatus.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    sheet_return = models.ForeignKey(
        "SheetReturn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("returned sheet"),
        help_text=_("Set when the report was returned with its whole sheet."),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self):
        return (
            f"{self.report}: {self.get_from_status_display()} → "
            f"{self.get_to_status_display()}"
        )


class SheetReturn(models.Model):
    """A whole year sheet (a province's submitted reports of a year, of one
    category or of all) sent back by the ministry with one comment. The
    comment belongs to the sheet: it is shown once, never copied into the
    comments of the reports it returned."""

    province = models.ForeignKey(
        "institutions.Province",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("province"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(
        _("category"),
        max_length=32,
        blank=True,
        help_text=_("Empty when every category of the year was returned."),
    )
    comment = models.TextField(_("comment"))
    reports = models.PositiveIntegerField(_("reports returned"), default=0)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), auto_now_add=True)

    class Meta:
        ordering = ["-returned_at", "-pk"]
        verbose_name = _("returned sheet")
        verbose_name_plural = _("returned sheets")

    def __str__(self):
        return f"{self.province_id} {self.year} {self.category or '*'}"


class ReportComment(models.Model):
    """A message in the thread of a returned report: the reviewer and the
    province's officers reply to each other until the report is approved."""

    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("annual report"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.report_id} {self.at:%Y-%m-%d %H:%M}"
