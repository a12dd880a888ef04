"""National-scale demo data: a register the size of Vietnam's, for benchmarks.

About 150,000 institutions over the 34 provinces and their communes, in the
proportions of the real network (tens of thousands of school libraries and
village cultural houses, one provincial library per province…), with annual
reports whose shares and counts improve year on year. District institutions
mostly close in 2025, when the district level was abolished (1 July 2025), and
some records of merged provinces keep their former province.

The data is written with bulk statements (``COPY`` on PostgreSQL), without
history records, so the whole register takes minutes on two cores. Every
national demo code starts with :data:`CODE_PREFIX`; running the generator again
replaces them. Close to 600 lines, kept as one module because it is one
generator read top to bottom: the network's proportions, the names, the
reports' trajectories and the bulk writer that loads them.
"""

import csv
import io
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from institutions.demo import demo_place_name
from institutions.models import (
    Category,
    Commune,
    DivisionType,
    Institution,
    Province,
)
from institutions.text import inner_name, proper_name, search_key, sort_key
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from reports.progress.counters import counts_rebuild
from targets.indicators import APPLICABLE_FIELDS, Count, Criterion

CODE_PREFIX = "QG-"
DEFAULT_YEARS = (2022, 2025)

# Institutions of each category nationwide. The provincial ones are one per
# province; the others are spread over provinces in proportion to their
# communes.
NATIONAL_COUNTS: dict[str, int] = {
    Category.LIBRARY_PROVINCIAL: 34,
    Category.LIBRARY_DISTRICT: 700,
    Category.LIBRARY_COMMUNE: 3_300,
    Category.LIBRARY_UNIVERSITY: 300,
    Category.LIBRARY_SPECIALISED: 200,
    Category.LIBRARY_ARMED_FORCES: 300,
    Category.LIBRARY_SCHOOL: 45_000,
    Category.MUSEUM: 200,
    Category.CULTURE_PROVINCIAL: 34,
    Category.CULTURE_DISTRICT: 700,
    Category.CULTURE_COMMUNE: 3_300,
    Category.CULTURE_VILLAGE: 96_000,
}
NATIONAL_TOTAL = sum(NATIONAL_COUNTS.values())
ONE_PER_PROVINCE = {Category.LIBRARY_PROVINCIAL, Category.CULTURE_PROVINCIAL}
DISTRICT = {Category.LIBRARY_DISTRICT, Category.CULTURE_DISTRICT}
# The district level was abolished on 1 July 2025: most district libraries and
# centres closed that year (a library closed in 2025 counts up to 2024).
DISTRICTS_ABOLISHED = 2025
DISTRICT_CLOSED_SHARE = 0.8
# The smallest register that still has every category in every province's
# proportions.
MIN_TOTAL = 200

_ABBREVIATIONS = {
    Category.LIBRARY_PROVINCIAL: "TVT",
    Category.LIBRARY_DISTRICT: "TVH",
    Category.LIBRARY_COMMUNE: "TVX",
    Category.LIBRARY_UNIVERSITY: "TVD",
    Category.LIBRARY_SPECIALISED: "TVC",
    Category.LIBRARY_ARMED_FORCES: "TVQ",
    Category.LIBRARY_SCHOOL: "TVS",
    Category.MUSEUM: "BT",
    Category.CULTURE_PROVINCIAL: "VHT",
    Category.CULTURE_DISTRICT: "VHH",
    Category.CULTURE_COMMUNE: "VHX",
    Category.CULTURE_VILLAGE: "NVH",
}

