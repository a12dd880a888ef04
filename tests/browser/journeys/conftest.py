"""Journeys: a person's task done through the controls, in both languages, at
phone and laptop size, on the demo data.

Usage::

    from .conftest import check_page

    pytestmark = pytest.mark.browser

    def test_officer_opens_the_sheet(journey):
        journey.login("officer-hanoi")            # through the header's link
        journey.nav(journey.say("Nhập số liệu", "Data entry"))
        page = journey.page                        # a Playwright page
        page.get_by_role("button", name=journey.say("Xem", "Show")).click()
        journey.check()                            # after every navigation

``journey`` runs each test four times (ids ``vi-phone``, ``vi-laptop``,
``en-phone``, ``en-laptop``). It starts on the home page, in the language
chosen once through the header's language button, with the demo data of
``seed_demo`` (logins admin, ministry, officer-hanoi, officer-daklak).
``journey.phone`` tells the sizes apart, ``journey.say(vi, en)`` picks the
words of the page's language, ``journey.open_menu()`` opens the collapsed
navigation on phones. ``check_page(page)`` (also ``journey.check()``) fails on
sideways scroll (naming the elements that stick out), a console error, a
request that left 127.0.0.1, and English words on a Vietnamese page.
"""

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from reports.demo.sample import DEMO_PASSWORD

from ..conftest import LAPTOP, PHONE, PageRecorder

LANGUAGES = ("vi", "en")
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
CATALOGUE = (
    Path(__file__).resolve().parents[3] / "locale" / "vi" / "LC_MESSAGES" / "django.po"
)

# Demo data -------------------------------------------------------------------

_snapshot: dict[str, tuple[list[str], list[tuple]]] = {}


def _tables() -> list[tuple[type, str]]:
    existing = set(connection.introspection.table_names())
    return [
        (model, model._meta.db_table)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.db_table in existing
    ]


def _snapshot_take() -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for _model, table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [column[0] for column in cursor.description]
            _snapshot[table] = (columns, cursor.fetchall())


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: tuple) -> str:
    """A row in the text format of PostgreSQL's COPY."""
    fields = []
    for value in row:
        if value is None:
            fields.append("\\N")
        elif isinstance(value, bool):
            fields.append("t" if value else "f")
        else:
            fields.append(str(value).translate(_COPY_ESCAPES))
    return "\t".join(fields) + "\n"


def _snapshot_restore() -> None:
    """Puts back every table as it was after the first seed: flushes, inserts
    the rows with their ids, and moves the sequences past them."""
    quote = connection.ops.quote_name
    tables = _tables()
    with transaction.atomic():
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(
                no_style(),
                [table for _model, table in tables],
                reset_sequences=False,
                allow_cascade=True,
            )
        )
        with connection.cursor() as cursor:
            for table, (columns, rows) in _snapshot.items():
                if not rows:
                    continue
                names = ", ".join(quote(column) for column in columns)
                if connection.vendor == "postgresql":
                    # COPY: psycopg2's executemany is a loop of statements.
                    cursor.cursor.copy_expert(
                        f"COPY {quote(table)} ({names}) FROM STDIN",
                        io.StringIO("".join(_copy_line(row) for row in rows)),
                    )
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
                    )
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [model for model, _table in tables]
            ):
                cursor.execute(statement)


@pytest.fixture
def demo_data(request, transactional_db):
    """The data of ``seed_demo`` (34 provinces, 1,360 institutions, reports
    2022–2025, the four demo logins). Seeded once a session (4 s) and
    restored from a copy of its rows before each later test (0.4 s on SQLite,
    1.2 s on PostgreSQL)."""
    if _snapshot:
        _snapshot_restore()
    else:
        request.getfixturevalue("geography")
        call_command("seed_demo", stdout=io.StringIO())
        _snapshot_take()


# Checks ----------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# English words people read on the portal that the catalogue may not hold.
COMMON_ENGLISH = _wordset(
    """
    the and for with from this that these those are was were not you your all
    any has have will cannot into than then there here which what when who how
    why previous next first last show hide run counts count tokens token sheet
    demo submit submitted save saved draft approved returned page pages search
    filter filters back home login logout sign password username user users
    error errors forbidden found server request view edit delete add change
    changed history select selected year years total none yes cancel close
    open more less download upload template admin dashboard report reports
    review institution institutions province provinces category categories
    target targets value values welcome site administration action actions
    of is by or at
    """
)
# ASCII Vietnamese syllables (and place-name parts) that are also English words.
VIETNAMESE_ASCII = _wordset(
    """
    con tin sang long than ban can men hang tong tan nam mai hay cho thi minh
    anh linh phong trung son bang cao hai hoa lam tam dan hong lien man may
    mien lang tay bac dong ninh binh giang kon hoi
    """
)
# Codes and names written the same in both languages.
ALLOWED = _wordset(
    """
    csv xlsx pdf api json html url http https www openapi swagger redoc django
    unesco sdg lll ict
    """
)
_WORD = re.compile(r"[^\W\d_]+")
# A code joins digits and letters with a hyphen, dot, underscore or slash:
# DEMO-01-001, GPL-3.0-or-later; library_lll_services has no digit, so it is
# read as words.
_CODE = re.compile(r"[\w./-]*(?:\d[\w./-]*[-._/]|[-._/][\w./-]*\d)[\w./-]*")
_IDENTIFIER = re.compile(r"\w*_\w*")
_FILE_NAME = re.compile(r"\b[\w-]+\.(?:csv|xlsx|json|pdf|po|txt|zip)\b")
_URL = re.compile(r"\S+://\S+|\S+@\S+\.\S+")
_MARKUP = re.compile(r"<[^>]*>|%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}|&\w+;")


