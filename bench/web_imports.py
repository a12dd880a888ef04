"""Benchmark of goal 5: imports through the web, checked and imported on a
background worker.

gunicorn runs as ``docs/deployment.md`` starts it (4 workers, its
``--timeout`` and ``--max-requests``; the bench settings) beside one
``manage.py db_worker`` with the same settings and database. An
administrator's browser is played over real HTTP (``requests``, the session
cookie and each form's CSRF token): the upload form, the file's upload, its
preview (which queues the check and shows the job's page), the status JSON
polled until the file is checked, the preview again with its confirm form,
the confirmation (which queues the import) and the status polled until the
import ends. Every request is timed (goal: each under a second, whatever the
file's size); so is the whole, from the upload to the import's end, and the
job must end ``done`` with every row written.

The files: valid new institutions spread over every province (``WEB-``
codes) and valid annual reports of existing national institutions for years
before the demo years (``bench/imports.py``). What they wrote is deleted
afterwards and the counters recounted, so later steps see the same register.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django.urls import reverse

from .client import session_cookie
from .html_forms import form_fields
from .load import free_port, group_stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REQUEST_GOAL_SECONDS = 1.0
POLL_SECONDS = 0.5
# Longest wait for a check or an import before the run is called failed.
WAIT_SECONDS = 1800
CODE_PREFIX = "WEB-"
# The documented command (docs/deployment.md) with 4 workers, on loopback.
GUNICORN_WORKERS = 4
GUNICORN_TIMEOUT = 60

# The worker runs below the web processes, as the unit of docs/deployment.md.
NICE = ("nice", "-n", "10")


def institutions_csv_write(path: Path, rows: int) -> int:
    """A valid registry file of ``rows`` new village cultural houses spread
    over every province; returns ``rows``."""
    from institutions.models import Province

    provinces = list(Province.objects.order_by("code").values_list("pk", flat=True))
    with path.open("w", encoding="utf-8") as handle:
        handle.write("code,name,category,province_code\n")
        for index in range(rows):
            province = provinces[index % len(provinces)]
            handle.write(
                f"{CODE_PREFIX}{index:07d},Nhà văn hóa web {index},"
                f"culture_village,{province}\n"
            )
    return rows


def web_institutions_delete() -> None:
    """Removes the institutions this benchmark imported, and their history."""
    from institutions.models import Institution

    with connection.cursor() as cursor:
        for model in (Institution.history.model, Institution):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"DELETE FROM {table} WHERE code LIKE %s", [f"{CODE_PREFIX}%"]
            )


class Browser:
    """A logged-in session over HTTP; records the time of every request."""

    def __init__(self, base: str, cookie: str):
        import requests

        self.base = base
        self.session = requests.Session()
        name, _equals, value = cookie.partition("=")
        self.session.cookies.set(name, value)
        self.requests: list[dict] = []

    def _timed(self, what: str, method: str, path: str, **kwargs):
        started = time.perf_counter()
        response = self.session.request(
            method, self.base + path, allow_redirects=False, timeout=120, **kwargs
        )
        seconds = time.perf_counter() - started
        self.requests.append(
            {"what": what, "seconds": seconds, "status": response.status_code}
        )
        return response

    def get(self, what: str, path: str, **kwargs):
        return self._timed(what, "GET", path, **kwargs)

    def post(self, what: str, path: str, **kwargs):
        return self._timed(what, "POST", path, **kwargs)


def _expect(response, status: int, what: str) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{what}: HTTP {response.status_code}, expected {status}: "
            f"{response.text[:500]}"
        )


def _poll(browser: Browser, url: str, what: str, until) -> dict:
    """Polls the job's status JSON until ``until(status)``; returns it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        response = browser.get(what, url)
        _expect(response, 200, what)
        status = response.json()
        if until(status):
            return status
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{what}: not over after {WAIT_SECONDS} s")


def _status_url(html: str) -> str:
    found = re.search(r'data-job-status-url="([^"]+)"', html)
    if not found:
        raise RuntimeError("no job status address on the job's page")
    return found.group(1)


