"""Importing annual reports from CSV and XLSX: every bad-input rule of
formats.md, all or nothing, the province fence, warnings, batches, and the
export that imports back unchanged."""

import datetime
import functools

import pytest

from institutions.models import Category
from reports.entry import imports, services
from reports.entry.exports import reports_export
from reports.entry.imports import reports_import
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from reports.periods.services import extension_save, period_save
from reports.progress.counters import counts_check, counts_rebuild
from reports.progress.models import ReportCount
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory
from tests.reports.conftest import csv_write, libraries, xlsx_write
from tests.reports.progress.timeliness import at, on_clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["fast", "full"])
def import_path(request, monkeypatch):
    """Every test runs on both paths: the screen with COPY (on PostgreSQL)
    and the full checks with the batch writer give the same result."""
    monkeypatch.setattr(imports, "FAST_PATH", request.param == "fast")
    return request.param


def row(**values) -> dict[str, str]:
    """A valid row (the district library LIB-A, 2024) with ``values`` changed."""
    base = {"institution_code": "LIB-A", "year": "2024", "lll_services": "có"}
    base.update(values)
    return base


@pytest.fixture(params=["csv", "xlsx"])
def write(request, tmp_path):
    def writer(rows, **kwargs):
        path = tmp_path / f"reports.{request.param}"
        if request.param == "csv":
            return csv_write(path, rows, **kwargs)
        return xlsx_write(path, rows, **kwargs)

    return writer


def test_valid_file_is_imported_as_submitted_by_default(write, library_a, museum_a):
    path = write(
        [
            row(
                lll_services="1", digital_transformation="không", learning_visits="120"
            ),
            row(
                institution_code="MUS-A",
                lll_services="",
                education_programme="TRUE",
                digital_exhibitions="no",
                study_visits="3400",
            ),
        ]
    )
    result = reports_import(path=path)
    assert result.ok, result.errors
    assert (result.new, result.updated, result.written) == (2, 0, True)
    library = AnnualReport.objects.get(institution=library_a)
    assert (library.lll_services, library.digital_transformation) == (True, False)
    assert (library.learning_visits, library.status) == (120, "submitted")
    museum = AnnualReport.objects.get(institution=museum_a)
    assert (museum.education_programme, museum.study_visits) == (True, 3400)
    transition = museum.transitions.get()
    assert (transition.from_status, transition.to_status) == ("", "submitted")
    assert "reports." in transition.comment
    assert museum.history.get().history_change_reason == transition.comment


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"institution_code": "NOPE"}, "institution_code", "không có thiết chế"),
        ({"institution_code": ""}, "institution_code", "bắt buộc"),
        ({"year": "24"}, "year", "bốn chữ số"),
        ({"year": "2024.5"}, "year", "bốn chữ số"),
        ({"year": ""}, "year", "bắt buộc"),
        ({"year": "1999"}, "year", "không hoạt động"),
        ({"study_visits": "12"}, "study_visits", "không áp dụng"),
        ({"education_programme": "0"}, "education_programme", "không áp dụng"),
        ({"lll_services": "maybe"}, "lll_services", ""),
        ({"learning_visits": "-3"}, "learning_visits", ""),
        ({"learning_visits": "1,5"}, "learning_visits", ""),
        ({"learning_visits": "99999999999"}, "learning_visits", "2147483647"),
    ],
)
def test_each_bad_value_is_reported_with_row_column_value_and_reason(
    write, library_a, values, column, reason
):
    ok = InstitutionFactory(code="OK-1", category=Category.LIBRARY_DISTRICT)
    path = write([row(institution_code=ok.code), row(**values)])
    result = reports_import(path=path)
    assert not result.written
    (error,) = result.errors
    assert (error.row, error.column, error.value) == (3, column, values[column])
    assert reason in error.message
    assert not AnnualReport.objects.exists()


