"""Keeps the progress counters (:mod:`reports.counters`) in step with single
saves and deletes, wherever they come from: forms, the admin, services or
tests. Bulk writes call :func:`reports.counters.counts_refresh` themselves."""

from institutions.models import Institution

from . import counters


def institution_pre_save(sender, instance, raw=False, **kwargs):
    # Where the institution was counted before this save.
    instance._counted_slice = (
        Institution.objects.filter(pk=instance.pk)
        .values_list("province_id", "category")
        .first()
        if instance.pk is not None and not raw
        else None
    )


def institution_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    slices = {(instance.province_id, instance.category)}
    before = getattr(instance, "_counted_slice", None)
    if before is not None:
        slices.add(before)
    counters.counts_refresh(slices=slices)


def report_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    where = (
        Institution.objects.filter(pk=instance.institution_id)
        .values_list("province_id", "category")
        .first()
    )
    if where is not None:
        counters.counts_refresh(slices=[where])


def _pair(target) -> tuple | None:
    return (target.count_field, target.baseline_year) if target.count_field else None


def target_pre_save(sender, instance, raw=False, **kwargs):
    stored = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._counted_pair = _pair(stored) if stored is not None else None


def target_changed(sender, instance, raw=False, **kwargs):
    # Only a growth row's count or base year changes which panels are kept.
    if raw:
        return
    if _pair(instance) != getattr(instance, "_counted_pair", _pair(instance)):
        counters.panel_counts_rebuild()


def target_deleted(sender, instance, **kwargs):
    if _pair(instance) is not None:
        counters.panel_counts_rebuild()


_MOVING_FIELDS = (
    ("category", "category"),
    ("province", "province_id"),
    ("former_province", "former_province_id"),
)


def institutions_changing(sender, changes, **kwargs):
    """Refuses changes to institutions that would move approved figures: a
    new category, province or former province of an institution with
    approved reports, or opening and closing years that leave an approved
    report's year outside the years it was active. The ministry reopens
    those reports first. One query for the whole batch."""
    from collections import defaultdict

    from django.utils.translation import gettext as _

    from .models import AnnualReport, ReportStatus

    approved = defaultdict(list)
    for pk, year in (
        AnnualReport.objects.filter(
            institution_id__in=[stored.pk for stored, _changed in changes],
            status=ReportStatus.APPROVED,
        )
        .values_list("institution_id", "year")
        .order_by("year")
    ):
        approved[pk].append(year)

    def refusal(years):
        return _(
            "This would change approved figures: the approved reports of "
            "%(years)s. Ask the ministry to reopen them first."
        ) % {"years": ", ".join(str(year) for year in years)}

    refused = {}
    for stored, changed in changes:
        years = approved.get(stored.pk)
        if not years:
            continue
        errors = {}
        for name, attribute in _MOVING_FIELDS:
            if getattr(stored, attribute) != getattr(changed, attribute):
                errors[name] = refusal(years)
        lost = [year for year in years if not changed.is_active_in(year)]
        if lost:
            name = (
                "closed_year"
                if changed.closed_year != stored.closed_year
                else "opened_year"
            )
            errors[name] = refusal(lost)
        if errors:
            refused[stored.pk] = errors
    return refused
