"""Fuzzing every list page, export and API list with Hypothesis: random query
strings (the page's own parameter names and random ones; huge, negative and
empty numbers, unicode, far dates, NUL bytes, broken escapes, long text),
as a ministry user and as a provincial officer.

Whatever the query: never a server error (a bad value is a 400, a form
error, a 404 or the default). Bounded (50 examples an endpoint and role, no
deadline) so the whole module runs in about a minute and a half on SQLite.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from institutions.models import Category
from reports.entry.models import ReportStatus
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory

from .access import YEAR, province_a_objects

pytestmark = pytest.mark.django_db

# Random queries an endpoint and role: fewer where a request computes the
# figures of the whole country (dashboards, their downloads, the PDF).
EXAMPLES = 20
EXAMPLES_SLOW = 5

PAGES = ["page", "per_page", "page_size", "sort"]
SHEET = ["province", "year", "category"]
DASHBOARD = ["year", "province", "approved", "target", "sort", "page"]


@dataclass(frozen=True)
class Endpoint:
    """A list page, export or API list, and the names of its parameters."""

    name: str
    params: list[str]
    kwargs: dict = field(default_factory=dict)
    slow: bool = False
    # False where another endpoint already tries each parameter the same way.
    sweep: bool = True

    def __str__(self) -> str:
        return self.name + "".join(f"-{v}" for v in self.kwargs.values())


ENDPOINTS = [
    # The registry, its exports and the import page.
    Endpoint(
        "institutions:list",
        ["q", "province", "commune", "category", "active_in_year", *PAGES],
    ),
    Endpoint(
        "institutions:export",
        ["q", "province", "commune", "category", "active_in_year"],
        {"file_format": "csv"},
    ),
    Endpoint(
        "institutions:export",
        ["q", "province", "category", "active_in_year"],
        {"file_format": "xlsx"},
    ),
    Endpoint("institutions:communes", ["province"]),
    Endpoint("institutions:import", ["province"]),
    # Data entry, review and uploads.
    Endpoint("reports:sheet", [*SHEET, "page"]),
    Endpoint("reports:sheet_submit", SHEET),
    Endpoint("reports:review", ["year", "waiting"]),
    Endpoint(
        "reports:review_sheet",
        ["category", "status", "page", "confirm"],
        {"province": PROVINCE_A, "year": YEAR},
    ),
    Endpoint("reports:upload", SHEET),
    Endpoint("reports:upload_template", SHEET),
    Endpoint("audit", ["kind", "province", "user", "date_from", "date_to", "page"]),
    # Dashboards, their downloads and the national report.
    Endpoint("reports:dashboard", DASHBOARD, slow=True),
    Endpoint("reports:trends", DASHBOARD, slow=True, sweep=False),
    Endpoint("reports:provinces", DASHBOARD, slow=True),
    Endpoint("reports:province", DASHBOARD, {"code": PROVINCE_A}, slow=True),
    *(
        Endpoint(
            "reports:dashboard_export",
            DASHBOARD,
            {"table": table, "file_format": file_format},
            slow=True,
            sweep=table in ("provinces", "follow-up"),
        )
        for table, file_format in (
            ("overview", "csv"),
            ("on-track", "xlsx"),
            ("trends", "csv"),
            ("provinces", "xlsx"),
            ("follow-up", "csv"),
        )
    ),
    Endpoint("reports:report_pdf", ["year", "approved_only"], slow=True),
    # The API's lists.
    Endpoint("api:province-list", ["format"]),
    Endpoint("api:former-province-list", ["format"]),
    Endpoint(
        "api:institution-list",
        ["province", "category", "active_in_year", "q", "page", "page_size", "format"],
    ),
    Endpoint(
        "api:report-list",
        ["year", "province", "status", "category", "page", "page_size", "format"],
    ),
    Endpoint("api:progress", ["year", "province", "approved_only", "format"]),
]

# Plausible values (so that some queries reach deep into the page) and hostile
# ones.
PLAUSIBLE = st.sampled_from(
    [
        PROVINCE_A,
        PROVINCE_B,
        "1",
        "VN",
        str(YEAR),
        "2025",
        "1",
        "on",
        "true",
        "json",
        "api",
        "name",
        "-value",
        "code",
        "-opened_year",
        "waiting",
        "approve",
        *Category.values,
        *ReportStatus.values,
    ]
)
HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "-99999999999999999999",
        "99999999999999999999",
        "2147483648",
        "9223372036854775808",
        "1e400",
        "NaN",
        "inf",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2024-02-30",
        "\x00",
        "a\x00b",
        "²",
        "١٢",
        "０１",
        "x" * 5000,
        "'; DROP TABLE x;--",
        "<script>",
        "../..",
        "Hà Nội",
    ]
)


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, each drawn ``weight`` times as often."""
    return st.sampled_from(
        [strategy for weight, strategy in choices for _ in range(weight)]
    ).flatmap(lambda strategy: strategy)


