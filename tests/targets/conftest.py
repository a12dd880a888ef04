"""Fixtures of the targets tests: the seeded rows, English messages."""

import pytest
from django.utils import translation

from targets.services import targets_seed


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English unless a test switches language."""
    with translation.override("en"):
        yield


@pytest.fixture
def seeded(db):
    """The 34 rows of targets.csv. The data migration creates them; a
    transactional test may have flushed them since, so seed again if needed."""
    targets_seed()
