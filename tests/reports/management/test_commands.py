"""``import_reports`` and ``export_reports``: arguments, output, exit status."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.entry.models import AnnualReport, ReportStatus
from tests.conftest import PROVINCE_A
from tests.factories import ReportFactory
from tests.reports.conftest import csv_write, xlsx_write

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return error.value, err.getvalue()


def test_import_writes_submitted_reports_by_default(tmp_path, library_a):
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "learning_visits": "7"}],
    )
    out, err = run("import_reports", str(path))
    assert "1 báo cáo mới" in out
    assert err == ""
    assert AnnualReport.objects.get().status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_import_status_option(tmp_path, library_a, status):
    path = xlsx_write(
        tmp_path / "r.xlsx", [{"institution_code": "LIB-A", "year": "2024"}]
    )
    run("import_reports", str(path), "--status", status)
    assert AnnualReport.objects.get().status == status


def test_import_refuses_an_unknown_status(tmp_path, library_a):
    with pytest.raises(CommandError):
        call_command("import_reports", "x.csv", "--status", "returned")


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (
            {"study_visits": "12"},
            'dòng 3, cột study_visits, giá trị "12": Lượt khách nghiên cứu, '
            "học tập không áp dụng cho Thư viện công cộng cấp huyện.",
        ),
        ({"institution_code": "NOPE"}, 'dòng 3, cột institution_code, giá trị "NOPE"'),
        ({"year": "1999"}, 'dòng 3, cột year, giá trị "1999"'),
        ({"lll_services": "hmm"}, 'dòng 3, cột lll_services, giá trị "hmm"'),
        ({"learning_visits": "-1"}, 'dòng 3, cột learning_visits, giá trị "-1"'),
        ({"year": "2023"}, 'dòng 3, cột year, giá trị "2023"'),
    ],
)
def test_import_prints_every_error_exits_1_and_writes_nothing(
    tmp_path, library_a, values, line
):
    rows = [
        {"institution_code": "LIB-A", "year": "2023"},
        {"institution_code": "LIB-A", "year": "2024", **values},
    ]
    if values == {"year": "2023"}:
        rows[1] = {"institution_code": "LIB-A", "year": "2023"}
    path = csv_write(tmp_path / "bad.csv", rows)
    error, err = run_failing("import_reports", str(path))
    assert error.returncode == 1
    assert line in err
    assert "không ghi gì" in str(error)
    assert not AnnualReport.objects.exists()


def test_import_refuses_an_approved_report(tmp_path, library_a):
    ReportFactory(institution=library_a, status=ReportStatus.APPROVED)
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "lll_services": "1"}],
    )
    error, err = run_failing("import_reports", str(path), "--status", "draft")
    assert error.returncode == 1
    assert "đã duyệt và bị khóa" in err
    assert AnnualReport.objects.get().lll_services is None


def test_import_dry_run_writes_nothing(tmp_path, library_a):
    path = csv_write(
        tmp_path / "r.csv", [{"institution_code": "LIB-A", "year": "2024"}]
    )
    out, _err = run("import_reports", str(path), "--dry-run")
    assert "Chạy thử" in out
    assert not AnnualReport.objects.exists()


def test_import_warnings_go_to_stderr_and_keep_exit_status_0(tmp_path, library_a):
    ReportFactory(institution=library_a, year=2023, learning_visits=10)
    path = csv_write(
        tmp_path / "r.csv",
        [{"institution_code": "LIB-A", "year": "2024", "learning_visits": "1000"}],
    )
    out, err = run("import_reports", str(path), "--status", "draft")
    assert err.startswith('cảnh báo: dòng 2, cột learning_visits, giá trị "1000"')
    assert "Đã nhập" in out
    assert AnnualReport.objects.get(year=2024).learning_visits == 1000


def test_import_of_a_file_that_is_not_a_table(tmp_path, geography):
    path = tmp_path / "r.txt"
    path.write_text("hello")
    error, err = run_failing("import_reports", str(path))
    assert error.returncode == 1
    assert ".csv" in err


def test_export_writes_every_report_and_filters(tmp_path, library_a, library_b):
    ReportFactory(institution=library_a, year=2023, lll_services=True)
    ReportFactory(institution=library_a, year=2024, learning_visits=5)
    ReportFactory(institution=library_b, year=2024)
    path = tmp_path / "all.csv"
    out, _err = run("export_reports", str(path))
    assert "3" in out
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 4
    run("export_reports", str(path), "--year", "2024", "--province", "1")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["LIB-A,2024,,,,,,,,5,"]
    run("export_reports", str(tmp_path / "p.xlsx"), "--province", PROVINCE_A)
    assert (tmp_path / "p.xlsx").stat().st_size > 0


def test_export_refuses_an_unknown_province_or_format(tmp_path, geography):
    error, _err = run_failing(
        "export_reports", str(tmp_path / "x.csv"), "--province", "99"
    )
    assert error.returncode == 2
    error, _err = run_failing("export_reports", str(tmp_path / "x.txt"))
    assert error.returncode == 2


def test_export_then_import_round_trip(tmp_path, library_a, museum_a):
    ReportFactory(institution=library_a, lll_services=False, learning_visits=12)
    ReportFactory(institution=museum_a, education_programme=True, study_visits=3)
    path = tmp_path / "round.xlsx"
    run("export_reports", str(path))
    out, err = run("import_reports", str(path), "--status", "draft")
    assert "0 báo cáo mới, 0 báo cáo được cập nhật, 2 báo cáo không đổi" in out
    assert err == ""
