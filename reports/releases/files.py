"""A release's files, built from its snapshot alone, byte for byte the same
every time.

- ``progress.json`` — a list of objects in the shape of ``manage.py progress
  --format json`` (``{"year", "area", "rows"}``), the nation then each
  province;
- ``figures.csv`` / ``.xlsx`` — every figure of every area and target row, one
  row each, with the progress object's English keys as columns;
- ``overview``, ``trends`` and ``provinces`` tables as CSV and XLSX, as the
  dashboards' downloads word them (in Vietnamese);
- ``revisions.csv`` / ``.xlsx`` — what changed since the previous release
  (a correction only);
- ``report-vi.pdf`` and ``report-en.pdf`` — the national report;
- ``manifest.json`` — the release and each file's size and SHA-256.

Nothing here reads live data: the figures come from
:class:`~reports.releases.snapshot.FrozenFigures`. What would change between
two builds is fixed: the XLSX archives' entry times and document dates are the
release's publication time, the PDFs are rendered invariant.
"""

import datetime
import hashlib
import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.timezone import localtime

from lifelong_learning.tabular import table_write
from reports.progress.figures import NATION
from reports.progress.pdf import national_report_pdf
from reports.progress.tables import (
    Table,
    on_track_map,
    overview_table,
    trend_sections,
    trends_table,
)
from reports.releases.models import Release
from reports.releases.snapshot import FrozenFigures

FIGURE_COLUMNS = (
    "area",
    "area_name",
    "family",
    "categories",
    "kind",
    "target_year",
    "threshold",
    "upper",
    "value",
    "status",
    "numerator",
    "denominator",
    "reporters",
    "reporting_rate",
    "on_time",
    "on_time_rate",
    "share_among_reporters",
    "panel",
    "base_total",
    "year_total",
)
REVISION_COLUMNS = (
    "area",
    "family",
    "categories",
    "target_year",
    "figure",
    "old",
    "new",
)
MEDIA_TYPES = {
    ".json": "application/json",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[Path(self.name).suffix]


def _json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _zip_time(published: datetime.datetime) -> tuple:
    moment = localtime(published)
    # Zip archives cannot hold times before 1980.
    return (
        max(moment.year, 1980),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )


def _xlsx_fixed(content: bytes, published: datetime.datetime) -> bytes:
    """The XLSX archive with every entry dated ``published`` and the
    document's created and modified dates set to it."""
    stamp = published.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_time(published))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return output.getvalue()


def _table_files(name: str, columns, rows, published) -> list[ReleaseFile]:
    """A table as CSV and XLSX."""
    rows = list(rows)
    files = []
    with tempfile.TemporaryDirectory() as directory:
        for suffix in (".csv", ".xlsx"):
            path = Path(directory) / f"{name}{suffix}"
            table_write(path, columns=list(columns), rows=rows)
            content = path.read_bytes()
            if suffix == ".xlsx":
                content = _xlsx_fixed(content, published)
            files.append(ReleaseFile(path.name, content))
    return files


def _table(name: str, table: Table, published) -> list[ReleaseFile]:
    return _table_files(name, [str(c) for c in table.columns], table.rows, published)


def _figure_rows(frozen: FrozenFigures):
    names = {NATION: "Việt Nam", **frozen.province_names}
    for area in frozen.areas:
        for row in frozen.rows(area):
            cells = {"area": area, "area_name": names[area], **row}
            cells["categories"] = " ".join(row["categories"])
            yield [cells.get(column) for column in FIGURE_COLUMNS]


def _revision_rows(revisions: dict):
    for figure in revisions["figures"]:
        for change in figure["changes"]:
            yield [
                figure["area"],
                figure["family"],
                " ".join(figure["categories"]),
                figure["target_year"],
                change["figure"],
                change["old"],
                change["new"],
            ]