# Probability that a reporting institution meets a criterion in the first
# demo year, and how much it grows each year.
_CRITERIA_TRENDS: dict[tuple[str, str], tuple[float, float]] = {
    (Category.LIBRARY_PROVINCIAL, Criterion.LLL_SERVICES): (0.80, 0.06),
    (Category.LIBRARY_DISTRICT, Criterion.LLL_SERVICES): (0.45, 0.07),
    (Category.LIBRARY_COMMUNE, Criterion.LLL_SERVICES): (0.25, 0.05),
    (Category.LIBRARY_UNIVERSITY, Criterion.LLL_SERVICES): (0.70, 0.06),
    (Category.LIBRARY_SPECIALISED, Criterion.LLL_SERVICES): (0.55, 0.05),
    (Category.LIBRARY_ARMED_FORCES, Criterion.LLL_SERVICES): (0.55, 0.08),
    (Category.LIBRARY_SCHOOL, Criterion.LLL_SERVICES): (0.40, 0.06),
    (Category.LIBRARY_PROVINCIAL, Criterion.DIGITAL_TRANSFORMATION): (0.70, 0.08),
    (Category.LIBRARY_DISTRICT, Criterion.DIGITAL_TRANSFORMATION): (0.30, 0.08),
    (Category.LIBRARY_COMMUNE, Criterion.DIGITAL_TRANSFORMATION): (0.08, 0.04),
    (Category.LIBRARY_UNIVERSITY, Criterion.DIGITAL_TRANSFORMATION): (0.75, 0.05),
    (Category.LIBRARY_SPECIALISED, Criterion.DIGITAL_TRANSFORMATION): (0.50, 0.06),
    (Category.LIBRARY_ARMED_FORCES, Criterion.DIGITAL_TRANSFORMATION): (0.40, 0.07),
    (Category.LIBRARY_SCHOOL, Criterion.DIGITAL_TRANSFORMATION): (0.35, 0.07),
    (Category.MUSEUM, Criterion.EDUCATION_PROGRAMME): (0.65, 0.06),
    (Category.MUSEUM, Criterion.DIGITAL_EXHIBITIONS): (0.30, 0.09),
    (Category.CULTURE_PROVINCIAL, Criterion.CREATIVE_ACTIVITIES): (0.75, 0.06),
    (Category.CULTURE_DISTRICT, Criterion.CREATIVE_ACTIVITIES): (0.55, 0.05),
    (Category.CULTURE_COMMUNE, Criterion.CLUBS_AND_CLASSES): (0.50, 0.06),
    (Category.CULTURE_COMMUNE, Criterion.REGULAR_ACTIVITIES): (0.65, 0.05),
    (Category.CULTURE_VILLAGE, Criterion.CLUBS_AND_CLASSES): (0.35, 0.05),
    (Category.CULTURE_VILLAGE, Criterion.REGULAR_ACTIVITIES): (0.60, 0.04),
}
# Typical yearly visits in the first demo year (a log-normal around it).
_VISITS = {
    Category.LIBRARY_PROVINCIAL: 150_000,
    Category.LIBRARY_DISTRICT: 15_000,
    Category.LIBRARY_COMMUNE: 2_000,
    Category.LIBRARY_UNIVERSITY: 60_000,
    Category.LIBRARY_SPECIALISED: 5_000,
    Category.LIBRARY_ARMED_FORCES: 3_000,
    Category.LIBRARY_SCHOOL: 4_000,
    Category.MUSEUM: 40_000,
}

