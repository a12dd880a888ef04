"""The portal's years: the range every year must lie in (a report's, an
institution's opening and closing, a filter's, an audit date's), the database
check that keeps a year in it, and the one reader of a year written in a file.

Messages name the range through ``%(min)s`` and ``%(max)s``, so the numbers
are written once, here; they are translated when shown, in the reader's
language.
"""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

from .tabular import RowError

YEAR_MIN = 1800
YEAR_MAX = 2100


def _year_range_message(message: str) -> str:
    """``message`` translated, with the range put in, when it is shown."""
    return gettext(message) % {"min": YEAR_MIN, "max": YEAR_MAX}


year_range_message = lazy(_year_range_message, str)

YEAR_RANGE_MESSAGE = year_range_message(
    gettext_noop("A year must lie between %(min)s and %(max)s.")
)


def year_range_constraint(
    field: str, *, name: str, message: str, null: bool = False
) -> models.CheckConstraint:
    """A database check that ``field`` lies in the range (or, with ``null``,
    is empty), refused with ``message``: a text marked with ``gettext_noop``
    that may name the range with ``%(min)s`` and ``%(max)s``."""
    condition = models.Q(**{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX})
    if null:
        condition = models.Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=year_range_message(message),
    )


def year_parse(
    row: int,
    column: str,
    text: str,
    errors: list[RowError],
    *,
    required: bool = False,
) -> int | None:
    """The four-digit year ``text`` of a file's cell; ``None`` (with an error
    added to ``errors``) when it is not one, or lies outside the range, or is
    empty but ``required``; ``None`` alone when empty and optional."""
    if not text:
        if required:
            errors.append(
                RowError(row, column, "", gettext("a value is required in this column"))
            )
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        errors.append(RowError(row, column, text, gettext("not a four-digit year")))
        return None
    year = int(text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors.append(RowError(row, column, text, str(YEAR_RANGE_MESSAGE)))
        return None
    return year
