"""Reads of the institution registry: what a user may see, counts, exports."""

from collections.abc import Iterator

from django.db.models import Count, QuerySet

from lifelong_learning.history import (
    HISTORY_TYPES,
    change_reason_label,
    history_changes,
    value_text,
)
from lifelong_learning.roles import user_province, user_sees_all_provinces

from .models import Category, Commune, Institution, Province

EXPORT_CHUNK_SIZE = 2000


def institution_visible_list(*, user) -> QuerySet[Institution]:
    """Institutions the user may see: every province for ministry staff and
    administrators, their own province for a provincial officer, none else."""
    queryset = Institution.objects.select_related(
        "province", "commune", "former_province"
    )
    if user_sees_all_provinces(user):
        return queryset
    own = user_province(user)
    if own is None:
        return queryset.none()
    return queryset.filter(province=own)


def province_visible_list(*, user) -> QuerySet[Province]:
    """Provinces the user may see (all, or the officer's own)."""
    if user_sees_all_provinces(user):
        return Province.objects.all()
    own = user_province(user)
    if own is None:
        return Province.objects.none()
    return Province.objects.filter(pk=own.pk)


def commune_list(*, province_code: str | None) -> QuerySet[Commune]:
    """Communes of a province in Vietnamese order; none without a province."""
    if not province_code:
        return Commune.objects.none()
    return Commune.objects.filter(province_id=province_code).order_by("name_sort")


def institution_category_counts(
    queryset: QuerySet[Institution],
) -> list[dict]:
    """Number of institutions per category in ``queryset`` (one query), in the
    order of :class:`Category`, leaving out categories with none."""
    counts = dict(
        queryset.order_by()
        .values_list("category")
        .annotate(count=Count("pk"))
        .values_list("category", "count")
    )
    return [
        {"category": value, "label": label, "count": counts[value]}
        for value, label in Category.choices
        if counts.get(value)
    ]


def institution_export_rows(queryset: QuerySet[Institution]) -> Iterator[tuple]:
    """Rows in the column order of ``services.COLUMNS``, streamed from the
    database in chunks."""
    return (
        queryset.order_by("code")
        .values_list(
            "code",
            "name",
            "category",
            "province_id",
            "former_province_id",
            "commune_id",
            "opened_year",
            "closed_year",
        )
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )


def institution_history(institution: Institution) -> QuerySet:
    """The institution's change records, newest first, with their users."""
    return institution.history.select_related(
        "history_user", "province", "commune", "former_province"
    ).order_by("-history_date", "-history_id")


def institution_history_entries(institution: Institution) -> list[dict]:
    """The change history as entries of date, user, kind, reason and the fields
    that changed (verbose name, old value, new value), newest first."""
    records = list(institution_history(institution))
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = history_changes(record, previous) if previous is not None else []
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "type_label": HISTORY_TYPES.get(record.history_type, ""),
                "reason": change_reason_label(record.history_change_reason),
                "changes": [
                    {
                        "field": change.field.verbose_name,
                        "name": change.name,
                        "old": value_text(change.field, change.old),
                        "new": value_text(change.field, change.new),
                    }
                    for change in changes
                ],
            }
        )
    return entries