def test_every_bad_row_is_reported_at_once(write, library_a):
    path = write(
        [
            row(institution_code="NOPE"),
            row(),
            row(year="2023", study_visits="1", learning_visits="x"),
            row(),  # the same institution and year as row 3
        ]
    )
    result = reports_import(path=path)
    assert sorted((e.row, e.column) for e in result.errors) == [
        (2, "institution_code"),
        (4, "learning_visits"),
        (4, "study_visits"),
        (5, "year"),
    ]
    duplicate = next(e for e in result.errors if e.row == 5)
    assert "dòng 3" in duplicate.message
    assert not AnnualReport.objects.exists()


def test_a_repeat_is_found_after_the_seen_pairs_moved_to_disk(
    write, library_a, monkeypatch
):
    # Two pairs in memory, the rest in the temporary file.
    monkeypatch.setattr(
        imports, "SeenKeys", functools.partial(imports.SeenKeys, memory_keys=2)
    )
    path = write([row(year=str(year)) for year in (2020, 2021, 2022, 2023, 2020)])
    result = reports_import(path=path)
    assert [(e.row, e.column) for e in result.errors] == [(6, "year")]
    assert "dòng 2" in result.errors[0].message
    assert not AnnualReport.objects.exists()


def test_the_message_reads_row_column_value_and_reason(write, library_a):
    path = write([row(study_visits="12")])
    (error,) = reports_import(path=path).errors
    assert str(error) == (
        'dòng 2, cột study_visits, giá trị "12": '
        "Lượt khách nghiên cứu, học tập không áp dụng cho "
        "Thư viện công cộng cấp huyện."
    )


def test_unknown_and_missing_columns_are_errors(tmp_path, library_a):
    path = csv_write(
        tmp_path / "bad.csv", [row()], columns=("institution_code", "visits")
    )
    result = reports_import(path=path)
    assert {(e.row, e.column) for e in result.errors} == {(1, "visits"), (1, "year")}
    assert not AnnualReport.objects.exists()


def test_approved_report_is_locked_against_import(write, library_a):
    ReportFactory(institution=library_a, status=ReportStatus.APPROVED)
    result = reports_import(path=write([row(lll_services="0")]))
    (error,) = result.errors
    assert "đã duyệt và bị khóa" in error.message
    assert AnnualReport.objects.get().lll_services is None


def test_existing_report_is_updated_and_unchanged_rows_left_alone(
    write, library_a, geography
):
    other = InstitutionFactory(code="OTHER", category=Category.LIBRARY_DISTRICT)
    ReportFactory(institution=library_a, lll_services=False, status="draft")
    ReportFactory(institution=other, lll_services=True, status="submitted")
    path = write([row(lll_services="yes"), row(institution_code="OTHER")])
    result = reports_import(path=path)
    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    report = AnnualReport.objects.get(institution=library_a)
    assert (report.lll_services, report.status, report.version) == (
        True,
        "submitted",
        2,
    )
    assert AnnualReport.objects.get(institution=other).version == 1


def test_columns_not_in_the_file_keep_their_values(tmp_path, library_a):
    ReportFactory(institution=library_a, learning_visits=50)
    path = csv_write(
        tmp_path / "r.csv",
        [row(lll_services="1")],
        columns=("institution_code", "year", "lll_services"),
    )
    assert reports_import(path=path, status="draft").ok
    report = AnnualReport.objects.get()
    assert (report.lll_services, report.learning_visits) == (True, 50)


def test_empty_cell_clears_a_value(write, library_a):
    ReportFactory(institution=library_a, learning_visits=50)
    assert reports_import(path=write([row(learning_visits="")])).ok
    assert AnnualReport.objects.get().learning_visits is None


def test_dry_run_writes_nothing(write, library_a):
    result = reports_import(path=write([row()]), dry_run=True)
    assert (result.ok, result.new, result.written) == (True, 1, False)
    assert not AnnualReport.objects.exists()


def test_status_approved_and_draft(write, library_a, museum_a):
    assert reports_import(path=write([row()]), status="approved").ok
    assert AnnualReport.objects.get().status == "approved"


