"""The read-only JSON API: authentication, scoping by role, filters, pagination."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from institutions.models import Category, Institution
from reports.entry.models import AnnualReport, ReportStatus
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import TEST_PASSWORD, UserFactory
from tests.reports.progress.timeliness import CATEGORY, FAMILY, YEAR, timeliness_cycle
from tests.reports.progress.timeliness import EXPECTED as TIMELINESS

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/api/v1/provinces/",
    "/api/v1/former-provinces/",
    "/api/v1/institutions/",
    "/api/v1/reports/",
    "/api/v1/progress/?year=2024",
]


def institution_create(code, province, category=Category.LIBRARY_DISTRICT, **kw):
    return Institution.objects.create(
        code=code, name=kw.pop("name", f"Thư viện {code}"), category=category,
        province_id=province, **kw,
    )  # fmt: skip


@pytest.fixture
def registry(geography):
    """Two libraries and a museum in province A, one library in province B,
    with reports for 2024 in several statuses."""
    a1 = institution_create("A-LIB-1", PROVINCE_A, name="Thư viện Đống Đa")
    a2 = institution_create("A-LIB-2", PROVINCE_A, opened_year=2025)
    a3 = institution_create("A-MUS-1", PROVINCE_A, category=Category.MUSEUM)
    b1 = institution_create("B-LIB-1", PROVINCE_B, name="Thư viện Buôn Ma Thuột")
    AnnualReport.objects.create(
        institution=a1, year=2024, lll_services=True, status=ReportStatus.APPROVED
    )
    AnnualReport.objects.create(
        institution=a1, year=2023, lll_services=False, status=ReportStatus.DRAFT
    )
    AnnualReport.objects.create(
        institution=a3, year=2024, study_visits=120, status=ReportStatus.SUBMITTED
    )
    AnnualReport.objects.create(
        institution=b1, year=2024, learning_visits=300, status=ReportStatus.SUBMITTED
    )
    return {"a1": a1, "a2": a2, "a3": a3, "b1": b1}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def codes(response, key="code"):
    body = response.json()
    items = body["results"] if isinstance(body, dict) else body
    return sorted(item[key] for item in items)


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_requests_are_refused_with_401(geography, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}"
    )
    return client


def test_token_authentication_works(registry, ministry_user, officer_a):
    ministry = token_client(ministry_user)
    response = ministry.get("/api/v1/institutions/")
    assert response.status_code == 200
    assert codes(response) == ["A-LIB-1", "A-LIB-2", "A-MUS-1", "B-LIB-1"]
    assert ministry.get("/api/v1/reports/").json()["count"] == 4

    # A provincial officer's token carries the officer's province.
    officer = token_client(officer_a)
    assert codes(officer.get("/api/v1/institutions/")) == [
        "A-LIB-1",
        "A-LIB-2",
        "A-MUS-1",
    ]
    reports = officer.get("/api/v1/reports/").json()["results"]
    assert sorted((r["institution_code"], r["year"]) for r in reports) == [
        ("A-LIB-1", 2023),
        ("A-LIB-1", 2024),
        ("A-MUS-1", 2024),
    ]
    other_report = AnnualReport.objects.get(institution__code="B-LIB-1")
    for refused in (
        "/api/v1/institutions/B-LIB-1/",
        f"/api/v1/institutions/?province={PROVINCE_B}",
        f"/api/v1/reports/{other_report.pk}/",
        f"/api/v1/reports/?province={PROVINCE_B}",
    ):
        assert officer.get(refused).status_code == 403, refused


def test_a_wrong_token_is_refused(registry):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/institutions/").status_code == 401


def test_session_authentication_works(registry, officer_a):
    client = APIClient()
    assert client.login(username=officer_a.username, password=TEST_PASSWORD)
    response = client.get("/api/v1/institutions/")
    assert response.status_code == 200
    assert codes(response) == ["A-LIB-1", "A-LIB-2", "A-MUS-1"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"], ids=str.upper)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/provinces/",
        "/api/v1/provinces/01/",
        "/api/v1/former-provinces/01/",
        "/api/v1/institutions/",
        "/api/v1/institutions/A-LIB-1/",
        "/api/v1/reports/",
        "/api/v1/progress/",
    ],
)
def test_the_api_is_read_only(registry, administrator, url, method):
    response = getattr(client_for(administrator), method)(url, {}, format="json")
    assert response.status_code == 405
    assert Institution.objects.count() == 4


def test_provinces_ministry_sees_34_officer_only_own(
    geography, ministry_user, officer_a
):
    everything = client_for(ministry_user).get("/api/v1/provinces/").json()
    assert len(everything) == 34
    hanoi = next(row for row in everything if row["code"] == PROVINCE_A)
    assert hanoi == {
        "code": PROVINCE_A,
        "name": "Thành phố Hà Nội",
        "division_type": "thành phố trung ương",
    }
    officer = client_for(officer_a)
    assert codes(officer.get("/api/v1/provinces/")) == [PROVINCE_A]
    assert officer.get(f"/api/v1/provinces/{PROVINCE_B}/").status_code == 403
    assert officer.get(f"/api/v1/provinces/{PROVINCE_A}/").json()["division_type"]


def test_former_provinces_name_which_list_each_code_belongs_to(
    geography, ministry_user, officer_b
):
    rows = client_for(ministry_user).get("/api/v1/former-provinces/").json()
    assert len(rows) == 63
    long_an = next(row for row in rows if row["former_code"] == "80")
    assert long_an["name"] == "Tỉnh Long An"
    assert long_an["province_code"] == "80"  # merged into current 80, Tây Ninh
    binh_dinh = next(row for row in rows if row["former_code"] == "52")
    assert binh_dinh["province_code"] == "52"
    own = client_for(officer_b).get("/api/v1/former-provinces/").json()
    assert {row["province_code"] for row in own} == {PROVINCE_B}
    assert len(own) == 2  # Đắk Lắk and Phú Yên


def test_institutions_are_scoped_by_role(registry, ministry_user, officer_a, officer_b):
    everything = client_for(ministry_user).get("/api/v1/institutions/")
    assert codes(everything) == ["A-LIB-1", "A-LIB-2", "A-MUS-1", "B-LIB-1"]
    assert codes(client_for(officer_b).get("/api/v1/institutions/")) == ["B-LIB-1"]
    officer = client_for(officer_a)
    assert officer.get("/api/v1/institutions/B-LIB-1/").status_code == 403
    assert (
        officer.get(f"/api/v1/institutions/?province={PROVINCE_B}").status_code == 403
    )


def test_a_user_without_role_or_province_sees_nothing(registry):
    nobody = client_for(UserFactory(username="no-role"))
    for url in LIST_URLS[:4]:
        body = nobody.get(url).json()
        assert (body["results"] if isinstance(body, dict) else body) == []


def test_an_institution_has_the_columns_of_the_exchange_format(registry, officer_a):
    response = client_for(officer_a).get("/api/v1/institutions/A-LIB-2/")
    assert response.json() == {
        "code": "A-LIB-2",
        "name": "Thư viện A-LIB-2",
        "category": "library_district",
        "province_code": PROVINCE_A,
        "legacy_province_code": None,
        "commune_code": None,
        "opened_year": 2025,
        "closed_year": None,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"province={PROVINCE_B}", ["B-LIB-1"]),
        ("category=museum", ["A-MUS-1"]),
        ("active_in_year=2024", ["A-LIB-1", "A-MUS-1", "B-LIB-1"]),
        ("q=dong da", ["A-LIB-1"]),
        ("q=BUÔN MA", ["B-LIB-1"]),
        ("q=a-mus", ["A-MUS-1"]),
        ("q=  ", ["A-LIB-1", "A-LIB-2", "A-MUS-1", "B-LIB-1"]),
    ],
)
def test_institution_filters(registry, ministry_user, query, expected):
    response = client_for(ministry_user).get(f"/api/v1/institutions/?{query}")
    assert codes(response) == expected


@pytest.mark.parametrize(
    "query", ["active_in_year=abc", "active_in_year=99999999999999999999", "category=x"]
)
def test_bad_filter_values_are_a_400(registry, ministry_user, query):
    response = client_for(ministry_user).get(f"/api/v1/institutions/?{query}")
    assert response.status_code == 400


def test_reports_are_scoped_by_role(registry, ministry_user, officer_a, officer_b):
    everything = client_for(ministry_user).get("/api/v1/reports/").json()
    assert everything["count"] == 4
    own = client_for(officer_b).get("/api/v1/reports/").json()["results"]
    assert [r["institution_code"] for r in own] == ["B-LIB-1"]
    other = AnnualReport.objects.get(institution__code="B-LIB-1")
    assert client_for(officer_a).get(f"/api/v1/reports/{other.pk}/").status_code == 403


def test_a_report_has_the_exchange_columns_status_and_version(registry, officer_a):
    report = AnnualReport.objects.get(institution__code="A-MUS-1")
    body = client_for(officer_a).get(f"/api/v1/reports/{report.pk}/").json()
    updated_at = body.pop("updated_at")
    assert updated_at.startswith(str(report.updated_at.year))
    assert body == {
        "id": report.pk,
        "institution_code": "A-MUS-1",
        "year": 2024,
        "lll_services": None,
        "digital_transformation": None,
        "education_programme": None,
        "digital_exhibitions": None,
        "creative_activities": None,
        "clubs_and_classes": None,
        "regular_activities": None,
        "learning_visits": None,
        "study_visits": 120,
        "status": "submitted",
        "version": 1,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2023", [("A-LIB-1", 2023)]),
        (f"province={PROVINCE_B}", [("B-LIB-1", 2024)]),
        ("status=approved", [("A-LIB-1", 2024)]),
        ("category=museum", [("A-MUS-1", 2024)]),
        (
            f"year=2024&province={PROVINCE_A}",
            [("A-LIB-1", 2024), ("A-MUS-1", 2024)],
        ),
    ],
)
def test_report_filters(registry, ministry_user, query, expected):
    results = client_for(ministry_user).get(f"/api/v1/reports/?{query}").json()
    assert sorted((r["institution_code"], r["year"]) for r in results["results"]) == (
        expected
    )


def test_lists_are_paginated(geography, ministry_user):
    Institution.objects.bulk_create(
        Institution(
            code=f"X{n:03d}",
            name=f"Nhà văn hóa {n:03d}",
            name_search=f"nha van hoa {n:03d}",
            name_sort=f"{n:03d}",
            category=Category.CULTURE_VILLAGE,
            province_id=PROVINCE_A,
        )
        for n in range(105)
    )
    client = client_for(ministry_user)
    first = client.get("/api/v1/institutions/").json()
    assert first["count"] == 105
    assert len(first["results"]) == 100
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [i["code"] for i in second["results"]] == [
        "X100", "X101", "X102", "X103", "X104",
    ]  # fmt: skip
    assert len(client.get("/api/v1/institutions/?page_size=7").json()["results"]) == 7
    big = client.get("/api/v1/institutions/?page_size=5000").json()
    assert len(big["results"]) == 105  # capped at 200, below that: everything
    assert client.get("/api/v1/institutions/?page=9").status_code == 404


@pytest.mark.parametrize(
    ("page_size", "shown"), [("200000", 3), ("2", 2), ("0", 3), ("-1", 3), ("x", 3)]
)
@pytest.mark.parametrize("endpoint", ["institutions", "reports"])
def test_a_page_holds_at_most_max_page_size_objects(
    registry, ministry_user, settings, endpoint, page_size, shown
):
    settings.MAX_PAGE_SIZE = 3  # of the registry's four
    response = client_for(ministry_user).get(
        f"/api/v1/{endpoint}/?page_size={page_size}"
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == shown


@pytest.mark.parametrize("province", ["²", "١", "99999999999999999999", "\x00"])
def test_an_odd_province_filter_is_no_server_error(registry, officer_a, province):
    response = client_for(officer_a).get(
        "/api/v1/institutions/", {"province": province}
    )
    assert response.status_code in (200, 400, 403)


def test_schema_and_docs_are_served_without_internet(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/progress/", "/api/v1/institutions/", "/api/v1/reports/"} <= set(
        paths
    )
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "http://" not in html and "https://" not in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def command_json(*args) -> dict:
    out = io.StringIO()
    call_command("progress", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("year=2024", ["--year", "2024"]),
        (f"year=2024&province={PROVINCE_A}", ["--year", "2024", "--province", "01"]),
        ("year=2024&province=1", ["--year", "2024", "--province", "1"]),
        (
            "year=2024&approved_only=true",
            ["--year", "2024", "--approved-only"],
        ),
        ("year=2022&province=VN", ["--year", "2022"]),
    ],
)
def test_progress_equals_the_command_output(registry, ministry_user, query, args):
    response = client_for(ministry_user).get(f"/api/v1/progress/?{query}")
    assert response.status_code == 200
    assert response.json() == command_json(*args)


def test_progress_rows_carry_the_figures(registry, ministry_user):
    body = client_for(ministry_user).get("/api/v1/progress/?year=2024").json()
    assert body["area"] == "VN"
    district = next(
        row
        for row in body["rows"]
        if row["family"] == "library_lll_services"
        and row["categories"] == ["library_district"]
        and row["target_year"] == 2025
    )
    # Active in 2024: A-LIB-1 and B-LIB-1 (A-LIB-2 opens in 2025); both
    # reported, A-LIB-1 meets the criterion.
    assert district["denominator"] == 2
    assert district["reporters"] == 2
    assert district["numerator"] == 1
    assert district["value"] == 50.0


def timeliness_row(client, area: str) -> dict:
    body = client.get(f"/api/v1/progress/?year={YEAR}&province={area}").json()
    return next(
        row
        for row in body["rows"]
        if row["family"] == FAMILY
        and row["categories"] == [CATEGORY]
        and row["target_year"] == 2025
    )


def test_progress_rows_carry_the_timeliness_beside_the_reporting_rate(
    administrator, ministry_user
):
    timeliness_cycle(administrator=administrator, ministry_user=ministry_user)
    client = client_for(ministry_user)
    for area, (active, reporters, on_time, rate) in TIMELINESS.items():
        row = timeliness_row(client, area)
        assert (row["denominator"], row["reporters"]) == (active, reporters)
        assert (row["on_time"], row["on_time_rate"]) == (on_time, rate)
    # The existing keys keep their names and values.
    row = timeliness_row(client, "VN")
    assert (row["reporting_rate"], row["numerator"], row["value"]) == (
        85.7,
        6,
        85.7,
    )
    growth = next(
        row
        for row in client.get(f"/api/v1/progress/?year={YEAR}").json()["rows"]
        if row["kind"] == "growth"
    )
    assert "on_time" not in growth


def test_progress_has_no_timeliness_without_a_reporting_period(registry, ministry_user):
    body = client_for(ministry_user).get("/api/v1/progress/?year=2024").json()
    shares = [row for row in body["rows"] if row["kind"] == "share"]
    assert shares
    assert {(row["on_time"], row["on_time_rate"]) for row in shares} == {(None, None)}


def test_the_schema_documents_on_time_and_on_time_rate(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    fields = schema["components"]["schemas"]["ProgressRow"]["properties"]
    assert fields["on_time"]["type"] == "integer"
    assert fields["on_time"]["nullable"] is True
    assert fields["on_time_rate"]["type"] == "number"
    assert "reporting_rate" in fields["on_time_rate"]["description"]


def test_an_officer_sees_own_province_by_default_and_the_nation(registry, officer_a):
    officer = client_for(officer_a)
    assert officer.get("/api/v1/progress/?year=2024").json()["area"] == PROVINCE_A
    national = officer.get("/api/v1/progress/?year=2024&province=VN")
    assert national.status_code == 200
    assert national.json() == command_json("--year", "2024")
    other = officer.get(f"/api/v1/progress/?year=2024&province={PROVINCE_B}")
    assert other.status_code == 403


def test_a_user_without_province_gets_national_figures(registry):
    response = client_for(UserFactory(username="no-role")).get(
        "/api/v1/progress/?year=2024"
    )
    assert response.json()["area"] == "VN"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "year=abc",
        "year=2021",
        "year=2031",
        "year=2024&province=99",
        "year=2024&province=x",
    ],
)
def test_progress_refuses_bad_parameters_like_the_command(
    registry, ministry_user, query
):
    response = client_for(ministry_user).get(f"/api/v1/progress/?{query}")
    assert response.status_code == 400


def test_a_token_is_created_with_the_command_and_works(registry, officer_a):
    out = io.StringIO()
    call_command("drf_create_token", officer_a.username, stdout=out)
    key = Token.objects.get(user=officer_a).key
    assert key in out.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert codes(client.get("/api/v1/institutions/")) == [
        "A-LIB-1", "A-LIB-2", "A-MUS-1",
    ]  # fmt: skip


def test_tokens_can_be_managed_in_the_admin(client, geography):
    admin = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200


def test_the_schema_and_its_docs_are_public_and_every_data_endpoint_is_not(client):
    """As the README says: anonymous requests for data get 401; the contract
    (schema and documentation page) is readable by anyone."""
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200
    data_endpoints = [
        "/api/v1/provinces/",
        "/api/v1/former-provinces/",
        "/api/v1/institutions/",
        "/api/v1/reports/",
        "/api/v1/progress/?year=2024",
    ]
    for address in data_endpoints:
        response = client.get(address)
        assert response.status_code == 401, address
