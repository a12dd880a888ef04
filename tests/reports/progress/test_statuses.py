"""reports/progress/statuses.py: every status has one colour, one icon and its
words; a cell's tint is its colour lightened."""

from django.utils import translation

from reports.progress.progress import Status
from reports.progress.statuses import (
    STATUS_COLOURS,
    STATUS_ICONS,
    StatusView,
    status_tint,
)


def test_every_status_has_a_colour_and_an_icon():
    assert set(STATUS_COLOURS) == set(STATUS_ICONS) == set(Status)
    assert len(set(STATUS_COLOURS.values())) == len(Status)


def test_a_tint_keeps_the_hue_and_lightens_it():
    assert status_tint(Status.ACHIEVED) == "#b8d3c7"
    assert status_tint("no_data") == "#e6e9eb"
    for status in Status:
        tint = status_tint(status)
        colour = STATUS_COLOURS[status]
        for i in (1, 3, 5):
            assert int(colour[i : i + 2], 16) <= int(tint[i : i + 2], 16)


def test_a_status_view_gives_code_icon_and_words():
    with translation.override("en"):
        view = StatusView.of("acceleration_needed")
    assert view == StatusView(
        code="acceleration_needed",
        label="Acceleration needed",
        icon="bi-exclamation-triangle-fill",
    )
