"""No number goes localised into an HTML attribute.

A value, address, form action, data attribute or source that holds
``2.025`` (Vietnamese) or ``2,025`` (English) sends the server a number it
cannot read: the dashboard's year filter once reloaded 2024 with
``?year=2.025``. Every page of the portal (every GET route of the URL
configuration, and the pages behind its filters, as every demo login, in
both languages) is read with demo-like data whose years, ids, versions and
counts would show a thousands separator if they were localised.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from institutions.demo import demo_institutions_create
from institutions.models import Category, Institution
from reports.demo.sample import DEMO_ACCOUNTS, demo_reports_create, demo_users_create
from reports.entry.models import AnnualReport, ReportStatus
from reports.progress.counters import counts_rebuild
from targets.models import Target
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory, UserFactory
from tests.security.access import province_a_objects, routes, url_for

pytestmark = pytest.mark.django_db

# A group of one to three digits not starting with 0 (0.950 is a decimal),
# then groups of three after a dot or comma: 2.025, 2,025, 1.234.567.
GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:[.,]\d{3})+(?![\d])")
CHECKED = {"value", "href", "action", "src"}
# Answers that are not pages: files, logging out, switching language.
NOT_PAGES = {"logout", "set_language", "admin:logout"}


class _Attributes(HTMLParser):
    """Collects the attributes that carry a value back to the server."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value or not (name in CHECKED or name.startswith("data-")):
                continue
            if value.startswith(settings.STATIC_URL):
                continue  # file names of static files may hold version numbers
            if GROUPED.search(value):
                self.found.append(f'<{tag} {name}="{value}">')


def grouped_attributes(html: str) -> list[str]:
    """The attributes of ``html`` whose value holds a grouped number."""
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.found


