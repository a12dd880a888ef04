"""``make lighthouse``: Lighthouse (mobile) on the dashboard, the registry and
the year sheet, served as in production, and the page-weight goals checked.

A throw-away SQLite database gets the demo data; ``collectstatic`` writes the
static files with WhiteNoise's compressed manifest storage into a temporary
folder; gunicorn serves the production settings (``DEBUG`` off) on loopback.
Lighthouse 12.2.3 (npm, pinned) drives Debian's Chromium headless and sends the
session cookie of the page's user (ministry staff or an officer), created
through Django. Writes bench/lighthouse/results.json and one HTML report per
page, prints a table and PASS/FAIL per goal, and exits non-zero when a goal
fails. See bench/README.md.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Each page as the person who works on it: the national dashboard for ministry
# staff; an officer's dashboard is their province's page, where the portal
# sends them (measured at that address: after a redirect Lighthouse's cookie
# header was not sent again).
PAGES = {
    "dashboard": ("/reports/dashboard/", "ministry"),
    "province": ("/reports/dashboard/provinces/01/", "officer-hanoi"),
    "registry": ("/institutions/", "officer-hanoi"),
    "sheet": ("/reports/sheet/", "officer-hanoi"),
    # A page whose first chart is in view, so that Plotly loads at once: held
    # to the weight goal only, its scores are reported (see bench/README.md).
    "trends": ("/reports/dashboard/trends/", "ministry"),
}
SCORED = {"dashboard", "province", "registry", "sheet"}
# The other pages of the navigation, held to the weight goal: their first load
# is counted in Chromium at the same phone size (bytes only, no Lighthouse).
WEIGHED = [
    ("/accounts/login/", None),
    ("/", "ministry"),
    ("/methodology/", "ministry"),
    ("/reports/dashboard/provinces/", "ministry"),
    ("/reports/review/", "ministry"),
    ("/audit/", "ministry"),
    ("/api/v1/docs/", "ministry"),
    ("/admin/", "admin"),
    ("/reports/upload/", "officer-hanoi"),
    ("/institutions/import/", "officer-hanoi"),
]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lowest score (0–100) per category on the SCORED pages, and the most bytes
# the first load of any page may move.
GOALS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 90}
MAX_BYTES = 1_000_000
ATTEMPTS = 3


def _log(message: str) -> None:
    print(f"[lighthouse {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def portal_environment(workdir: Path) -> dict:
    """Production settings on loopback over plain HTTP, with a scratch
    database and static root."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.lighthouse_settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


SESSION_SCRIPT = """
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username={username!r}))
print(client.cookies["sessionid"].value)
"""


def prepare(env: dict) -> None:
    """Migrates, seeds the demo data and collects the static files."""
    _log("migrate, seed_demo, collectstatic")
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput")


def session_of(env: dict, username: str) -> str:
    """The key of a new session of ``username``, created through Django."""
    script = SESSION_SCRIPT.format(username=username)
    return manage(env, "shell", "--no-imports", "-c", script).strip()


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "lifelong_learning.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
    )
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def lighthouse(url: str, session: str, name: str) -> dict:
    """Runs Lighthouse (mobile, simulated throttling) on ``url``; returns its
    JSON report and writes the HTML one beside results.json."""
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / name
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output=html",
            f"--output-path={base}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox",
            *os.environ.get("LIGHTHOUSE_FLAGS", "").split(),
            "--extra-headers="
            + json.dumps({"Cookie": f"sessionid={session}; django_language=vi"}),
        ]
        # Lighthouse sometimes loses the trace of a page load on a busy machine
        # (NO_NAVSTART) and asks to be run again.
        for attempt in range(1, ATTEMPTS + 1):
            done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM})
            if done.returncode == 0:
                break
            _log(f"{name}: Lighthouse failed (attempt {attempt} of {ATTEMPTS})")
        done.check_returncode()
        report = json.loads(base.with_suffix(".report.json").read_text("utf-8"))
        OUTPUT.mkdir(parents=True, exist_ok=True)
        html = base.with_suffix(".report.html").read_text("utf-8")
        (OUTPUT / f"{name}.html").write_text(html, "utf-8")
    return report


