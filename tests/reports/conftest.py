"""Institutions, reports and files shared by the annual-report tests."""

from pathlib import Path

import pytest

from institutions.models import Category
from reports.entry.formats import COLUMNS
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory
from tests.institutions import conftest as registry_files


def institution(code, name, category, province, opened_year=2000):
    return InstitutionFactory(
        code=code,
        name=name,
        category=category,
        province=province,
        opened_year=opened_year,
    )


@pytest.fixture
def library_a(geography):
    """A district library in province A (Hà Nội), open since 2000."""
    return institution(
        "LIB-A", "Thư viện Ba Đình", Category.LIBRARY_DISTRICT, PROVINCE_A
    )


@pytest.fixture
def museum_a(geography):
    return institution("MUS-A", "Bảo tàng Hà Nội", Category.MUSEUM, PROVINCE_A, 1982)


@pytest.fixture
def library_b(geography):
    """A district library in province B (Đắk Lắk)."""
    return institution(
        "LIB-B", "Thư viện Buôn Ma Thuột", Category.LIBRARY_DISTRICT, PROVINCE_B
    )


@pytest.fixture
def report_b(library_b):
    return ReportFactory(institution=library_b, year=2024, lll_services=True)


def libraries(count: int, *, province=PROVINCE_A, prefix="L", **kwargs):
    """``count`` district libraries named in alphabetical order."""
    return [
        InstitutionFactory(
            code=f"{prefix}-{index:03d}",
            name=f"Thư viện {prefix} {index:03d}",
            category=Category.LIBRARY_DISTRICT,
            province=province,
            opened_year=2000,
            **kwargs,
        )
        for index in range(count)
    ]


def csv_write(path: Path, rows, *, columns=COLUMNS) -> Path:
    return registry_files.csv_write(path, rows, columns=columns)


def xlsx_write(path: Path, rows, *, columns=COLUMNS) -> Path:
    return registry_files.xlsx_write(path, rows, columns=columns)
