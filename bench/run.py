"""``make bench``: the national-scale benchmarks, each figure side by side with
its reference in the same run; writes bench/results.json and prints a
Markdown table. Run inside ``scripts/with-postgres.sh`` (a throw-away
PostgreSQL); see bench/README.md for how each figure is measured.

``python -m bench.run --quick`` runs every step at a small size, to check the
machinery in a few minutes (its figures mean nothing).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine_info() -> dict:
    from django.db import connection

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as file:
        for line in file:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as file:
        kilobytes = int(file.readline().split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "fsync", "synchronous_commit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {
        "load_average_at_start": os.getloadavg(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(kilobytes / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": server,
        "postgresql_settings": settings,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def bench_users(officer_provinces: list[str]):
    """A ministry reader and one officer per province, without passwords
    (the benchmarks log them in directly)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from institutions.models import UserProfile
    from lifelong_learning.roles import Role, role_groups_sync

    role_groups_sync()
    user_model = get_user_model()

    def user(username, role, province=None):
        account, _created = user_model.objects.get_or_create(username=username)
        account.set_unusable_password()
        account.save()
        account.groups.set([Group.objects.get(name=role)])
        UserProfile.objects.update_or_create(
            user=account, defaults={"province_id": province}
        )
        return account

    readers = [user(f"bench-reader-{n:02d}", Role.MINISTRY_STAFF) for n in range(50)]
    officers = [
        user(f"bench-officer-{code}", Role.PROVINCIAL_OFFICER, code)
        for code in officer_provinces
    ]
    return readers, officers


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def progress_measure(year: int, repeats: int) -> dict:
    """D's progress engine (every target row, nation and 34 provinces, from
    one load) against the hand-written SQL, alternating, median of runs."""
    from institutions.models import Province
    from reports.progress.figures import NATION, progress_figures_load
    from targets.selectors import target_list

    from .progress_reference import reference_figures

    targets = list(target_list())
    areas = [NATION, *Province.objects.order_by("code").values_list("pk", flat=True)]

    def portal():
        figures = progress_figures_load(year=year, targets=targets)
        return {
            area: [evaluation.row() for evaluation in figures.evaluations(area)]
            for area in areas
        }

    def reference():
        return reference_figures(targets, year)

    portal(), reference()  # warm-up
    portal_times, reference_times = [], []
    for _repeat in range(repeats):
        seconds, portal_rows = _timed(portal)
        portal_times.append(seconds)
        seconds, reference_rows = _timed(reference)
        reference_times.append(seconds)
    keys = ("denominator", "reporters", "numerator", "panel", "base_total")
    keys += ("year_total",)
    mismatches = 0
    for area in areas:
        for ours, theirs in zip(portal_rows[area], reference_rows[area], strict=True):
            for key in keys:
                if key in theirs and ours.get(key) != theirs[key]:
                    mismatches += 1
    return {
        "year": year,
        "target_rows": len(targets),
        "areas": len(areas),
        "portal_ms": 1000 * statistics.median(portal_times),
        "reference_ms": 1000 * statistics.median(reference_times),
        "portal_runs_ms": [round(1000 * s, 1) for s in portal_times],
        "reference_runs_ms": [round(1000 * s, 1) for s in reference_times],
        "counts_match_reference": mismatches == 0,
        "mismatches": mismatches,
    }


def imports_measure(workdir: Path, *, rows: int, peer_rows: int, repeats: int):
    from . import imports

    big = workdir / f"reports-{rows}.csv"
    written = imports.reports_csv_write(big, rows)
    peer_file = workdir / f"reports-{peer_rows}.csv"
    imports.reports_csv_write(peer_file, peer_rows)
    ours, copies, peers = [], [], []
    for repeat in range(repeats):
        _log(f"import run {repeat + 1}/{repeats}: COPY, import_reports, peer")
        copies.append(imports.copy_run(big))
        ours.append(imports.import_reports_run(big, log=workdir / "import.log"))
        imports.imported_reports_delete()
        peers.append(imports.import_export_run(peer_file, log=workdir / "peer.log"))
        imports.imported_reports_delete()
    ours_seconds = statistics.median(run["seconds"] for run in ours)
    peer_seconds = statistics.median(run["seconds"] for run in peers)
    copy_seconds = statistics.median(copies)
    return {
        "rows": written,
        "import_reports_seconds": ours_seconds,
        "import_reports_rows_per_s": written / ours_seconds,
        "import_reports_runs_s": [round(run["seconds"], 1) for run in ours],
        "import_reports_max_rss_mb": statistics.median(r["max_rss_mb"] for r in ours),
        "copy_seconds": copy_seconds,
        "copy_rows_per_s": written / copy_seconds,
        "peer_rows": peer_rows,
        "peer_seconds": peer_seconds,
        "peer_rows_per_s": peer_rows / peer_seconds,
        "peer_runs_s": [round(run["seconds"], 1) for run in peers],
        "peer_totals": peers[-1]["totals"],
    }


