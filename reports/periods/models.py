"""Reporting periods: when the data of a year is collected. The ministry opens
a period per data year with an opening date, a due date and a closing date
after which entry is locked; a province may get an extension (a later due or
closing date, with a reason). Dates are calendar days of Asia/Ho_Chi_Minh: "due
31/03" means until 23:59:59 that day in Vietnam."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from lifelong_learning.years import year_range_constraint


class ReportingPeriod(models.Model):
    """The collection of one data year's reports."""

    year = models.PositiveSmallIntegerField(
        _("data year"), unique=True, help_text=_("The year the reports describe.")
    )
    opens_on = models.DateField(
        _("opening date"), help_text=_("The first day reports can be entered.")
    )
    due_on = models.DateField(
        _("due date"),
        help_text=_(
            "Reports first submitted by the end of this day (Vietnam time) are on time."
        ),
    )
    closes_on = models.DateField(
        _("closing date"),
        help_text=_("The last day reports can be entered; review goes on after it."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            year_range_constraint(
                "year",
                name="period_year_range",
                message=gettext_noop("The year must lie between %(min)s and %(max)s."),
            ),
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("due_on"))
                & models.Q(due_on__lte=models.F("closes_on")),
                name="period_dates_in_order",
                violation_error_message=_(
                    "The dates must follow each other: opening, due, closing."
                ),
            ),
        ]

    def __str__(self):
        return str(self.year)

    def get_absolute_url(self):
        return reverse("reports:period", args=[self.year])

    def clean(self):
        if (
            self.opens_on
            and self.due_on
            and self.closes_on
            and not self.opens_on <= self.due_on <= self.closes_on
        ):
            raise ValidationError(
                _("The dates must follow each other: opening, due, closing.")
            )


class PeriodExtension(models.Model):
    """A later due or closing date for one province, with the reason."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("reporting period"),
    )
    province = models.ForeignKey(
        "institutions.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    due_on = models.DateField(_("due date"))
    closes_on = models.DateField(_("closing date"))
    reason = models.TextField(_("reason"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()
    audit_province_path = "province"

    class Meta:
        ordering = ["period", "province__name_sort"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "province"],
                name="extension_one_per_province",
                violation_error_message=_(
                    "This province already has an extension for this period."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__lte=models.F("closes_on")),
                name="extension_dates_in_order",
                violation_error_message=_(
                    "The due date must not come after the closing date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.province_id}"
