"""reports/figures.py: the aggregates equal a direct recount, the worked example
of metrics.md comes out right, and the number of queries does not grow with
the data."""

import random

import pytest

from institutions.activity import is_active
from institutions.models import Category, FormerProvince, Institution, Province
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import report_save
from reports.entry.workflow import report_approve
from reports.periods.models import ReportingPeriod
from reports.progress import figures as figures_module
from reports.progress.counters import counts_rebuild
from reports.progress.display import cards_build
from reports.progress.figures import (
    NATION,
    figure_years,
    progress_figures_load,
    progress_rows,
)
from reports.progress.progress import (
    GrowthFigures,
    Status,
    growth_figures,
    progress_row,
    round1,
    share_figures,
    target_progress,
)
from reports.progress.tables import on_track_map, overview_table
from targets.indicators import Count, Criterion, Kind
from targets.models import Target
from targets.services import targets_seed
from tests.reports.progress import examples
from tests.reports.progress.timeliness import CATEGORY as TIMELINESS_CATEGORY
from tests.reports.progress.timeliness import EXPECTED as TIMELINESS
from tests.reports.progress.timeliness import FAMILY as TIMELINESS_FAMILY
from tests.reports.progress.timeliness import YEAR as TIMELINESS_YEAR
from tests.reports.progress.timeliness import timeliness_cycle

PROVINCES = ["01", "66", "79"]
COUNTED = {ReportStatus.SUBMITTED, ReportStatus.APPROVED}


@pytest.fixture
def targets(db):
    targets_seed()
    return list(Target.objects.order_by("position", "pk"))


_codes = iter(range(10**6))


def institution(category, province="01", opened=None, closed=None, **extra):
    number = next(_codes)
    values = {"code": f"T{number}", "name": f"Thiết chế {number}", **extra}
    return Institution.objects.create(
        category=category,
        province_id=province,
        opened_year=opened,
        closed_year=closed,
        **values,
    )


def report(inst, year, status=ReportStatus.SUBMITTED, **values):
    return AnnualReport.objects.create(
        institution=inst, year=year, status=status, **values
    )


def row_of(rows, family, categories, target_year=2025):
    matching = [
        row
        for row in rows
        if row["family"] == family
        and row["categories"] == sorted(categories)
        and row["target_year"] == target_year
    ]
    assert len(matching) == 1
    return matching[0]


class TestWorkedExample:
    """metrics.md, Worked example: district libraries, target 70% (2025)."""

    @pytest.fixture
    def data(self, targets, geography):
        libraries = [institution(Category.LIBRARY_DISTRICT) for _ in range(10)]
        libraries += [
            institution(Category.LIBRARY_DISTRICT, opened=2023) for _ in range(2)
        ]
        for index, library in enumerate(libraries[:10]):
            report(library, 2022, lll_services=index < 4)
        # In 2024: 10 of the 12 reported, 7 meet.
        for index, library in enumerate(libraries[:10]):
            report(library, 2024, lll_services=index < 7)
        return libraries

    def test_progress_rows_give_the_worked_example(self, data):
        rows = progress_rows(year=2024)
        row = row_of(rows, "library_lll_services", ["library_district"])
        assert row == {
            "family": "library_lll_services",
            "categories": ["library_district"],
            "kind": "share",
            "target_year": 2025,
            "threshold": 70,
            "upper": None,
            "value": 58.3,
            "status": "acceleration_needed",
            "numerator": 7,
            "denominator": 12,
            "reporters": 10,
            "reporting_rate": 83.3,
            "on_time": None,
            "on_time_rate": None,
            "share_among_reporters": 70.0,
        }
        base = row_of(
            progress_rows(year=2022), "library_lll_services", ["library_district"]
        )
        assert (base["value"], base["denominator"], base["numerator"]) == (40.0, 10, 4)

    def test_the_evaluation_explains_the_pace(self, data, targets):
        figures = progress_figures_load(year=2024)
        target = next(
            t
            for t in targets
            if t.family == "library_lll_services"
            and t.categories == ["library_district"]
            and t.year == 2025
        )
        progress = figures.evaluate(target, NATION).progress
        assert progress.status == Status.ACCELERATION_NEEDED
        assert progress.base_year_used == 2022
        assert float(progress.actual) == pytest.approx(9.1667, abs=1e-4)
        assert progress.required == 10
        assert float(progress.ratio) == pytest.approx(0.9167, abs=1e-4)

    def test_the_province_has_the_same_figures_and_others_none(self, data):
        rows = progress_rows(year=2024, province_code="01")
        assert (
            row_of(rows, "library_lll_services", ["library_district"])["value"] == 58.3
        )
        other = progress_rows(year=2024, province_code="66")
        row = row_of(other, "library_lll_services", ["library_district"])
        assert row["value"] is None
        assert row["status"] == "no_data"