def test_grouped_attributes_are_found_and_decimals_are_not():
    html = (
        '<option value="2.025">2.025</option><a href="?year=2,025&amp;page=1">x</a>'
        '<div data-total="1.234.567"></div><input value="0.950"><input value="12,5">'
        '<input value="2025"><a href="/reports/1234/">x</a>'
        '<script src="/static/vendor/plotly-2.35.2.min.js"></script>'
        '<div aria-label="10.930 → 1.234"></div>'
    )

    assert grouped_attributes(html) == [
        '<option value="2.025">',
        '<a href="?year=2,025&page=1">',
        '<div data-total="1.234.567">',
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_pagination_beyond_page_999_links_plain_page_numbers(language):
    page = Paginator(range(100_000), 50).page(1500)
    with translation.override(language):
        html = render_to_string(
            "reports/includes/pagination.html",
            {"page_obj": page, "page_query": "year=2024"},
        )

    assert grouped_attributes(html) == []
    assert 'href="?year=2024&amp;page=1499"' in html


@pytest.fixture
def portal(geography, django_user_model):
    """Demo data in which every id, version, year and count that a page puts
    into an attribute is 1,000 or more: a first object of each kind with a
    high id makes the ones after it follow."""
    UserFactory(id=1100, username="placeholder")
    placeholder = InstitutionFactory(
        id=1200, code="PLACEHOLDER", province=PROVINCE_A, opened_year=1990
    )
    ReportFactory(id=1300, institution=placeholder, year=2022)
    for model in (Institution, AnnualReport, Target):
        record = model.history.order_by("history_id").first()
        record.history_id = 1400
        record.save()
    for target in Target.objects.order_by("-pk"):
        Target.objects.filter(id=target.id).update(id=target.id + 1000)
        Target.history.filter(id=target.id).update(id=target.id + 1000)
    demo_users_create()
    demo_institutions_create(per_province=2)
    demo_reports_create()
    officer = get_user_model().objects.get(username="officer-hanoi")
    objects = province_a_objects(officer)
    institution = InstitutionFactory(
        code="HIGH-1",
        name="Thư viện Nghìn",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
        opened_year=2001,
    )
    objects.institution = institution
    objects.report = ReportFactory(
        institution=institution,
        year=2024,
        status=ReportStatus.SUBMITTED,
        version=1234,
        lll_services=True,
        learning_visits=12345,
    )
    ReportFactory(institution=institution, year=2023, learning_visits=10930)
    ReportFactory(
        institution=institution,
        year=2025,
        status=ReportStatus.RETURNED,
        review_comment="Thiếu số liệu",
    )
    counts_rebuild()
    assert objects.report.pk >= 1000 and objects.institution.pk >= 1000
    assert AnnualReport.history.order_by("-history_id").first().history_id >= 1000
    return objects


def _pages(objects) -> list[str]:
    """Every page of the URL configuration, and the pages behind filters."""
    urls = [url_for(route, objects) for route in routes() if route.key not in NOT_PAGES]
    report_admin = reverse("admin:reports_annualreport_changelist")
    urls += [
        reverse("reports:dashboard") + "?year=2024&province=01&approved=on",
        reverse("reports:dashboard") + "?year=2023&province=VN",
        reverse("reports:trends") + "?year=2024&province=01",
        reverse("reports:provinces") + "?year=2024&approved=on",
        reverse("reports:province", args=[PROVINCE_A]) + "?year=2024",
        reverse("institutions:list") + "?page=2",
        reverse("institutions:list") + "?active_in_year=2024&province=01",
        reverse("reports:sheet") + "?year=2024&category=library_district&province=01",
        reverse("reports:review") + "?year=2024",
        reverse("reports:review_sheet", args=[PROVINCE_A, 2024])
        + "?category=library_district",
        reverse("audit") + "?page=2",
        report_admin + "?year=2024",
        report_admin + "?p=2",
        reverse("admin:targets_target_changelist") + "?year=2030",
        reverse("admin:institutions_institution_changelist") + "?p=2",
    ]
    return urls


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_page_puts_a_grouped_number_into_an_attribute(client, portal, language):
    """As each demo login, in each language: no value, href, action, src or
    data-* attribute of any page holds a number with a thousands separator."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # Statuses are the access matrix's concern; this test reads what answers.
    client.raise_request_exception = False
    pages = _pages(portal)
    found, read = {}, set()
    for account in DEMO_ACCOUNTS:
        client.force_login(get_user_model().objects.get(username=account.username))
        for url in pages:
            response = client.get(url)
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("text/html"):
                continue
            read.add((account.username, url))
            bad = grouped_attributes(response.content.decode())
            if bad:
                found[f"{account.username} {url}"] = sorted(set(bad))[:5]

    assert _must_read(portal) - read == set()
    assert found == {}


def _must_read(objects) -> set[tuple[str, str]]:
    """The pages each role works with, which must have been read."""
    institution, report = objects.institution, objects.report
    ministry = [
        reverse("reports:dashboard"),
        reverse("reports:trends"),
        reverse("reports:provinces"),
        reverse("reports:province", args=[PROVINCE_A]),
        reverse("institutions:list"),
        reverse("institutions:detail", args=[institution.pk]),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:review"),
        reverse("reports:review_sheet", args=[PROVINCE_A, 2024]),
        reverse("audit"),
    ]
    officer = [
        reverse("home"),
        reverse("reports:sheet"),
        reverse("reports:upload"),
        reverse("reports:edit", args=[institution.pk, 2024]),
        reverse("institutions:update", args=[institution.pk]),
    ]
    admin = [
        reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
        )
        for model in (Institution, AnnualReport, Target)
        for view, args in (("changelist", []), ("change", [_pk(model, objects)]))
    ]
    return {
        *(("ministry", url) for url in ministry),
        *(("officer-hanoi", url) for url in officer),
        *(("admin", url) for url in admin),
    }


def _pk(model, objects):
    return {
        Institution: objects.institution.pk,
        AnnualReport: objects.report.pk,
        Target: objects.target.pk,
    }[model]