def _words(text: str) -> set[str]:
    """ASCII words of ``text`` (a word with a Vietnamese letter is not one)."""
    return {
        word.lower()
        for word in _WORD.findall(text)
        if word.isascii() and word.isalpha()
    }


@cache
def english_vocabulary() -> frozenset[str]:
    """English words of the portal: words of the catalogue's msgids that no
    translation uses (so CSV, PDF and names written alike drop out), and
    common English words, less ASCII Vietnamese syllables and codes."""
    msgids: set[str] = set()
    msgstrs: set[str] = set()
    for entry in polib.pofile(str(CATALOGUE)):
        for text in (entry.msgid, entry.msgid_plural):
            msgids |= _words(_MARKUP.sub(" ", text))
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            # Column and field codes (lll_services) quoted in a translation
            # do not make their words Vietnamese.
            msgstrs |= _words(_IDENTIFIER.sub(" ", _MARKUP.sub(" ", text)))
    found = {word for word in msgids - msgstrs if len(word) >= 3}
    return frozenset((found | COMMON_ENGLISH) - VIETNAMESE_ASCII - ALLOWED)


def english_words(text: str) -> list[str]:
    """The English words in ``text``, in order of appearance, each once.
    Codes such as DEMO-01-001 and addresses are skipped."""
    # File names (targets.csv) are read as written, not as English words.
    text = _FILE_NAME.sub(" ", text)
    text = _URL.sub(" ", _CODE.sub(" ", text))
    vocabulary = english_vocabulary()
    seen: dict[str, None] = {}
    for word in _WORD.findall(text):
        if word.isascii() and word.lower() in vocabulary:
            seen.setdefault(word, None)
    return list(seen)


OVERFLOW_SCRIPT = """
() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => {
    let label = el.tagName.toLowerCase();
    if (el.id) return label + '#' + el.id;
    const classes = [...el.classList].slice(0, 3).join('.');
    if (classes) label += '.' + classes;
    const testid = el.getAttribute('data-testid');
    if (testid) label += `[data-testid=${testid}]`;
    return label;
  };
  const path = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 4;
         node = node.parentElement) {
      parts.unshift(name(node));
      if (node.id) break;
    }
    return parts.join(' > ');
  };
  const positioned = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (getComputedStyle(node).position !== 'static') return node;
    }
    return null;
  };
  // Clipped by a scroller or overflow:hidden box on its containing-block
  // chain: an absolutely placed child escapes a scroller that is not
  // positioned, which is how a hidden label makes a whole page scroll.
  const clipped = (el) => {
    let node = el;
    while (node && node !== document.body && node !== document.documentElement) {
      const position = getComputedStyle(node).position;
      if (position === 'fixed') return true;
      const next = position === 'absolute' ? positioned(node) : node.parentElement;
      if (!next || next === document.body || next === document.documentElement) {
        return false;
      }
      if (getComputedStyle(next).overflowX !== 'visible') return true;
      node = next;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // Only the right edge: what sticks out on the left is cut, not scrolled to.
    if (box.right + window.scrollX <= width + 1) continue;
    if (clipped(el)) continue;
    offenders.push(el);
  }
  const outermost = offenders.filter(
    (el) => !offenders.some((other) => other !== el && other.contains(el))
  );
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: width,
    offenders: outermost.slice(0, 10).map((el) => {
      const box = el.getBoundingClientRect();
      return `${path(el)} (left ${Math.round(box.left + window.scrollX)}, ` +
        `right ${Math.round(box.right + window.scrollX)})`;
    }),
  };
}
"""


# The text a person reads: the title and every visible text of the body (an
# option through its select), less code, what is marked translate="no" and
# what is marked as another language (the "English" button).
PAGE_TEXT_SCRIPT = """
() => {
  const skip = 'code, kbd, samp, script, style, noscript, template, [translate="no"]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [document.title];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const language = parent.closest('[lang]');
    if (language && !language.lang.startsWith('vi')) continue;
    const shown = parent.closest('select') || parent;
    if (!shown.checkVisibility({visibilityProperty: true})) continue;
    parts.push(node.textContent);
  }
  return parts.join('\\n');
}
"""


def page_text(page) -> str:
    return page.evaluate(PAGE_TEXT_SCRIPT)