# A direct recount, one institution and report at a time, for comparison. -------


def naive_share(target, institutions, reports, year, area, statuses):
    active = [
        i
        for i in institutions
        if i.category in target.categories
        and (area == NATION or i.province_id == area)
        and is_active(i.opened_year, i.closed_year, year)
    ]
    ids = {i.pk for i in active}
    reporting = [
        r
        for r in reports
        if r.institution_id in ids and r.year == year and r.status in statuses
    ]
    meeting = [
        r for r in reporting if all(getattr(r, c) is True for c in target.criteria)
    ]
    return share_figures(
        denominator=len(active), reporters=len(reporting), numerator=len(meeting)
    )


def naive_timeliness(row, target, institutions, reports, year, area, statuses):
    """``row`` with the on-time count and rate after its reporting rate."""
    active = {
        i.pk
        for i in institutions
        if i.category in target.categories
        and (area == NATION or i.province_id == area)
        and is_active(i.opened_year, i.closed_year, year)
    }
    on_time = None
    if ReportingPeriod.objects.filter(year=year).exists():
        on_time = sum(
            1
            for r in reports
            if r.institution_id in active
            and r.year == year
            and r.status in statuses
            and r.on_time is True
        )
    rate = (
        round1(100 * on_time / len(active)) if on_time is not None and active else None
    )
    keys = list(row)
    at = keys.index("reporting_rate") + 1
    row = row | {
        "on_time": on_time,
        "on_time_rate": None if rate is None else float(rate),
    }
    return {
        key: row[key] for key in [*keys[:at], "on_time", "on_time_rate", *keys[at:]]
    }


def naive_growth(target, institutions, reports, year, area, statuses):
    base_year = target.baseline_year
    field = target.criteria[0]
    if year <= base_year:
        return GrowthFigures(0, 0, 0, base_year, year, None)
    members = {
        i.pk
        for i in institutions
        if i.category in target.categories and (area == NATION or i.province_id == area)
    }
    given = {
        (r.institution_id, r.year): getattr(r, field)
        for r in reports
        if r.status in statuses
        and r.institution_id in members
        and getattr(r, field) is not None
    }
    panel = [pk for pk in members if (pk, base_year) in given and (pk, year) in given]
    return growth_figures(
        panel=len(panel),
        base_total=sum(given[pk, base_year] for pk in panel),
        year_total=sum(given[pk, year] for pk in panel),
        base_year=base_year,
        year=year,
    )


def naive_rows(targets, institutions, reports, year, area, approved_only):
    statuses = {ReportStatus.APPROVED} if approved_only else COUNTED
    rows = []
    for target in targets:
        count = naive_share if target.kind == Kind.SHARE else naive_growth

        def figures(y, target=target, count=count):
            return count(target, institutions, reports, y, area, statuses)

        if year < target.baseline_year:
            status = Status.NO_DATA
        else:
            evaluated = min(year, target.year)
            status = target_progress(
                kind=target.kind,
                threshold=target.threshold,
                target_year=target.year,
                baseline_year=target.baseline_year,
                year=evaluated,
                values={
                    y: figures(y).value
                    for y in range(target.baseline_year, evaluated + 1)
                },
            ).status
        row = progress_row(
            family=target.family,
            categories=target.categories,
            kind=target.kind,
            year=target.year,
            threshold=target.threshold,
            upper=target.upper,
            figures=figures(year),
            status=status,
        )
        if target.kind == Kind.SHARE:
            row = naive_timeliness(
                row, target, institutions, reports, year, area, statuses
            )
        rows.append(row)
    return rows


