"""Fuzzing the importers with Hypothesis: random bytes and random tables
(unicode, formulas, huge numbers, empty cells, wrong headers), as CSV and
XLSX, through the institution and report importers and their upload pages.

Whatever the input: never an unexpected exception or a server error, and
when any error is reported, nothing was written (all or nothing).
Bounded (100 examples a test, no deadline) so the run takes seconds.
"""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from institutions.formats import COLUMNS as INSTITUTION_COLUMNS
from institutions.imports import institutions_import
from institutions.models import Category, Commune, Institution
from reports.entry.formats import COLUMNS as REPORT_COLUMNS
from reports.entry.imports import reports_import
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Cells: mostly plausible values (so that some files import and the write path
# runs too), and hostile ones.
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "=1+1",
            '=HYPERLINK("http://x")',
            "+SUM(A1:A9)",
            "@cmd",
            "-1",
            "'=2",
            "9" * 40,
            "1e308",
            "NaN",
            "１２３",
            "٣",
            "x" * 300,
            "Thư viện\u0000",
            "\u202ethư viện",
            "Ha\u0303 No\u0302\u0323i",
            "\r\n",
            '"',
        ]
    ),
)
CODES = st.sampled_from(["FZ-1", "FZ-2", "FZ-3", "FZ.4_a", "A" * 41, "bad code", ""])
YEARS = st.sampled_from(["", "2000", "1990", "2024", "2025", "1799", "2101", "20a0"])
PROVINCES = st.sampled_from(["", PROVINCE_A, "1", PROVINCE_B, "99", "30", "80"])
INSTITUTION_VALUES = {
    "code": CODES,
    "name": st.one_of(st.sampled_from(["Thư viện Thử", "Bảo tàng"]), HOSTILE),
    "category": st.one_of(st.sampled_from(Category.values), HOSTILE),
    "province_code": PROVINCES,
    "legacy_province_code": PROVINCES,
    "commune_code": st.sampled_from(["", "4", "00004", "99999", "26734"]),
    "opened_year": YEARS,
    "closed_year": YEARS,
}
YES_NO = st.sampled_from(["", "1", "0", "có", "KHÔNG", "true", "maybe", "2"])
COUNTS = st.sampled_from(["", "0", "12", "-3", "1.5", "99999999999", "2147483648"])
REPORT_VALUES = {
    "institution_code": st.sampled_from(["FZ-A", "FZ-B", "FZ-M", "NONE", ""]),
    "year": st.sampled_from(["2023", "2024", "1999", "2030", "24", ""]),
    **dict.fromkeys(REPORT_COLUMNS[2:9], YES_NO),
    "learning_visits": COUNTS,
    "study_visits": COUNTS,
}


@st.composite
def tables(draw, values: dict, columns):
    """A header (the real columns, some dropped, maybe an unknown or repeated
    one, in any order) and up to 6 rows of cells."""
    header = draw(st.permutations(columns))
    header = header[: draw(st.integers(min_value=1, max_value=len(header)))]
    if draw(st.booleans()):
        header = [*header, draw(st.sampled_from(["note", "", header[0]]))]
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(*(values.get(name, HOSTILE) for name in header), HOSTILE),
                min_size=len(header),
                max_size=len(header) + 1,
            ),
            max_size=6,
        )
    )
    return [header, *rows]


