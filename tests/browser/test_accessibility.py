"""Every page of the portal, in Vietnamese and in English, as the role that
uses it, has no serious or critical axe-core violation; charts come with a
table or text alternative, and statuses are written in words, never shown by
colour alone.

Not checked here: the Django admin (Django's own templates), the Swagger UI
of the API (a third-party page for developers), and files (CSV, XLSX, PDF).
"""

import pytest

from institutions.models import Category
from reports.demo.national import demo_national_create
from reports.entry.models import ReportStatus
from targets.models import Target
from targets.services import targets_seed
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory

from .charts import charts_drawn
from .conftest import assert_accessible, axe_report, axe_violations, login

pytestmark = pytest.mark.browser

LANGUAGES = ["vi", "en"]
YEAR = 2024


@pytest.fixture
def portal(geography, officer_a, ministry_user, administrator):
    """A small national register with reports 2022–2024, and in province A a
    library with a submitted 2024 report."""
    if not Target.objects.exists():
        targets_seed()
    demo_national_create(total=400, years=(2022, YEAR), seed=5)
    library = InstitutionFactory(
        code="A11Y-LIB",
        name="Thư viện Tiếp cận",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
        opened_year=1990,
    )
    report = ReportFactory(
        institution=library,
        year=YEAR,
        lll_services=True,
        learning_visits=1200,
        status=ReportStatus.SUBMITTED,
    )
    return {"library": library, "report": report}


def pages_for(role: str, portal) -> list[str]:
    library, report = portal["library"], portal["report"]
    if role == "anonymous":
        return ["/", "/methodology/", "/accounts/login/"]
    if role == "officer_a":
        return [
            "/",
            "/institutions/",
            f"/institutions/{library.pk}/",
            "/institutions/new/",
            f"/institutions/{library.pk}/edit/",
            f"/institutions/{library.pk}/close/",
            "/institutions/import/",
            f"/reports/sheet/?province={PROVINCE_A}&year={YEAR}"
            f"&category={Category.LIBRARY_DISTRICT}",
            f"/reports/{report.pk}/",
            f"/reports/institution/{library.pk}/{YEAR + 1}/",
            "/reports/upload/",
            f"/reports/dashboard/provinces/{PROVINCE_A}/?year={YEAR}",
        ]
    if role == "ministry_user":
        return [
            f"/reports/dashboard/?year={YEAR}",
            f"/reports/dashboard/trends/?year={YEAR}",
            f"/reports/dashboard/provinces/?year={YEAR}",
            f"/reports/dashboard/provinces/{PROVINCE_A}/?year={YEAR}",
            "/reports/review/",
            f"/reports/review/{PROVINCE_A}/{YEAR}/",
            f"/reports/review/grid/?year={YEAR}",
            f"/reports/{report.pk}/",
            "/institutions/",
            "/audit/",
        ]
    # Administrators see the same pages as ministry staff, plus the admin link.
    return ["/", "/audit/"]


def settled(page) -> None:
    """Waits for charts.js to draw every chart, so axe sees the final page."""
    charts_drawn(page)


def use_language(page, language: str, live_server) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "role", ["anonymous", "officer_a", "ministry_user", "administrator"]
)
def test_every_page_has_no_serious_or_critical_violation(
    page, live_server, portal, request, role, language
):
    use_language(page, language, live_server)
    if role != "anonymous":
        login(page, request.getfixturevalue(role).username)
    failures = []
    for url in pages_for(role, portal):
        response = page.goto(url)
        assert response.status == 200, url
        settled(page)
        assert page.locator("html").get_attribute("lang") == language
        blocking = [
            v for v in axe_violations(page) if v["impact"] in {"serious", "critical"}
        ]
        if blocking:
            failures.append(f"{url}\n{axe_report(blocking)}")
    assert not failures, "\n\n".join(failures)
    assert page.recorder.console_errors == []


def test_forms_with_errors_stay_accessible(page, portal, officer_a):
    login(page, officer_a.username)
    page.goto("/institutions/new/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() > 0
    assert_accessible(page)


def test_every_chart_has_a_table_or_text_alternative(page, portal, ministry_user):
    login(page, ministry_user.username)
    for url in (
        f"/reports/dashboard/?year={YEAR}",
        f"/reports/dashboard/trends/?year={YEAR}",
        f"/reports/dashboard/provinces/?year={YEAR}",
        f"/reports/dashboard/provinces/{PROVINCE_A}/?year={YEAR}",
    ):
        page.goto(url)
        settled(page)
        charts = page.locator("[data-chart]")
        assert charts.count() > 0, url
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('[data-chart]')]
                .filter((chart) => chart.getAttribute('role') !== 'figure'
                    || !(chart.getAttribute('aria-label') || '').trim())
                .map((chart) => chart.id)"""
        )
        assert unlabelled == [], f"{url}: charts without a text alternative"
        # The same figures as a table on the page (often in a <details>).
        assert page.locator("main table tbody tr").count() > 0, url


def test_statuses_are_written_in_words_not_only_coloured(page, portal, ministry_user):
    login(page, ministry_user.username)
    page.goto(f"/reports/dashboard/?year={YEAR}")
    settled(page)
    statuses = page.locator("[data-testid=card-status]")
    assert statuses.count() > 0
    for index in range(statuses.count()):
        assert statuses.nth(index).inner_text().strip()
    page.goto(f"/reports/review/{PROVINCE_A}/{YEAR}/")
    badges = page.locator("[data-status]")
    assert badges.count() > 0
    for index in range(badges.count()):
        assert badges.nth(index).inner_text().strip()
