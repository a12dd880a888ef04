"""A small province A with approved 2024 reports, for the release tests."""

import datetime

import pytest

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.entry.services import report_save
from reports.entry.workflow import report_approve, report_reopen, report_submit
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory

PUBLISHED = datetime.datetime(2025, 3, 31, 9, 0, tzinfo=datetime.UTC)


def library(code: str, province: str = PROVINCE_A):
    return InstitutionFactory(
        code=code,
        name=f"Thư viện {code}",
        category=Category.LIBRARY_DISTRICT,
        province=province,
        opened_year=2000,
    )


@pytest.fixture
def approved_2024(geography):
    """Four district libraries: three in A (two approved with lifelong-learning
    services, one approved without), one in B approved with; and a submitted
    report in A that no release may count."""
    reports = [
        ReportFactory(
            institution=library("A-1"),
            year=2024,
            status=ReportStatus.APPROVED,
            lll_services=True,
        ),
        ReportFactory(
            institution=library("A-2"),
            year=2024,
            status=ReportStatus.APPROVED,
            lll_services=True,
        ),
        ReportFactory(
            institution=library("A-3"),
            year=2024,
            status=ReportStatus.APPROVED,
            lll_services=False,
        ),
        ReportFactory(
            institution=library("B-1", PROVINCE_B),
            year=2024,
            status=ReportStatus.APPROVED,
            lll_services=True,
        ),
        ReportFactory(
            institution=library("A-4"),
            year=2024,
            status=ReportStatus.SUBMITTED,
            lll_services=True,
        ),
    ]
    return reports


def correct(report, *, ministry_user, officer_a) -> None:
    """The ministry reopens an approved report, the officer corrects it
    (services now provided) and the ministry approves it again."""
    report_reopen(user=ministry_user, report=report, reason="Sai số liệu dịch vụ")
    report.refresh_from_db()
    report_save(
        user=officer_a,
        institution=report.institution,
        year=report.year,
        values={"lll_services": True},
        expected_version=report.version,
        reason="Bổ sung dịch vụ học tập",
    )
    report.refresh_from_db()
    report_submit(user=officer_a, report=report)
    report_approve(user=ministry_user, report=report)
