"""Official releases: the figures of a data year, frozen.

A release is published by ministry staff from approved reports only
(:func:`reports.releases.services.release_publish`) and never changes
afterwards: its snapshot is the canonical JSON text of every count and figure
the public pages, the files and the API show, with its SHA-256. A correction
is a new release of the same year (``2025-1``, then ``2025-2``).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lifelong_learning.years import YEAR_MAX, YEAR_MIN

# Where the public pages keep the list of releases (numbers, years, dates),
# deleted when a release is published.
RELEASE_LIST_KEY = "releases:list:1"


class ReleaseFrozen(ValidationError):
    """A published release was about to be changed or deleted."""


class ReleaseQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReleaseFrozen(_("A published release cannot be changed."))

    def delete(self):
        raise ReleaseFrozen(_("A published release cannot be deleted."))


class Release(models.Model):
    """One official release of a data year's figures."""

    number = models.CharField(
        _("release"),
        max_length=16,
        unique=True,
        help_text=_("Data year and sequence, e.g. 2025-1; a correction is 2025-2."),
    )
    year = models.PositiveSmallIntegerField(_("data year"))
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when published from the command line."),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=255,
        help_text=_("The agency that publishes the data (shown publicly)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    snapshot = models.TextField(
        _("snapshot"),
        help_text=_("Canonical JSON of every frozen count and figure."),
    )
    snapshot_sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        get_latest_by = "published_at"
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="release_unique_year_sequence"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="release_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1), name="release_sequence_positive"
            ),
        ]
        permissions = [("publish_release", _("Can publish an official release"))]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ReleaseFrozen(_("A published release cannot be changed."))
        digest = hashlib.sha256(self.snapshot.encode()).hexdigest()
        if self.snapshot_sha256 and self.snapshot_sha256 != digest:
            raise ReleaseFrozen(_("The snapshot does not match its SHA-256."))
        self.snapshot_sha256 = digest
        super().save(*args, **kwargs)
        # The list of releases the public pages keep is stale: deleted now,
        # and again once this one is committed (a page read in between would
        # have kept the list without it).
        cache.delete(RELEASE_LIST_KEY)
        transaction.on_commit(
            lambda: cache.delete(RELEASE_LIST_KEY), using=self._state.db
        )

    def delete(self, *args, **kwargs):
        raise ReleaseFrozen(_("A published release cannot be deleted."))