def memory_measure(workdir: Path, *, sizes: list[int]) -> dict:
    from . import imports

    result = {}
    for size in sizes:
        path = workdir / f"memory-{size}.csv"
        written = imports.reports_csv_write(path, size, seed=2)
        _log(f"memory: importing {written:,} rows")
        run = imports.import_reports_run(path, log=workdir / f"memory-{size}.log")
        imports.imported_reports_delete()
        path.unlink()
        result[str(size)] = {
            "rows": written,
            "max_rss_mb": run["max_rss_mb"],
            "seconds": run["seconds"],
            "rows_per_s": written / run["seconds"],
        }
    return result


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:,.1f} ms"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def markdown_table(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram_gb']} GB RAM; PostgreSQL {machine['postgresql']} "
        f"(fsync {machine['postgresql_settings']['fsync']}, shared_buffers "
        f"{machine['postgresql_settings']['shared_buffers']}); Python "
        f"{machine['python']}, Django {machine['django']}; {machine['date']}.",
        f"Data: {results['seed']['institutions']:,} institutions, "
        f"{results['seed']['reports']:,} reports (seeded in "
        f"{results['seed']['seconds']:.0f} s).",
        "",
        "| # | Figure | Portal | Reference (same run) | Ratio | Goal | Result |",
        "|---|---|---|---|---|---|---|",
    ]
    pages = results.get("pages")
    if pages:
        trivial = pages["trivial"]
        for key, label in (("national", "National dashboard"), ("province", None)):
            page = pages[key]
            code = page["path"].split("/provinces/")[-1][:2]
            label = label or f"Province page ({code})"
            p50 = page["p50_ms"] / trivial["p50_ms"]
            p95 = page["p95_ms"] / trivial["p95_ms"]
            lines.append(
                f"| 1 | {label}: server time p50 / p95, queries | "
                f"{_ms(page['p50_ms'])} / {_ms(page['p95_ms'])}, "
                f"{page['queries']} q | trivial page {_ms(trivial['p50_ms'])} / "
                f"{_ms(trivial['p95_ms'])}, {trivial['queries']} q | "
                f"{p50:.1f}× / {p95:.1f}× | ≤ 3× | {_verdict(max(p50, p95) <= 3)} |"
            )
    cold = results.get("pages_cold")
    if cold:
        trivial = cold["trivial"]
        for key, label in (("national", "National dashboard"), ("province", None)):
            page = cold[key]
            code = page["path"].split("/provinces/")[-1][:2]
            label = label or f"Province page ({code})"
            lines.append(
                f"| 1 | {label}, first view after a write (cache empty): p50 / "
                f"p95, queries | {_ms(page['p50_ms'])} / {_ms(page['p95_ms'])}, "
                f"{page['queries']} q | trivial page {_ms(trivial['p50_ms'])} / "
                f"{_ms(trivial['p95_ms'])} | "
                f"{page['p50_ms'] / trivial['p50_ms']:.1f}× / "
                f"{page['p95_ms'] / trivial['p95_ms']:.1f}× | – | information |"
            )
    progress = results.get("progress")
    if progress:
        ratio = progress["portal_ms"] / progress["reference_ms"]
        lines.append(
            f"| 2 | Progress of {progress['target_rows']} target rows, nation + "
            f"34 provinces ({progress['year']}) | {_ms(progress['portal_ms'])} | "
            f"hand-written SQL {_ms(progress['reference_ms'])}"
            f"{'' if progress['counts_match_reference'] else ' (counts differ!)'} | "
            f"{ratio:.1f}× | ≤ 2× | {_verdict(ratio <= 2)} |"
        )
    imports = results.get("imports")
    if imports:
        ours = imports["import_reports_rows_per_s"]
        copy_ratio = ours / imports["copy_rows_per_s"]
        peer_ratio = ours / imports["peer_rows_per_s"]
        lines.append(
            f"| 3 | `import_reports` of {imports['rows']:,} rows, full validation "
            f"| {ours:,.0f} rows/s | `COPY` {imports['copy_rows_per_s']:,.0f} rows/s "
            f"| {copy_ratio:.2f}× | ≥ 0.2× | {_verdict(copy_ratio >= 0.2)} |"
        )
        lines.append(
            f"| 3 | ″ against django-import-export (`ModelResource`, "
            f"{imports['peer_rows']:,}-row subset) | {ours:,.0f} rows/s | "
            f"{imports['peer_rows_per_s']:,.0f} rows/s | {peer_ratio:.1f}× | ≥ 10× | "
            f"{_verdict(peer_ratio >= 10)} |"
        )
    memory = results.get("memory")
    if memory:
        sizes = sorted(memory.values(), key=lambda run: run["rows"])
        largest = sizes[-1]
        smallest = sizes[0]
        flat = largest["max_rss_mb"] <= 1.25 * smallest["max_rss_mb"]
        lines.append(
            f"| 4 | Peak RSS of `import_reports`, {largest['rows']:,} rows | "
            f"{largest['max_rss_mb']:,.0f} MB | {smallest['rows']:,} rows: "
            f"{smallest['max_rss_mb']:,.0f} MB | "
            f"{largest['max_rss_mb'] / smallest['max_rss_mb']:.2f}× | ≤ 300 MB, flat | "
            f"{_verdict(largest['max_rss_mb'] <= 300 and flat)} |"
        )
    load = results.get("load")
    if load:
        lines.append(
            f"| 5 | Load: gunicorn ({load['workers']} workers) + locust, "
            f"{load['seconds']} s, 50 readers + 10 officers | {load['rps']:.1f} req/s, "
            f"p95 {_ms(load['p95_ms'])}, {load['failures']} errors of "
            f"{load['requests']:,} | – | – | 0 errors | "
            f"{_verdict(load['failures'] == 0)} |"
        )
    if results.get("uploads"):
        from .uploads import markdown_rows

        lines.extend(markdown_rows(results["uploads"]))
    if results.get("confirm"):
        from .uploads import confirm_markdown_row

        lines.append(confirm_markdown_row(results["confirm"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to test")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--peer-rows",
        type=int,
        default=10_000,
        help="rows of the django-import-export run (a subset: it is slow)",
    )
    parser.add_argument(
        "--memory-rows",
        default="1000000",
        help="comma-separated file sizes of the memory runs; the import runs "
        "of step 3 give the smallest point",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep an already seeded register"
    )
    parser.add_argument(
        "--only",
        default="pages,progress,imports,memory,load,uploads",
        help="comma-separated steps to run",
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Run the benchmarks on PostgreSQL: scripts/with-postgres.sh")
    django.setup()

    from django.core.management import call_command
    from django.db.models import Count

    from institutions.models import Institution, Province
    from reports.demo.national import CODE_PREFIX, demo_national_create
    from reports.entry.models import AnnualReport

    from .load import load_plan_write, load_run
    from .pages import pages_measure, session_cookie

    quick = options.quick
    steps = set(options.only.split(","))
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    _log(f"work files in {workdir}")
    call_command("migrate", verbosity=0)
    results = {"quick": quick, "machine": machine_info()}
    if options.reuse and Institution.objects.filter(code__startswith=CODE_PREFIX):
        results["seed"] = {
            "institutions": Institution.objects.count(),
            "reports": AnnualReport.objects.count(),
            "seconds": 0,
        }
    else:
        _log("seeding the national register")
        demo = demo_national_create(
            total=20_000 if quick else 150_000, years=(2022, 2025), progress=True
        )
        results["seed"] = vars(demo)
    provinces = list(
        Province.objects.annotate(size=Count("institutions"))
        .order_by("-size")
        .values_list("pk", flat=True)
    )
    # The largest province (most communes, so most institutions) is the worst case.
    largest = "79"
    readers, officers = bench_users(provinces[:10])
    year = 2025
    if "pages" in steps:
        _log("1. pages, in process")
        pages = {
            "trivial": "/bench/trivial/",
            "national": f"/reports/dashboard/?year={year}",
            "province": f"/reports/dashboard/provinces/{largest}/?year={year}",
        }
        for key, cold in (("pages", False), ("pages_cold", True)):
            results[key] = pages_measure(
                pages,
                cookie=session_cookie(readers[0]),
                requests=10 if quick else 30,
                rounds=3,
                cold=cold,
            )
    if "progress" in steps:
        _log("2. progress computation")
        results["progress"] = progress_measure(year, repeats=3 if quick else 7)
    if "imports" in steps:
        _log("3. imports")
        results["imports"] = imports_measure(
            workdir,
            rows=10_000 if quick else options.import_rows,
            peer_rows=1_000 if quick else options.peer_rows,
            repeats=3,
        )
    if "memory" in steps:
        _log("4. memory")
        sizes = [50_000] if quick else [int(n) for n in options.memory_rows.split(",")]
        results["memory"] = memory_measure(workdir, sizes=sizes)
        if "imports" in results:
            imported = results["imports"]
            results["memory"][str(imported["rows"])] = {
                "rows": imported["rows"],
                "max_rss_mb": imported["import_reports_max_rss_mb"],
                "seconds": imported["import_reports_seconds"],
                "rows_per_s": imported["import_reports_rows_per_s"],
            }
    if "load" in steps:
        _log("5. load")
        plan = workdir / "load.json"
        load_plan_write(plan, readers=readers, officers=officers, year=year)
        results["load"] = load_run(plan, workdir=workdir, seconds=15 if quick else 60)
    if "uploads" in steps:
        _log("6. preview of the worst hostile files within the upload limit")
        from .uploads import uploads_measure

        results["uploads"] = uploads_measure(workdir, log=_log)
        _log("7. a valid 200,000-row import confirmed in one web request")
        from .uploads import confirm_measure

        results["confirm"] = confirm_measure(
            workdir,
            20_000 if quick else 200_000,
            {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        )
    results["table"] = markdown_table(results)
    Path(options.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(results["table"])
    _log(f"results in {options.output}; logs in {workdir}")


if __name__ == "__main__":
    main()
