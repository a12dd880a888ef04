"""``make bench``: the benchmarks of issue 15 at national scale, each figure
beside its reference in the same run and judged PASS/FAIL against its goal;
writes bench/results.json and prints a Markdown table. Run inside
``scripts/with-postgres.sh`` (a throw-away PostgreSQL); bench/README.md says
how each figure is measured.

``python -m bench.run --quick`` runs every step at a small size, to check the
machinery in a few minutes (its figures mean nothing).
"""

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import django

from .measures import log

ROOT = Path(__file__).resolve().parent.parent
STEPS = "pages,saves,cache,progress,imports,memory,load,public,uploads,webimports"
SIZED = {"pages", "saves", "imports"}  # measured again at twice the size
YEAR = 2025
# The largest province (most communes, so most institutions) is the worst
# case; the cache figure saves in Đắk Lắk and looks at Hà Nội.
LARGEST = "79"
WRITTEN, ELSEWHERE = "66", "01"


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
    """50 ministry readers and one officer per province (by code), without
    passwords (the benchmarks log them in directly)."""
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
    officers = {
        code: user(f"bench-officer-{code}", Role.PROVINCIAL_OFFICER, code)
        for code in officer_provinces
    }
    return readers, officers


def _options() -> argparse.Namespace:
    from reports.demo.national import NATIONAL_TOTAL

    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Steps: pages (cached and cold pages, the parts of a cold page), "
        "saves (one save, counters on and off), cache (what a save recomputes), "
        "progress, imports, memory, load (normal and heavy mix), public (anonymous "
        "public pages of a release under wrk), uploads, "
        "webimports (an institution and a report file through gunicorn and a "
        "worker).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every step at a small size (20,000 institutions), growth off unless "
        "--growth: checks the machinery, its figures mean nothing",
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--institutions",
        type=int,
        help=f"size of the register (default {NATIONAL_TOTAL:,}; --quick 20,000)",
    )
    parser.add_argument(
        "--growth",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="after the other steps, seed twice the register and measure the "
        "size-sensitive figures again: cold pages, saves, import (default: on, "
        "off with --quick)",
    )
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
        "give the smallest point",
    )
    parser.add_argument(
        "--load-seconds",
        type=int,
        help="length of each load run (default 60; --quick 15)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep an already seeded register"
    )
    parser.add_argument("--only", default=STEPS, help="comma-separated steps to run")
    options = parser.parse_args()
    quick = options.quick
    options.institutions = options.institutions or (20_000 if quick else NATIONAL_TOTAL)
    options.growth = not quick if options.growth is None else options.growth
    options.load_seconds = options.load_seconds or (15 if quick else 60)
    options.steps = set(options.only.split(","))
    unknown = options.steps - set(STEPS.split(","))
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    return options


def seed(total: int, *, reuse: bool = False) -> dict:
    from institutions.models import Institution
    from reports.demo.national import CODE_PREFIX, demo_national_create
    from reports.entry.models import AnnualReport

    if reuse and Institution.objects.filter(code__startswith=CODE_PREFIX).exists():
        return {
            "institutions": Institution.objects.count(),
            "reports": AnnualReport.objects.count(),
            "seconds": 0,
        }
    log(f"seeding a register of {total:,} institutions")
    return vars(demo_national_create(total=total, years=(2022, 2025), progress=True))


