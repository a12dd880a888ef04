"""Progress counters: derived tables that the dashboards read instead of the
reports themselves. :mod:`reports.progress.counters` keeps them in step with
every write, in the same transaction, one (province, category) slice at a time.
They hold nothing that cannot be recomputed, so backups leave them out and a
restore rebuilds them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceCount(models.Model):
    """Fields of every counter: counts are kept per province and category."""

    # Derived data: backups leave these tables out and a restore rebuilds them
    # (lifelong_learning.backups finds them by this flag).
    derived = True

    province = models.ForeignKey(
        "institutions.Province",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("province"),
    )
    category = models.CharField(_("category"), max_length=32)

    class Meta:
        abstract = True


class InstitutionCount(ProvinceCount):
    """How many institutions of a province and category share an opening and a
    closing year: enough to count the active ones in any year."""

    opened_year = models.PositiveSmallIntegerField(_("opened"), null=True)
    closed_year = models.PositiveSmallIntegerField(_("closed"), null=True)
    institutions = models.PositiveIntegerField(_("institutions"))

    class Meta:
        verbose_name = _("institution count")
        verbose_name_plural = _("institution counts")

    def __str__(self):
        return f"{self.province_id} {self.category}: {self.institutions}"


class ReportCount(ProvinceCount):
    """Counted reports of a province, category, year and status whose
    institutions share the same set of criteria met (``criteria``, one bit per
    criterion in the order of ``Criterion``) and the same activity in the
    report's year, with the sums of their counts."""

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16)
    active = models.BooleanField(_("active"))
    criteria = models.PositiveSmallIntegerField(_("criteria met"))
    on_time = models.BooleanField(_("on time"), default=False)
    reports = models.PositiveIntegerField(_("reports"))
    learning_visits_total = models.BigIntegerField(default=0)
    learning_visits_given = models.PositiveIntegerField(default=0)
    study_visits_total = models.BigIntegerField(default=0)
    study_visits_given = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("report count")
        verbose_name_plural = _("report counts")
        indexes = [models.Index(fields=["year", "province"], name="report_count_year")]

    def __str__(self):
        return f"{self.province_id} {self.category} {self.year}: {self.reports}"


class PanelCount(ProvinceCount):
    """The like-for-like panel of a count field between a base year and a later
    year, per province, category and the statuses of the two reports: how many
    institutions gave the count in both, and their totals in each year."""

    field = models.CharField(_("count"), max_length=32)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16)
    base_status = models.CharField(_("status in the base year"), max_length=16)
    panel = models.PositiveIntegerField(_("institutions"))
    base_total = models.BigIntegerField(default=0)
    year_total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("panel count")
        verbose_name_plural = _("panel counts")
        indexes = [
            models.Index(fields=["field", "base_year", "year"], name="panel_count_pair")
        ]

    def __str__(self):
        return f"{self.province_id} {self.field} {self.base_year}-{self.year}"


class CountVersion(models.Model):
    """How many times a province's counters have changed: a write bumps its
    province's version in the same transaction, so a page cached under the
    versions it shows (:func:`reports.progress.counters.counts_token`) is
    replaced exactly when its data changes, and a save in one province leaves
    the other provinces' pages in the cache."""

    derived = True

    province = models.OneToOneField(
        "institutions.Province",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("province"),
    )
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("counter version")
        verbose_name_plural = _("counter versions")

    def __str__(self):
        return f"{self.province_id}: {self.version}"
