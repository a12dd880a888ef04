"""Benchmark of goal 4: gunicorn on 127.0.0.1 under locust, headless, for a
fixed time, with the normal mix (50 readers, 10 officers) and the heavy one
(200 and 40).

The server and the load generator share this machine's cores, so the figures
are a floor for a machine that runs only the portal. The workers share one
page cache, as in production: gunicorn runs under :data:`SHARED_CACHE` (a
throw-away ``redis-server`` that exports ``CACHE_URL``) when that script
exists, otherwise each worker keeps its own (local memory) cache.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from institutions.models import Institution, Province
from reports.demo.national import CODE_PREFIX
from reports.entry.models import AnnualReport, ReportStatus

from .client import session_cookie
from .mix import offered_rps

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The one place that chooses the load test's shared cache: a wrapper command
# that starts a cache server and exports CACHE_URL for the command it runs.
SHARED_CACHE = ROOT / "scripts" / "with-redis.sh"


def shared_cache_prefix() -> list[str]:
    """The wrapper that gives gunicorn's workers one shared cache, if any."""
    return [str(SHARED_CACHE)] if SHARED_CACHE.exists() else []


def shared_cache_name(environment: dict) -> str:
    """What the workers share as their cache: the wrapper, else a shared
    ``CACHE_URL`` given to the benchmark, else ``none``."""
    if SHARED_CACHE.exists():
        return SHARED_CACHE.name
    scheme = environment.get("CACHE_URL", "").split(":", 1)[0]
    return "none" if scheme in {"", "locmemcache", "dummycache"} else scheme


def shared_gunicorn_start(
    port: int, *, workers: int, environment: dict, log
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``port`` with the bench settings, under the
    shared cache (:func:`shared_cache_prefix`), writing to ``log``. Its own
    process group: the cache wrapper, gunicorn and the cache server are
    stopped together (:func:`group_stop`)."""
    return subprocess.Popen(
        [
            *shared_cache_prefix(),
            *(str(BIN / "gunicorn"), "lifelong_learning.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--timeout", "60", "--error-logfile", "-"),
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def group_stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stops a process started in its own group, and everything it started:
    SIGTERM, then SIGKILL after ``timeout`` seconds."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_plan_write(path: Path, *, readers, officers, year: int) -> None:
    """The users' sessions and, per officer, editable reports of their
    province (drafts and submitted reports of ``year``)."""
    plan = {
        "readers": [session_cookie(user) for user in readers],
        "provinces": list(
            Province.objects.order_by("code").values_list("pk", flat=True)
        ),
        "officers": [],
    }
    for officer in officers:
        province = officer.profile.province_id
        reports = list(
            AnnualReport.objects.filter(
                institution__province_id=province,
                institution__code__startswith=CODE_PREFIX,
                year=year,
                status__in=[ReportStatus.DRAFT, ReportStatus.SUBMITTED],
            )
            .order_by("pk")
            .values_list("institution_id", "year")[:2000]
        )
        if not reports:
            institution = Institution.objects.filter(province_id=province).first()
            reports = [(institution.pk, year)]
        plan["officers"].append({"cookie": session_cookie(officer), "reports": reports})
    path.write_text(json.dumps(plan))


def _wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port}")


def _warm_up(port: int, plan: Path, workers: int) -> None:
    """A few requests per worker first, so that start-up work (imports,
    translation catalogues, URL resolvers) is not measured as load."""
    cookie = json.loads(plan.read_text())["readers"][0]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/reports/dashboard/", headers={"Cookie": cookie}
    )
    for _request in range(3 * workers):
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def _wait_for_text(path: Path, text: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"locust did not report {text!r}; see {path}")


def load_run(
    plan: Path,
    *,
    workdir: Path,
    seconds: int = 60,
    workers: int = 4,
    readers: int = 50,
    officers: int = 10,
):
    """Runs gunicorn and locust with ``readers`` and ``officers`` users; the
    aggregated figures of locust's CSV and the load the users offered."""
    port = free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    name = f"load-{readers}-{officers}"
    server_log = (workdir / f"{name}-gunicorn.log").open("wb")
    server = shared_gunicorn_start(
        port, workers=workers, environment=environment, log=server_log
    )
    try:
        _wait_for(port)
        _warm_up(port, plan, workers)
        prefix = workdir / name
        # Locust's own --run-time starts its clock before the locustfile is
        # imported and so stops early on a slow start; the run is timed here
        # and ended with SIGTERM, on which locust writes its statistics.
        users = readers + officers
        log_path = workdir / f"{name}-locust.log"
        with log_path.open("wb") as log:
            locust = subprocess.Popen(
                [
                    *(str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless"),
                    *("--users", str(users), "--spawn-rate", str(max(30, users))),
                    *("--host", f"http://127.0.0.1:{port}", "--csv", str(prefix)),
                    *("--only-summary", "--stop-timeout", "10"),
                ],
                cwd=ROOT,
                env={
                    **environment,
                    "BENCH_LOAD": str(plan),
                    "BENCH_READERS": str(readers),
                    "BENCH_OFFICERS": str(officers),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            _wait_for_text(log_path, "All users spawned")
            time.sleep(seconds)
            locust.send_signal(signal.SIGTERM)
            locust.wait(timeout=60)
    finally:
        group_stop(server)
        server_log.close()
    with (workdir / f"{name}_stats.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        for key, value in row.items():
            if value == "N/A":
                row[key] = "0"
    by_name = {row["Name"]: row for row in rows}
    total = by_name["Aggregated"]
    return {
        "seconds": seconds,
        "workers": workers,
        "readers": readers,
        "officers": officers,
        "shared_cache": shared_cache_name(environment),
        "offered_rps": offered_rps(readers, officers),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "by_page": {
            name: {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
            }
            for name, row in by_name.items()
            if name != "Aggregated"
        },
    }