_SCHOOL_LEVELS = [("Tiểu học", 0.55), ("THCS", 0.3), ("THPT", 0.1), ("Mầm non", 0.05)]
_SCHOOL_NAMES = [
    "Kim Đồng", "Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Võ Thị Sáu", "Lý Tự Trọng",
    "Nguyễn Trãi", "Chu Văn An", "Lê Lợi", "Quang Trung", "Hùng Vương",
    "Ngô Quyền", "Trần Hưng Đạo", "Nguyễn Bỉnh Khiêm", "Hai Bà Trưng",
    "Nguyễn Văn Trỗi", "Lê Văn Tám", "Phan Bội Châu", "Tô Hiến Thành",
]  # fmt: skip
_VILLAGE_NAMES = [
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Mới", "Cầu", "Chợ",
    "Đình", "Đồng", "Bãi", "Gò", "Bến", "Tân Lập", "Tân Hòa", "Phú Cường",
    "An Bình", "Hòa Bình", "Thịnh Vượng", "Phước Lộc", "Làng Mít", "Bản Na",
]  # fmt: skip
_MUSEUM_KINDS = ["Lịch sử", "Mỹ thuật", "Văn hóa các dân tộc", "Chiến thắng", "Biển"]
_SPECIALISED = [
    "Sở Y tế", "Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường",
    "Viện Nghiên cứu Nông nghiệp", "Bệnh viện Đa khoa",
]  # fmt: skip
_UNIVERSITIES = [
    "Trường Đại học", "Trường Cao đẳng Sư phạm", "Trường Cao đẳng Y tế",
    "Trường Cao đẳng Nghề", "Trường Đại học Kỹ thuật",
]  # fmt: skip
_ARMED_FORCES = [
    "Bộ Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng", "Sư đoàn Bộ binh",
    "Trường Quân sự", "Công an",
]  # fmt: skip

type Progress = Callable[[Iterable, int, str], Iterable]


@dataclass
class NationalDemo:
    """What the generator wrote, and how long it took."""

    institutions: int
    reports: int
    seconds: float


@dataclass
class _Institution:
    code: str
    name: str
    category: str
    province_id: str
    commune_id: str | None
    former_province_id: str | None
    opened_year: int
    closed_year: int | None


def years_parse(text: str) -> tuple[int, int]:
    """Reads "2022-2025" (or "2024" alone) as a (first, last) pair.

    Rejects anything else, a first year after the last, and years outside
    1800–2100.
    """
    first, _dash, last = text.strip().partition("-")
    last = last if _dash else first
    if not all(
        part.isascii() and part.isdigit() and len(part) == 4 for part in (first, last)
    ):
        raise ValueError(f"Expected years as YYYY-YYYY (e.g. 2022-2025), got {text!r}.")
    first_year, last_year = int(first), int(last)
    if not (YEAR_MIN <= first_year <= YEAR_MAX and YEAR_MIN <= last_year <= YEAR_MAX):
        raise ValueError(f"Years must lie between {YEAR_MIN} and {YEAR_MAX}.")
    if first_year > last_year:
        raise ValueError(f"The first year {first_year} comes after {last_year}.")
    return first_year, last_year


def category_counts(total: int = NATIONAL_TOTAL) -> dict[str, int]:
    """Institutions per category for a register of about ``total``: the
    national proportions, with one provincial library and cultural centre in
    every province whatever the size."""
    scalable = total - 2 * 34
    national_scalable = NATIONAL_TOTAL - 2 * 34
    counts = {}
    for category, count in NATIONAL_COUNTS.items():
        if category in ONE_PER_PROVINCE:
            counts[category] = 34
        else:
            counts[category] = max(1, round(count * scalable / national_scalable))
    return counts


def _apportion(count: int, weights: Sequence[int]) -> list[int]:
    """Splits ``count`` in proportion to ``weights`` (largest remainders)."""
    whole = sum(weights)
    quotas = [count * weight / whole for weight in weights]
    shares = [int(quota) for quota in quotas]
    by_remainder = sorted(
        range(len(weights)), key=lambda i: quotas[i] - shares[i], reverse=True
    )
    for index in by_remainder[: count - sum(shares)]:
        shares[index] += 1
    return shares


def _weighted(rng: random.Random, choices: Sequence[tuple[str, float]]) -> str:
    pick = rng.random()
    for value, weight in choices:
        pick -= weight
        if pick < 0:
            return value
    return choices[-1][0]


