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
        # Fresh statistics first: the rows to delete were just written, and
        # a planner that does not know them may loop over the whole table.
        cursor.execute(f"ANALYZE {reports}")
        cursor.execute(
            f"DELETE FROM {transitions} WHERE report_id IN "
            f"(SELECT id FROM {reports} WHERE {old})"
        )
        cursor.execute(f"DELETE FROM {history} WHERE {old}")
        cursor.execute(f"DELETE FROM {reports} WHERE {old}")
        for table in (transitions, history, reports):
            cursor.execute(f"VACUUM ANALYZE {table}")


# Linux keeps a process's peak resident size across ``exec``: a child started
# straight from this process would report at least this process's own peak
# (the COPY reference holds its whole file in memory). The launcher, a small
# interpreter, starts the child instead and writes that child's ``ru_maxrss``
# (from ``wait4``) to the file named by its first argument.
_LAUNCHER = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as file:
    file.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_child(command: list[str], *, log: Path) -> dict:
    """Runs ``command`` with the bench settings; its wall time, exit status
    and peak resident memory (from ``wait4``, for this child alone: started
    by a small launcher, so none of this process's memory is counted)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    peak = log.with_name(log.name + ".maxrss")
    peak.unlink(missing_ok=True)
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(peak), *command],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=output,
            check=False,
        )
    seconds = time.perf_counter() - started
    max_rss_kb = int(peak.read_text()) if peak.exists() else 0
    peak.unlink(missing_ok=True)
    return {
        "seconds": seconds,
        "returncode": process.returncode,
        "max_rss_mb": max_rss_kb / 1024,
    }


STATUS = ("--status", "submitted")


def import_reports_run(path: Path, *, log: Path) -> dict:
    """``manage.py import_reports FILE --status submitted`` in a child process
    (:func:`main`); its own timing of the command, without
    Django's start-up, is used, as for the peer."""
    command = "import django, sys; django.setup(); import bench.imports as b; b.main()"
    result = run_child([sys.executable, "-c", command, str(path)], log=log)
    if result["returncode"] != 0:
        raise RuntimeError(f"import_reports failed, see {log}")
    reported = json.loads(log.read_text().strip().splitlines()[-1])
    return {**result, "seconds": reported["seconds"]}


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


def copy_run(path: Path) -> float:
    """Seconds of ``COPY`` of the file's rows into the three tables the import
    writes (reports, their history records, their first transitions, with
    every index and constraint), in one transaction, committed: the rows as
    the import writes them, prepared beforehand (untimed); then removed."""
    from django.db import transaction

    from lifelong_learning.copies import ids_reserve
    from reports.entry.copies import ReportCopier

    copier = ReportCopier(
        user=None, status="submitted", comment="bench", change_reason="bench"
    )
    flags = {"": "\\N", "0": "f", "1": "t"}
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    ids = dict(
        Institution.objects.filter(
            code__in={row["institution_code"] for row in rows}
        ).values_list("code", "pk")
    )
    reserved = ids_reserve(AnnualReport, len(rows))
    lines = []
    for pk, row in zip(reserved, rows, strict=True):
        texts = [
            (row[name] or "\\N") if name in Count.values else flags[row[name]]
            for name in REPORT_FIELDS
        ]
        lines.append(
            f"{pk}\t{ids[row['institution_code']]}\t{row['year']}\t"
            + "\t".join(texts)
            + "\t\\N"
        )
    reports = [line + copier.reports.tail for line in lines]
    history = [line + copier.history.tail for line in lines]
    transitions = [f"{pk}{copier.transitions.tail}" for pk in reserved]
    started = time.perf_counter()
    with transaction.atomic():
        copier.reports.write(reports)
        copier.history.write(history)
        copier.transitions.write(transitions)
    seconds = time.perf_counter() - started
    imported_reports_delete()
    return seconds


def main() -> None:
    """Runs ``import_reports`` on the file named by the first argument (Django
    set up already) and prints its seconds as JSON (the last line)."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("import_reports", sys.argv[1], *STATUS)
    print(json.dumps({"seconds": time.perf_counter() - started}))
