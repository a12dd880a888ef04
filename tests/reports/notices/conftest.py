"""People to tell and a district library with a submitted report."""

import pytest

from lifelong_learning.roles import Role
from tests.conftest import PROVINCE_A
from tests.factories import ReportFactory, UserFactory


@pytest.fixture
def officer_a(geography):
    """Province A's officer, with an e-mail address."""
    return UserFactory(
        username="officer-a",
        email="officer-a@example.vn",
        role=Role.PROVINCIAL_OFFICER,
        province=PROVINCE_A,
    )


@pytest.fixture
def ministry_user(geography):
    return UserFactory(
        username="ministry-test",
        email="ministry@example.vn",
        role=Role.MINISTRY_STAFF,
    )


@pytest.fixture
def submitted(library_a):
    return ReportFactory(institution=library_a, year=2024, status="submitted")