def _name(
    category: str, province: Province, commune: Commune | None, rng, ordinal: int
) -> str:
    if (named := demo_place_name(category, province, commune)) is not None:
        return named
    place = proper_name(province.name)
    match category:
        case Category.CULTURE_VILLAGE:
            unit = (
                "tổ dân phố" if commune.division_type == DivisionType.WARD else "thôn"
            )
            village = rng.choice(_VILLAGE_NAMES)
            local = proper_name(commune.name)
            return f"Nhà văn hóa {unit} {village} {ordinal % 12 + 1}, {local}"
        case Category.LIBRARY_SCHOOL:
            level = _weighted(rng, _SCHOOL_LEVELS)
            local = proper_name(commune.name)
            return f"Thư viện Trường {level} {rng.choice(_SCHOOL_NAMES)}, {local}"
        case Category.MUSEUM:
            if ordinal == 0:
                return f"Bảo tàng {inner_name(province.name)}"
            return f"Bảo tàng {_MUSEUM_KINDS[ordinal % len(_MUSEUM_KINDS)]} {place}"
        case Category.LIBRARY_UNIVERSITY:
            school = _UNIVERSITIES[ordinal % len(_UNIVERSITIES)]
            return f"Thư viện {school} {place} {ordinal // len(_UNIVERSITIES) + 1}"
        case Category.LIBRARY_SPECIALISED:
            owner = _SPECIALISED[ordinal % len(_SPECIALISED)]
            return f"Thư viện chuyên ngành {owner} {place}"
        case Category.LIBRARY_ARMED_FORCES:
            unit = _ARMED_FORCES[ordinal % len(_ARMED_FORCES)]
            return f"Thư viện {unit} {place} {ordinal // len(_ARMED_FORCES) + 1}"
    raise ValueError(category)


def _years_open(category: str, rng: random.Random, first: int, last: int):
    """Opening and closing years: nearly everything opened before the demo
    years, a few grassroots institutions open during them, some villages
    merge, and most district institutions close in 2025."""
    closed = None
    match category:
        case Category.LIBRARY_PROVINCIAL | Category.CULTURE_PROVINCIAL:
            opened = rng.randint(1956, 1995)
        case Category.LIBRARY_DISTRICT | Category.CULTURE_DISTRICT:
            opened = rng.randint(1976, 2005)
            if rng.random() < DISTRICT_CLOSED_SHARE:
                closed = DISTRICTS_ABOLISHED
        case Category.CULTURE_VILLAGE | Category.LIBRARY_SCHOOL:
            opened = rng.randint(1985, first - 1)
            if rng.random() < 0.04:
                opened = rng.randint(first, last)
            elif category == Category.CULTURE_VILLAGE and rng.random() < 0.01:
                # Villages merged into one another.
                closed = rng.randint(first + 1, max(first + 1, last))
        case Category.LIBRARY_COMMUNE | Category.CULTURE_COMMUNE:
            opened = rng.randint(1990, first - 1)
            if rng.random() < 0.03:
                opened = rng.randint(first, last)
        case _:
            opened = rng.randint(1960, first - 2)
    return opened, closed


def national_institutions(
    *, total: int = NATIONAL_TOTAL, seed: int = 1520, years: tuple[int, int]
) -> list[_Institution]:
    """The register, in province order: ``total`` institutions (about; see
    :func:`category_counts`), the same for the same ``seed``."""
    rng = random.Random(seed)
    provinces = list(Province.objects.prefetch_related("former_provinces"))
    provinces.sort(key=lambda province: province.code)
    communes: dict[str, list[Commune]] = {p.code: [] for p in provinces}
    for commune in Commune.objects.order_by("code"):
        communes[commune.province_id].append(commune)
    weights = [len(communes[province.code]) for province in provinces]
    per_province = {
        category: [1] * len(provinces)
        if category in ONE_PER_PROVINCE
        else _apportion(count, weights)
        for category, count in category_counts(total).items()
    }
    institutions = []
    for index, province in enumerate(provinces):
        formers = sorted(province.former_provinces.all(), key=lambda f: f.code)
        merged = len(formers) > 1
        pool = communes[province.code]
        # Commune-level institutions take the communes in turn, so each
        # commune has one before any has two.
        turns = rng.sample(pool, len(pool))
        for category, counts in per_province.items():
            abbreviation = _ABBREVIATIONS[category]
            for ordinal in range(counts[index]):
                if category in ONE_PER_PROVINCE:
                    commune = None
                elif category in {Category.LIBRARY_COMMUNE, Category.CULTURE_COMMUNE}:
                    commune = turns[ordinal % len(turns)]
                else:
                    commune = rng.choice(pool)
                opened, closed = _years_open(category, rng, *years)
                former = None
                if merged and rng.random() < (0.6 if category in DISTRICT else 0.2):
                    former = rng.choice(formers).code
                institutions.append(
                    _Institution(
                        code=f"{CODE_PREFIX}{province.code}-{abbreviation}-"
                        f"{ordinal + 1:05d}",
                        name=_name(category, province, commune, rng, ordinal),
                        category=category,
                        province_id=province.code,
                        commune_id=commune.code if commune else None,
                        former_province_id=former,
                        opened_year=opened,
                        closed_year=closed,
                    )
                )
    return institutions


