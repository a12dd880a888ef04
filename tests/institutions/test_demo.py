"""institutions/demo.py: the demo register of `make run`."""

import pytest

from institutions.demo import demo_institutions_create, demo_place_name
from institutions.models import Category, Commune, Institution, Province

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


@pytest.mark.parametrize(
    ("category", "commune", "name"),
    [
        (Category.LIBRARY_PROVINCIAL, None, "Thư viện tỉnh Đắk Lắk"),
        (Category.CULTURE_PROVINCIAL, None, "Trung tâm Văn hóa tỉnh Đắk Lắk"),
        (Category.LIBRARY_COMMUNE, "Phường Tuy Hòa", "Thư viện phường Tuy Hòa"),
        (
            Category.CULTURE_COMMUNE,
            "Phường Tuy Hòa",
            "Trung tâm Văn hóa - Thể thao phường Tuy Hòa",
        ),
        # A district institution takes the proper name of its commune, of its
        # province without one, whatever the case of the division word.
        (Category.LIBRARY_DISTRICT, "Phường Tuy Hòa", "Thư viện huyện Tuy Hòa"),
        (
            Category.CULTURE_DISTRICT,
            "xã Bắc Sơn",
            "Trung tâm Văn hóa - Thể thao huyện Bắc Sơn",
        ),
        (Category.LIBRARY_DISTRICT, None, "Thư viện huyện Đắk Lắk"),
        (Category.MUSEUM, None, None),
    ],
)
def test_institutions_named_after_their_place_read_it_inside_the_name(
    geography, category, commune, name
):
    dak_lak = Province.objects.get(code="66")
    place = Commune.objects.get(name=commune) if commune else None

    assert demo_place_name(category, dak_lak, place) == name


def test_demo_register_names_each_province_s_institutions_after_it(geography):
    demo_institutions_create(per_province=len(Category))

    first = Institution.objects.get(code="DEMO-66-001")
    assert (first.category, first.name) == (
        Category.LIBRARY_PROVINCIAL,
        "Thư viện tỉnh Đắk Lắk",
    )
    museum = Institution.objects.get(province="01", category=Category.MUSEUM)
    assert museum.name == "Bảo tàng thành phố Hà Nội"
