"""Counters updated by deltas equal a recount from scratch, whatever mix of
writes comes first (a property test: the recount is the oracle), and a
single save updates them without recounting its slice."""

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from institutions import services as registry
from institutions.models import Category, Institution, Province
from reports.entry import services, workflow
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import ReportEntry, ReportLocked, StaleReport
from reports.progress import counters, deltas
from reports.progress.counters import counts_check, counts_token
from reports.progress.models import CountVersion, PanelCount, ReportCount
from targets.services import targets_seed
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.reports.progress.test_counters import (
    EXPLAINED,
    periods_open,
    random_values,
)
from tests.reports.progress.timeliness import at, on_clock

YEARS = (2022, 2023, 2024, 2025)  # 2022 is the growth rows' base year
OPERATIONS = (
    "save",
    "model_save",
    "sheet_save",
    "submit",
    "approve",
    "return",
    "reopen",
    "move",
    "close",
    "recategorise",
    "create",
    "delete",
)


class Refused(Exception):
    """A write the rules refused: nothing was written, the mix goes on."""


def _report(rng, *, status=None) -> AnnualReport | None:
    reports = AnnualReport.objects.select_related("institution").order_by("pk")
    if status is not None:
        reports = reports.filter(status=status)
    found = list(reports)
    return rng.choice(found) if found else None


def _institution(rng) -> Institution:
    return rng.choice(list(Institution.objects.order_by("pk")))


def operate(name, rng, administrator, ministry) -> None:
    """One write of kind ``name``, its details drawn from ``rng``."""
    if name == "save":
        institution = _institution(rng)
        year = rng.choice(YEARS)
        stored = AnnualReport.objects.filter(institution=institution, year=year)
        services.report_save(
            user=administrator,
            institution=institution,
            year=year,
            values=random_values(rng, institution.category),
            expected_version=stored.values_list("version", flat=True).first() or 0,
            status=rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED]),
            explanations=EXPLAINED,
        )
    elif name == "model_save":
        # A save past the services (the admin, a shell): the model's signals.
        report = _report(rng)
        if report is not None:
            report.lll_services = rng.choice([True, False, None])
            report.status = rng.choice(ReportStatus.values)
            report.save()
    elif name == "sheet_save":
        institutions = [i for i in Institution.objects.all() if rng.random() < 0.5]
        year = rng.choice(YEARS)
        services.reports_save(
            user=administrator,
            entries=[
                ReportEntry(
                    i, year, random_values(rng, i.category), explanations=EXPLAINED
                )
                for i in institutions
            ],
            status=rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED]),
        )
    elif name in ("submit", "approve", "return", "reopen"):
        wanted = {
            "submit": ReportStatus.DRAFT,
            "approve": ReportStatus.SUBMITTED,
            "return": ReportStatus.SUBMITTED,
            "reopen": ReportStatus.APPROVED,
        }[name]
        report = _report(rng, status=wanted)
        if report is None:
            return
        if name == "submit":
            workflow.report_submit(user=administrator, report=report)
        elif name == "approve":
            workflow.report_approve(user=ministry, report=report)
        elif name == "return":
            workflow.report_return(user=ministry, report=report, comment="Sửa lại")
        else:
            workflow.report_reopen(user=ministry, report=report, reason="Sửa")
    elif name == "move":
        institution = _institution(rng)
        other = Province.objects.exclude(pk=institution.province_id).first()
        registry.institution_update(
            institution=institution, user=administrator, province=other, commune=None
        )
    elif name == "close":
        institution = _institution(rng)
        registry.institution_close(
            institution=institution,
            closed_year=rng.choice(YEARS),
            user=administrator,
        )
    elif name == "recategorise":
        institution = _institution(rng)
        institution.category = rng.choice(Category.values)
        institution.opened_year = rng.choice([None, 2000, 2024])
        institution.save()
    elif name == "create":
        registry.institution_create(
            user=administrator,
            code=f"MOI-{rng.randrange(10**6):06d}",
            name="Thiết chế mới",
            category=rng.choice(Category.values),
            province=rng.choice(list(Province.objects.all())),
            opened_year=rng.choice([None, 2024]),
        )
    elif name == "delete":
        report = _report(rng)
        if report is not None:
            report.delete()


@pytest.fixture
def register(db, geography, administrator, ministry_user):
    """Six institutions in two provinces with reports for 2022–2024, 2023
    reported late and 2024 on time, on a clock the test controls."""
    with on_clock(at("2026-12-01 10:00:00")):
        targets_seed()
        periods_open(administrator)
        yield _register_fill(administrator, ministry_user)


