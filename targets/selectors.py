"""Reads of target rows."""

from django.db.models import QuerySet

from .models import Target


def target_list(*, family: str | None = None, year: int | None = None) -> QuerySet:
    """Returns the target rows in targets.csv order (by position), optionally
    of one family or one target year."""
    targets = Target.objects.order_by("position", "pk")
    if family is not None:
        targets = targets.filter(family=family)
    if year is not None:
        targets = targets.filter(year=year)
    return targets
