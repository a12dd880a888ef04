"""A published release of 2024 (province A and B's district libraries) and
the correction that moves its figures, for the public pages' tests."""

import re

import pytest

from reports.releases.services import release_publish
from tests.reports.releases.conftest import (  # noqa: F401
    PUBLISHED,
    approved_2024,
    correct,
)

CARD = re.compile(
    r'id="(card-\d+)-title">([^<]+)</h3>\s*<p class="card-value mb-1">'
    r'<span data-testid="card-value">([^<]+)</span>'
)


def card_values(html: str) -> dict[str, str]:
    """Each card's label and value as a page shows them."""
    return {label: value for _key, label, value in CARD.findall(html)}


@pytest.fixture
def release_2024(approved_2024):  # noqa: F811
    return release_publish(year=2024, notes="Số liệu chính thức", now=PUBLISHED)
