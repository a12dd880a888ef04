"""import_institutions and export_institutions: the command-line contract."""

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.core.management import base as management_base
from django.utils import translation

from institutions.models import Category, Institution
from tests.factories import InstitutionFactory

from .conftest import csv_write, error_text, row


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_prints_a_one_line_summary_and_writes(geography, tmp_path):
    path = csv_write(
        tmp_path / "a.csv", [row(), row(code="LIB-66", province_code="66")]
    )

    out, err = run("import_institutions", str(path))

    assert out.strip().splitlines() == [
        "Imported: 2 new, 0 updated, 0 unchanged institutions."
    ]
    assert err == ""
    assert Institution.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_reports_the_summary_and_writes_nothing(geography, tmp_path):
    path = csv_write(tmp_path / "a.csv", [row()])

    out, _err = run("import_institutions", str(path), "--dry-run")

    assert "1 new, 0 updated, 0 unchanged" in out
    assert "nothing written" in out
    assert not Institution.objects.exists()


@pytest.mark.django_db
def test_each_bad_input_exits_non_zero_names_the_error_and_writes_nothing(
    geography, tmp_path, bad_input
):
    path = bad_input.write(tmp_path)
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_institutions", str(path), stdout=io.StringIO(), stderr=err)

    assert raised.value.returncode == 1
    if bad_input.where:
        assert error_text(bad_input.where) in err.getvalue()
    assert bad_input.reason in err.getvalue()
    assert not Institution.objects.exists()


@pytest.mark.django_db
def test_every_error_of_the_file_is_printed_not_only_the_first(geography, tmp_path):
    path = csv_write(
        tmp_path / "a.csv",
        [
            row(code="A", category="museumx"),
            row(code="B"),
            row(code="C", province_code="99", opened_year="abcd"),
        ],
    )
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_institutions", str(path), stderr=err)

    lines = err.getvalue().strip().splitlines()
    # Each category's code is named with its meaning.
    with translation.override("en"):
        categories = ", ".join(
            f"{value} ({label})" for value, label in Category.choices
        )
    assert lines[0] == (
        'row 2, column category, value "museumx": unknown category; the categories '
        "are: " + categories
    )
    assert lines[1:] == [
        'row 4, column province_code, value "99": not the code of one of the 34 '
        "current provinces",
        'row 4, column opened_year, value "abcd": not a four-digit year',
    ]
    assert not Institution.objects.exists()


@pytest.mark.django_db
def test_a_bad_row_after_good_ones_writes_nothing(geography, tmp_path):
    rows = [row(code=f"OK-{n}") for n in range(30)] + [row(code="BAD", name="")]
    path = csv_write(tmp_path / "a.csv", rows)

    with pytest.raises(CommandError):
        run("import_institutions", str(path))

    assert not Institution.objects.exists()


@pytest.mark.django_db
def test_errors_are_in_vietnamese_by_default(geography, tmp_path):
    path = csv_write(tmp_path / "a.csv", [row(category="museumx")])
    err = io.StringIO()

    with translation.override("vi"), pytest.raises(CommandError):
        call_command("import_institutions", str(path), stderr=err)

    assert 'dòng 2, cột category, giá trị "museumx"' in err.getvalue()


@pytest.mark.django_db
def test_export_writes_the_columns_of_formats_md(geography, tmp_path):
    InstitutionFactory(code="LIB-1", name="Thư viện Hà Nội", former_province="01")
    path = tmp_path / "out.csv"

    out, _err = run("export_institutions", str(path))

    assert "Exported 1 institutions" in out
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "code,name,category,province_code,legacy_province_code,commune_code,"
        "opened_year,closed_year",
        "LIB-1,Thư viện Hà Nội,library_provincial,01,01,,2000,",
    ]


@pytest.mark.django_db
def test_export_refuses_an_unknown_extension(geography, tmp_path):
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        run("export_institutions", str(tmp_path / "out.xls"))


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_import_export_import_round_trip_changes_nothing(geography, tmp_path, suffix):
    rows = [
        row(code="A-1", name="Thư viện tỉnh Đắk Lắk", province_code="66"),
        row(
            code="-leading-dash",
            name='=HYPERLINK("http://x")',
            province_code="",
            legacy_province_code="72",
            commune_code="",
        ),
        row(code="B.2", name='Nhà văn hóa "thôn 1", xã A', commune_code="4"),
        row(code="C_3", name="+84 Bảo tàng", opened_year="", closed_year="2025"),
        row(code="D4", name="@Thư viện", category="library_district", closed_year=""),
    ]
    first = csv_write(tmp_path / "first.csv", rows)
    run("import_institutions", str(first))
    before = list(Institution.objects.order_by("code").values())

    exported = tmp_path / f"exported.{suffix}"
    run("export_institutions", str(exported))
    out, _err = run("import_institutions", str(exported))

    assert "0 new, 0 updated, 5 unchanged" in out
    after = list(Institution.objects.order_by("code").values())
    assert after == before
    again = tmp_path / f"again.{suffix}"
    run("export_institutions", str(again))
    if suffix == "csv":
        assert again.read_bytes() == exported.read_bytes()


@pytest.mark.django_db
def test_commands_exit_with_status_1_on_bad_input_and_0_on_success(
    geography, tmp_path, capsys, monkeypatch
):
    # run_from_argv closes the database connections when it ends, which would
    # close the test's own connection.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    good = csv_write(tmp_path / "good.csv", [row()])
    bad = csv_write(tmp_path / "bad.csv", [row(category="museumx")])

    def manage(*args):
        with translation.override("en"):
            ManagementUtility(["manage.py", *args, "--skip-checks"]).execute()

    with pytest.raises(SystemExit) as exited:
        manage("import_institutions", str(bad))
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert 'row 2, column category, value "museumx"' in captured.err
    assert not Institution.objects.exists()

    manage("import_institutions", str(good))
    captured = capsys.readouterr()
    assert captured.out.strip().splitlines() == [
        "Imported: 1 new, 0 updated, 0 unchanged institutions."
    ]
    assert Institution.objects.count() == 1

    manage("export_institutions", str(tmp_path / "all.xlsx"))
    assert (tmp_path / "all.xlsx").stat().st_size > 0