def sized_steps(options, results, workdir, *, users, steps, growth=False) -> None:
    """The figures that may grow with the register, among ``steps``: cold
    pages (and their parts), single saves and the import."""
    from . import pages
    from .client import session_cookie
    from .measures import imports_measure
    from .saves import saves_measure

    readers, officers = users
    quick = options.quick
    steps = steps & options.steps
    paths = {
        "trivial": "/bench/trivial/",
        "national": f"/reports/dashboard/?year={YEAR}",
        "province": f"/reports/dashboard/provinces/{LARGEST}/?year={YEAR}",
    }
    cookie = session_cookie(readers[0])
    if "pages" in steps:
        for key, cold in (("pages", False), ("pages_cold", True)):
            if cold or not growth:
                log(f"1. pages, {'cold' if cold else 'cached'}, in process")
                results[key] = pages.pages_measure(
                    paths, cookie=cookie, requests=10 if quick else 30, cold=cold
                )
        log("1. parts of a cold page")
        results["cold_parts"] = pages.cold_parts_measure(
            user=readers[0], year=YEAR, province=LARGEST, repeats=5 if quick else 15
        )
    if "saves" in steps:
        log("2. one save, counters on and off")
        results["saves"] = saves_measure(
            officer=officers[LARGEST],
            province=LARGEST,
            year=YEAR,
            rounds=5 if quick else 15,
        )
    if "imports" in steps:
        log("6. imports")
        results["imports"] = imports_measure(
            workdir,
            rows=10_000 if quick else options.import_rows,
            peer_rows=1_000 if quick else options.peer_rows,
            repeats=3,
            peer=not growth,
        )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    options = _options()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Run the benchmarks on PostgreSQL: scripts/with-postgres.sh")

    from django.core.management import call_command
    from django.db.models import Count

    from institutions.models import Province

    from . import pages
    from .client import session_cookie
    from .load import load_plan_write, load_run
    from .measures import memory_measure, progress_measure
    from .saves import report_form_save

    steps = options.steps
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    log(f"work files in {workdir}")
    call_command("migrate", verbosity=0)
    results = {"quick": options.quick, "machine": machine_info(), "largest": LARGEST}
    results["seed"] = seed(options.institutions, reuse=options.reuse)
    by_size = list(
        Province.objects.annotate(size=Count("institutions"))
        .order_by("-size")
        .values_list("pk", flat=True)
    )
    readers, officers = bench_users([*by_size[:10], LARGEST, WRITTEN])
    users = (readers, officers)
    sized_steps(options, results, workdir, users=users, steps={"pages", "saves"})
    if "cache" in steps:
        log("3. what a save recomputes")
        results["cache_scope"] = pages.cache_scope_measure(
            {
                "national": f"/reports/dashboard/?year={YEAR}",
                **{
                    code: f"/reports/dashboard/provinces/{code}/?year={YEAR}"
                    for code in (ELSEWHERE, LARGEST, WRITTEN)
                },
            },
            cookie=session_cookie(readers[0]),
            write=lambda: report_form_save(officers[WRITTEN], WRITTEN, YEAR),
        ) | {"written": WRITTEN}
    if "progress" in steps:
        log("progress computation")
        results["progress"] = progress_measure(YEAR, repeats=3 if options.quick else 7)
    # After the figures that read the counters: the import runs delete what
    # they wrote by hand.
    sized_steps(options, results, workdir, users=users, steps={"imports"})
    if "memory" in steps:
        log("import memory")
        sizes = (
            [50_000]
            if options.quick
            else [int(n) for n in options.memory_rows.split(",")]
        )
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
        plan = workdir / "load.json"
        load_officers = [officers[code] for code in by_size[:10]]
        load_plan_write(plan, readers=readers, officers=load_officers, year=YEAR)
        for key, mix in (("load", (50, 10)), ("load_heavy", (200, 40))):
            log(f"4. load, {mix[0]} readers and {mix[1]} officers")
            results[key] = load_run(
                plan,
                workdir=workdir,
                seconds=options.load_seconds,
                readers=mix[0],
                officers=mix[1],
            )
    if "public" in steps:
        log("16. anonymous public pages of a release")
        from .public import public_measure

        results["public"] = public_measure(
            workdir,
            year=YEAR,
            province=LARGEST,
            seconds=5 if options.quick else 20,
        )
    if "uploads" in steps:
        log("preview of the worst hostile files within the upload limit")
        from .uploads import uploads_measure

        results["uploads"] = uploads_measure(workdir, log=log)
    if "webimports" in steps:
        log("5. imports through the web: gunicorn and a background worker")
        from .web_imports import web_imports_measure

        results["web_imports"] = web_imports_measure(
            workdir,
            institution_rows=20_000 if options.quick else 200_000,
            report_rows=10_000 if options.quick else options.import_rows,
            log=log,
        )
    if options.growth:
        log("7. growth: twice the register")
        growth = {"seed": seed(2 * options.institutions)}
        sized_steps(options, growth, workdir, users=users, steps=SIZED, growth=True)
        results["growth"] = growth
    from .table import markdown_table

    results["table"] = markdown_table(results)
    Path(options.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(results["table"])
    log(f"results in {options.output}; logs in {workdir}")


if __name__ == "__main__":
    main()