VALUES = weighted(
    (3, PLAUSIBLE),
    (4, HOSTILE),
    (1, st.integers(min_value=-(10**30), max_value=10**30).map(str)),
    (1, st.dates().map(str)),
    (1, st.text(max_size=30)),
)
# Fragments of a query string that no encoder would write.
RAW = st.sampled_from(["%00", "%", "%zz", "%ff%fe", "&&", "=", "==", "%C0%AF"])
# Each parameter of a page alone set to each of these (besides the random
# queries): the values that broke pages before.
SWEEP = [
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999",
    "-1",
    "%00",
    "%C2%B2",  # "²": a digit to str.isdigit(), not to int()
]


def query_strings(params: list[str]) -> st.SearchStrategy[str]:
    key = weighted((4, st.sampled_from(params)), (1, st.text(min_size=1, max_size=12)))
    pair = st.tuples(key, VALUES).map(
        lambda kv: f"{quote(kv[0], safe='')}={quote(kv[1], safe='')}"
    )
    known = st.tuples(st.sampled_from(params), RAW).map("=".join)
    part = weighted((6, pair), (1, known), (1, RAW))
    return st.lists(part, max_size=6).map("&".join)


@pytest.fixture
def data(officer_a, province_a):
    """A few institutions and reports in both provinces, so the lists, sheets
    and dashboards have rows to show."""
    objects = province_a_objects(officer_a)
    for province, category in (
        (PROVINCE_A, Category.MUSEUM),
        (PROVINCE_B, Category.LIBRARY_PROVINCIAL),
    ):
        institution = InstitutionFactory(
            province=province, category=category, opened_year=1990
        )
        ReportFactory(institution=institution, year=YEAR)
        ReportFactory(
            institution=institution, year=YEAR - 1, status=ReportStatus.APPROVED
        )
    return objects


def _body_read(response) -> None:
    """Streams a streamed response to its end: an error while writing the
    file shows up here."""
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


def _status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:  # an error while writing the file shows up here
        for _chunk in response.streaming_content:
            pass
    return response.status_code


@pytest.mark.parametrize("role", ["ministry_user", "officer_a"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_random_query_gives_a_server_error(client, request, data, role, endpoint):
    client.force_login(request.getfixturevalue(role))
    base = reverse(endpoint.name, kwargs=endpoint.kwargs)

    @settings(
        max_examples=EXAMPLES_SLOW if endpoint.slow else EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(query=query_strings(endpoint.params))
    def check(query):
        assert _status(client, f"{base}?{query}") < 500, query

    check()


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.sweep], ids=str)
def test_no_parameter_value_gives_a_server_error(client, data, ministry_user, endpoint):
    client.force_login(ministry_user)
    client.raise_request_exception = False  # a 500 is counted, not raised
    base = reverse(endpoint.name, kwargs=endpoint.kwargs)
    failed = [
        f"{param}={value}"
        for param in endpoint.params
        for value in SWEEP
        if _status(client, f"{base}?{param}={value}") >= 500
    ]
    assert failed == []
