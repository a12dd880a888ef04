"""reports/progress/follow_up.py: a province's follow-up list is counted from
the province's counters, which give the list's own length, in a fixed number
of queries that never read the reports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.progress.counters import counts_rebuild
from reports.progress.follow_up import follow_up_count, follow_up_list
from targets.models import Target
from targets.services import targets_seed
from tests.reports.progress.test_figures import (
    PROVINCES,
    institution,
    random_data,
    report,
)


@pytest.fixture
def targets(db):
    targets_seed()
    return list(Target.objects.order_by("position", "pk"))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_count_is_the_length_of_the_list(seed, targets, geography):
    random_data(seed, size=150)
    for year in (2021, 2023, 2024, 2025, 2026):
        for approved_only in (False, True):
            for code in [*PROVINCES, "48"]:
                arguments = {
                    "province_code": code,
                    "year": year,
                    "approved_only": approved_only,
                    "targets": targets,
                }
                listed = follow_up_list(**arguments)
                assert follow_up_count(**arguments) == len(listed), arguments


def test_a_category_without_criteria_is_followed_up_only_without_a_counted_report(
    targets, geography
):
    # Without the target rows of school libraries, nothing is asked of them.
    asked = [t for t in targets if Category.LIBRARY_SCHOOL not in t.categories]
    reported, drafted, silent = (institution(Category.LIBRARY_SCHOOL) for _ in range(3))
    report(reported, 2024, lll_services=False)
    report(drafted, 2024, status=ReportStatus.DRAFT)
    counts_rebuild()
    arguments = {"province_code": "01", "year": 2024, "targets": asked}
    assert follow_up_count(**arguments) == 2
    assert {i.pk for i in follow_up_list(**arguments)} == {drafted.pk, silent.pk}


@pytest.mark.parametrize("size", [10, 200])
def test_the_count_reads_two_counter_queries_and_no_report(size, targets, geography):
    random_data(3, size=size)
    with CaptureQueriesContext(connection) as queries:
        follow_up_count(province_code="01", year=2024, targets=targets)
    assert len(queries) == 2
    assert not any("reports_annualreport" in q["sql"] for q in queries)