def random_data(seed: int, size: int):
    """Institutions of every category in three provinces, opening and closing
    at random, with reports in every status, some in years when the
    institution was not active, criteria true/false/empty, counts and on time
    or not; 2023 and 2025 have a reporting period (the other years' on-time
    marks are ignored)."""
    for year in (2023, 2025):
        ReportingPeriod.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": f"{year + 1}-01-01",
                "due_on": f"{year + 1}-03-31",
                "closes_on": f"{year + 1}-04-30",
            },
        )
    rng = random.Random(seed)
    institutions = []
    for _ in range(size):
        opened = rng.choice([None, None, 2015, 2022, 2023, 2024])
        closed = rng.choice([None, None, None, 2023, 2025, 2026])
        if opened is not None and closed is not None and closed <= opened:
            closed = None
        institutions.append(
            Institution(
                code=f"R{seed}-{len(institutions)}",
                name=f"Thiết chế {len(institutions)}",
                category=rng.choice(Category.values),
                province_id=rng.choice(PROVINCES),
                opened_year=opened,
                closed_year=closed,
            )
        )
    institutions = Institution.objects.bulk_create(institutions)
    reports = []
    for inst in institutions:
        for year in range(2021, 2027):
            if rng.random() < 0.3:
                continue
            values = {
                name: rng.choice([True, True, False, None]) for name in Criterion.values
            }
            for name in Count.values:
                values[name] = rng.choice([None, 0, rng.randint(1, 5000)])
            reports.append(
                AnnualReport(
                    institution=inst,
                    year=year,
                    status=rng.choice(ReportStatus.values),
                    on_time=rng.choice([True, False, None]),
                    **values,
                )
            )
    AnnualReport.objects.bulk_create(reports)
    # Written behind the services' back, like a hand-made database change.
    counts_rebuild()
    return institutions, list(AnnualReport.objects.all())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_equal_a_direct_recount(seed, targets, geography):
    institutions, reports = random_data(seed, size=120)
    for year in (2021, 2022, 2023, 2024, 2025, 2026):
        for approved_only in (False, True):
            for area in (NATION, *PROVINCES):
                province = None if area == NATION else area
                fast = progress_rows(
                    year=year, province_code=province, approved_only=approved_only
                )
                slow = naive_rows(
                    targets, institutions, reports, year, area, approved_only
                )
                assert fast == slow, (year, approved_only, area)


def test_every_province_at_once_equals_one_province_at_a_time(targets, geography):
    random_data(7, size=80)
    figures = progress_figures_load(year=2024)
    for code in PROVINCES:
        rows = [evaluation.row() for evaluation in figures.evaluations(code)]
        assert rows == progress_rows(year=2024, province_code=code)
    empty = figures.evaluations("04")
    assert {evaluation.row()["status"] for evaluation in empty} == {"no_data"}


def test_series_carry_each_year_from_the_baseline(targets, geography):
    random_data(8, size=60)
    figures = progress_figures_load(year=2024)
    share = targets[0]
    series = figures.series(share, NATION)
    row = figures.evaluate(share, NATION).row()
    assert [year for year, _figures in series] == [2022, 2023, 2024]
    last = series[-1][1]
    assert float(round1(last.value)) == row["value"]
    assert last.denominator == row["denominator"]
    growth = next(target for target in targets if target.kind == Kind.GROWTH)
    series = figures.series(growth, NATION)
    assert series[0] == (
        2022,
        GrowthFigures(
            panel=0, base_total=0, year_total=0, base_year=2022, year=2022, value=None
        ),
    )
    assert series[-1][1].panel == figures.evaluate(growth, NATION).row()["panel"]


def test_rows_follow_the_order_of_targets_csv(targets, geography):
    rows = progress_rows(year=2024)
    assert [(r["family"], r["target_year"]) for r in rows] == [
        (t.family, t.year) for t in targets
    ]


def test_figure_years_stop_at_the_last_target_year(targets):
    assert figure_years(year=2024, targets=targets) == [2022, 2023, 2024]
    assert figure_years(year=2035, targets=targets) == [*range(2022, 2031), 2035]
    assert figure_years(year=2019, targets=targets) == [2019]


def test_reports_of_a_former_province_count_in_the_province_that_absorbed_it(
    targets, geography
):
    former = FormerProvince.objects.exclude(province_id="01").first()
    current = former.province_id
    library = institution(
        Category.LIBRARY_DISTRICT, province=current, former_province=former
    )
    report(library, 2024, lll_services=True)
    row = row_of(
        progress_rows(year=2024, province_code=current),
        "library_lll_services",
        ["library_district"],
    )
    assert (row["numerator"], row["denominator"]) == (1, 1)


