"""institutions/models.py: Institution's constraints, clean() and active_in()."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from institutions.models import Category, Institution
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _insert(**fields):
    values = {
        "code": "X-1",
        "name": "Thư viện",
        "category": Category.MUSEUM,
        "province_id": "01",
    }
    values.update(fields)
    with transaction.atomic():
        Institution.objects.create(**values)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"code": "has space"}, "institution_code_format"),
        ({"code": ""}, "institution_code_format"),
        ({"code": "thư-viện"}, "institution_code_format"),
        ({"opened_year": 1799}, "institution_opened_year_range"),
        ({"closed_year": 2101}, "institution_closed_year_range"),
        ({"opened_year": 2000, "closed_year": 2000}, "institution_closed_after_opened"),
        ({"opened_year": 2000, "closed_year": 1990}, "institution_closed_after_opened"),
    ],
)
def test_database_rejects_rows_breaking_an_invariant(geography, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        _insert(**fields)
    assert not Institution.objects.exists()


def test_database_rejects_a_repeated_code(geography):
    _insert(code="SAME")
    with pytest.raises(IntegrityError):
        _insert(code="SAME")


def test_database_accepts_open_ended_years(geography):
    _insert(code="A", opened_year=None, closed_year=2025)
    _insert(code="B", opened_year=1990, closed_year=None)
    _insert(code="C", opened_year=1990, closed_year=1991)
    assert Institution.objects.count() == 3


def test_clean_names_the_field_of_each_cross_table_rule(province_a, province_b):
    institution = Institution(
        code="X",
        name="Thư viện",
        category=Category.MUSEUM,
        province=province_a,
        commune_id="22015",  # Phường Tuy Hòa, Đắk Lắk
        former_province_id="72",  # former Tây Ninh, now in 80
        opened_year=2000,
        closed_year=2000,
    )

    with pytest.raises(ValidationError) as raised:
        institution.full_clean()

    errors = raised.value.message_dict
    assert errors["commune"] == [
        "Commune Phường Tuy Hòa lies in Tỉnh Đắk Lắk, not in Thành phố Hà Nội."
    ]
    assert errors["former_province"] == [
        "Former province Tỉnh Tây Ninh (72) merged into Tỉnh Tây Ninh, not into "
        "Thành phố Hà Nội."
    ]
    assert errors["closed_year"] == [
        "The closing year must be greater than the opening year."
    ]
    assert "__all__" not in errors  # the constraint does not repeat the message


def test_field_validators_give_readable_messages(province_a):
    institution = Institution(
        code="bad code",
        name="X",
        category="museumx",
        province=province_a,
        opened_year=1500,
    )

    with pytest.raises(ValidationError) as raised:
        institution.full_clean()

    errors = raised.value.message_dict
    assert errors["code"] == [
        "A code has 1 to 40 letters, digits, dots, hyphens or underscores."
    ]
    assert errors["opened_year"] == ["A year must lie between 1800 and 2100."]
    assert "category" in errors


def test_save_keeps_search_and_sort_keys(province_a):
    institution = InstitutionFactory(name="Thư viện tỉnh Đắk Lắk")

    assert institution.name_search == "thu vien tinh dak lak"
    assert institution.name_sort


def test_vietnamese_alphabetical_order(province_a):
    for name in ["Đông", "Dương", "Ánh", "Anh", "Bảo", "Ăn", "Ân"]:
        InstitutionFactory(name=name)

    assert list(Institution.objects.values_list("name", flat=True)) == [
        "Anh",
        "Ánh",
        "Ăn",
        "Ân",
        "Bảo",
        "Dương",
        "Đông",
    ]


@pytest.mark.parametrize(
    ("opened", "closed", "active_years", "inactive_years"),
    [
        (None, None, [1900, 2030], []),
        (2010, None, [2010, 2030], [2009]),
        (None, 2025, [2000, 2024], [2025, 2026]),
        (2000, 2025, [2000, 2024], [1999, 2025]),
    ],
)
def test_active_in_follows_metrics_md(
    province_a, opened, closed, active_years, inactive_years
):
    institution = InstitutionFactory(opened_year=opened, closed_year=closed)

    for year in active_years:
        assert institution.is_active_in(year)
        assert list(Institution.objects.active_in(year)) == [institution]
    for year in inactive_years:
        assert not institution.is_active_in(year)
        assert not Institution.objects.active_in(year).exists()


def test_changes_are_recorded_with_their_user(province_a, administrator):
    institution = InstitutionFactory(name="Bảo tàng")
    institution.name = "Bảo tàng mới"
    institution._history_user = administrator
    institution.save()

    records = list(institution.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[1].name == "Bảo tàng mới"
    assert records[1].history_user == administrator


def test_str_and_url(province_a):
    institution = InstitutionFactory(code="LIB-1", name="Thư viện")

    assert str(institution) == "Thư viện (LIB-1)"
    assert institution.get_absolute_url() == f"/institutions/{institution.pk}/"


def test_provinces_sort_by_their_proper_name(geography):
    """People look for Đắk Lắk under Đ: "Thành phố …" and "Tỉnh …" do not split
    the list in two."""
    from institutions.models import Commune, Province

    names = list(Province.objects.values_list("name", flat=True))
    assert names.index("Thành phố Đà Nẵng") < names.index("Tỉnh Đắk Lắk")
    assert names.index("Tỉnh Đắk Lắk") < names.index("Thành phố Hà Nội")
    assert names[0] == "Tỉnh An Giang"
    assert names.index("Tỉnh Cà Mau") < names.index("Thành phố Cần Thơ")
    wards = list(
        Commune.objects.filter(province_id="01").values_list("name", flat=True)
    )
    assert wards.index("Phường Ba Đình") < wards.index("Xã Bát Tràng")
