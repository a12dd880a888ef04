"""Benchmark of issue 16's scale goal: anonymous people on the public pages
of a release (the national overview and the largest province's page), as a
newspaper link sends them, against gunicorn on this machine's cores, beside
the anonymous trivial page (``bench/public-trivial/``: the public layout,
middleware and nothing else) in the same run.

The load comes from ``wrk`` (Debian's package: a C load generator, so the
generator takes little of the two cores the server needs), with keep-alive
connections, a Vietnamese ``Accept-Language``, a browser's
``Accept-Encoding`` and no cookie; a small Lua
script rotates the paths and prints the p95 latency, the requests per second
and every error (socket errors and non-2xx answers) as JSON. Each target runs
for a fixed time after a warm-up, alternated page / trivial / page.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .load import _wait_for, free_port, group_stop, shared_gunicorn_start
from .measures import log

BIN = Path(sys.executable).parent
# What browsers send: the pages travel compressed.
ACCEPT_ENCODING = "gzip, deflate, br"
LUA = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f, ' ..
    '"p99_ms": %%.2f, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, ' ..
    '"status": %%d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
"""


def _wrk(port: int, paths: list[str], *, seconds: int, connections: int, workdir):
    script = workdir / f"wrk-{abs(hash(tuple(paths)))}.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    completed = subprocess.run(
        [
            *("wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s"),
            *("--timeout", "5s", "-H", "Accept-Language: vi"),
            *("-H", f"Accept-Encoding: {ACCEPT_ENCODING}", "-s", str(script)),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    figures["errors"] = sum(
        figures[key] for key in ("connect", "read", "write", "timeout", "status")
    )
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def _release_number(year: int) -> str:
    from reports.entry.models import AnnualReport, ReportStatus
    from reports.releases.services import release_latest, release_publish

    release = release_latest()
    if release is None:
        years = (
            AnnualReport.objects.filter(status=ReportStatus.APPROVED, year__lte=year)
            .order_by("-year")
            .values_list("year", flat=True)
        )
        release = release_publish(year=years[0], notes="Bench")
    return release.number


def public_measure(
    workdir: Path, *, year: int, province: str, seconds: int = 20, rounds: int = 2
) -> dict:
    """Requests/s, p50/p95/p99 and errors of the public pages and of the
    trivial page, ``rounds`` times each in turn; the median round of each."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (scripts/system-packages.sh)")
    number = _release_number(year)
    pages = [f"/data/{number}/", f"/data/{number}/provinces/{province}/"]
    trivial = ["/bench/public-trivial/"]
    port = free_port()
    workers = 2 * (os.cpu_count() or 1)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server_log = (workdir / "public-gunicorn.log").open("wb")
    server = shared_gunicorn_start(
        port, workers=workers, environment=environment, log=server_log
    )
    runs: dict[str, list[dict]] = {"public": [], "trivial": []}
    try:
        _wait_for(port)
        # Warm-up: the first view of each page renders it into the shared
        # cache (one request each, in turn); then every worker has imported
        # and connected.
        for path in pages + trivial:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Accept-Language": "vi", "Accept-Encoding": ACCEPT_ENCODING},
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
        for paths in (pages, trivial):
            _wrk(port, paths, seconds=3, connections=8, workdir=workdir)
        for _round in range(rounds):
            for key, paths in (("public", pages), ("trivial", trivial)):
                figures = _wrk(
                    port, paths, seconds=seconds, connections=32, workdir=workdir
                )
                log(
                    f"   {key}: {figures['rps']:,.0f} req/s, p95 "
                    f"{figures['p95_ms']:.1f} ms, {figures['errors']} errors"
                )
                runs[key].append(figures)
    finally:
        group_stop(server)
        server_log.close()
        time.sleep(0.5)

    def median(items: list[dict]) -> dict:
        ordered = sorted(items, key=lambda figures: figures["rps"])
        return ordered[len(ordered) // 2] | {"errors": sum(f["errors"] for f in items)}

    return {
        "release": number,
        "paths": pages,
        "workers": workers,
        "seconds": seconds,
        "connections": 32,
        "public": median(runs["public"]),
        "trivial": median(runs["trivial"]),
        "rounds": runs,
    }