def test_drafts_and_returned_reports_do_not_count_and_approved_only_narrows(
    targets, geography
):
    libraries = [institution(Category.LIBRARY_COMMUNE) for _ in range(4)]
    for library, status in zip(libraries, ReportStatus.values, strict=True):
        report(library, 2024, status=status, lll_services=True)
    row = row_of(progress_rows(year=2024), "library_lll_services", ["library_commune"])
    assert (row["numerator"], row["reporters"], row["denominator"]) == (2, 2, 4)
    approved = row_of(
        progress_rows(year=2024, approved_only=True),
        "library_lll_services",
        ["library_commune"],
    )
    assert (approved["numerator"], approved["reporters"]) == (1, 1)


def test_a_closed_institution_counts_up_to_the_year_before_closing(targets, geography):
    institution(Category.MUSEUM, closed=2025)
    rows = {y: progress_rows(year=y) for y in (2024, 2025)}
    assert row_of(rows[2024], "museum_education", ["museum"])["denominator"] == 1
    assert row_of(rows[2025], "museum_education", ["museum"])["denominator"] == 0


@pytest.mark.parametrize("size", [10, 300])
def test_the_number_of_queries_does_not_depend_on_the_data(
    size, targets, geography, django_assert_max_num_queries
):
    random_data(11, size=size)
    # Targets, the provinces' counter versions (the national rows come per
    # province from the cache), institutions, years with a reporting period,
    # reports, panels.
    with django_assert_max_num_queries(6):
        progress_rows(year=2025)
    with django_assert_max_num_queries(6):
        province_rows = progress_figures_load(year=2026, approved_only=True)
    assert len(province_rows.areas) == 1 + len(PROVINCES)
    with django_assert_max_num_queries(7):
        every_province = progress_figures_load(year=2024)
        for code in Province.objects.values_list("code", flat=True):
            every_province.evaluations(code)


def test_figures_follow_every_save_and_approval(targets, geography, ministry_user):
    library = institution(Category.LIBRARY_PROVINCIAL)
    family = "library_lll_services"

    def current(**kwargs):
        return row_of(
            progress_rows(year=2024, **kwargs), family, ["library_provincial"]
        )

    assert current()["reporters"] == 0
    saved = report_save(
        user=None,
        institution=library,
        year=2024,
        values={"lll_services": True},
        expected_version=0,
        status=ReportStatus.SUBMITTED,
    )
    assert (current()["numerator"], current()["value"]) == (1, 100.0)
    assert current(approved_only=True)["numerator"] == 0
    report_approve(user=ministry_user, report=saved)
    assert current(approved_only=True)["numerator"] == 1


# Timeliness: a hand count on a controlled clock (tests/reports/progress/timeliness.py)


@pytest.fixture
def cycle(administrator, ministry_user):
    return timeliness_cycle(administrator=administrator, ministry_user=ministry_user)


def test_first_submissions_at_the_edges_of_the_due_day(cycle):
    on_time = {
        code: AnnualReport.objects.get(pk=report.pk).on_time
        for code, report in cycle.items()
    }
    assert on_time == {
        "LA-0": True,  # 23:59:59 on the due day, in Vietnam
        "LA-1": False,  # 00:00:01 the next day
        "LA-2": True,  # returned and submitted again late: the first counts
        "LA-3": None,  # never submitted
        "LB-0": True,  # within the extension
        "LB-1": True,  # 23:59:59 on the extended due day
        "LB-2": False,  # 00:00:01 after it
    }


@pytest.mark.parametrize("area", sorted(TIMELINESS))
def test_timeliness_equals_the_hand_count(cycle, area):
    active, reporters, on_time, rate = TIMELINESS[area]
    province = None if area == NATION else area
    row = row_of(
        progress_rows(year=TIMELINESS_YEAR, province_code=province),
        TIMELINESS_FAMILY,
        [TIMELINESS_CATEGORY],
    )
    assert (row["denominator"], row["reporters"]) == (active, reporters)
    assert (row["on_time"], row["on_time_rate"]) == (on_time, rate)
    keys = list(row)
    assert keys[keys.index("reporting_rate") + 1 :][:2] == ["on_time", "on_time_rate"]
    # Every category of the area: only these libraries report.
    timeliness = progress_figures_load(year=TIMELINESS_YEAR).timeliness(area)
    assert (timeliness.active, timeliness.reporters, timeliness.on_time) == (
        active,
        reporters,
        on_time,
    )
    assert float(round1(timeliness.on_time_rate)) == rate