def web_import(
    browser: Browser, *, form_url: str, form_id: str, path: Path, extra: dict
) -> dict:
    """One file through the web: upload, check, confirm, import. Returns the
    times and the job's end."""
    first = len(browser.requests)
    page = browser.get("upload form", form_url)
    _expect(page, 200, "upload form")
    fields = form_fields(page.text, "data-testid", form_id).fields
    started = time.perf_counter()
    with path.open("rb") as file:
        answer = browser.post(
            "upload",
            form_url,
            data={**fields, **extra},
            files={"file": (path.name, file, "text/csv")},
            headers={"Referer": browser.base + form_url},
        )
    _expect(answer, 302, "upload")
    preview = answer.headers["Location"].removeprefix(browser.base)
    page = browser.get("preview (queues the check)", preview)
    _expect(page, 200, "preview")
    check_started = time.perf_counter()
    if "import-confirm-form" not in page.text:
        status = _poll(
            browser,
            _status_url(page.text),
            "check status",
            lambda status: (
                status["state"] != "pending" and status["state"] != "checking"
            ),
        )
        if status["state"] != "checked":
            raise RuntimeError(f"check ended {status['state']}")
        page = browser.get("preview (checked)", preview)
        _expect(page, 200, "preview (checked)")
    check_seconds = time.perf_counter() - check_started
    fields = form_fields(page.text, "data-testid", "import-confirm-form").fields
    if "csrfmiddlewaretoken" not in fields:
        raise RuntimeError("the checked preview has no confirm form")
    answer = browser.post(
        "confirm (queues the import)",
        preview,
        data=fields,
        headers={"Referer": browser.base + preview},
    )
    _expect(answer, 302, "confirm")
    job_url = answer.headers["Location"].removeprefix(browser.base)
    import_started = time.perf_counter()
    page = browser.get("import page", job_url)
    _expect(page, 200, "import page")
    status = _poll(
        browser,
        job_url.rstrip("/") + "/status/",
        "import status",
        lambda status: status["finished"],
    )
    ended = time.perf_counter()
    timed = browser.requests[first:]
    slowest = max(timed, key=lambda request: request["seconds"])
    return {
        "state": status["state"],
        "rows_written": status["written"],
        "errors": status["errors"],
        "bytes": path.stat().st_size,
        "total_seconds": ended - started,
        "check_seconds": check_seconds,
        "import_seconds": ended - import_started,
        "requests": len(timed),
        "max_request_seconds": slowest["seconds"],
        "slowest_request": slowest["what"],
        "by_step": {
            what: max(r["seconds"] for r in timed if r["what"] == what)
            for what in dict.fromkeys(r["what"] for r in timed)
        },
    }


def _administrator():
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username="bench-web-imports",
        defaults={"is_superuser": True, "is_staff": True},
    )
    return user


def _wait_for_http(base: str, cookie: str, seconds: float = 120) -> None:
    """Waits for gunicorn, then warms each worker up (a few logged-in
    requests), so that start-up is not timed as a request."""
    import requests

    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(base + "/bench/trivial/", timeout=seconds)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer") from None
            time.sleep(0.2)
    for _request in range(3 * GUNICORN_WORKERS):
        requests.get(
            base + reverse("institutions:import"),
            headers={"Cookie": cookie},
            timeout=seconds,
        )