def test_officer_may_upload_own_province_only(write, officer_a, library_a, library_b):
    result = reports_import(
        path=write([row(), row(institution_code="LIB-B")]), user=officer_a
    )
    (error,) = result.errors
    assert (error.row, error.column, error.value) == (3, "institution_code", "LIB-B")
    assert "Thành phố Hà Nội" in error.message
    assert not AnnualReport.objects.exists()
    result = reports_import(path=write([row()]), user=officer_a, status="draft")
    assert result.ok
    report = AnnualReport.objects.get()
    assert report.updated_by == officer_a
    assert report.history.get().history_user == officer_a


def test_officer_may_not_import_approved_reports(write, officer_a, library_a):
    result = reports_import(path=write([row()]), user=officer_a, status="approved")
    assert "Bộ" in result.errors[0].message
    assert not AnnualReport.objects.exists()


def test_warnings_are_reported_and_recorded_without_blocking_a_draft(write, library_a):
    ReportFactory(
        institution=library_a, year=2023, lll_services=True, learning_visits=10
    )
    result = reports_import(
        path=write([row(lll_services="0", learning_visits="100")]), status="draft"
    )
    assert result.ok
    assert {(w.row, w.column) for w in result.warnings} == {
        (2, "lll_services"),
        (2, "learning_visits"),
    }
    assert len(AnnualReport.objects.get(year=2024).warnings) == 2


def test_large_file_is_checked_and_written_in_batches(tmp_path, geography, monkeypatch):
    monkeypatch.setattr("reports.entry.imports.BATCH_SIZE", 7)
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    institutions = libraries(20)
    rows = [
        {"institution_code": i.code, "year": str(year), "learning_visits": "5"}
        for i in institutions
        for year in (2023, 2024)
    ]
    rows.append({"institution_code": institutions[0].code, "year": "2023"})
    path = csv_write(tmp_path / "big.csv", rows)
    result = reports_import(path=path)
    (error,) = result.errors
    assert error.row == 42 and "dòng 2" in error.message
    assert not AnnualReport.objects.exists()
    path = csv_write(tmp_path / "big.csv", rows[:-1])
    result = reports_import(path=path, preview_limit=5)
    assert (result.new, len(result.preview)) == (40, 5)
    assert AnnualReport.objects.count() == 40
    assert ReportTransition.objects.count() == 40


def test_import_memory_does_not_hold_the_file(tmp_path, geography, monkeypatch):
    """Rows reach the writer a batch at a time: no batch exceeds BATCH_SIZE."""
    monkeypatch.setattr("reports.entry.imports.BATCH_SIZE", 4)
    seen = []
    original = imports._Pass.check_batch

    def spy(self, batch):
        seen.append(len(batch))
        return original(self, batch)

    monkeypatch.setattr(imports._Pass, "check_batch", spy)
    institutions = libraries(10)
    rows = [{"institution_code": i.code, "year": "2024"} for i in institutions]
    assert reports_import(path=csv_write(tmp_path / "r.csv", rows)).ok
    assert max(seen) <= 4 and sum(seen) == 10  # one reading of the file


