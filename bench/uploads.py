"""The preview of the worst hostile files within the 20 MB upload limit (issue
12, item 1): time and peak memory of each, goal ≤ 10 s and ≤ 300 MB.

Each file is generated at up to ``MAX_UPLOAD_BYTES``, uploaded through the
Django test client and its preview page requested, in a child process of its
own (``--child``), its check run inside the preview request (on the
worker in production): the time is the preview request's; the memory is the peak
resident size of that process during it (``VmHWM`` of ``/proc/self/status``,
reset after the upload through ``/proc/self/clear_refs``), what a worker
would hold. A second request of the same preview is timed too: it reads the
kept result and not the file.

``python -m bench.uploads`` runs alone on a throw-away SQLite database (or the
one of ``DATABASE_URL``); ``make bench BENCH_ARGS="--only uploads"`` runs it
inside the national benchmark, on PostgreSQL.
"""

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 10.0
GOAL_MB = 300.0
SETTINGS = "bench.settings"
LIMIT_BYTES = 20 * 1024 * 1024  # MAX_UPLOAD_BYTES of the settings

_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>institution_code</t></is>'
    '</c><c r="B1" t="inlineStr"><is><t>year</t></is></c></row>'
)
_SHEET_END = "</sheetData></worksheet>"


def _lines_write(path: Path, header: bytes, line_of, limit: int) -> int:
    """Writes ``header`` and then ``line_of(n)`` for n = 0, 1, … while the
    file stays within ``limit`` bytes; returns the number of lines."""
    size = len(header)
    count = 0
    with path.open("wb") as handle:
        handle.write(header)
        while True:
            line = line_of(count)
            if size + len(line) > limit:
                return count
            handle.write(line)
            size += len(line)
            count += 1


def _xlsx_write(path: Path, rows: int, cells_of) -> None:
    """An XLSX whose sheet has a header and ``rows`` rows of ``cells_of(r)``,
    no declared size; the other parts come from an empty openpyxl workbook."""
    from openpyxl import Workbook

    template = path.with_suffix(".template.xlsx")
    Workbook().save(template)
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_START.encode())
            chunk = []
            for row in range(2, rows + 2):
                chunk.append(f'<row r="{row}">{cells_of(row)}</row>')
                if len(chunk) == 10_000:
                    part.write("".join(chunk).encode())
                    chunk = []
            part.write(("".join(chunk) + _SHEET_END).encode())
    template.unlink()


def hostile_files(workdir: Path, limit: int = LIMIT_BYTES) -> list[dict]:
    """The hostile files of the issue, each as large as the limit allows."""
    files = []

    path = workdir / "reports-every-row-wrong.csv"
    lines = _lines_write(path, b"institution_code,year\n", lambda n: b"a,\n", limit)
    files.append(
        {
            "key": "report_rows_wrong",
            "label": f"reports CSV, {lines:,} lines `a,`",
            "importer": "reports",
            "path": path,
        }
    )

    path = workdir / "reports-million-columns.csv"
    wide = b"a,2024" + b"," * 1_000_000 + b"\n"
    lines = _lines_write(path, b"institution_code,year\n", lambda n: wide, limit)
    files.append(
        {
            "key": "million_columns",
            "label": f"reports CSV, {lines} rows of 1,000,000 empty columns",
            "importer": "reports",
            "path": path,
        }
    )

    rows = 1_000_000
    path = workdir / "reports-xfd-wrong.xlsx"
    _xlsx_write(
        path,
        rows,
        lambda r: (
            f'<c r="A{r}" t="inlineStr"><is><t>a</t></is></c>'
            f'<c r="B{r}"><v>2024</v></c><c r="XFD{r}" s="0"/>'
        ),
    )
    files.append(
        {
            "key": "xlsx_xfd_wrong",
            "label": f"reports XLSX, {rows:,} wrong rows each touching column XFD",
            "importer": "reports",
            "path": path,
        }
    )

    path = workdir / "reports-xfd-blank.xlsx"
    _xlsx_write(path, rows, lambda r: f'<c r="XFD{r}" s="0"/>')
    files.append(
        {
            "key": "xlsx_xfd_blank",
            "label": f"reports XLSX, {rows:,} blank rows each touching column XFD",
            "importer": "reports",
            "path": path,
        }
    )

    path = workdir / "institutions-every-row-wrong.csv"
    lines = _lines_write(
        path,
        b"code,name,category,province_code\n",
        lambda n: f"X{n},,bad,99\n".encode(),
        limit,
    )
    files.append(
        {
            "key": "institution_rows_wrong",
            "label": f"institutions CSV, {lines:,} wrong rows",
            "importer": "institutions",
            "path": path,
        }
    )
    for item in files:
        item["bytes"] = item["path"].stat().st_size
    return files


# Child: one preview ---------------------------------------------------------------


