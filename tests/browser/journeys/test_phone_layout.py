"""Every page a role reaches from the navigation fits a 390 px phone: each role
opens the collapsed menu, follows every link in it and the Django admin's in
the user menu, and from those pages (and the footer and the user menu) one
link of every kind, two links deep outside the Django admin (an institution,
a report, a review sheet, a province dashboard, the year sheet, the upload
page, the password change, …)."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from .conftest import page_problems

pytestmark = pytest.mark.browser

PHONE_JOURNEYS = [("vi", "phone"), ("en", "phone")]
ROLES = ["anonymous", "officer-hanoi", "ministry", "admin"]
# Links that download a file, change state or only repeat a list page.
NOT_PAGES = re.compile(
    r"\.(csv|xlsx|pdf|json|jsonld|ttl|zip)$|/export|/logout|/i18n/|/close/|/delete/|/history/"
)
NOT_PAGE_QUERIES = {"page", "sort", "o", "q", "_changelist_filters"}


def _kind(href: str) -> str | None:
    """Links of one kind lead to the same page for another object: digits and
    province codes are left out, and so are query values."""
    parts = urlsplit(href)
    if parts.netloc or not parts.path.startswith("/") or NOT_PAGES.search(parts.path):
        return None
    keys = sorted({key for key, _value in parse_qsl(parts.query)})
    if NOT_PAGE_QUERIES & set(keys):
        return None
    return re.sub(r"/[\w-]*\d[\w-]*/", "/N/", parts.path) + "?" + "&".join(keys)


def _nav_links(journey) -> list[tuple[str, str]]:
    journey.open_menu()
    links = journey.page.locator("#main-nav a.nav-link")
    found = [
        (links.nth(index).inner_text().strip(), links.nth(index).get_attribute("href"))
        for index in range(links.count())
    ]
    journey.close_menu()
    return found


def _admin_links(page) -> list[str]:
    """The Django admin's entry of the user menu: navigation too (it left the
    menu's row for the user menu)."""
    return page.eval_on_selector_all(
        "header [data-testid=admin-menu][href]",
        "links => links.map(link => link.getAttribute('href'))",
    )


def _in_page_links(page) -> list[str]:
    return page.eval_on_selector_all(
        "main a[href], footer a[href], header .dropdown-menu a[href]",
        "links => links.map(link => link.getAttribute('href'))",
    )


# Pages each role must have reached, so the walk proves what it covers.
# The footer's API documentation and, signed in, the password change of the
# user menu are reached by everyone.
EVERYONE = [r"^/api/v1/docs/"]
SIGNED_IN = [*EVERYONE, r"^/accounts/password_change/"]
REACHED = {
    "anonymous": [*EVERYONE, r"^/methodology/$", r"^/accounts/login/"],
    "officer-hanoi": [
        *SIGNED_IN,
        r"^/reports/dashboard/provinces/01/",
        r"^/institutions/\d+/$",
        r"^/reports/(\d+|institution/\d+/\d+)/$",
        r"^/reports/sheet/",
        r"^/reports/upload/",
    ],
    "ministry": [
        *SIGNED_IN,
        r"^/reports/dashboard/provinces/\w+/",
        r"^/institutions/\d+/$",
        r"^/reports/(\d+|institution/\d+/\d+)/$",
        r"^/reports/review/$",
        r"^/reports/review/\w+/\d+/",
        r"^/audit/",
    ],
    "admin": [
        *SIGNED_IN,
        r"^/reports/dashboard/provinces/\w+/",
        r"^/reports/review/\w+/\d+/",
        r"^/reports/sheet/",
        r"^/reports/upload/",
        r"^/admin/$",
        r"^/admin/targets/target/",
    ],
}


@pytest.mark.parametrize(
    "journey", PHONE_JOURNEYS, indirect=True, ids=lambda p: "-".join(p)
)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_navigation_fits_a_phone(journey, role):
    page = journey.page
    if role != "anonymous":
        journey.login(role)
    problems: dict[str, str] = {}
    kinds: set[str] = set()
    visited: list[str] = []

    def look(where: str, depth: int) -> list[tuple[str, int]]:
        visited.append(where)
        found = page_problems(page, english=False)
        if found:
            problems[where] = "\n    ".join(found)
        # A console error is reported once, on the page that logged it.
        page.recorder.console_errors.clear()
        # Two links deep, one in the Django admin (its own, uniform pages).
        if depth >= (1 if where.startswith("/admin/") else 2):
            return []
        links = []
        for href in _in_page_links(page):
            kind = _kind(href)
            if kind and kind not in kinds:
                kinds.add(kind)
                links.append((href, depth + 1))
        return links

    page.goto("/")
    following = []
    for href in _admin_links(page):
        kind = _kind(href)
        if kind and kind not in kinds:
            kinds.add(kind)
            following.append((href, 0))
    following += look("/", depth=1)
    nav = _nav_links(journey)
    assert nav, "the navigation has no link"
    kinds.update(_kind(href) or href for _name, href in nav)
    for name, href in nav:
        journey.nav(name)
        following += look(href, depth=0)
    while following:
        href, depth = following.pop(0)
        page.goto(href)
        following += look(href, depth)

    missing = [
        pattern
        for pattern in REACHED[role]
        if not any(re.search(pattern, where) for where in visited)
    ]
    assert not missing, f"the walk did not reach {missing}: {visited}"
    report = "\n".join(f"{where}\n    {found}" for where, found in problems.items())
    assert not problems, f"{len(problems)} of {len(visited)} pages:\n{report}"