def _reporting_rate(offset: int) -> float:
    return min(0.95, 0.72 + 0.06 * offset)


def _status(rng: random.Random, is_last_year: bool) -> str:
    pick = rng.random()
    if is_last_year:
        if pick < 0.2:
            return ReportStatus.DRAFT
        return ReportStatus.SUBMITTED if pick < 0.7 else ReportStatus.APPROVED
    return ReportStatus.SUBMITTED if pick < 0.15 else ReportStatus.APPROVED


def national_reports(
    institutions: Sequence[tuple[int, _Institution]],
    *,
    years: Sequence[int],
    seed: int = 1520,
) -> Iterator[dict]:
    """Reports of ``(id, institution)`` for ``years``: only in active years,
    with more institutions reporting, meeting criteria and receiving visitors
    each year. Each institution keeps its own propensity, so trends are
    smooth."""
    rng = random.Random(seed + 1)
    first, last = years[0], years[-1]
    # Django's enum ``values`` is rebuilt on every access: read it once.
    criteria_of = {
        category: [c for c in Criterion.values if c in applicable]
        for category, applicable in APPLICABLE_FIELDS.items()
    }
    counts_of = {
        category: [c for c in Count.values if c in applicable]
        for category, applicable in APPLICABLE_FIELDS.items()
    }
    for pk, institution in institutions:
        category = institution.category
        criteria = criteria_of[category]
        propensity = rng.random()
        diligence = rng.random()
        visits = _VISITS.get(category, 0) * rng.lognormvariate(0, 0.6)
        growth = rng.gauss(0.10, 0.05)
        for year in years:
            if not (
                institution.opened_year <= year
                and (institution.closed_year is None or institution.closed_year > year)
            ):
                continue
            offset = year - first
            if diligence > _reporting_rate(offset):
                continue
            values: dict = {
                "institution_id": pk,
                "year": year,
                "status": _status(rng, year == last),
            }
            for criterion in criteria:
                base, gain = _CRITERIA_TRENDS[category, criterion]
                if rng.random() < 0.02:
                    values[criterion] = None
                else:
                    noise = rng.gauss(0, 0.08)
                    values[criterion] = propensity + noise < base + gain * offset
            for count in counts_of[category]:
                if rng.random() > 0.03:
                    factor = (1 + growth) ** offset * rng.lognormvariate(0, 0.05)
                    values[count] = round(visits * factor)
            yield values


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Writes ``rows`` into ``table`` with PostgreSQL's ``COPY``, in chunks."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_STRINGS)
        for written, row in enumerate(rows, start=1):
            writer.writerow(row)
            if written % 20_000 == 0:
                buffer.seek(0)
                cursor.copy_expert(statement, buffer)
                buffer.seek(0)
                buffer.truncate()
        buffer.seek(0)
        cursor.copy_expert(statement, buffer)


