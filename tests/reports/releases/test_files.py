"""A release's files: built from the snapshot only, the same bytes on every
build, listed with their SHA-256 in the manifest, all in one zip."""

import datetime
import hashlib
import io
import json
import time
import zipfile
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from openpyxl.packaging import core

from reports.entry.models import AnnualReport, ReportStatus
from reports.releases.files import MANIFEST, release_files, release_zip, zip_name
from reports.releases.services import release_publish
from tests.conftest import PROVINCE_A
from tests.reports.releases.conftest import PUBLISHED

pytestmark = pytest.mark.django_db

NAMES = [
    "progress.json",
    "figures.csv",
    "figures.xlsx",
    "overview.csv",
    "overview.xlsx",
    "trends.csv",
    "trends.xlsx",
    "provinces.csv",
    "provinces.xlsx",
    "report-vi.pdf",
    "report-en.pdf",
    MANIFEST,
]


class _LaterClock(datetime.datetime):
    """openpyxl's clock, an hour later."""

    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.now(tz) + datetime.timedelta(hours=1)


@pytest.fixture
def release(approved_2024):
    return release_publish(year=2024, notes="Số liệu chính thức", now=PUBLISHED)


def test_rebuilding_gives_byte_identical_files(release, monkeypatch):
    first = {file.name: file.content for file in release_files(release)}
    first_zip = release_zip(release)

    # An hour later by every clock the writers read (zip entry times, the
    # workbook's dates): nothing of it may reach the files.
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(
        core, "datetime", SimpleNamespace(datetime=_LaterClock, timezone=datetime.UTC)
    )
    second = {file.name: file.content for file in release_files(release)}

    assert list(first) == NAMES
    assert second == first
    assert release_zip(release) == first_zip


def test_the_manifest_lists_every_file_with_its_sha256(release):
    files = release_files(release)
    manifest = json.loads(files[-1].content)

    assert manifest["release"] == "2024-1"
    assert manifest["snapshot_sha256"] == release.snapshot_sha256
    assert manifest["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [entry["name"] for entry in manifest["files"]] == NAMES[:-1]
    for entry, file in zip(manifest["files"], files, strict=False):
        assert entry["sha256"] == hashlib.sha256(file.content).hexdigest()
        assert entry["bytes"] == len(file.content)


def test_the_zip_holds_every_file(release):
    archive = zipfile.ZipFile(io.BytesIO(release_zip(release)))
    folder = zip_name(release).removesuffix(".zip")

    assert archive.namelist() == [f"{folder}/{name}" for name in NAMES]
    assert {info.date_time for info in archive.infolist()} == {
        (2025, 3, 31, 16, 0, 0)
    }  # Vietnam time
    files = {file.name: file.content for file in release_files(release)}
    for name in NAMES:
        assert archive.read(f"{folder}/{name}") == files[name]


def test_the_files_are_built_from_the_snapshot_not_live_data(release):
    before = release_files(release)
    # Live data moves: every report of 2024 is withdrawn to a draft.
    AnnualReport.objects.filter(year=2024).update(status=ReportStatus.DRAFT)

    assert release_files(release) == before


def test_the_progress_json_has_the_shape_of_the_progress_command(release):
    files = {file.name: file.content for file in release_files(release)}
    objects = json.loads(files["progress.json"])

    assert [o["area"] for o in objects][:2] == ["VN", "01"]
    assert len(objects) == 35
    hanoi = objects[1]
    assert set(hanoi) == {"year", "area", "rows"}
    assert hanoi["rows"] == json.loads(release.snapshot)["rows"][PROVINCE_A]


def test_the_figures_table_has_a_row_per_area_and_target_row(release):
    files = {file.name: file.content for file in release_files(release)}
    text = files["figures.csv"].decode("utf-8-sig").splitlines()
    header = text[0].split(",")

    assert header[:4] == ["area", "area_name", "family", "categories"]
    assert len(text) == 1 + 35 * 34
    hanoi = next(
        line.split(",")
        for line in text
        if line.startswith("01,") and ",library_district,share,2025," in line
    )
    row = dict(zip(header, hanoi, strict=True))
    assert (row["numerator"], row["denominator"], row["value"]) == ("2", "4", "50.0")
    workbook = load_workbook(io.BytesIO(files["figures.xlsx"]))
    assert workbook.properties.created == datetime.datetime(2025, 3, 31, 9, 0)
    assert workbook.active.max_row == 1 + 35 * 34


def test_build_release_files_writes_them_into_a_folder(release, tmp_path):
    out = io.StringIO()
    call_command("build_release_files", "2024-1", str(tmp_path / "out"), stdout=out)

    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == sorted([*NAMES, zip_name(release)])
    files = {file.name: file.content for file in release_files(release)}
    assert (tmp_path / "out" / "manifest.json").read_bytes() == files[MANIFEST]


def test_build_release_files_names_an_unknown_release(release, tmp_path):
    with pytest.raises(
        CommandError, match="Unknown release '2030-1'; published: 2024-1"
    ):
        call_command("build_release_files", "2030-1", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_publish_release_command(approved_2024):
    out = io.StringIO()
    call_command("publish_release", "--year", "2024", "--notes", "Lần đầu", stdout=out)
    call_command("publish_release", "--year", "2024", stdout=out)

    assert "Published release 2024-1" in out.getvalue()
    assert "Published release 2024-2" in out.getvalue()
    with pytest.raises(CommandError, match="Chưa có báo cáo năm 2025 nào được duyệt"):
        call_command("publish_release", "--year", "2025")