def _peak_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(importer: str, path: Path) -> dict:
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # so that responses carry their context
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings
    from django.urls import reverse

    # The check runs on the worker in production; here it runs inside the
    # preview request (the immediate backend), so that the request's time
    # and this process's peak memory are the check's.
    immediate = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    override_settings(TASKS={"default": immediate}).enable()

    user, _created = get_user_model().objects.get_or_create(
        username="bench-uploads", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    if importer == "reports":
        url, data = reverse("reports:upload"), {"status": "draft"}
    else:
        url, data = reverse("institutions:import"), {}
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(url, {"file": upload, **data}, secure=True)
    del upload
    if response.status_code != 302:
        # Refused by the upload form (its own content check): no preview.
        return {"refused_on_upload": True, "status": response.status_code}
    preview = response["Location"]
    gc.collect()
    reset = _peak_reset()
    started = time.perf_counter()
    page = client.get(preview, secure=True, HTTP_ACCEPT_LANGUAGE="en")
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    started = time.perf_counter()
    client.get(preview, secure=True, HTTP_ACCEPT_LANGUAGE="en")
    again = time.perf_counter() - started
    if page.status_code == 302:
        # The check failed as a whole (the job's page says why): still the
        # check's time and memory.
        return {
            "refused_in_check": True,
            "status": page.status_code,
            "seconds": seconds,
            "peak_rss_mb": peak,
            "peak_reset": reset,
        }
    result = page.context["result"] if page.context else None
    if result is None:
        raise RuntimeError(
            f"{path.name}: the preview shows no check ({page.status_code})"
        )
    errors = result.errors
    return {
        "status": page.status_code,
        "seconds": seconds,
        "second_view_seconds": again,
        "peak_rss_mb": peak,
        "peak_reset": reset,
        "page_bytes": len(page.content),
        "errors_total": getattr(errors, "total", len(errors)),
        "errors_shown": len(errors),
        "stopped_at": getattr(errors, "stopped_at", None),
        "first_error": str(errors[0]) if errors else "",
    }


def _child_run(arguments: list[str], env: dict, what: str) -> dict:
    """Runs this module in a child process; returns the JSON it printed."""
    run = subprocess.run(
        [sys.executable, "-m", "bench.uploads", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# Parent -------------------------------------------------------------------------


def uploads_measure(workdir: Path, *, limit: int = LIMIT_BYTES, log=print) -> list:
    """Generates the files in ``workdir`` and measures each preview in a
    child process on the database of ``DATABASE_URL``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    results = []
    for item in hostile_files(workdir, limit):
        log(f"uploads: {item['label']} ({item['bytes'] / 1024 / 1024:.1f} MB)")
        measured = _child_run(
            ["--child", item["importer"], str(item["path"])], env, item["key"]
        )
        measured["passed"] = (
            measured.get("seconds", 0) <= GOAL_SECONDS
            and measured.get("peak_rss_mb", 0) <= GOAL_MB
        )
        results.append(
            {key: value for key, value in item.items() if key != "path"} | measured
        )
        item["path"].unlink()
    return results


def markdown_rows(results: list, number="6") -> list[str]:
    """Table rows of the previews; ``number`` fills the first column."""
    lines = []
    for run in results:
        if run.get("refused_on_upload"):
            outcome = "refused by the upload form"
            figure = "–"
        elif run.get("refused_in_check"):
            outcome = "the check refused the whole file"
            figure = f"{run['seconds']:.2f} s, {run['peak_rss_mb']:,.0f} MB"
        else:
            stopped = (
                f", stopped at row {run['stopped_at']:,}" if run["stopped_at"] else ""
            )
            outcome = (
                f"{run['errors_total']:,} errors, {run['errors_shown']:,} shown"
                f"{stopped}; page {run['page_bytes'] / 1024:,.0f} KB; "
                f"next view {run['second_view_seconds'] * 1000:,.0f} ms"
            )
            figure = f"{run['seconds']:.2f} s, {run['peak_rss_mb']:,.0f} MB"
        lines.append(
            f"| {number} | Preview of {run['label']} "
            f"({run['bytes'] / 1024 / 1024:.1f} MB): time, peak RSS | {figure} | "
            f"{outcome} | – | ≤ 10 s, ≤ 300 MB | "
            f"{'PASS' if run['passed'] else '**FAIL**'} |"
        )
    return lines


def _database(workdir: Path) -> None:
    """A throw-away SQLite database, migrated (with the geography), unless
    ``DATABASE_URL`` names one."""
    if os.environ.get("DATABASE_URL"):
        return
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench-uploads.sqlite3'}"
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "migrate",
            "--verbosity",
            "0",
            "--settings",
            SETTINGS,
        ],
        cwd=ROOT,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("IMPORTER", "PATH"))
    parser.add_argument("--output", default=str(ROOT / "bench" / "uploads.json"))
    parser.add_argument("--limit", type=int, default=LIMIT_BYTES)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    if options.child:
        importer, path = options.child
        print(json.dumps(child(importer, Path(path))))
        return
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-uploads-"))
    _database(workdir)
    results = uploads_measure(
        workdir, limit=options.limit, log=lambda line: print(line, file=sys.stderr)
    )
    rows = markdown_rows(results)
    Path(options.output).write_text(json.dumps(results, indent=2) + "\n")
    print("| # | Figure | Portal | Outcome | | Goal | Result |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if not all(run["passed"] for run in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
