"""reports/demo_national.py: the national demo register at a small size has the
national proportions, every province, consistent geography, the 2025 district
closures and reports only in active years; seed_demo checks its arguments."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count, F, Q

from institutions.models import Category, Commune, Institution, Province
from reports.demo.national import (
    CODE_PREFIX,
    DISTRICT,
    NATIONAL_COUNTS,
    NATIONAL_TOTAL,
    category_counts,
    demo_national_create,
    years_parse,
)
from reports.entry.models import AnnualReport, ReportStatus
from targets.indicators import APPLICABLE_FIELDS, REPORT_FIELDS
from tests.factories import InstitutionFactory

TOTAL = 2_000
YEARS = (2022, 2025)


@pytest.fixture
def demo(geography):
    return demo_national_create(total=TOTAL, years=YEARS, seed=7)


def national():
    return Institution.objects.filter(code__startswith=CODE_PREFIX)


def test_category_counts_at_national_scale_are_the_national_counts():
    assert category_counts() == NATIONAL_COUNTS
    assert 145_000 <= NATIONAL_TOTAL <= 155_000


def test_register_has_the_requested_size_and_national_proportions(demo):
    counts = Counter(national().values_list("category", flat=True))
    assert sum(counts.values()) == demo.institutions
    assert abs(demo.institutions - TOTAL) <= len(Category)
    assert counts == category_counts(TOTAL)
    for category, count in NATIONAL_COUNTS.items():
        if category in (Category.LIBRARY_PROVINCIAL, Category.CULTURE_PROVINCIAL):
            assert counts[category] == 34
        else:
            expected = count * TOTAL / NATIONAL_TOTAL
            assert abs(counts[category] - expected) <= max(2, 0.05 * expected)
    assert counts.most_common(2)[0][0] == Category.CULTURE_VILLAGE
    assert counts.most_common(2)[1][0] == Category.LIBRARY_SCHOOL


def test_every_province_has_institutions_in_proportion_to_its_communes(demo):
    per_province = dict(
        national()
        .values("province")
        .annotate(n=Count("pk"))
        .values_list("province", "n")
    )
    assert set(per_province) == set(Province.objects.values_list("code", flat=True))
    communes = dict(
        Province.objects.annotate(n=Count("communes")).values_list("code", "n")
    )
    # Hồ Chí Minh City (168 communes) against Lai Châu (38).
    assert per_province["79"] > 3 * per_province["12"]
    for code, count in per_province.items():
        expected = TOTAL * communes[code] / sum(communes.values())
        assert count == pytest.approx(expected, rel=0.3, abs=6)


def test_one_provincial_library_and_cultural_centre_per_province(demo):
    for category in (Category.LIBRARY_PROVINCIAL, Category.CULTURE_PROVINCIAL):
        per_province = national().filter(category=category).values("province")
        assert per_province.distinct().count() == 34
        assert per_province.count() == 34


def test_codes_are_unique_and_valid_and_names_vietnamese(demo):
    institutions = list(national().values_list("code", "name"))
    codes = [code for code, _name in institutions]
    assert len(set(codes)) == len(codes) == demo.institutions
    for instance in national()[:200]:
        instance.full_clean()
    assert any("ă" in name or "ư" in name or "ơ" in name for _c, name in institutions)


def test_communes_and_former_provinces_lie_in_the_province(demo):
    assert (
        not national()
        .exclude(commune__isnull=True)
        .exclude(commune__province=F("province"))
    )
    with_former = national().filter(former_province__isnull=False)
    assert with_former.count() > 0.05 * TOTAL
    assert not with_former.exclude(former_province__province=F("province"))


def test_commune_institutions_cover_distinct_communes_first(demo):
    libraries = national().filter(category=Category.LIBRARY_COMMUNE)
    assert libraries.values("commune").distinct().count() == libraries.count()
    # Each province has fewer commune libraries than communes at this size.
    assert libraries.count() == category_counts(TOTAL)[Category.LIBRARY_COMMUNE]
    centres = national().filter(category=Category.CULTURE_COMMUNE)
    assert centres.exists()
    assert centres.values("commune").distinct().count() == centres.count()


def test_most_district_institutions_close_in_2025_and_nothing_else_does(demo):
    district = national().filter(category__in=DISTRICT)
    closed = district.filter(closed_year__isnull=False)
    assert set(closed.values_list("closed_year", flat=True)) == {2025}
    assert closed.count() >= 0.6 * district.count()
    others_closed = (
        national().exclude(category__in=DISTRICT).filter(closed_year__isnull=False)
    )
    assert set(others_closed.values_list("category", flat=True)) <= {
        Category.CULTURE_VILLAGE
    }


def test_reports_only_in_active_years_and_demo_years(demo):
    reports = AnnualReport.objects.filter(institution__code__startswith=CODE_PREFIX)
    assert reports.count() == demo.reports
    assert set(reports.values_list("year", flat=True)) == {2022, 2023, 2024, 2025}
    inactive = reports.filter(
        Q(institution__opened_year__gt=F("year"))
        | Q(institution__closed_year__lte=F("year"))
    )
    assert not inactive.exists()
    assert not reports.filter(
        year=2025, institution__category__in=DISTRICT, institution__closed_year=2025
    ).exists()


def test_reports_fill_only_fields_that_apply_to_the_category(demo):
    reports = AnnualReport.objects.filter(institution__code__startswith=CODE_PREFIX)
    for category, applicable in APPLICABLE_FIELDS.items():
        of_category = reports.filter(institution__category=category)
        assert of_category.exists()
        for name in set(REPORT_FIELDS) - applicable:
            assert not of_category.filter(**{f"{name}__isnull": False}).exists()


def test_reporting_shares_and_visits_improve_year_on_year(demo):
    counted = AnnualReport.objects.filter(
        institution__code__startswith=CODE_PREFIX,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
    )
    schools = counted.filter(institution__category=Category.LIBRARY_SCHOOL)

    def share(year):
        of_year = schools.filter(year=year)
        return of_year.filter(lll_services=True).count() / of_year.count()

    assert share(2022) < share(2023) < share(2024)
    villages = counted.filter(institution__category=Category.CULTURE_VILLAGE)
    assert villages.filter(year=2024).count() > villages.filter(year=2022).count()
    panel = counted.filter(
        institution__category=Category.LIBRARY_SCHOOL, learning_visits__isnull=False
    )
    totals = dict(
        panel.values("year").annotate(total=Count("pk")).values_list("year", "total")
    )
    assert totals[2024] > totals[2022]
    visits = dict(
        panel.values("year")
        .annotate(average=Avg("learning_visits"))
        .values_list("year", "average")
    )
    assert visits[2022] < visits[2023] < visits[2024]
    statuses = set(
        AnnualReport.objects.filter(year=2025).values_list("status", flat=True)
    )
    assert statuses == {
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
    }


def test_running_again_replaces_the_demo_and_keeps_other_institutions(demo):
    other = InstitutionFactory(code="REAL-1")
    before = set(national().values_list("pk", flat=True))
    register = sorted(national().values_list("code", "name", "category"))
    again = demo_national_create(total=TOTAL, years=YEARS, seed=7)
    assert again.institutions == demo.institutions
    assert again.reports == demo.reports
    assert national().count() == demo.institutions
    assert Institution.objects.filter(pk=other.pk).exists()
    # The same register, written anew: none of the former rows is left.
    assert sorted(national().values_list("code", "name", "category")) == register
    assert not national().filter(pk__in=before).exists()
    assert not AnnualReport.objects.filter(institution__pk__in=before).exists()


def test_seed_demo_national_creates_the_register(geography, capsys):
    call_command(
        "seed_demo", scale="national", years="2024-2025", institutions=500, seed=3
    )
    assert 490 <= national().count() <= 520
    years = set(
        AnnualReport.objects.filter(institution__code__startswith=CODE_PREFIX)
        .values_list("year", flat=True)
        .distinct()
    )
    assert years == {2024, 2025}
    assert Commune.objects.count() == 3321


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2022-2025", (2022, 2025)), ("2024", (2024, 2024)), (" 2023 – 2024 ", None)],
)
def test_years_parse_reads_a_range_or_a_single_year(text, expected):
    if expected is None:
        with pytest.raises(ValueError, match="YYYY-YYYY"):
            years_parse(text)
    else:
        assert years_parse(text) == expected


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("2025-2022", "2025 comes after 2022"),
        ("abc", "YYYY-YYYY"),
        ("2022-", "YYYY-YYYY"),
        ("1700-2025", "between"),
    ],
)
def test_seed_demo_rejects_bad_years(geography, years, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", scale="national", years=years)
    assert not national().exists()


def test_seed_demo_rejects_an_unknown_scale(geography):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("seed_demo", "--scale", "huge")


def test_seed_demo_rejects_a_register_too_small_for_every_province(geography):
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", scale="national", institutions=10)
