"""Imports that run on a background worker (``manage.py db_worker``), so that
confirming a large file returns at once and its page follows the import."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    INSTITUTIONS = "institutions", _("Institutions")
    REPORTS = "reports", _("Annual reports")


class ImportState(models.TextChoices):
    # The check of an upload (its preview), before anyone confirms it.
    PENDING = "pending", _("Waiting for a worker to check it")
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked")
    # The import of the confirmed upload.
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


CHECK_STATES = (ImportState.PENDING, ImportState.CHECKING)


class ImportJob(models.Model):
    """The check, then the import, of one upload: who uploaded and confirmed
    it, how far the worker got and what came of it. The check (the preview)
    runs before the confirmation; an upload is confirmed once; the file is
    removed when its import ends, all of it written or none."""

    # Not backed up, emptied by a restore: the uploads it names are temporary.
    derived = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("started by"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    upload = models.CharField(
        _("upload"),
        max_length=32,
        unique=True,
        help_text=_("The token of the upload: each is checked, then imported once."),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_path = models.CharField(
        _("stored file"),
        max_length=100,
        help_text=_("The file's name in the private upload directory."),
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("What the import needs besides the file (a report status)."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        help_text=_("The language of the person who confirmed it: of its messages."),
    )
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=ImportState.choices,
        default=ImportState.QUEUED,
    )
    rows_total = models.PositiveIntegerField(
        _("rows in the file"), default=0, help_text=_("Counted by the check.")
    )
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    errors_found = models.PositiveIntegerField(_("errors so far"), default=0)
    result = models.JSONField(
        _("result"),
        default=dict,
        blank=True,
        help_text=_("The summary, warnings and errors shown once it ended."),
    )
    created_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("jobs:detail", kwargs={"pk": self.pk})

    @property
    def checking(self) -> bool:
        """The upload is being checked (or waits for a worker to check it)."""
        return self.state in CHECK_STATES

    @property
    def confirmed(self) -> bool:
        """The upload was confirmed: its import is queued, running or over."""
        return self.state not in (*CHECK_STATES, ImportState.CHECKED)

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def percent(self) -> int:
        """How much of the file has been checked, 0 to 100 (99 at most until
        the import has ended)."""
        if self.state == ImportState.DONE:
            return 100
        if not self.rows_total:
            return 0
        percent = self.rows_checked * 100 // self.rows_total
        return min(percent, 100 if self.finished else 99)