def _provinces(frozen: FrozenFigures) -> list:
    return [
        SimpleNamespace(code=code, name=name)
        for code, name in sorted(frozen.province_names.items())
    ]


def release_files(release: Release) -> list[ReleaseFile]:
    """Every file of ``release``, the manifest last."""
    snapshot = json.loads(release.snapshot)
    published = release.published_at
    frozen = FrozenFigures(snapshot)
    files = [
        ReleaseFile(
            "progress.json",
            _json_bytes(
                [
                    {"year": release.year, "area": area, "rows": frozen.rows(area)}
                    for area in frozen.areas
                ]
            ),
        )
    ]
    files += _table_files("figures", FIGURE_COLUMNS, _figure_rows(frozen), published)
    with translation.override("vi"):
        files += _table(
            "overview", overview_table(frozen.evaluations(NATION)), published
        )
        files += _table(
            "trends", trends_table(trend_sections(frozen, NATION)), published
        )
        files += _table(
            "provinces", on_track_map(frozen, _provinces(frozen), None)[1], published
        )
    if snapshot.get("revisions"):
        files += _table_files(
            "revisions",
            REVISION_COLUMNS,
            _revision_rows(snapshot["revisions"]),
            published,
        )
    for language in ("vi", "en"):
        with translation.override(language):
            content = national_report_pdf(
                year=release.year,
                figures=FrozenFigures(snapshot),
                produced=localtime(published).date(),
                release=release.number,
            )
        files.append(ReleaseFile(f"report-{language}.pdf", content))
    files.append(ReleaseFile(MANIFEST, _json_bytes(manifest(release, files))))
    return files


def manifest(release: Release, files: list[ReleaseFile]) -> dict:
    return {
        "release": release.number,
        "year": release.year,
        "published_at": release.published_at.isoformat(),
        "publisher": release.publisher,
        "licence": settings.RELEASE_LICENCE_URL,
        "snapshot_sha256": release.snapshot_sha256,
        "files": [
            {
                "name": file.name,
                "media_type": file.media_type,
                "bytes": len(file.content),
                "sha256": file.sha256,
            }
            for file in files
        ],
    }


def zip_name(release: Release) -> str:
    return f"lifelong-learning-{release.number}.zip"


def release_zip(release: Release, files: list[ReleaseFile] | None = None) -> bytes:
    """Every file of ``release`` in one zip archive, entries dated the
    publication time, in manifest order."""
    files = release_files(release) if files is None else files
    folder = zip_name(release).removesuffix(".zip")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            entry = zipfile.ZipInfo(
                f"{folder}/{file.name}", date_time=_zip_time(release.published_at)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, file.content)
    return output.getvalue()


@dataclass(frozen=True)
class BuiltRelease:
    """A release's files and their zip, as built once and kept."""

    files: dict[str, ReleaseFile]
    zip: bytes

    @property
    def manifest(self) -> dict:
        return json.loads(self.files[MANIFEST].content)


# Raise when the files' layout changes, so that kept builds are rebuilt.
FILES_VERSION = 1


def release_built(release: Release) -> BuiltRelease:
    """The files and zip of ``release``, built on first use and kept in the
    cache for good (they never change: the key is the snapshot's SHA-256).
    The downloads and the DCAT catalogue read them from here."""
    key = f"releases:files:{FILES_VERSION}:{release.snapshot_sha256}"
    built = cache.get(key)
    if built is None:
        files = release_files(release)
        built = BuiltRelease(
            files={file.name: file for file in files},
            zip=release_zip(release, files),
        )
        cache.set(key, built, None)
    return built


def release_files_write(release: Release, directory: Path) -> list[Path]:
    """Writes every file of ``release`` and its zip into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    files = release_files(release)
    paths = []
    for file in files:
        path = directory / file.name
        path.write_bytes(file.content)
        paths.append(path)
    path = directory / zip_name(release)
    path.write_bytes(release_zip(release, files))
    paths.append(path)
    return paths