def sideways_overflow(page) -> str | None:
    """None when the page does not scroll sideways, else what sticks out."""
    result = page.evaluate(OVERFLOW_SCRIPT)
    if result["scrollWidth"] <= result["width"] and not result["offenders"]:
        return None
    offenders = "\n  ".join(result["offenders"]) or "(no single element found)"
    return (
        f"scrolls sideways: {result['scrollWidth']} px wide at {result['width']} px;"
        f" sticking out:\n  {offenders}"
    )


def page_problems(page, *, english: bool = True) -> list[str]:
    """What is wrong with the current page by the rules of ``check_page``
    (``english=False``: all but the English words)."""
    page.wait_for_load_state()
    problems = []
    overflow = sideways_overflow(page)
    if overflow:
        problems.append(overflow)
    recorder = page.recorder
    if recorder.console_errors:
        problems.append(f"console errors: {recorder.console_errors}")
    if recorder.external_hosts():
        hosts = ", ".join(sorted(recorder.external_hosts()))
        problems.append(f"requests left 127.0.0.1 for {hosts}")
    if english and page.evaluate("document.documentElement.lang") == "vi":
        words = english_words(page_text(page))
        if words:
            problems.append(f"English on a Vietnamese page: {words}")
    return problems


def check_page(page) -> None:
    """What every page of every journey must hold: no sideways scroll, no
    console error, no request beyond 127.0.0.1, and no English words when the
    page is in Vietnamese (``<html lang>``)."""
    problems = page_problems(page)
    if problems:
        raise AssertionError(f"{page.url}:\n" + "\n".join(problems))


# The journey -----------------------------------------------------------------


class JourneyRecorder(PageRecorder):
    """Like the browser tests' recorder, but a failed load names its address,
    and the page's own status is left out: an error page is meant to be a
    404 or a 403, and the browser logs that status as a console error."""

    def __init__(self, page):
        self.hosts: set[str] = set()
        self.console_errors: list[str] = []
        page.on(
            "request", lambda request: self.hosts.add(urlsplit(request.url).hostname)
        )
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if message.text.startswith("Failed to load resource"):
            if where == page.url:
                return
            self.console_errors.append(f"{message.text}: {where}")
        else:
            self.console_errors.append(message.text)


@dataclass
class Journey:
    """One person's browser: a page at one size in one language."""

    page: object
    language: str
    viewport: str

    @property
    def phone(self) -> bool:
        return self.viewport == "phone"

    def say(self, vi: str, en: str) -> str:
        """The words of the journey's language."""
        return vi if self.language == "vi" else en

    def check(self) -> None:
        check_page(self.page)

    def _menu_settled(self) -> None:
        # Bootstrap ignores the toggler while the menu slides.
        self.page.locator("#main-nav.collapsing").wait_for(state="detached")

    def open_menu(self) -> None:
        """Opens the collapsed navigation (phones); nothing on laptops."""
        toggler = self.page.locator(".navbar-toggler")
        self._menu_settled()
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            self.page.locator("#main-nav.show").wait_for()
            self._menu_settled()

    def close_menu(self) -> None:
        """Closes the collapsed navigation if it is open."""
        toggler = self.page.locator(".navbar-toggler")
        self._menu_settled()
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") == "true":
            toggler.click()
            self._menu_settled()

    def nav(self, name: str) -> None:
        """Follows a link of the header's navigation by its name."""
        self.open_menu()
        self.page.locator("#main-nav").get_by_role(
            "link", name=name, exact=True
        ).click()
        self.page.wait_for_load_state()

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Logs in through the header's link and the login form."""
        self.open_menu()
        self.page.locator("header").get_by_role(
            "link", name=self.say("Đăng nhập", "Log in")
        ).click()
        self.page.locator("input[name=username]").fill(username)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("main button[type=submit]").click()
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)
        self.page.wait_for_load_state()

    def logout(self) -> None:
        """Logs out through the header's user menu."""
        self.open_menu()
        self.page.get_by_test_id("user-menu").click()
        self.page.locator("header form[action$='/accounts/logout/'] button").click()
        self.page.wait_for_load_state()

    def choose_language(self) -> None:
        """Switches to the journey's language with the header's button."""
        if self.page.evaluate("document.documentElement.lang") == self.language:
            return
        self.open_menu()
        self.page.get_by_test_id(f"language-{self.language}").click()
        self.page.locator(f"html[lang={self.language}]").wait_for(state="attached")


@pytest.fixture(
    params=[(language, size) for language in LANGUAGES for size in VIEWPORTS],
    ids=lambda param: f"{param[0]}-{param[1]}",
)
def journey(request, browser, live_server, demo_data):
    """A browser page on the home page, in one language at one size, with the
    demo data; ``journey.page.recorder`` has its hosts and console errors."""
    language, size = request.param
    context = browser.new_context(
        viewport=VIEWPORTS[size], locale="vi-VN", base_url=live_server.url
    )
    page = context.new_page()
    page.recorder = JourneyRecorder(page)
    page.set_default_timeout(15_000)
    journey = Journey(page=page, language=language, viewport=size)
    page.goto("/")
    journey.choose_language()
    yield journey
    context.close()