def web_imports_measure(
    workdir: Path, *, institution_rows: int, report_rows: int, log=print
) -> dict:
    """Both files through gunicorn and one worker; the figures of each."""
    from reports.progress.counters import counts_rebuild

    from .imports import imported_reports_delete, reports_csv_write

    web_institutions_delete()
    institutions = workdir / "web-institutions.csv"
    institutions_csv_write(institutions, institution_rows)
    reports = workdir / "web-reports.csv"
    report_rows = reports_csv_write(reports, report_rows, seed=3)
    cookie = session_cookie(_administrator())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server_log = (workdir / "web-imports-gunicorn.log").open("wb")
    worker_log = (workdir / "web-imports-worker.log").open("wb")
    processes = []
    results = {
        "workers": GUNICORN_WORKERS,
        "timeout": GUNICORN_TIMEOUT,
        "request_goal_seconds": REQUEST_GOAL_SECONDS,
    }
    try:
        for command, output in (
            (
                [
                    *(str(BIN / "gunicorn"), "lifelong_learning.wsgi:application"),
                    *("--bind", f"127.0.0.1:{port}"),
                    *("--workers", str(GUNICORN_WORKERS)),
                    *("--timeout", str(GUNICORN_TIMEOUT)),
                    *("--max-requests", "2000", "--max-requests-jitter", "200"),
                    *("--error-logfile", "-"),
                ],
                server_log,
            ),
            (
                # Nice=10, as the worker unit of docs/deployment.md.
                [*NICE, sys.executable, "manage.py", "db_worker", "--worker-id", "w1"],
                worker_log,
            ),
        ):
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=environment,
                    stdout=output,
                    stderr=output,
                    start_new_session=True,
                )
            )
        _wait_for_http(base, cookie)
        browser = Browser(base, cookie)
        for key, rows, form_url, form_id, path, extra in (
            (
                "institutions",
                institution_rows,
                reverse("institutions:import"),
                "import-form",
                institutions,
                {},
            ),
            (
                "reports",
                report_rows,
                reverse("reports:upload"),
                "upload-form",
                reports,
                {"status": "submitted"},
            ),
        ):
            log(f"5. {rows:,} {key} through the web")
            try:
                run = web_import(
                    browser, form_url=form_url, form_id=form_id, path=path, extra=extra
                )
            except RuntimeError as error:
                run = {"state": "error", "error": str(error), "rows_written": 0}
            run["rows"] = rows
            run["passed"] = (
                run["state"] == "done"
                and run["rows_written"] == rows
                and run["max_request_seconds"] < REQUEST_GOAL_SECONDS
            )
            results[key] = run
    finally:
        for process in processes:
            group_stop(process, timeout=60)
        server_log.close()
        worker_log.close()
        institutions.unlink(missing_ok=True)
        reports.unlink(missing_ok=True)
        web_institutions_delete()
        imported_reports_delete()
        counts_rebuild()
    return results


def markdown_rows(results: dict, row, verdict) -> list[str]:
    """Goal 5's lines of the bench table (``row`` and ``verdict`` of
    ``bench/table.py``)."""
    lines = []
    what = {"institutions": "institution", "reports": "report"}
    for key in ("institutions", "reports"):
        run = results.get(key)
        if not run:
            continue
        figure = (
            f"{what[key]} CSV of {run['rows']:,} rows through the web "
            f"(gunicorn, {results['workers']} workers, --timeout "
            f"{results['timeout']}; one db_worker)"
        )
        if run["state"] == "error":
            lines.append(row(5, figure, run["error"][:200], "–", "–", "–", "**FAIL**"))
            continue
        lines.append(
            row(
                5,
                f"{figure}: slowest request",
                f"{run['max_request_seconds'] * 1000:,.0f} ms "
                f"({run['slowest_request']}, of {run['requests']} requests)",
                f"{run['bytes'] / 1024 / 1024:.1f} MB file; check "
                f"{run['check_seconds']:.0f} s, import {run['import_seconds']:.0f} s "
                f"on the worker",
                "–",
                f"every request < {results['request_goal_seconds']:.0f} s",
                verdict(run["max_request_seconds"] < results["request_goal_seconds"]),
            )
        )
        lines.append(
            row(
                5,
                f"{figure}: upload to imported",
                f"{run['total_seconds']:.0f} s, {run['state']}, "
                f"{run['rows_written']:,} rows written",
                f"{run['errors']:,} errors",
                "–",
                "done, every row written",
                verdict(run["state"] == "done" and run["rows_written"] == run["rows"]),
            )
        )
    return lines
