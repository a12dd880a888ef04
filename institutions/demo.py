"""Demo institutions for `make run`: a realistic register in every province,
and the names of institutions called after their place, which the national demo
register (reports.demo.national) gives the same way."""

import random

from .imports import ImportResult, institution_rows_import
from .models import Category, Commune, Province
from .text import inner_name, proper_name

# One of each category first, then the kinds a province has many of.
_FIRST = list(Category)
_REPEATED = [
    Category.CULTURE_VILLAGE,
    Category.LIBRARY_COMMUNE,
    Category.CULTURE_COMMUNE,
    Category.LIBRARY_DISTRICT,
    Category.CULTURE_VILLAGE,
    Category.LIBRARY_SCHOOL,
    Category.CULTURE_DISTRICT,
    Category.MUSEUM,
    Category.CULTURE_VILLAGE,
    Category.LIBRARY_COMMUNE,
    Category.CULTURE_COMMUNE,
    Category.LIBRARY_UNIVERSITY,
    Category.LIBRARY_SPECIALISED,
]
_DISTRICT = {Category.LIBRARY_DISTRICT, Category.CULTURE_DISTRICT}
_IN_COMMUNE = {
    Category.LIBRARY_COMMUNE,
    Category.CULTURE_COMMUNE,
    Category.CULTURE_VILLAGE,
    Category.LIBRARY_SCHOOL,
    Category.LIBRARY_DISTRICT,
    Category.CULTURE_DISTRICT,
}
_SPECIALISED = ["Sở Y tế", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường"]
_UNIVERSITY = [
    "Thư viện Trường Đại học {place}",
    "Thư viện Trường Cao đẳng Sư phạm {place}",
    "Thư viện Trường Cao đẳng Văn hóa Nghệ thuật {place}",
]
_MUSEUMS = ["Mỹ thuật", "Lịch sử", "Văn hóa các dân tộc"]
_VILLAGES = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Mới"]
# Institutions named after the place they serve, alike in every demo register.
_PLACE_NAMES = {
    Category.LIBRARY_PROVINCIAL: "Thư viện {province}",
    Category.CULTURE_PROVINCIAL: "Trung tâm Văn hóa {province}",
    Category.LIBRARY_DISTRICT: "Thư viện huyện {area}",
    Category.CULTURE_DISTRICT: "Trung tâm Văn hóa - Thể thao huyện {area}",
    Category.LIBRARY_COMMUNE: "Thư viện {commune}",
    Category.CULTURE_COMMUNE: "Trung tâm Văn hóa - Thể thao {commune}",
}


def demo_place_name(
    category: str, province: Province, commune: Commune | None
) -> str | None:
    """The demo name of an institution named after the place it serves
    ("Thư viện tỉnh Đắk Lắk", "Thư viện huyện Ea Kar": a district institution
    takes its commune's proper name, or its province's without one); ``None``
    for a category named otherwise."""
    template = _PLACE_NAMES.get(category)
    if template is None:
        return None
    return template.format(
        province=inner_name(province.name),
        area=proper_name((commune or province).name),
        commune=inner_name(commune.name) if commune else "",
    )


def _name(category, province, commune, rng: random.Random, ordinal: int) -> str:
    if (named := demo_place_name(category, province, commune)) is not None:
        return named
    place = proper_name(province.name)
    area = proper_name(commune.name) if commune else place
    match category:
        case Category.MUSEUM:
            if ordinal == 0:
                return f"Bảo tàng {inner_name(province.name)}"
            return f"Bảo tàng {_MUSEUMS[ordinal % len(_MUSEUMS)]} {place}"
        case Category.CULTURE_VILLAGE:
            return f"Nhà văn hóa thôn {rng.choice(_VILLAGES)} {ordinal + 1}, {area}"
        case Category.LIBRARY_UNIVERSITY:
            return _UNIVERSITY[ordinal % len(_UNIVERSITY)].format(place=place)
        case Category.LIBRARY_SPECIALISED:
            department = _SPECIALISED[ordinal % len(_SPECIALISED)]
            return f"Thư viện chuyên ngành {department} {place}"
        case Category.LIBRARY_ARMED_FORCES:
            return f"Thư viện Bộ Chỉ huy Quân sự {inner_name(province.name)}"
        case Category.LIBRARY_SCHOOL:
            return f"Thư viện Trường THPT {area}"
    raise ValueError(category)


def demo_institution_rows(*, per_province: int = 40, seed: int = 1520) -> list:
    """The demo register as import rows: ``per_province`` institutions in each
    of the 34 provinces, the same for the same ``seed``."""
    rng = random.Random(seed)
    rows = []
    provinces = Province.objects.prefetch_related("former_provinces").order_by("code")
    communes_by_province: dict[str, list[Commune]] = {}
    for commune in Commune.objects.order_by("code"):
        communes_by_province.setdefault(commune.province_id, []).append(commune)
    for province in provinces:
        communes = communes_by_province[province.code]
        former = sorted(province.former_provinces.all(), key=lambda f: f.code)
        seen: dict[str, int] = {}
        pool = rng.sample(communes, min(len(communes), per_province))
        for index in range(per_province):
            category = (
                _FIRST[index]
                if index < len(_FIRST)
                else _REPEATED[(index - len(_FIRST)) % len(_REPEATED)]
            )
            ordinal = seen.get(category, 0)
            seen[category] = ordinal + 1
            commune = pool[index % len(pool)] if category in _IN_COMMUNE else None
            opened = rng.randint(1960, 2018)
            closed = ""
            legacy = ""
            if category in _DISTRICT:
                opened = rng.randint(1976, 2005)
                # The district level was abolished on 1 July 2025.
                if rng.random() < 0.5:
                    closed = "2025"
            if len(former) > 1 and (category in _DISTRICT or ordinal > 0):
                legacy = rng.choice(former).code
            if category == Category.MUSEUM and ordinal > 0 and len(former) > 1:
                # A museum of a merged province, named after it, recorded
                # under its former code (former 80 Long An → current 80).
                legacy_province = former[ordinal % len(former)]
                legacy = legacy_province.code
                kind = ["", "Lịch sử ", "Văn hóa "][(ordinal - 1) % 3]
                name = f"Bảo tàng {kind}{proper_name(legacy_province.name)}"
            else:
                name = _name(category, province, commune, rng, ordinal)
            rows.append(
                (
                    len(rows) + 2,
                    {
                        "code": f"DEMO-{province.code}-{index + 1:03d}",
                        "name": name,
                        "category": category.value,
                        "province_code": province.code,
                        "legacy_province_code": legacy,
                        "commune_code": commune.code if commune else "",
                        "opened_year": str(opened),
                        "closed_year": closed,
                    },
                )
            )
    return rows


def demo_institutions_create(
    *, per_province: int = 40, seed: int = 1520
) -> ImportResult:
    """Creates or refreshes the demo register (upsert by code, so running it
    again changes nothing)."""
    result = institution_rows_import(
        rows=demo_institution_rows(per_province=per_province, seed=seed), user=None
    )
    if not result.ok:
        raise ValueError("; ".join(str(error) for error in result.errors[:5]))
    return result
