"""The one rule of metrics.md for "active in a year": an institution counts in
``year`` when it opened then or before (or has no opening year) and has not yet
closed (no closing year, or one after ``year``). A library closed in 2025
counts up to 2024.

:func:`is_active` applies it to plain values, :func:`active_q` writes it as a
query condition; :meth:`institutions.models.InstitutionQuerySet.active_in`,
:meth:`institutions.models.Institution.is_active_in`, the progress counters and
the follow-up lists all use one of these two.
"""

from django.db.models import Q


def is_active(opened_year: int | None, closed_year: int | None, year: int) -> bool:
    """True when an institution opened in ``opened_year`` and closed in
    ``closed_year`` (either may be ``None``) counts in ``year``."""
    opened = opened_year is None or opened_year <= year
    still_open = closed_year is None or closed_year > year
    return opened and still_open


def active_q(year, *, prefix: str = "") -> Q:
    """The same condition on an institution in a query (``prefix`` reaches it
    from another model, e.g. ``"institution__"``). ``year`` may be an
    expression such as ``F("year")``."""
    return (
        Q(**{f"{prefix}opened_year__isnull": True})
        | Q(**{f"{prefix}opened_year__lte": year})
    ) & (
        Q(**{f"{prefix}closed_year__isnull": True})
        | Q(**{f"{prefix}closed_year__gt": year})
    )
