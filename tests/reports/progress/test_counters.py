"""The progress counters stay equal to a recount through every kind of write,
and the dashboards' figures come from them."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from institutions import services as registry
from institutions.models import Category, Province
from reports.entry import services, workflow
from reports.entry.imports import reports_import
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import ReportEntry
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.periods.services import extension_save, period_delete, period_save
from reports.progress.counters import counts_check, counts_rebuild
from reports.progress.figures import progress_rows
from reports.progress.models import InstitutionCount, ReportCount
from targets.indicators import REPORT_FIELDS, Count, Criterion, applicable_fields
from targets.models import Target
from targets.services import targets_seed
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import ReportFactory
from tests.reports.conftest import csv_write
from tests.reports.progress.timeliness import (
    CATEGORY,
    FAMILY,
    at,
    on_clock,
    timeliness_cycle,
)


@pytest.fixture
def targets(db):
    targets_seed()
    return list(Target.objects.order_by("position", "pk"))


def random_values(rng: random.Random, category: str) -> dict:
    values = {}
    for name in applicable_fields(category):
        if name in Count.values:
            values[name] = rng.choice([None, 0, rng.randint(1, 900)])
        else:
            values[name] = rng.choice([True, True, False, None])
    return values


# Submitted values may raise warnings; an explanation is needed to submit them.
EXPLAINED = dict.fromkeys(REPORT_FIELDS, "Đã kiểm tra lại với đơn vị")


def periods_open(administrator) -> None:
    """2023 due before the test's clock (late), 2024 due after it (on time);
    both still open for entry."""
    for year, due in (
        (2023, datetime.date(2026, 6, 30)),
        (2024, datetime.date(2027, 3, 31)),
    ):
        period_save(
            user=administrator,
            year=year,
            opens_on=datetime.date(year + 1, 1, 1),
            due_on=due,
            closes_on=datetime.date(2030, 12, 31),
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_counters_equal_a_recount_after_every_kind_of_write(
    seed, targets, geography, administrator, ministry_user
):
    with on_clock(at("2026-12-01 10:00:00")):
        counters_follow_every_kind_of_write(seed, administrator, ministry_user)


def counters_follow_every_kind_of_write(seed, administrator, ministry_user):
    rng = random.Random(seed)
    periods_open(administrator)
    provinces = list(Province.objects.filter(code__in=[PROVINCE_A, PROVINCE_B]))
    institutions = [
        registry.institution_create(
            user=administrator,
            code=f"CT-{index:02d}",
            name=f"Thiết chế {index}",
            category=rng.choice(Category.values),
            province=rng.choice(provinces),
            opened_year=rng.choice([None, 2000, 2023]),
        )
        for index in range(24)
    ]
    for institution in institutions:
        for year in (2022, 2023, 2024):
            if rng.random() < 0.8 and (institution.opened_year or 0) <= year:
                services.report_save(
                    user=administrator,
                    institution=institution,
                    year=year,
                    values=random_values(rng, institution.category),
                    expected_version=0,
                    status=rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED]),
                    explanations=EXPLAINED,
                )
    assert counts_check() == []
    on_time = set(ReportCount.objects.values_list("year", "on_time"))
    assert {(2023, False), (2024, True)} <= on_time
    assert (2022, True) not in on_time  # no reporting period for 2022

    # Reviews of whole sheets and of single reports.
    workflow.report_sheet_approve(
        user=ministry_user, province_code=PROVINCE_A, year=2022
    )
    workflow.report_sheet_return(
        user=ministry_user, province_code=PROVINCE_B, year=2023, comment="Sửa lại"
    )
    single = AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).first()
    if single is not None:
        workflow.report_approve(user=ministry_user, report=single)
    assert counts_check() == []

    # A bulk save, a move to another province, a closure, a deletion.
    entries = [
        ReportEntry(i, 2025, random_values(rng, i.category), explanations=EXPLAINED)
        for i in institutions
        if i.province_id == PROVINCE_A
    ]
    services.reports_save(
        user=administrator, entries=entries, status=ReportStatus.SUBMITTED
    )
    # Approved figures move only after the ministry reopens them.
    for report in AnnualReport.objects.filter(
        institution__in=institutions[:2], status=ReportStatus.APPROVED
    ):
        workflow.report_reopen(user=ministry_user, report=report, reason="Sửa")
    moved = institutions[0]
    other = next(p for p in provinces if p.code != moved.province_id)
    registry.institution_update(
        institution=moved, user=administrator, province=other, commune=None
    )
    registry.institution_close(
        institution=institutions[1], closed_year=2024, user=administrator
    )
    AnnualReport.objects.filter(status=ReportStatus.DRAFT).first().delete()
    assert counts_check() == []

    # Due dates that move: an extension, then a period removed.
    extension_save(
        user=administrator,
        period=ReportingPeriod.objects.get(year=2023),
        province=Province.objects.get(code=PROVINCE_B),
        due_on=datetime.date(2027, 1, 31),
        closes_on=datetime.date(2030, 12, 31),
        reason="Gia hạn",
    )
    assert counts_check() == []
    period_delete(user=administrator, period=ReportingPeriod.objects.get(year=2024))
    assert counts_check() == []
    assert not ReportCount.objects.filter(year=2024, on_time=True).exists()


def test_an_import_updates_the_counters_in_its_transaction(
    targets, geography, tmp_path, library_a
):
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "lll_services": "1"}],
    )
    assert reports_import(path=path, status=ReportStatus.SUBMITTED).ok
    assert counts_check() == []
    row = ReportCount.objects.get(province_id=PROVINCE_A, year=2024)
    assert (row.category, row.status, row.reports, row.active) == (
        Category.LIBRARY_DISTRICT,
        ReportStatus.SUBMITTED,
        1,
        True,
    )


@pytest.mark.parametrize("imported", [(2022,), (2024,), (2022, 2025)])
def test_an_import_recounts_only_its_years_and_their_panels(
    targets, geography, tmp_path, library_a, imported, monkeypatch
):
    """An import recounts the report counters of the years it wrote and the
    like-for-like panels they take part in (2022 is the growth rows' base
    year: importing it changes the panels of every later year)."""
    from reports.progress import counters

    for year in (2022, 2023, 2024, 2025):
        if year not in imported:
            ReportFactory(
                institution=library_a,
                year=year,
                status=ReportStatus.SUBMITTED,
                learning_visits=100 * year,
            )
    untouched = set(
        ReportCount.objects.exclude(year__in=imported).values_list("pk", flat=True)
    )
    recounts = []
    original = counters.counts_refresh
    monkeypatch.setattr(
        counters,
        "counts_refresh",
        lambda **options: recounts.append(options) or original(**options),
    )
    path = csv_write(
        tmp_path / "r.csv",
        [
            {"institution_code": "LIB-A", "year": str(year), "learning_visits": "7"}
            for year in imported
        ],
    )
    assert reports_import(path=path, status=ReportStatus.SUBMITTED).ok
    assert [options["years"] for options in recounts] == [set(imported)]
    assert counts_check() == []
    # The other years' report counters were left as they were.
    assert untouched <= set(ReportCount.objects.values_list("pk", flat=True))


def test_an_institution_import_counts_the_new_institutions(
    geography, tmp_path, targets
):
    from institutions.imports import institutions_import
    from tests.institutions.conftest import csv_write as registry_csv
    from tests.institutions.conftest import row

    path = registry_csv(tmp_path / "i.csv", [row(code=f"N{n}") for n in range(3)])
    assert institutions_import(path=path).new == 3
    assert counts_check() == []
    assert sum(InstitutionCount.objects.values_list("institutions", flat=True)) == 3


def test_a_hand_made_change_is_found_by_the_check_and_fixed_by_a_recount(
    targets, geography, library_a, capsys
):
    ReportFactory(institution=library_a, year=2024, status=ReportStatus.SUBMITTED)
    call_command("refresh_counts", "--check")
    AnnualReport.objects.update(lll_services=True)  # behind the portal's back
    with pytest.raises(CommandError, match="reports_reportcount"):
        call_command("refresh_counts", "--check")
    call_command("refresh_counts")
    call_command("refresh_counts", "--check")
    assert "Counters match a recount." in capsys.readouterr().out


def district_library_row():
    return next(
        r
        for r in progress_rows(year=2024, province_code=PROVINCE_A)
        if r["family"] == "library_lll_services"
        and r["categories"] == ["library_district"]
    )


def test_figures_come_from_the_counters_not_the_reports(targets, geography, library_a):
    ReportFactory(
        institution=library_a,
        year=2024,
        status=ReportStatus.SUBMITTED,
        lll_services=True,
    )
    ReportCount.objects.update(criteria=0)  # the counters say: criterion not met
    row = district_library_row()
    assert (row["reporters"], row["numerator"]) == (1, 0)
    counts_rebuild()
    row = district_library_row()
    assert (row["reporters"], row["numerator"]) == (1, 1)


def museum_growth_row(year):
    """The national row of the growth of museums' study visits."""
    return next(
        r
        for r in progress_rows(year=year)
        if r["kind"] == "growth" and r["categories"] == ["museum"]
    )