def test_only_approved_reports_count_when_asked(cycle, ministry_user):
    report_approve(user=ministry_user, report=cycle["LA-1"])  # late
    report_approve(user=ministry_user, report=cycle["LB-0"])  # on time
    row = row_of(
        progress_rows(year=TIMELINESS_YEAR, approved_only=True),
        TIMELINESS_FAMILY,
        [TIMELINESS_CATEGORY],
    )
    assert (row["reporters"], row["on_time"], row["on_time_rate"]) == (2, 1, 14.3)


def test_a_year_without_a_reporting_period_has_no_timeliness(targets, geography):
    library = institution(Category.LIBRARY_DISTRICT)
    report(library, 2024, lll_services=True, on_time=True)
    row = row_of(
        progress_rows(year=2024), "library_lll_services", [Category.LIBRARY_DISTRICT]
    )
    assert row["reporting_rate"] == 100.0
    assert (row["on_time"], row["on_time_rate"]) == (None, None)
    growth = next(r for r in progress_rows(year=2024) if r["kind"] == "growth")
    assert "on_time" not in growth and "on_time_rate" not in growth


def test_a_period_without_active_institutions_has_on_time_but_no_rate(
    targets, geography
):
    ReportingPeriod.objects.create(
        year=2024, opens_on="2025-01-01", due_on="2025-03-31", closes_on="2025-04-30"
    )
    row = row_of(
        progress_rows(year=2024), "library_lll_services", [Category.LIBRARY_DISTRICT]
    )
    assert (row["denominator"], row["on_time"], row["on_time_rate"]) == (0, 0, None)


# Evaluated once a load -----------------------------------------------------------


def _counted(monkeypatch, name: str) -> list:
    """The calls of ``reports.progress.figures.<name>``, still made."""
    calls = []
    original = getattr(figures_module, name)

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(figures_module, name, counted)
    return calls


def test_each_row_and_area_is_evaluated_once_however_many_parts_show_it(
    monkeypatch,
):
    statuses = _counted(monkeypatch, "target_progress")
    figures = examples.worked_figures()
    provinces = [
        Province(code=code, name=code, name_sort=code) for code in ("01", "48", "79")
    ]
    cards_build(figures, NATION)
    overview_table(figures.evaluations(NATION))
    on_track_map(figures, provinces, None)
    cards_build(figures, "01")
    # Three target rows in the nation and Hà Nội, the two headline rows in
    # Đà Nẵng and Hồ Chí Minh City (a year with a value, so a status each).
    assert len(statuses) == 3 + 3 + 2 + 2
    first = figures.evaluate(figures.targets[0], "01")
    assert figures.evaluate(figures.targets[0], "01") is first


def test_a_share_status_works_out_only_the_base_and_the_evaluated_year(monkeypatch):
    shares = _counted(monkeypatch, "share_figures")
    figures = examples.worked_figures()
    evaluation = figures.evaluate(examples.share_target(), "01")
    # 2024 and the baseline year 2022, not 2023 between them.
    assert len(shares) == 2
    assert evaluation.status == Status.ACCELERATION_NEEDED
    assert evaluation.progress.base_year_used == 2022


def test_a_share_status_measures_its_pace_from_the_first_year_with_a_value():
    figures = examples.worked_figures()
    for area in ("01", NATION):
        figures.active[area, examples.DISTRICT, 2022] = 0
        figures.reporters[area, examples.DISTRICT, 2022] = 0
        figures.meeting[area, examples.DISTRICT, 2022, ("lll_services",)] = 0
    evaluation = figures.evaluate(examples.share_target(), "01")
    # 2023: 0 of 12 → 0%; 2024: 7 of 12.
    assert evaluation.progress.base_year_used == 2023
    assert evaluation.progress.base_value == 0


def test_a_growth_status_works_out_only_the_evaluated_year(monkeypatch):
    growths = _counted(monkeypatch, "growth_figures")
    target = examples.growth_target()
    figures = examples.worked_figures(targets=[target])
    for year, totals in ((2023, [3, 1000, 1100]), (2024, [3, 1000, 1210])):
        figures.panel[NATION, "museum", year, "study_visits", 2022] = totals
    evaluation = figures.evaluate(target, NATION)
    assert [call["year"] for call in growths] == [2024]
    assert evaluation.value == 10  # (1210 / 1000) ** (1/2) − 1, exactly
    assert evaluation.status == Status.ON_TRACK
