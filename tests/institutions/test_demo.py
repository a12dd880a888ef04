"""institutions/demo.py: the demo register of `make run`."""

import pytest

from institutions.demo import demo_institutions_create
from institutions.models import Category, Institution, Province

pytestmark = pytest.mark.django_db


def test_demo_register_covers_every_province_and_category(geography):
    result = demo_institutions_create(per_province=20)

    assert result.new == 34 * 20
    assert set(Institution.objects.values_list("province", flat=True)) == set(
        Province.objects.values_list("code", flat=True)
    )
    assert set(Institution.objects.values_list("category", flat=True)) == set(
        Category.values
    )
    assert Institution.objects.filter(closed_year=2025).exists()
    assert Institution.objects.exclude(commune=None).exists()
    reused = Institution.objects.filter(
        former_province__code__in=["72", "80", "52", "64", "82", "87"]
    )
    assert set(reused.values_list("former_province", flat=True)) >= {"72", "80"}
    assert Institution.objects.filter(name_search__contains="dak lak").exists()
    for institution in Institution.objects.exclude(commune=None)[:200]:
        assert institution.commune.province_id == institution.province_id
    for institution in Institution.objects.exclude(former_province=None):
        assert institution.former_province.province_id == institution.province_id


def test_demo_register_is_deterministic_and_idempotent(geography):
    demo_institutions_create(per_province=12)
    first = list(Institution.objects.order_by("code").values("code", "name", "commune"))

    again = demo_institutions_create(per_province=12)

    assert (again.new, again.updated, again.unchanged) == (0, 0, 34 * 12)
    assert (
        list(Institution.objects.order_by("code").values("code", "name", "commune"))
        == first
    )
