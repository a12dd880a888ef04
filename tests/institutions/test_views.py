"""institutions/views.py: list, detail, create, edit, close and export pages."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from institutions.models import Institution
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("institutions:list")


@pytest.fixture
def registry(province_a, province_b):
    """Institutions in Hà Nội (A) and Đắk Lắk (B)."""
    return {
        "hanoi_library": InstitutionFactory(
            code="HN-TV", name="Thư viện Hà Nội", category="library_provincial"
        ),
        "hanoi_museum": InstitutionFactory(
            code="HN-BT",
            name="Bảo tàng Hà Nội",
            category="museum",
            commune="00004",
            opened_year=1990,
            closed_year=2025,
        ),
        "daklak_library": InstitutionFactory(
            code="DL-TV",
            name="Thư viện tỉnh Đắk Lắk",
            category="library_provincial",
            province=province_b,
        ),
        "daklak_museum": InstitutionFactory(
            code="DL-BT",
            name="Bảo tàng Đắk Lắk",
            category="museum",
            province=province_b,
            former_province="66",
        ),
    }


def codes(response) -> list[str]:
    return [row.record.code for row in response.context["table"].page.object_list]


# List ---------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, registry):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=dak+lak", ["DL-BT", "DL-TV"]),
        ("q=DAK+LAK", ["DL-BT", "DL-TV"]),
        ("q=Đắk+Lắk", ["DL-BT", "DL-TV"]),
        ("q=thu+vien", ["HN-TV", "DL-TV"]),
        ("q=hn-b", ["HN-BT"]),
        # The placeholder's own example: words in any order, anywhere in the
        # name, code, province or commune.
        ("q=thu+vien+dak+lak", ["DL-TV"]),
        ("q=lak+VIEN+dak", ["DL-TV"]),
        ("q=dak+lak+bao+tang", ["DL-BT"]),
        ("province=66", ["DL-BT", "DL-TV"]),
        ("commune=00004", ["HN-BT"]),
        ("category=museum", ["DL-BT", "HN-BT"]),
        ("active_in_year=2025", ["DL-BT", "HN-TV", "DL-TV"]),
        ("active_in_year=2024", ["DL-BT", "HN-BT", "HN-TV", "DL-TV"]),
        ("category=museum&province=01", ["HN-BT"]),
    ],
)
def test_list_filters_and_searches_without_diacritics(
    client, ministry_user, registry, query, expected
):
    client.force_login(ministry_user)

    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert codes(response) == expected


def test_names_sort_in_vietnamese_order_and_columns_sort(
    client, ministry_user, registry
):
    client.force_login(ministry_user)

    by_name = codes(client.get(LIST))
    by_name_desc = codes(client.get(f"{LIST}?sort=-name"))
    by_code = codes(client.get(f"{LIST}?sort=code"))
    by_province = codes(client.get(f"{LIST}?sort=province"))

    # "Bảo tàng" < "Thư viện"; Đ sorts after D and before E, so "Đắk" < "Hà";
    # "Thư viện Hà…" < "Thư viện tỉnh…".
    assert by_name == ["DL-BT", "HN-BT", "HN-TV", "DL-TV"]
    assert by_name_desc == list(reversed(by_name))
    assert by_code == ["DL-BT", "DL-TV", "HN-BT", "HN-TV"]
    # Provinces by their proper name in Vietnamese order: "(Tỉnh) Đắk Lắk" <
    # "(Thành phố) Hà Nội".
    assert by_province[:2] == ["DL-BT", "DL-TV"]


def test_list_counts_each_category_of_the_current_filter(
    client, ministry_user, registry
):
    client.force_login(ministry_user)

    response = client.get(f"{LIST}?province=66", HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["total"] == 2
    assert [
        (c["category"], c["count"]) for c in response.context["category_counts"]
    ] == [
        ("library_provincial", 1),
        ("museum", 1),
    ]
    assert "Provincial public library: <strong>1</strong>" in response.text


def test_list_is_paginated_by_50(client, ministry_user, province_a):
    for n in range(120):
        InstitutionFactory(code=f"C{n:03d}", name=f"Thư viện {n:03d}")
    client.force_login(ministry_user)

    first = client.get(LIST)
    last = client.get(f"{LIST}?page=3")

    assert len(codes(first)) == 50
    assert len(codes(last)) == 20
    assert first.context["total"] == 120


@pytest.mark.parametrize(
    ("per_page", "shown"), [("200000", 5), ("3", 3), ("0", 5), ("-1", 1), ("x", 5)]
)
def test_list_shows_at_most_max_page_size_rows_whatever_is_asked(
    client, ministry_user, province_a, settings, per_page, shown
):
    settings.MAX_PAGE_SIZE = 5
    for n in range(8):
        InstitutionFactory(code=f"C{n:03d}")
    client.force_login(ministry_user)

    response = client.get(f"{LIST}?per_page={per_page}")

    assert response.status_code == 200
    assert len(codes(response)) == shown


def _list_queries(client, count: int) -> int:
    """Queries of the list page once ``count`` institutions are listed."""
    # In a commune, in a commune of a merged province, in no commune.
    kinds = [
        {"commune": "00004"},
        {"province": "66", "commune": "22015", "former_province": "66"},
        {},
    ]
    for n in range(Institution.objects.count(), count):
        InstitutionFactory(code=f"C{n:03d}", **kinds[n % len(kinds)])
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert len(codes(response)) == count
    return len(queries)


def test_list_runs_a_constant_number_of_queries(client, ministry_user, province_a):
    client.force_login(ministry_user)

    # 15 and 45 rows: both fit on the first page of 50.
    assert _list_queries(client, 15) == _list_queries(client, 45)


def test_empty_state_when_nothing_matches(client, ministry_user, registry):
    client.force_login(ministry_user)

    response = client.get(f"{LIST}?q=zzz", HTTP_ACCEPT_LANGUAGE="en")

    assert 'data-testid="empty-state"' in response.text
    assert "No institution matches these filters." in response.text


def test_list_page_is_in_vietnamese_by_default(client, ministry_user, registry):
    client.force_login(ministry_user)

    response = client.get(LIST)

    assert '<html lang="vi">' in response.text
    assert "Xuất CSV" in response.text
    assert "Thư viện công cộng cấp tỉnh" in response.text


def test_officer_sees_their_own_province_only(client, officer_a, registry):
    client.force_login(officer_a)

    response = client.get(LIST)
    filtered = client.get(f"{LIST}?province=66")

    assert codes(response) == ["HN-BT", "HN-TV"]
    assert codes(filtered) == []
    province_choices = [
        c[0] for c in response.context["filter"].form.fields["province"].choices
    ]
    assert [str(value) for value in province_choices if value] == ["01"]


def test_export_buttons_keep_the_current_filter(client, ministry_user, registry):
    client.force_login(ministry_user)

    response = client.get(f"{LIST}?category=museum&page=2&sort=code")

    assert 'href="/institutions/export.csv?category=museum"' in response.text
    assert 'href="/institutions/export.xlsx?category=museum"' in response.text


# Export -------------------------------------------------------------------------


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_of_the_current_filter(client, ministry_user, registry):
    client.force_login(ministry_user)

    response = client.get(reverse("institutions:export", args=["csv"]) + "?q=dak+lak")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert _csv_rows(response) == [
        {
            "code": "DL-BT",
            "name": "Bảo tàng Đắk Lắk",
            "category": "museum",
            "province_code": "66",
            "legacy_province_code": "66",
            "commune_code": "",
            "opened_year": "2000",
            "closed_year": "",
        },
        {
            "code": "DL-TV",
            "name": "Thư viện tỉnh Đắk Lắk",
            "category": "library_provincial",
            "province_code": "66",
            "legacy_province_code": "",
            "commune_code": "",
            "opened_year": "2000",
            "closed_year": "",
        },
    ]


def test_export_xlsx_of_the_current_filter(client, ministry_user, registry):
    client.force_login(ministry_user)

    response = client.get(
        reverse("institutions:export", args=["xlsx"]) + "?category=museum"
    )

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("code", "name", "category")
    assert [r[0] for r in rows[1:]] == ["DL-BT", "HN-BT"]
    assert rows[2] == (
        "HN-BT",
        "Bảo tàng Hà Nội",
        "museum",
        "01",
        None,
        "00004",
        1990,
        2025,
    )


def test_officer_exports_their_own_province_only(client, officer_a, registry):
    client.force_login(officer_a)

    response = client.get(reverse("institutions:export", args=["csv"]))

    assert [r["code"] for r in _csv_rows(response)] == ["HN-BT", "HN-TV"]


def test_export_of_an_unknown_format_is_not_found(client, ministry_user, registry):
    client.force_login(ministry_user)

    assert client.get("/institutions/export.pdf").status_code == 404


# Detail -------------------------------------------------------------------------


def test_detail_shows_every_field_and_the_history(client, administrator, registry):
    institution = registry["daklak_museum"]
    institution.name = "Bảo tàng tỉnh Đắk Lắk"
    institution._history_user = administrator
    institution.save()
    client.force_login(administrator)

    response = client.get(institution.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    text = response.text
    assert response.status_code == 200
    for expected in [
        "DL-BT",
        "Bảo tàng tỉnh Đắk Lắk",
        "Museum",
        "Tỉnh Đắk Lắk",
        "former code 66",
        "2000",
    ]:
        assert expected in text
    history = response.context["history"]
    assert [entry["type"] for entry in history] == ["~", "+"]
    assert history[0]["user"] == administrator
    assert history[0]["changes"] == [
        {
            "field": "name",
            "name": "name",
            "old": "Bảo tàng Đắk Lắk",
            "new": "Bảo tàng tỉnh Đắk Lắk",
        }
    ]
    assert "2.000" not in text and "2,000" not in text


def test_detail_lists_annual_reports_when_they_exist(client, administrator, registry):
    from reports.entry.models import AnnualReport

    institution = registry["hanoi_library"]
    AnnualReport.objects.create(institution=institution, year=2024, lll_services=True)
    client.force_login(administrator)

    response = client.get(institution.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    [report_row] = response.context["reports"]
    assert report_row["report"].year == 2024
    assert ("Provides lifelong-learning services", True) in [
        (str(label), value) for label, value in report_row["values"]
    ]
    assert 'data-testid="institution-reports"' in response.text


def test_officer_gets_403_on_another_province(client, officer_a, registry):
    client.force_login(officer_a)
    other = registry["daklak_library"]

    assert client.get(other.get_absolute_url()).status_code == 403
    assert (
        client.get(reverse("institutions:update", args=[other.pk])).status_code == 403
    )
    assert client.get(reverse("institutions:close", args=[other.pk])).status_code == 403
    assert (
        client.post(
            reverse("institutions:close", args=[other.pk]), {"closed_year": 2025}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("institutions:update", args=[other.pk]),
            _form(code=other.code, name="Đổi tên", province="66", commune=""),
        ).status_code
        == 403
    )
    other.refresh_from_db()
    assert (other.name, other.closed_year) == ("Thư viện tỉnh Đắk Lắk", None)
    assert other.history.count() == 1
    own = registry["hanoi_library"]
    response = client.get(own.get_absolute_url())
    assert response.status_code == 200
    assert response.context["institution"] == own


def test_ministry_staff_read_but_may_not_write(client, ministry_user, registry):
    client.force_login(ministry_user)
    institution = registry["daklak_library"]

    assert client.get(institution.get_absolute_url()).status_code == 200
    assert "institutions/new/" not in client.get(LIST).text
    for url in [
        reverse("institutions:create"),
        reverse("institutions:update", args=[institution.pk]),
        reverse("institutions:close", args=[institution.pk]),
        reverse("institutions:import"),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    # Valid data is refused just the same, and nothing is written.
    for url, data in [
        (reverse("institutions:create"), _form()),
        (
            reverse("institutions:update", args=[institution.pk]),
            _form(code=institution.code, province="66", commune="", name="Đổi"),
        ),
        (reverse("institutions:close", args=[institution.pk]), {"closed_year": 2025}),
    ]:
        assert client.post(url, data).status_code == 403
    assert Institution.objects.count() == len(registry)
    institution.refresh_from_db()
    assert (institution.name, institution.closed_year) == (
        "Thư viện tỉnh Đắk Lắk",
        None,
    )


# Create, edit, close ------------------------------------------------------------


def _form(**values) -> dict:
    data = {
        "code": "NEW-1",
        "name": "Nhà văn hóa thôn Đông",
        "category": "culture_village",
        "province": "01",
        "commune": "00004",
        "former_province": "",
        "opened_year": "1999",
        "closed_year": "",
    }
    data.update(values)
    return data


def test_officer_creates_in_their_province(client, officer_a, province_a):
    client.force_login(officer_a)

    response = client.post(reverse("institutions:create"), _form())

    institution = Institution.objects.get(code="NEW-1")
    assert response.status_code == 302
    assert response.url == institution.get_absolute_url()
    assert (institution.province_id, institution.commune_id) == ("01", "00004")
    assert institution.history.get().history_user == officer_a


def test_officer_may_not_create_in_another_province(client, officer_a, province_b):
    client.force_login(officer_a)

    response = client.post(
        reverse("institutions:create"), _form(province="66", commune="")
    )

    assert response.status_code == 200
    assert "province" in response.context["form"].errors
    assert not Institution.objects.exists()


def test_create_form_offers_the_communes_of_the_province_only(client, officer_a):
    client.force_login(officer_a)

    form = client.get(reverse("institutions:create")).context["form"]

    assert form.initial["province"] == "01"
    commune_codes = [code for code, _label in form.fields["commune"].widget.choices]
    assert "00004" in commune_codes
    assert "22015" not in commune_codes
    assert len(commune_codes) == 127  # 126 communes of Hà Nội and the empty choice


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"category": "museumx"}, "category", "Select a valid choice"),
        ({"commune": "22015"}, "commune", "Phường Tuy Hòa lies in Tỉnh Đắk Lắk"),
        ({"former_province": "72"}, "former_province", "merged into Tỉnh Tây Ninh"),
        ({"opened_year": "2000", "closed_year": "2000"}, "closed_year", "greater than"),
        ({"opened_year": "1700"}, "opened_year", "between 1800 and 2100"),
        ({"code": "NEW 1"}, "code", "1 to 40 letters"),
        ({"name": ""}, "name", "required"),
        ({"province": "99", "commune": ""}, "province", "Select a valid choice"),
    ],
)
def test_each_bad_value_in_the_form_gets_a_clear_message(
    client, administrator, province_a, values, field, message
):
    client.force_login(administrator)

    response = client.post(
        reverse("institutions:create"), _form(**values), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Institution.objects.exists()


def test_duplicate_code_in_the_form(client, administrator, province_a):
    InstitutionFactory(code="NEW-1")
    client.force_login(administrator)

    response = client.post(
        reverse("institutions:create"), _form(), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "already exists" in response.context["form"].errors["code"][0]
    assert Institution.objects.count() == 1


def test_edit_changes_fields_but_not_the_code(client, officer_a, registry):
    institution = registry["hanoi_library"]
    client.force_login(officer_a)

    response = client.post(
        reverse("institutions:update", args=[institution.pk]),
        _form(
            code="CHANGED",
            name="Thư viện Thành phố Hà Nội",
            category="library_provincial",
            commune="",
        ),
    )

    assert response.status_code == 302
    institution.refresh_from_db()
    assert (institution.code, institution.name) == (
        "HN-TV",
        "Thư viện Thành phố Hà Nội",
    )
    assert institution.history.latest().history_user == officer_a


def test_officer_may_not_move_an_institution_to_another_province(
    client, officer_a, registry
):
    institution = registry["hanoi_library"]
    client.force_login(officer_a)

    response = client.post(
        reverse("institutions:update", args=[institution.pk]),
        _form(province="66", commune=""),
    )

    assert response.status_code == 200
    institution.refresh_from_db()
    assert institution.province_id == "01"


def test_administrator_edits_everywhere(client, administrator, registry):
    institution = registry["daklak_library"]
    client.force_login(administrator)

    response = client.post(
        reverse("institutions:update", args=[institution.pk]),
        _form(province="66", commune="22015", name="Thư viện tỉnh Đắk Lắk"),
    )

    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.commune_id == "22015"


def test_close_sets_the_closing_year(client, officer_a, registry):
    institution = registry["hanoi_library"]
    client.force_login(officer_a)
    url = reverse("institutions:close", args=[institution.pk])

    refused = client.post(url, {"closed_year": "2000"})
    missing = client.post(url, {"closed_year": ""})
    accepted = client.post(url, {"closed_year": "2025"})

    assert "Năm đóng cửa phải lớn hơn năm thành lập." in str(
        refused.context["form"].errors
    )
    assert "closed_year" in missing.context["form"].errors
    assert accepted.status_code == 302
    institution.refresh_from_db()
    assert institution.closed_year == 2025


def test_commune_options_of_a_province(client, officer_a):
    client.force_login(officer_a)

    data = client.get(reverse("institutions:communes") + "?province=66").json()

    assert len(data["communes"]) == 102
    assert ["22015", "Phường Tuy Hòa (22015)"] in data["communes"]
    assert client.get(reverse("institutions:communes")).json() == {"communes": []}


def test_detail_links_each_report_and_offers_entry_to_whoever_may_enter(
    client, officer_a, ministry_user, registry
):
    from datetime import date

    from reports.entry.models import AnnualReport

    institution = registry["hanoi_library"]
    report = AnnualReport.objects.create(
        institution=institution, year=2024, lll_services=True
    )
    just_ended = date.today().year - 1
    client.force_login(officer_a)

    response = client.get(institution.get_absolute_url())

    text = response.text
    assert f'href="{report.get_absolute_url()}"' in text
    assert response.context["entry_year"] == just_ended
    assert reverse("reports:edit", args=[institution.pk, just_ended]) in text
    # The category in words only, without its code.
    assert f"({institution.category})" not in text
    assert institution.get_category_display() in text

    client.force_login(ministry_user)
    response = client.get(institution.get_absolute_url())
    assert response.context["entry_year"] is None
    assert 'data-testid="enter-report"' not in response.text