def test_changing_a_growth_rows_base_year_recounts_its_panels(
    targets, geography, museum_a
):
    for year, visits in ((2022, 100), (2023, 150), (2024, 200)):
        ReportFactory(
            institution=museum_a,
            year=year,
            status=ReportStatus.APPROVED,
            study_visits=visits,
            education_programme=True,
        )
    assert museum_growth_row(2024)["panel"] == 1
    assert museum_growth_row(2024)["base_total"] == 100
    for target in Target.objects.filter(kind="growth", criteria=[Count.STUDY_VISITS]):
        target.baseline_year = 2023
        target.save()
    assert counts_check() == []
    row = museum_growth_row(2024)
    assert (row["panel"], row["base_total"], row["year_total"]) == (1, 150, 200)
    assert Decimal(str(row["value"])) == Decimal("33.3")


def test_criteria_bits_follow_the_criteria(targets, geography, museum_a):
    ReportFactory(
        institution=museum_a,
        year=2024,
        status=ReportStatus.SUBMITTED,
        education_programme=True,
        digital_exhibitions=False,
    )
    row = ReportCount.objects.get()
    order = list(Criterion.values)
    assert row.criteria == 1 << order.index(Criterion.EDUCATION_PROGRAMME)


def test_a_single_save_recounts_only_its_province_and_category(
    targets, geography, library_a, museum_a, library_b
):
    for institution in (library_a, museum_a, library_b):
        ReportFactory(institution=institution, year=2024, status="submitted")
    untouched = set(
        ReportCount.objects.exclude(
            province_id=PROVINCE_A, category=Category.LIBRARY_DISTRICT
        ).values_list("pk", flat=True)
    )
    assert len(untouched) == 2
    report = AnnualReport.objects.get(institution=library_a)
    report.lll_services = True
    report.save()
    assert untouched <= set(ReportCount.objects.values_list("pk", flat=True))
    assert counts_check() == []