def test_a_bad_row_after_written_batches_undoes_them_all(
    tmp_path, geography, monkeypatch
):
    monkeypatch.setattr("reports.entry.imports.BATCH_SIZE", 2)
    institutions = libraries(5)
    rows = [{"institution_code": i.code, "year": "2024"} for i in institutions]
    rows.append({"institution_code": "NOPE", "year": "2024"})
    rows.append({"institution_code": institutions[0].code, "year": "20x4"})
    result = reports_import(path=csv_write(tmp_path / "r.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (7, "institution_code"),
        (8, "year"),
    ]
    assert not result.written
    assert not AnnualReport.objects.exists()
    assert not AnnualReport.history.exists()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_imports_back_unchanged(tmp_path, geography, suffix, museum_a):
    first, second = libraries(2)
    ReportFactory(
        institution=first, lll_services=True, learning_visits=0, status="approved"
    )
    ReportFactory(institution=second, digital_transformation=False)
    ReportFactory(
        institution=museum_a, year=2023, study_visits=987654, education_programme=True
    )
    path = tmp_path / f"export.{suffix}"
    assert reports_export(path=path) == 3
    AnnualReport.objects.update(status="submitted")
    counts_rebuild()
    before = list(AnnualReport.objects.order_by("pk").values())
    result = reports_import(path=path, status="submitted")
    assert result.ok, result.errors
    assert (result.new, result.updated, result.unchanged) == (0, 0, 3)
    after = list(AnnualReport.objects.order_by("pk").values())
    for old, new in zip(before, after, strict=True):
        for name in services.REPORT_FIELDS:
            assert old[name] == new[name]


def test_export_filters_by_year_and_province(tmp_path, library_a, library_b):
    ReportFactory(institution=library_a, year=2023)
    ReportFactory(institution=library_a, year=2024)
    ReportFactory(institution=library_b, year=2024)
    path = tmp_path / "e.csv"
    assert reports_export(path=path, year=2024, province_code=PROVINCE_A) == 1
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["institution_code", "year", "lll_services"]
    assert lines[1].startswith("LIB-A,2024,")


# First submission and timeliness of imported reports ----------------------------


@pytest.fixture
def period_2025(administrator, province_b):
    """2025 due on 31/03/2026; Đắk Lắk (66) extended to 15/04/2026."""
    period = period_save(
        user=administrator,
        year=2025,
        opens_on=datetime.date(2026, 1, 1),
        due_on=datetime.date(2026, 3, 31),
        closes_on=datetime.date(2026, 5, 31),
    )
    extension_save(
        user=administrator,
        period=period,
        province=province_b,
        due_on=datetime.date(2026, 4, 15),
        closes_on=datetime.date(2026, 5, 31),
        reason="Lũ lụt",
    )
    return period


def test_imported_submitted_reports_are_first_submitted_on_time_or_late(
    write, library_a, library_b, period_2025
):
    rows = [row(year="2025"), row(institution_code="LIB-B", year="2025")]
    with on_clock(at("2026-04-10 09:00:00")):
        assert reports_import(path=write(rows)).ok
    hanoi = AnnualReport.objects.get(institution=library_a)
    daklak = AnnualReport.objects.get(institution=library_b)
    assert hanoi.first_submitted_at == daklak.first_submitted_at
    assert hanoi.first_submitted_at == at("2026-04-10 09:00:00")
    # Late after Hà Nội's due date; on time within Đắk Lắk's extension.
    assert (hanoi.on_time, daklak.on_time) == (False, True)
    assert counts_check() == []
    assert set(ReportCount.objects.values_list("province_id", "on_time")) == {
        ("01", False),
        ("66", True),
    }

    # Imported again, approved, later: the first submission stays.
    rows = [row(year="2025", learning_visits="5")]
    with on_clock(at("2026-05-20 09:00:00")):
        assert reports_import(path=write(rows), status=ReportStatus.APPROVED).ok
    hanoi.refresh_from_db()
    assert hanoi.status == ReportStatus.APPROVED
    assert (hanoi.first_submitted_at, hanoi.on_time) == (
        at("2026-04-10 09:00:00"),
        False,
    )


def test_imported_drafts_are_not_submitted_and_no_period_means_no_timeliness(
    write, library_a, library_b
):
    with on_clock(at("2025-04-10 09:00:00")):
        assert reports_import(path=write([row()]), status=ReportStatus.DRAFT).ok
        assert reports_import(path=write([row(institution_code="LIB-B")])).ok
    draft = AnnualReport.objects.get(institution=library_a)
    assert (draft.first_submitted_at, draft.on_time) == (None, None)
    submitted = AnnualReport.objects.get(institution=library_b)
    assert submitted.first_submitted_at == at("2025-04-10 09:00:00")
    assert submitted.on_time is None  # 2024 has no reporting period


# The screen and COPY against the full checks and the batch writer --------------


def _imported(path, monkeypatch, fast: bool, **options):
    """Imports ``path`` on one path; its result, and the rows it wrote (the
    reports, their history and transitions, without ids and times), which
    are then removed so that the other path starts from the same data."""
    monkeypatch.setattr(imports, "FAST_PATH", fast)
    before = set(AnnualReport.objects.values_list("pk", flat=True))
    result = reports_import(path=path, **options)
    new = AnnualReport.objects.exclude(pk__in=before)
    times = {"id", "updated_at", "first_submitted_at", "history_id", "history_date"}

    def rows(queryset, *order):
        return [
            {k: v for k, v in row.items() if k not in times}
            for row in queryset.order_by(*order).values()
        ]

    written = (
        rows(new, "institution__code", "year"),
        rows(AnnualReport.history.filter(id__in=new), "institution__code", "year"),
        [
            (t.report.institution.code, t.from_status, t.to_status, t.user, t.comment)
            for t in ReportTransition.objects.filter(report__in=new).order_by(
                "report__institution__code"
            )
        ],
    )
    AnnualReport.history.filter(id__in=new).delete()
    new.delete()
    return result, written


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_both_paths_write_the_same_rows(
    tmp_path,
    monkeypatch,
    officer_a,
    administrator,
    library_a,
    museum_a,
    period_2025,
    status,
):
    others = libraries(3)
    # Last year's report of one library, which the new one gives no warning.
    ReportFactory(institution=others[0], year=2024, lll_services=True)
    rows = [
        row(year="2025", lll_services="TRUE", learning_visits="0012"),
        row(institution_code="MUS-A", year="2025", lll_services="", study_visits="7"),
        *(
            row(institution_code=i.code, year="2025", digital_transformation="không")
            for i in others
        ),
    ]
    path = csv_write(tmp_path / "r.csv", rows)
    user = administrator if status == "approved" else officer_a
    with on_clock(at("2026-04-10 09:00:00")):
        fast, fast_rows = _imported(path, monkeypatch, True, status=status, user=user)
        full, full_rows = _imported(path, monkeypatch, False, status=status, user=user)
    assert fast.ok and full.ok, (fast.errors, full.errors)
    assert (fast.new, list(fast.sheets.items())) == (5, list(full.sheets.items()))
    assert fast_rows == full_rows
    reports, history, transitions = fast_rows
    assert len(reports) == len(history) == len(transitions) == 5
    assert {h["history_type"] for h in history} == {"+"}
    assert {h["history_user_id"] for h in history} == {user.pk}


def test_both_paths_give_the_same_errors_and_warnings(
    tmp_path, monkeypatch, officer_a, library_a, library_b, museum_a
):
    closed = InstitutionFactory(
        code="OLD", category=Category.LIBRARY_DISTRICT, closed_year=2020
    )
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    ReportFactory(institution=museum_a, year=2024, status=ReportStatus.APPROVED)
    (stored,) = libraries(1, prefix="U")
    ReportFactory(institution=stored, year=2019, status=ReportStatus.DRAFT)
    rows = [
        row(institution_code=stored.code, year="2019"),  # stored: the full way
        row(),
        row(year="2023", learning_visits="100"),  # stored: updated, a warning
        row(year="2022", learning_visits="9", explanation="x"),
        row(institution_code="MUS-A", lll_services=""),  # approved: locked
        row(institution_code="LIB-B"),  # another province
        row(institution_code=closed.code),  # closed
        row(year="2099"),  # after this year
        row(learning_visits="1234567890"),  # too many digits for the screen
        row(lll_services=" Có "),
        row(institution_code="LIB-A", year="2021", study_visits="4"),
        row(),  # a repeat of row 3
        {**row(year="2020"), "": "stray"},
    ]
    path = csv_write(tmp_path / "r.csv", rows)
    fast, _rows = _imported(path, monkeypatch, True, user=officer_a)
    full, _rows = _imported(path, monkeypatch, False, user=officer_a)
    assert len(fast.errors) > 5
    assert list(fast.errors) == list(full.errors)
    assert list(fast.warnings) == list(full.warnings)
    # The sheets in the file's order (the largest first among equals).
    assert list(fast.sheets.items()) == list(full.sheets.items())
