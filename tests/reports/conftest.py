"""Institutions, reports and files shared by the annual-report tests."""

from pathlib import Path

import pytest

from institutions.models import Category
from reports.selectors import COLUMNS
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory
from tests.institutions import conftest as registry_files


@pytest.fixture
def library_a(geography):
    """A district library in province A (Hà Nội), open since 2000."""
    return InstitutionFactory(
        code="LIB-A",
        name="Thư viện Ba Đình",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
        opened_year=2000,
    )


@pytest.fixture
def museum_a(geography):
    return InstitutionFactory(
        code="MUS-A",
        name="Bảo tàng Hà Nội",
        category=Category.MUSEUM,
        province=PROVINCE_A,
        opened_year=1982,
    )


@pytest.fixture
def library_b(geography):
    """A district library in province B (Đắk Lắk)."""
    return InstitutionFactory(
        code="LIB-B",
        name="Thư viện Buôn Ma Thuột",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_B,
        opened_year=2000,
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
