"""Benchmark 5: gunicorn on 127.0.0.1 under locust, headless, for a fixed time.

The server and the load generator share this machine's cores, so the figures
are a floor for a machine that runs only the portal.
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

from .pages import session_cookie

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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


def load_run(plan: Path, *, workdir: Path, seconds: int = 60, workers: int = 4):
    """Runs gunicorn and locust; the aggregated figures of locust's CSV."""
    port = free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server_log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            *(str(BIN / "gunicorn"), "lifelong_learning.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--timeout", "60", "--error-logfile", "-"),
        ],
        cwd=ROOT,
        env=environment,
        stdout=server_log,
        stderr=server_log,
    )
    try:
        _wait_for(port)
        _warm_up(port, plan, workers)
        prefix = workdir / "locust"
        # Locust's own --run-time starts its clock before the locustfile is
        # imported and so stops early on a slow start; the run is timed here
        # and ended with SIGTERM, on which locust writes its statistics.
        with (workdir / "locust.log").open("wb") as log:
            locust = subprocess.Popen(
                [
                    *(str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless"),
                    *("--users", "60", "--spawn-rate", "30"),
                    *("--host", f"http://127.0.0.1:{port}", "--csv", str(prefix)),
                    *("--only-summary", "--stop-timeout", "10"),
                ],
                cwd=ROOT,
                env={**environment, "BENCH_LOAD": str(plan)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            _wait_for_text(workdir / "locust.log", "All users spawned")
            time.sleep(seconds)
            locust.send_signal(signal.SIGTERM)
            locust.wait(timeout=60)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()
    with (workdir / "locust_stats.csv").open(encoding="utf-8") as file:
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
