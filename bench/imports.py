"""Benchmarks 3 and 4: importing annual reports.

Files hold reports for years before the demo years (2021 backwards), so every
row is a new report of an existing national institution, valid and active in
its year. After each timed import the imported rows (reports, their history
and transitions) are removed again, so every run starts from the same data.
"""

import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from institutions.models import Institution
from reports.demo.national import CODE_PREFIX
from reports.entry.models import AnnualReport, ReportTransition
from targets.indicators import APPLICABLE_FIELDS, REPORT_FIELDS, Count

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["institution_code", "year", *REPORT_FIELDS]
# Imported reports are older than every demo year.
LAST_IMPORT_YEAR = 2021


def reports_csv_write(path: Path, rows: int, *, seed: int = 1) -> int:
    """Writes ``rows`` valid report rows (the newest years first) and returns
    how many were written (fewer if the register runs out of active years)."""
    rng = random.Random(seed)
    institutions = list(
        Institution.objects.filter(code__startswith=CODE_PREFIX)
        .order_by("code")
        .values_list("code", "category", "opened_year", "closed_year")
    )
    written = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for year in range(LAST_IMPORT_YEAR, 1990, -1):
            for code, category, opened, closed in institutions:
                if written >= rows:
                    return written
                if (opened is not None and opened > year) or (
                    closed is not None and closed <= year
                ):
                    continue
                applicable = APPLICABLE_FIELDS[category]
                values = []
                for name in REPORT_FIELDS:
                    if name not in applicable:
                        values.append("")
                    elif name in Count.values:
                        values.append(str(rng.randint(100, 20_000)))
                    else:
                        values.append(rng.choice("01"))
                writer.writerow([code, year, *values])
                written += 1
    return written


def imported_reports_delete() -> None:
    """Removes every report older than the demo years, with its history and
    transitions, and tidies the tables so the next run starts alike."""
    old = f"year <= {LAST_IMPORT_YEAR}"
    reports = connection.ops.quote_name(AnnualReport._meta.db_table)
    history = connection.ops.quote_name(AnnualReport.history.model._meta.db_table)
    transitions = connection.ops.quote_name(ReportTransition._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {transitions} WHERE report_id IN "
            f"(SELECT id FROM {reports} WHERE {old})"
        )
        cursor.execute(f"DELETE FROM {history} WHERE {old}")
        cursor.execute(f"DELETE FROM {reports} WHERE {old}")
        for table in (transitions, history, reports):
            cursor.execute(f"VACUUM ANALYZE {table}")


def run_child(command: list[str], *, log: Path) -> dict:
    """Runs ``command`` with the bench settings; its wall time, exit status
    and peak resident memory (from ``wait4``, for this child alone)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=output
        )
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "returncode": process.returncode,
        "max_rss_mb": usage.ru_maxrss / 1024,
    }


STATUS = ("--status", "submitted")


def import_reports_run(path: Path, *, log: Path) -> dict:
    """``manage.py import_reports FILE --status submitted`` in a child process."""
    result = run_child(
        [sys.executable, "manage.py", "import_reports", str(path), *STATUS],
        log=log,
    )
    if result["returncode"] != 0:
        raise RuntimeError(f"import_reports failed, see {log}")
    return result


def import_export_run(path: Path, *, log: Path) -> dict:
    """The django-import-export peer in a child process; its own timing
    (without Django's start-up) is used."""
    result = run_child(
        [sys.executable, "-m", "bench.import_export_peer", str(path)], log=log
    )
    if result["returncode"] != 0:
        raise RuntimeError(f"django-import-export failed, see {log}")
    reported = json.loads(log.read_text().strip().splitlines()[-1])
    return {**result, "seconds": reported["seconds"], "totals": reported["totals"]}


COPY_TABLE = "bench_copy_scratch"


def copy_run(path: Path) -> float:
    """Seconds of ``COPY`` of the file into a typed scratch table."""
    columns = ", ".join(
        f"{name} {'integer' if name in Count.values else 'boolean'}"
        for name in REPORT_FIELDS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        cursor.execute(
            f"CREATE TABLE {COPY_TABLE} (institution_code varchar(40) NOT NULL, "
            f"year smallint NOT NULL, {columns})"
        )
        started = time.perf_counter()
        with path.open(encoding="utf-8") as file:
            cursor.copy_expert(
                f"COPY {COPY_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)", file
            )
        seconds = time.perf_counter() - started
        cursor.execute(f"DROP TABLE {COPY_TABLE}")
    return seconds