def _register_fill(administrator, ministry_user):
    rng = random.Random(0)
    provinces = list(Province.objects.filter(code__in=[PROVINCE_A, PROVINCE_B]))
    for index in range(6):
        institution = registry.institution_create(
            user=administrator,
            code=f"CT-{index:02d}",
            name=f"Thiết chế {index}",
            category=rng.choice(Category.values),
            province=provinces[index % 2],
            opened_year=rng.choice([None, 2000]),
        )
        for year in YEARS[:3]:
            services.report_save(
                user=administrator,
                institution=institution,
                year=year,
                values=random_values(rng, institution.category),
                expected_version=0,
                status=ReportStatus.SUBMITTED,
                explanations=EXPLAINED,
            )
    assert counts_check() == []
    assert PanelCount.objects.exists()  # like-for-like panels are exercised too
    assert ReportCount.objects.filter(on_time=True).exists()  # and timeliness
    return administrator, ministry_user


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    writes=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 2**32)),
        min_size=1,
        max_size=8,
    )
)
def test_any_mix_of_writes_leaves_the_counters_equal_to_a_recount(
    register, writes, monkeypatch
):
    administrator, ministry = register
    # The writes must go by deltas: a recount of a slice would hide a wrong
    # delta (bulk imports, which recount, have their own tests).
    recounts = []
    original = counters.counts_refresh
    monkeypatch.setattr(
        counters,
        "counts_refresh",
        lambda **options: recounts.append(options) or original(**options),
    )
    try:
        with transaction.atomic():
            for name, seed in writes:
                try:
                    with transaction.atomic():
                        operate(name, random.Random(seed), administrator, ministry)
                except (
                    ValidationError,
                    PermissionDenied,
                    ReportLocked,
                    StaleReport,
                    services.ReportsRefused,
                ):
                    pass  # refused, nothing written
            assert counts_check() == []
            # Deletes recount their slice; every other write goes by delta.
            assert len(recounts) <= sum(name == "delete" for name, _s in writes)
            raise Refused  # leaves the register as the next example expects
    except Refused:
        pass


def test_a_single_save_goes_by_delta_and_bumps_only_its_province(register, monkeypatch):
    administrator, _ministry = register
    institution = Institution.objects.filter(province_id=PROVINCE_A).first()
    tokens = {code: counts_token(code) for code in (PROVINCE_A, PROVINCE_B)}
    national = counts_token()
    monkeypatch.setattr(
        counters,
        "counts_refresh",
        lambda **options: pytest.fail(f"recounted {options}"),
    )
    applied = []
    original = deltas.delta_apply
    monkeypatch.setattr(
        deltas,
        "delta_apply",
        lambda *args, **kwargs: (
            applied.append(original(*args, **kwargs)) or applied[-1]
        ),
    )
    services.report_save(
        user=administrator,
        institution=institution,
        year=2025,
        values=random_values(random.Random(5), institution.category),
        expected_version=0,
        status=ReportStatus.SUBMITTED,
        explanations=EXPLAINED,
    )
    # One delta (a new report row, and its like-for-like panel when it gave
    # its count), no recount.
    assert len(applied) == 1 and applied[0] >= 1
    assert counts_check() == []
    assert counts_token(PROVINCE_A) != tokens[PROVINCE_A]
    assert counts_token(PROVINCE_B) == tokens[PROVINCE_B]
    assert counts_token() != national


def test_a_delta_moves_a_report_between_counter_rows_and_drops_empty_ones(register):
    _administrator, ministry = register
    report = AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).first()
    key = {
        "province_id": report.institution.province_id,
        "category": report.institution.category,
        "year": report.year,
    }
    before = sum(
        ReportCount.objects.filter(**key, status="submitted").values_list(
            "reports", flat=True
        )
    )
    version = CountVersion.objects.get(province_id=key["province_id"]).version
    workflow.report_approve(user=ministry, report=report)
    after = sum(
        ReportCount.objects.filter(**key, status="submitted").values_list(
            "reports", flat=True
        )
    )
    assert after == before - 1
    assert ReportCount.objects.filter(**key, status="approved").exists()
    assert not ReportCount.objects.filter(reports=0).exists()
    assert (
        CountVersion.objects.get(province_id=key["province_id"]).version == version + 1
    )
    assert counts_check() == []
