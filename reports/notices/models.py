"""Notices: what the portal tells a person, in an inbox under the header's bell
and, unless they turned it off, by e-mail in their language; and the record of
the reminders already sent, so that a second run the same day sends nothing
twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    SHEET_RETURNED = "sheet_returned", _("Sheet returned")
    SHEET_APPROVED = "sheet_approved", _("Reports approved")
    SHEET_SUBMITTED = "sheet_submitted", _("Sheet submitted")
    REMINDER = "reminder", _("Reminder")
    COMMENT = "comment", _("Reply")


class Notice(models.Model):
    """One message to one person. Its text is kept in the recipient's language
    at the time it was written."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
        ]

    def __str__(self):
        return self.subject


class NoticeSettings(models.Model):
    """A person's choice of notices by e-mail (the inbox always keeps them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_settings",
        verbose_name=_("user"),
    )
    email = models.BooleanField(
        _("notices by e-mail"),
        default=True,
        help_text=_("Notices always stay in the inbox."),
    )

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")

    def __str__(self):
        return str(self.user)


class ReminderSent(models.Model):
    """A rung of the reminder ladder sent to a province for a period: at most
    once (14, 7 and 1 days before the due date, 3 days after)."""

    period = models.ForeignKey(
        "reports.ReportingPeriod",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reporting period"),
    )
    province = models.ForeignKey(
        "institutions.Province",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("province"),
    )
    days_before_due = models.SmallIntegerField(
        _("days before the due date"),
        help_text=_("14, 7 and 1 before the due date; -3 is three days after."),
    )
    sent_on = models.DateField(_("sent on"))
    reported = models.PositiveIntegerField(_("institutions reported"))
    active = models.PositiveIntegerField(_("active institutions"))
    recipients = models.PositiveIntegerField(_("recipients"))

    class Meta:
        ordering = ["-sent_on", "province"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "province", "days_before_due"],
                name="reminder_once_per_rung",
            )
        ]

    def __str__(self):
        return f"{self.period} {self.province_id} {self.days_before_due}"