def first_load_bytes(port: int, pages: list[tuple[str, str | None]], env) -> dict:
    """Bytes each page's first load moves over the network (compressed), as
    Chromium counts them, at Lighthouse's phone size."""
    from playwright.sync_api import sync_playwright

    weights = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        for path, username in pages:
            cookie = "django_language=vi"
            if username:
                cookie += f"; sessionid={session_of(env, username)}"
            context = browser.new_context(
                viewport={"width": 412, "height": 823},
                extra_http_headers={"Cookie": cookie},
            )
            page = context.new_page()
            network = context.new_cdp_session(page)
            network.send("Network.enable")
            moved = []
            network.on(
                "Network.loadingFinished",
                lambda event, moved=moved: moved.append(event["encodedDataLength"]),
            )
            page.goto(f"http://127.0.0.1:{port}{path}", wait_until="networkidle")
            weights[path] = {"user": username, "bytes": round(sum(moved))}
            context.close()
        browser.close()
    return weights


def summary(report: dict) -> dict:
    audits = report["audits"]
    scores = {
        key: round(100 * (report["categories"][key]["score"] or 0))
        for key in CATEGORIES
    }
    failing = {
        key: [
            ref["id"]
            for ref in report["categories"][key]["auditRefs"]
            if ref["weight"]
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["score"] < 1
        ]
        for key in CATEGORIES
    }
    metric = {
        "fcp_ms": "first-contentful-paint",
        "lcp_ms": "largest-contentful-paint",
        "tbt_ms": "total-blocking-time",
        "cls": "cumulative-layout-shift",
        "si_ms": "speed-index",
    }
    return {
        "url": report["finalDisplayedUrl"],
        "scores": scores,
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "bytes_by_type": {
            item["resourceType"]: item["transferSize"]
            for item in audits["resource-summary"]["details"]["items"]
            if item["transferSize"] and item["resourceType"] != "total"
        },
        "metrics": {
            key: round(audits[audit]["numericValue"], 3)
            for key, audit in metric.items()
        },
        "below_full_score": failing,
    }


def verdicts(pages: dict, others: dict) -> list[tuple[str, bool]]:
    checks = []
    for name, page in pages.items():
        checks.append(
            (
                f"{name}: {page['bytes']:,} bytes ≤ {MAX_BYTES:,}",
                page["bytes"] <= MAX_BYTES,
            )
        )
        if name not in SCORED:
            continue
        for key, lowest in GOALS.items():
            score = page["scores"][key]
            checks.append((f"{name}: {key} {score} ≥ {lowest}", score >= lowest))
    for path, page in others.items():
        size = page["bytes"]
        checks.append((f"{path}: {size:,} bytes ≤ {MAX_BYTES:,}", size <= MAX_BYTES))
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated pages: " + ",".join(PAGES))
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(PAGES)
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        env = portal_environment(Path(scratch))
        prepare(env)
        port = _free_port()
        server = serve(env, port)
        try:
            pages = {}
            for name in names:
                path, username = PAGES[name]
                _log(f"{name}: {path} as {username}")
                session = session_of(env, username)
                report = lighthouse(f"http://127.0.0.1:{port}{path}", session, name)
                pages[name] = {"user": username, **summary(report)}
            others = {} if args.only else first_load_bytes(port, WEIGHED, env)
        finally:
            server.terminate()
            server.wait()
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "lighthouse": "12.2.3",
        "chromium": subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "form_factor": "mobile, simulated throttling (Lighthouse defaults)",
        "load_average": os.getloadavg()[0],
        "pages": pages,
        "other_pages": others,
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    print("| Page | Bytes | Perf. | Access. | Best pr. | SEO | LCP | TBT |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, page in pages.items():
        scores, metrics = page["scores"], page["metrics"]
        print(
            f"| {name} | {page['bytes']:,} | {scores['performance']} "
            f"| {scores['accessibility']} | {scores['best-practices']} "
            f"| {scores['seo']} | {metrics['lcp_ms'] / 1000:.1f} s "
            f"| {metrics['tbt_ms']:.0f} ms |"
        )
    for path, page in others.items():
        print(f"| {path} | {page['bytes']:,} | | | | | | |")
    checks = verdicts(pages, others)
    for label, passed in checks:
        print(("PASS " if passed else "FAIL ") + label)
    return 0 if all(passed for _label, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
