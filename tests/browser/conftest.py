"""Headless Debian Chromium driven by Playwright, against pytest-django's live server.

Every request the page makes is recorded so tests can assert that nothing left
127.0.0.1; console errors are recorded too.
"""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageRecorder:
    """Requests and console errors seen by one page."""

    def __init__(self, page):
        self.hosts: set[str] = set()
        self.console_errors: list[str] = []
        page.on(
            "request", lambda request: self.hosts.add(urlparse(request.url).hostname)
        )
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text)
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def external_hosts(self) -> set[str]:
        return {host for host in self.hosts if host not in {"127.0.0.1", "localhost"}}


@pytest.fixture
def page(browser, live_server, geography):
    """A fresh browser page in Vietnamese at laptop size; ``page.recorder`` has
    the hosts it contacted and its console errors."""
    context = browser.new_context(
        viewport=LAPTOP, locale="vi-VN", base_url=live_server.url
    )
    page = context.new_page()
    page.recorder = PageRecorder(page)
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, username: str, password: str = TEST_PASSWORD) -> None:
    """Logs in through the login form and waits for the redirect."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def logout(page) -> None:
    """Logs out through the user menu of the header (opening the collapsed
    navigation first on narrow screens)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    page.click("[data-testid=user-menu]")
    page.click("header form[action$='/accounts/logout/'] button")
    page.wait_for_load_state()


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """Runs axe-core on the current page and returns its violations.

    axe is injected by the test only (it is never served by the portal). The
    page's Content-Security-Policy allows no inline script, so it is evaluated
    through the browser's DevTools protocol rather than added as a tag.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return results["violations"]


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line}" for line in summary.splitlines()[:4])
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fails with a readable list when axe-core finds a serious or critical
    violation on the current page."""
    blocking = [v for v in axe_violations(page) if v["impact"] in AXE_BLOCKING]
    assert not blocking, f"axe-core on {page.url}:\n{axe_report(blocking)}"


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is a browser test: ``make test`` runs
    them once, on PostgreSQL (``-m "not browser"`` on SQLite)."""
    browser_dir = Path(__file__).resolve().parent
    for item in items:
        if browser_dir in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)