def district_row(area: str) -> dict:
    """The 2025 row of the district libraries' services in ``area``."""
    return next(
        r
        for r in progress_rows(year=2025, province_code=area)
        if r["family"] == FAMILY and r["categories"] == [CATEGORY]
    )


def extension_move(administrator, extension, due_on, reason):
    extension_save(
        user=administrator,
        period=extension.period,
        province=extension.province,
        due_on=due_on,
        closes_on=extension.closes_on,
        reason=reason,
        extension=extension,
    )


def test_an_extension_change_recomputes_on_time_and_the_counters(
    administrator, ministry_user
):
    cycle = timeliness_cycle(administrator=administrator, ministry_user=ministry_user)
    extension = PeriodExtension.objects.get(province_id=PROVINCE_B)
    # Đắk Lắk's due date moves back to 09/04/2026: its three reports are late.
    extension_move(administrator, extension, datetime.date(2026, 4, 9), "Rút ngắn")
    on_time = dict(
        AnnualReport.objects.filter(year=2025).values_list(
            "institution__code", "on_time"
        )
    )
    assert on_time == {
        "LA-0": True,
        "LA-1": False,
        "LA-2": True,
        "LA-3": None,
        "LB-0": False,
        "LB-1": False,
        "LB-2": False,
    }
    assert counts_check() == []
    hanoi, daklak = district_row(PROVINCE_A), district_row(PROVINCE_B)
    assert (hanoi["on_time"], hanoi["on_time_rate"]) == (2, 50.0)
    assert (daklak["on_time"], daklak["on_time_rate"]) == (0, 0.0)
    # To 16/04: LB-2 (00:00:01 on 16/04) is on time now, the others too.
    extension_move(administrator, extension, datetime.date(2026, 4, 16), "Gia hạn")
    daklak = district_row(PROVINCE_B)
    assert (daklak["on_time"], daklak["on_time_rate"]) == (3, 100.0)
    assert AnnualReport.objects.get(pk=cycle["LB-2"].pk).on_time is True
    assert counts_check() == []