def _write(model, rows: Iterable[dict], fields: Sequence[str]) -> None:
    """Bulk-writes ``rows`` (dicts of ``fields``): ``COPY`` on PostgreSQL,
    batched ``bulk_create`` elsewhere."""
    if connection.vendor == "postgresql":
        meta = model._meta
        columns = [meta.get_field(name).column for name in fields]
        _copy(
            connection.ops.quote_name(meta.db_table),
            [connection.ops.quote_name(column) for column in columns],
            ([row.get(name) for name in fields] for row in rows),
        )
        return
    batch = []
    for row in rows:
        batch.append(model(**row))
        if len(batch) >= 5_000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def _delete_previous() -> None:
    """Removes the national demo institutions and their reports."""
    demo = Institution.objects.filter(code__startswith=CODE_PREFIX)
    reports = AnnualReport.objects.filter(institution__in=demo)
    # Raw deletes: a cascading ORM delete would load every row first.
    for queryset in (
        ReportTransition.objects.filter(report__in=reports),
        reports,
        demo,
    ):
        sql, params = queryset.values("pk").query.sql_with_params()
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({sql})", params)


def _no_progress(iterable: Iterable, total: int, description: str) -> Iterable:
    return iterable


def _tqdm_progress(iterable: Iterable, total: int, description: str) -> Iterable:
    return tqdm(iterable, total=total, desc=description, unit=" rows", leave=True)


_INSTITUTION_FIELDS = [
    "code",
    "name",
    "name_search",
    "name_sort",
    "category",
    "province_id",
    "commune_id",
    "former_province_id",
    "opened_year",
    "closed_year",
]
_REPORT_FIELDS = [
    "institution_id",
    "year",
    *Criterion.values,
    *Count.values,
    "status",
    "review_comment",
    "warnings",
    "version",
    "updated_at",
]


def demo_national_create(
    *,
    years: tuple[int, int] = DEFAULT_YEARS,
    seed: int = 1520,
    progress: bool | Progress = False,
    total: int = NATIONAL_TOTAL,
) -> NationalDemo:
    """Replaces the national demo register (codes starting with
    :data:`CODE_PREFIX`) by about ``total`` institutions and their reports for
    the years ``years[0]``–``years[1]``, in one transaction.

    ``progress`` ``True`` shows progress bars on standard error; a callable
    ``(iterable, total, description) -> iterable`` may show them otherwise.
    """
    first, last = years
    if first > last:
        raise ValueError(f"The first year {first} comes after {last}.")
    if total < MIN_TOTAL:
        raise ValueError(f"A national register has at least {MIN_TOTAL} institutions.")
    if progress is True:
        progress = _tqdm_progress
    elif not progress:
        progress = _no_progress
    started = time.monotonic()
    register = national_institutions(total=total, seed=seed, years=years)
    now = timezone.now()
    with transaction.atomic():
        _delete_previous()
        _write(
            Institution,
            (
                {
                    **vars(institution),
                    "name_search": search_key(institution.name),
                    "name_sort": sort_key(institution.name),
                }
                for institution in progress(register, len(register), "Institutions")
            ),
            _INSTITUTION_FIELDS,
        )
        ids = dict(
            Institution.objects.filter(code__startswith=CODE_PREFIX).values_list(
                "code", "pk"
            )
        )
        pairs = [(ids[institution.code], institution) for institution in register]
        reports = 0

        def counted(rows: Iterable[dict]) -> Iterator[dict]:
            nonlocal reports
            for row in rows:
                reports += 1
                yield {
                    "review_comment": "",
                    "warnings": [],
                    "version": 1,
                    "updated_at": now,
                    **row,
                }

        generated = national_reports(
            progress(pairs, len(pairs), "Reports (by institution)"),
            years=list(range(first, last + 1)),
            seed=seed,
        )
        _write(AnnualReport, counted(generated), _REPORT_FIELDS)
        counts_rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Institution, AnnualReport):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"ANALYZE {table}")
    return NationalDemo(
        institutions=len(register),
        reports=reports,
        seconds=time.monotonic() - started,
    )
