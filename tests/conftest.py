"""Fixtures shared by every test: users in each role, geography, a browser."""

import os

import pytest
from django.core.cache import cache
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from institutions.geography import geography_load
from institutions.models import Commune, FormerProvince, Province
from lifelong_learning.roles import Role, role_groups_sync
from targets.services import targets_seed

from .factories import UserFactory

# Property-based tests draw the same examples on every run and machine, so a
# green run here is green in CI; new examples come from changing the tests,
# not from chance.
hypothesis_settings.register_profile("portal", derandomize=True, database=None)
hypothesis_settings.load_profile("portal")

# Playwright's sync API keeps an event loop running in the main thread; the test
# code that prepares data around it is still plain synchronous Django code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROVINCE_A = "01"  # Thành phố Hà Nội
PROVINCE_B = "66"  # Tỉnh Đắk Lắk


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts without cached pages: a rolled-back SQLite test may
    reuse the ids that a cached page's token was made of."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread: each test
    ends back in the portal's default language, so the next starts there."""
    yield
    translation.deactivate()


@pytest.fixture
def geography(db):
    """The 34 provinces, 3,321 communes and 63 former provinces, and the target
    rows of targets.csv.

    Migrations load them; transactional tests flush tables, so reload if needed.
    """
    if not Commune.objects.exists():
        geography_load(
            province_model=Province,
            commune_model=Commune,
            former_province_model=FormerProvince,
        )
        role_groups_sync()
    targets_seed()


@pytest.fixture
def province_a(geography):
    return Province.objects.get(code=PROVINCE_A)


@pytest.fixture
def province_b(geography):
    return Province.objects.get(code=PROVINCE_B)


@pytest.fixture
def ministry_user(geography):
    return UserFactory(username="ministry-test", role=Role.MINISTRY_STAFF)


@pytest.fixture
def officer_a(geography):
    return UserFactory(
        username="officer-a", role=Role.PROVINCIAL_OFFICER, province=PROVINCE_A
    )


@pytest.fixture
def officer_b(geography):
    return UserFactory(
        username="officer-b", role=Role.PROVINCIAL_OFFICER, province=PROVINCE_B
    )


@pytest.fixture
def administrator(geography):
    return UserFactory(username="administrator-test", role=Role.ADMINISTRATOR)