def csv_bytes(table) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in table:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: str):
    # Spreadsheets hold numbers as numbers; XML cannot hold control characters.
    if value.isascii() and value.isdigit() and len(value) < 16:
        return int(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def stored() -> tuple:
    """Everything an import can write, in full."""
    return (
        list(Institution.objects.order_by("pk").values_list()),
        Institution.history.count(),
        list(AnnualReport.objects.order_by("pk").values_list()),
        AnnualReport.history.count(),
        ReportTransition.objects.count(),
    )


def import_checked(importer, content: bytes, suffix: str, **options):
    """Runs an import of ``content``: no exception; an error means nothing
    was written; every error reads as a sentence."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"fuzz.{suffix}"
        path.write_bytes(content)
        before = stored()
        result = importer(path=path, **options)
    if result.errors:
        assert stored() == before
        assert all(str(error) for error in result.errors)
    event("written" if result.written else "refused")
    return result


@pytest.fixture
def fenced(geography, officer_a):
    """Institutions the report rows can name: two in province A, one in B.

    Only provinces A and B keep their communes: every import loads the
    communes, and a smaller country keeps a hundred examples fast.
    """
    Commune.objects.exclude(province__in=[PROVINCE_A, PROVINCE_B]).delete()
    InstitutionFactory(code="FZ-A", province=PROVINCE_A, opened_year=2000)
    InstitutionFactory(
        code="FZ-M", category=Category.MUSEUM, province=PROVINCE_A, opened_year=2000
    )
    InstitutionFactory(code="FZ-B", province=PROVINCE_B, opened_year=2000)
    return officer_a


@FUZZ
@given(content=st.binary(max_size=4096), suffix=st.sampled_from(["csv", "xlsx"]))
def test_random_bytes_never_break_either_importer(fenced, content, suffix):
    assert not import_checked(institutions_import, content, suffix).ok
    assert not import_checked(reports_import, content, suffix).ok


@FUZZ
@given(
    content=st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"code,name,category\r\n"]),
)
def test_random_archives_and_text_never_break_the_readers(fenced, content, prefix):
    import_checked(institutions_import, content, "xlsx")
    import_checked(institutions_import, prefix + content, "csv")


@FUZZ
@given(
    table=tables(INSTITUTION_VALUES, INSTITUTION_COLUMNS),
    as_xlsx=st.booleans(),
    by_officer=st.booleans(),
)
def test_random_institution_tables_import_all_or_nothing(
    fenced, table, as_xlsx, by_officer
):
    content = xlsx_bytes(table) if as_xlsx else csv_bytes(table)
    import_checked(
        institutions_import,
        content,
        "xlsx" if as_xlsx else "csv",
        user=fenced if by_officer else None,
    )


@FUZZ
@given(
    table=tables(REPORT_VALUES, REPORT_COLUMNS),
    as_xlsx=st.booleans(),
    by_officer=st.booleans(),
    status=st.sampled_from([ReportStatus.DRAFT, ReportStatus.SUBMITTED]),
)
def test_random_report_tables_import_all_or_nothing(
    fenced, table, as_xlsx, by_officer, status
):
    content = xlsx_bytes(table) if as_xlsx else csv_bytes(table)
    import_checked(
        reports_import,
        content,
        "xlsx" if as_xlsx else "csv",
        user=fenced if by_officer else None,
        status=status,
    )


def _upload_round(client, upload_url, content, name, extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = stored()
    response = client.post(
        upload_url, {"file": SimpleUploadedFile(name, content), **extra}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert stored() == before  # refused by the form
        event("refused by the form")
        return
    preview = response["Location"]
    assert client.get(preview).status_code == 200
    response = client.post(preview, extra)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert stored() == before
    event("imported" if response.status_code == 302 else "refused on preview")


@FUZZ
@given(
    table=tables(INSTITUTION_VALUES, INSTITUTION_COLUMNS),
    raw=st.one_of(st.none(), st.binary(max_size=512)),
    as_xlsx=st.booleans(),
)
def test_the_institution_upload_pages_never_fail(client, fenced, table, raw, as_xlsx):
    client.force_login(fenced)
    content = (
        raw if raw is not None else (xlsx_bytes(table) if as_xlsx else csv_bytes(table))
    )
    name = "register.xlsx" if as_xlsx else "register.csv"
    _upload_round(client, reverse("institutions:import"), content, name, {})


@FUZZ
@given(
    table=tables(REPORT_VALUES, REPORT_COLUMNS),
    raw=st.one_of(st.none(), st.binary(max_size=512)),
    as_xlsx=st.booleans(),
)
def test_the_report_upload_pages_never_fail(client, fenced, table, raw, as_xlsx):
    client.force_login(fenced)
    content = (
        raw if raw is not None else (xlsx_bytes(table) if as_xlsx else csv_bytes(table))
    )
    name = "reports.xlsx" if as_xlsx else "reports.csv"
    _upload_round(client, reverse("reports:upload"), content, name, {"status": "draft"})
