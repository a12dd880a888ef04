"""lifelong_learning/years.py: the range of the portal's years, its messages
in the reader's language, its database check and the reader of a file's year."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from lifelong_learning.years import (
    YEAR_MAX,
    YEAR_MIN,
    YEAR_RANGE_MESSAGE,
    year_parse,
    year_range_constraint,
)


def test_the_range_message_names_the_range_in_the_readers_language():
    with translation.override("en"):
        assert str(YEAR_RANGE_MESSAGE) == "A year must lie between 1800 and 2100."
    with translation.override("vi"):
        assert str(YEAR_RANGE_MESSAGE) == "Năm phải nằm trong khoảng 1800 đến 2100."


def test_a_range_constraint_refuses_with_its_message_in_the_readers_language():
    constraint = year_range_constraint(
        "opened_year",
        name="opened_year_range",
        message=gettext_noop("The opening year must lie between %(min)s and %(max)s."),
        null=True,
    )

    with translation.override("vi"):
        message = constraint.get_violation_error_message()

    assert message == "Năm thành lập phải nằm trong khoảng 1800 đến 2100."
    assert "opened_year__isnull" in str(constraint.condition)


@pytest.mark.parametrize(
    ("text", "required", "year", "message"),
    [
        ("2024", False, 2024, None),
        (str(YEAR_MIN), False, YEAR_MIN, None),
        (str(YEAR_MAX), False, YEAR_MAX, None),
        ("", False, None, None),
        ("", True, None, "a value is required in this column"),
        ("202", False, None, "not a four-digit year"),
        ("２０２４", False, None, "not a four-digit year"),
        ("1799", False, None, "A year must lie between 1800 and 2100."),
        ("2101", True, None, "A year must lie between 1800 and 2100."),
    ],
)
def test_a_files_year_is_four_digits_within_the_range(text, required, year, message):
    errors = []

    with translation.override("en"):
        parsed = year_parse(7, "year", text, errors, required=required)

    assert parsed == year
    assert [(e.row, e.column, e.value, e.message) for e in errors] == (
        [] if message is None else [(7, "year", text, message)]
    )
