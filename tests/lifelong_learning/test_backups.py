"""manage.py export_all / import_all: a backup restored into an emptied
database gives the same rows and the same progress figures; a damaged,
incomplete or foreign backup is refused and nothing is written."""

import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from rest_framework.authtoken.models import Token

from institutions.models import Category, FormerProvince, Institution
from institutions.services import institution_create, institution_update
from jobs.models import ImportJob
from lifelong_learning.backups import MANIFEST, backup_export
from reports.demo.national import demo_national_create
from reports.entry.models import AnnualReport, ReportStatus, ReportTransition
from reports.entry.services import report_save
from reports.entry.workflow import report_approve, report_reopen, report_submit
from reports.progress.figures import progress_rows
from targets.models import Target
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import TEST_PASSWORD
from tests.security.snapshot import tables_counts, tables_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English."""
    with translation.override("en"):
        yield


YEARS = range(2022, 2026)
AREAS = [None, PROVINCE_A, PROVINCE_B, "79"]


def all_progress() -> dict:
    return {
        (year, area, approved_only): progress_rows(
            year=year, province_code=area, approved_only=approved_only
        )
        for year in YEARS
        for area in AREAS
        for approved_only in (False, True)
    }


@pytest.fixture
def portal_data(geography, officer_a, ministry_user, administrator):
    """A small national register with four years of reports, plus changes made
    through the services (history, transitions, reasons), a former-province
    link, an edited target, an API token and an admin log entry."""
    demo_national_create(total=400, years=(2022, 2025), seed=11)
    hanoi_former = FormerProvince.objects.filter(province_id=PROVINCE_A).first()
    library = institution_create(
        user=officer_a,
        code="BK-LIB",
        name="Thư viện Sao lưu",
        category=Category.LIBRARY_DISTRICT,
        province=hanoi_former.province,
        former_province=hanoi_former,
        opened_year=1999,
    )
    institution_update(institution=library, user=officer_a, name="Thư viện Phục hồi")
    report = report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values={"lll_services": True, "learning_visits": 1200},
        expected_version=0,
        status=ReportStatus.SUBMITTED,
    )
    report_approve(user=ministry_user, report=report)
    report_reopen(user=ministry_user, report=report, reason="Sai số lượt")
    report_submit(user=officer_a, report=report)
    target = Target.objects.order_by("position").first()
    target.threshold = 55
    target._change_reason = "Điều chỉnh thử"
    target.save()
    Token.objects.create(user=ministry_user)
    LogEntry.objects.log_actions(
        user_id=administrator.pk,
        queryset=[target],
        action_flag=CHANGE,
        change_message="threshold",
        single_object=True,
    )
    assert AnnualReport.objects.count() > 400
    assert ReportTransition.objects.filter(report=report).count() == 4


def test_restore_into_an_emptied_database_gives_identical_rows_and_figures(
    portal_data, tmp_path, client
):
    progress = all_progress()
    snapshot = tables_snapshot()
    call_command("export_all", str(tmp_path / "backup"))

    connection.check_constraints()  # PostgreSQL truncates no table with checks due
    call_command("flush", interactive=False, verbosity=0)
    assert not Institution.objects.exists()
    assert ContentType.objects.exists()  # recreated by post_migrate, new ids
    call_command("import_all", str(tmp_path / "backup"))

    assert tables_snapshot() == snapshot
    assert all_progress() == progress
    assert client.login(username="officer-a", password=TEST_PASSWORD)
    token = Token.objects.get().key
    response = client.get("/api/v1/provinces/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_backup_lists_every_table_with_counts_and_checksums(portal_data, tmp_path):
    counts = tables_counts()
    summaries = backup_export(directory=tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text())
    assert {entry["model"]: entry["rows"] for entry in manifest["tables"]} == counts
    assert {s.model: s.rows for s in summaries} == counts
    assert counts["institutions.historicalinstitution"] > 0
    assert counts["reports.historicalannualreport"] > 0
    assert counts["auth.user"] == 3
    assert all(len(entry["sha256"]) == 64 for entry in manifest["tables"])
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o700
    for path in (tmp_path / "b").iterdir():
        assert path.stat().st_mode & 0o077 == 0


def test_restore_with_force_replaces_the_current_content(portal_data, tmp_path):
    snapshot = tables_snapshot()
    backup_export(directory=tmp_path / "b")
    Institution.objects.filter(code="BK-LIB").update(name="Đổi sau sao lưu")
    AnnualReport.objects.filter(year=2022).delete()
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_all", str(tmp_path / "b"))
    call_command("import_all", str(tmp_path / "b"), "--force")
    assert tables_snapshot() == snapshot


def test_export_refuses_a_directory_that_is_not_empty(portal_data, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("export_all", str(tmp_path))


def _damage(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[len(lines) // 2] = lines[len(lines) // 2].replace("Thư viện", "Thu vien")
    path.write_text("".join(lines), encoding="utf-8")


def _manifest_rewrite(directory: Path, change) -> None:
    path = directory / MANIFEST
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def _table_entry_set(directory: Path, file_name: str, **values) -> None:
    def change(manifest):
        for entry in manifest["tables"]:
            if entry["file"] == file_name:
                entry.update(values)

    _manifest_rewrite(directory, change)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda d: _damage(d / "institutions.institution.jsonl"),
            "institutions.institution.jsonl does not match its checksum",
        ),
        (
            lambda d: (d / "reports.annualreport.jsonl").unlink(),
            "reports.annualreport.jsonl of the backup is missing",
        ),
        (lambda d: (d / MANIFEST).unlink(), "holds no manifest.json"),
        (
            lambda d: (d / MANIFEST).write_text("{not json"),
            "damaged or not from this portal",
        ),
        (
            lambda d: _manifest_rewrite(
                d, lambda m: m["schema"]["reports"].append("0099_future")
            ),
            "another version of the database schema",
        ),
        (
            lambda d: _manifest_rewrite(d, lambda m: m["tables"].pop()),
            "tables do not match this portal: admin.logentry",
        ),
    ],
    ids=["checksum", "missing-file", "no-manifest", "bad-manifest", "schema", "table"],
)
def test_a_damaged_backup_is_refused_before_anything_is_written(
    portal_data, tmp_path, spoil, message
):
    backup_export(directory=tmp_path / "b")
    spoil(tmp_path / "b")
    snapshot = tables_snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("import_all", str(tmp_path / "b"), "--force")
    assert tables_snapshot() == snapshot


def test_a_bad_row_with_a_matching_checksum_rolls_the_whole_restore_back(
    portal_data, tmp_path
):
    """Someone edits a file and its checksum: the row breaks a constraint near
    the end of the restore, after every table was emptied and most reloaded."""
    directory = tmp_path / "b"
    backup_export(directory=directory)
    path = directory / "reports.reporttransition.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = json.loads(lines[-1])
    row["fields"]["report"] = 10**9  # no such report
    lines[-1] = json.dumps(row) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    _table_entry_set(directory, path.name, sha256=_sha256(path))
    snapshot = tables_snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_all", str(directory), "--force")
    assert tables_snapshot() == snapshot


def test_a_row_count_that_differs_from_the_manifest_is_refused(portal_data, tmp_path):
    directory = tmp_path / "b"
    backup_export(directory=directory)
    rows = Institution.objects.count()
    _table_entry_set(directory, "institutions.institution.jsonl", rows=rows + 1)
    snapshot = tables_snapshot()
    with pytest.raises(CommandError, match="the manifest says"):
        call_command("import_all", str(directory), "--force")
    assert tables_snapshot() == snapshot


def test_restore_with_force_empties_the_imports_of_uploads(
    portal_data, tmp_path, administrator
):
    backup_export(directory=tmp_path / "b")
    ImportJob.objects.create(
        user=administrator, kind="institutions", upload="f" * 32, file_name="a.csv"
    )

    call_command("import_all", str(tmp_path / "b"), "--force")

    assert not ImportJob.objects.exists()
