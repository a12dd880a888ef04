"""reports/dashboards.py: who sees what, figures that are never stale, a fixed
number of queries per page, explanations, the follow-up list and exports."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from institutions.demo import demo_institutions_create
from institutions.models import Category, Institution
from reports.demo.sample import demo_reports_create, demo_users_create
from reports.entry.imports import report_rows_import
from reports.entry.models import ReportStatus
from reports.entry.services import report_save
from reports.entry.workflow import report_approve
from reports.periods.models import ReportingPeriod
from reports.progress.display import cards_build, explanation, number
from reports.progress.figures import NATION, progress_figures_load
from reports.progress.follow_up import FollowUp, follow_up_table
from reports.progress.progress import Status
from reports.progress.years import dashboard_years, default_year
from targets.models import Target
from targets.services import targets_seed
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import TEST_PASSWORD
from tests.reports.progress.timeliness import timeliness_cycle

from .test_figures import institution, random_data, report

PAGES = [
    ("reports:dashboard", []),
    ("reports:trends", []),
    ("reports:provinces", []),
    ("reports:province", [PROVINCE_A]),
]


@pytest.fixture
def targets(db):
    targets_seed()


@pytest.fixture
def worked_example(targets, geography):
    """metrics.md, Worked example, in Hà Nội: district libraries, 2022 and 2024."""
    libraries = [institution(Category.LIBRARY_DISTRICT) for _ in range(10)]
    libraries += [institution(Category.LIBRARY_DISTRICT, opened=2023) for _ in range(2)]
    for index, library in enumerate(libraries[:10]):
        report(library, 2022, lll_services=index < 4, digital_transformation=True)
        report(library, 2024, lll_services=index < 7, digital_transformation=True)
    return libraries


def url(name, args=(), **query):
    path = reverse(name, args=args)
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def district_target(year=2025):
    return next(
        target
        for target in Target.objects.filter(family="library_lll_services", year=year)
        if target.categories == ["library_district"]
    )


def district_card(response):
    return next(
        card
        for card in response.context["cards"]
        if card.evaluations[0].target.family == "library_lll_services"
        and card.evaluations[0].target.categories == ["library_district"]
    )


# Who sees what ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_users_are_sent_to_log_in(client, targets, geography, name, args):
    response = client.get(url(name, args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_ministry_staff_see_every_page(
    client, ministry_user, worked_example, name, args
):
    client.force_login(ministry_user)
    response = client.get(url(name, args, year=2024))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="application/json"' in content
    assert "vendor/plotly/plotly-basic.min.js" in content
    assert "<script>" not in content  # no inline executable script


def test_officers_land_on_their_province(client, officer_a, worked_example):
    client.force_login(officer_a)
    response = client.get(url("reports:dashboard", year=2024))
    assert response.status_code == 302
    assert response.url == url("reports:province", [PROVINCE_A], year=2024)
    assert client.get(response.url).status_code == 200


def test_logging_in_leads_to_the_dashboard_and_an_officer_to_their_province(
    client, officer_a, targets
):
    response = client.post(
        reverse("login"),
        {"username": officer_a.username, "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse("reports:dashboard")
    assert response.redirect_chain[-1][0].startswith(
        reverse("reports:province", args=[PROVINCE_A])
    )


def test_officers_may_see_the_nation_but_no_other_province(
    client, officer_a, worked_example
):
    client.force_login(officer_a)
    assert client.get(url("reports:dashboard", province=NATION)).status_code == 200
    forbidden = [
        url("reports:province", [PROVINCE_B]),
        url("reports:trends", province=PROVINCE_B),
        url("reports:dashboard", province=PROVINCE_B),
        url("reports:dashboard_export", ["overview", "csv"], province=PROVINCE_B),
        url("reports:dashboard_export", ["follow-up", "xlsx"], province=PROVINCE_B),
    ]
    for address in forbidden:
        assert client.get(address).status_code == 403, address


def test_officers_compare_only_their_own_province(client, officer_a, worked_example):
    client.force_login(officer_a)
    district = district_target()
    response = client.get(url("reports:provinces", year=2024, target=district.pk))
    assert response.context["target"] == district
    assert [row.code for row in response.context["rows"]] == [PROVINCE_A]
    regions = response.context["map_chart"]["regions"]
    assert len(regions) == 34  # every province drawn
    valued = [region["code"] for region in regions if region["valued"]]
    assert valued == [PROVINCE_A]  # only its own has a value


def test_the_area_filter_moves_to_the_province_page(client, ministry_user, targets):
    client.force_login(ministry_user)
    response = client.get(url("reports:dashboard", year=2024, province=PROVINCE_B))
    assert response.url == url("reports:province", [PROVINCE_B], year=2024)
    response = client.get(
        url("reports:province", [PROVINCE_B], year=2024, province=NATION)
    )
    assert response.url == url("reports:dashboard", year=2024, province=NATION)


def test_unknown_province_is_not_found(client, ministry_user, targets, geography):
    client.force_login(ministry_user)
    assert client.get(url("reports:province", ["99"])).status_code == 404


# Filters and figures -----------------------------------------------------------


def test_the_address_carries_year_and_approved_only(
    client, ministry_user, worked_example
):
    client.force_login(ministry_user)
    with translation.override("en"):
        response = client.get(
            url("reports:dashboard", year=2024), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert district_card(response).value.startswith("58.3")
        assert response.context["filters"].year == 2024
        approved = client.get(
            url("reports:dashboard", year=2024, approved="on"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert district_card(approved).value == "0.0%"
        assert approved.context["filters"].approved_only
        assert "approved=on" in approved.context["tabs"][1]["url"]


def test_the_dashboard_opens_on_the_latest_collected_year(
    client, ministry_user, worked_example
):
    """2024 has 10 counted reports; a 2025 with 7 (under 80%) is still being
    collected, one with 8 counts as collected."""
    client.force_login(ministry_user)
    for library in worked_example[:7]:
        report(library, 2025, lll_services=True)
    assert client.get(url("reports:dashboard")).context["filters"].year == 2024
    report(worked_example[7], 2025, lll_services=True)
    assert client.get(url("reports:dashboard")).context["filters"].year == 2025
    assert (
        client.get(url("reports:dashboard", year=2024)).context["filters"].year == 2024
    )


def test_a_bad_year_falls_back_to_the_latest_year_with_data(
    client, ministry_user, worked_example
):
    client.force_login(ministry_user)
    response = client.get(url("reports:dashboard", year="abc"))
    assert response.context["filters"].year == 2024
    response = client.get(url("reports:dashboard", year=1999))
    assert response.context["filters"].year == 2024


def test_cards_show_value_thresholds_status_words_and_reporting_rate(
    client, ministry_user, worked_example
):
    client.force_login(ministry_user)
    response = client.get(
        url("reports:dashboard", year=2024), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert len(response.context["cards"]) == 17
    card = district_card(response)
    assert card.value == "58.3%"
    assert [row.threshold for row in card.rows] == ["70%", "90%"]
    assert card.headline.target_year == 2025
    assert card.headline.status.code == "acceleration_needed"
    assert card.reporting_rate == 83.3
    content = response.content.decode()
    assert "Acceleration needed" in content
    assert "bi-exclamation-triangle-fill" in content


def test_after_2025_cards_report_on_the_2030_target(client, ministry_user, targets):
    client.force_login(ministry_user)
    response = client.get(url("reports:dashboard", year=2026))
    assert {card.headline.target_year for card in response.context["cards"]} == {2030}


def test_the_explanation_states_the_arithmetic_in_each_language(worked_example):
    figures = progress_figures_load(year=2024)
    target = next(
        t
        for t in figures.targets
        if t.family == "library_lll_services"
        and t.categories == ["library_district"]
        and t.year == 2025
    )
    evaluation = figures.evaluate(target, NATION)
    with translation.override("en"):
        text = explanation(evaluation)
        assert text.startswith(
            "58.3% in 2024, needs 10.0 points a year, moving 9.2 → acceleration needed."
        )
        assert "From 40.0% in 2022 to 70% by 2025; pace ratio 0.92" in text
    with translation.override("vi"):
        text = explanation(evaluation)
        assert text.startswith(
            "58,3% năm 2024, cần tăng 10,0 điểm mỗi năm, đang tăng 9,2 → cần đẩy nhanh."
        )


def test_numbers_follow_the_language_and_round_half_up():
    with translation.override("vi"):
        assert number(1234.25) == "1.234,3"
        assert number(70, 0) == "70"
    with translation.override("en"):
        assert number(58.25) == "58.3"
        assert number(None) == "–"


def test_figures_are_never_stale(client, ministry_user, officer_a, targets, geography):
    """Saving, approving and importing a report each change the next page."""
    library = institution(Category.LIBRARY_PROVINCIAL, code="STALE-1")
    client.force_login(ministry_user)

    def provincial_value(**query):
        response = client.get(
            url("reports:dashboard", year=2024, **query), HTTP_ACCEPT_LANGUAGE="en"
        )
        return next(
            card.value
            for card in response.context["cards"]
            if card.evaluations[0].target.categories == ["library_provincial"]
            and card.evaluations[0].target.family == "library_lll_services"
        )

    assert provincial_value() == "0.0%"
    saved = report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values={"lll_services": True},
        expected_version=0,
        status=ReportStatus.SUBMITTED,
    )
    assert provincial_value() == "100.0%"
    assert provincial_value(approved="on") == "0.0%"
    report_approve(user=ministry_user, report=saved)
    assert provincial_value(approved="on") == "100.0%"

    other = institution(Category.LIBRARY_PROVINCIAL, code="STALE-2")
    result = report_rows_import(
        rows=[
            (2, {"institution_code": other.code, "year": "2024", "lll_services": "0"})
        ],
        status=ReportStatus.SUBMITTED,
    )
    assert result.written, result.errors
    assert provincial_value() == "50.0%"


def test_the_demo_data_shows_every_status(targets, geography):
    """`make run`: the year the dashboard opens on shows every status but
    "missed" on the national and province cards; 2025 adds "missed"."""
    demo_users_create()
    demo_institutions_create()
    demo_reports_create()
    year = default_year(
        dashboard_years(list(Target.objects.all())), approved_only=False
    )
    assert year == 2024

    def card_statuses(year):
        figures = progress_figures_load(year=year)
        return {
            card.headline.status.code
            for area in figures.areas
            for card in cards_build(figures, area)
        }

    assert card_statuses(year) == set(Status.values) - {Status.MISSED}
    assert Status.MISSED in card_statuses(2025)


# A fixed number of queries ------------------------------------------------------


def count_queries(client, address, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_run_the_same_number_of_queries_on_small_and_larger_data(
    client, ministry_user, targets, geography, django_assert_max_num_queries, name, args
):
    client.force_login(ministry_user)
    address = url(name, args, year=2024)
    # The page's own, the header's unread notices, the years with a
    # reporting period (timeliness) and, on a province's page, the follow-up
    # list's count from its counters (two queries).
    random_data(21, size=15)
    small = count_queries(client, address, django_assert_max_num_queries, 19)
    random_data(22, size=400)
    large = count_queries(client, address, django_assert_max_num_queries, 19)
    assert small == large


# Follow-up ----------------------------------------------------------------------


def test_follow_up_lists_who_has_not_reported_or_does_not_meet(
    client, ministry_user, targets, geography
):
    meets = institution(Category.MUSEUM, name="Bảo tàng đạt")
    report(meets, 2024, education_programme=True, digital_exhibitions=True)
    misses = institution(Category.MUSEUM, name="Bảo tàng thiếu")
    report(misses, 2024, education_programme=True, digital_exhibitions=False)
    institution(Category.LIBRARY_COMMUNE, name="Thư viện chưa báo cáo")
    draft = institution(Category.CULTURE_VILLAGE, name="Nhà văn hóa nháp")
    report(draft, 2024, status=ReportStatus.DRAFT)
    institution(Category.LIBRARY_COMMUNE, name="Đã đóng", closed=2024)
    institution(Category.MUSEUM, province=PROVINCE_B, name="Tỉnh khác")

    client.force_login(ministry_user)
    response = client.get(
        url("reports:province", [PROVINCE_A], year=2024), HTTP_ACCEPT_LANGUAGE="en"
    )
    items = {item.institution.name: item for item in response.context["follow_ups"]}
    assert set(items) == {"Bảo tàng thiếu", "Thư viện chưa báo cáo", "Nhà văn hóa nháp"}
    assert items["Thư viện chưa báo cáo"].reasons == ["No report for the year"]
    assert items["Nhà văn hóa nháp"].reasons == ["Draft, not submitted"]
    assert items["Bảo tàng thiếu"].reasons == [
        "Does not meet: Presents thematic exhibitions in digital space"
    ]
    link = items["Thư viện chưa báo cáo"].url
    assert link == url(
        "reports:sheet", year=2024, category="library_commune", province=PROVINCE_A
    )
    approved_only = client.get(
        url("reports:province", [PROVINCE_A], year=2024, approved="on"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    names = {item.institution.name for item in approved_only.context["follow_ups"]}
    assert "Bảo tàng đạt" in names  # submitted, not yet approved


# Exports ------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("table", "query"),
    [
        ("overview", {}),
        ("overview", {"province": PROVINCE_A}),
        ("on-track", {}),
        ("trends", {}),
        ("provinces", {"sort": "-value"}),
        ("follow-up", {"province": PROVINCE_A}),
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_table_downloads_as_csv_and_xlsx(
    client, ministry_user, worked_example, table, query, file_format
):
    client.force_login(ministry_user)
    response = client.get(
        url("reports:dashboard_export", [table, file_format], year=2024, **query)
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert len(rows) > 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloads_are_streamed_not_built_in_memory(
    client, ministry_user, worked_example, file_format
):
    client.force_login(ministry_user)
    response = client.get(
        url(
            "reports:dashboard_export",
            ["follow-up", file_format],
            year=2024,
            province=PROVINCE_A,
        )
    )
    assert response.status_code == 200
    assert response.streaming
    assert (
        f'filename="follow-up-{PROVINCE_A}-2024.{file_format}"'
        in (response["Content-Disposition"])
    )


def test_the_follow_up_table_reads_its_rows_as_it_is_written():
    read = []

    def items():
        for code in ("A", "B"):
            read.append(code)
            yield FollowUp(
                institution=Institution(code=code, name=code, category="museum"),
                reasons=[],
                url="",
            )

    table = follow_up_table(items())
    assert read == []
    assert [row[0] for row in table.rows] == ["A", "B"]


def test_exports_are_formula_safe(client, ministry_user, targets, geography):
    names = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "Bình thường"]
    for name in names:
        institution(Category.MUSEUM, name=name)
    client.force_login(ministry_user)

    def export(file_format):
        return client.get(
            url(
                "reports:dashboard_export",
                ["follow-up", file_format],
                year=2024,
                province=PROVINCE_A,
            )
        )

    # CSV has no cell types: a leading apostrophe keeps a formula from running.
    exported = sorted(row[1] for row in read_csv(export("csv"))[1:])
    assert exported == sorted(
        ['\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)", "Bình thường"]
    )
    # XLSX: each name is a text cell, shown as written and never evaluated.
    sheet = load_workbook(io.BytesIO(export("xlsx").getvalue())).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(names)
    assert {cell.data_type for cell in cells} == {"s"}


def test_exported_numbers_stay_numbers(client, ministry_user, worked_example):
    client.force_login(ministry_user)
    response = client.get(
        url("reports:dashboard_export", ["overview", "xlsx"], year=2024),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = read_xlsx(response)
    district = rows[3]
    assert district[1] == 2025
    assert district[3] == 58.3
    assert district[4] == "Acceleration needed"


def test_unknown_export_is_not_found(client, ministry_user, targets, geography):
    client.force_login(ministry_user)
    assert (
        client.get(url("reports:dashboard_export", ["secrets", "csv"])).status_code
        == 404
    )
    assert (
        client.get(url("reports:dashboard_export", ["overview", "pdf"])).status_code
        == 404
    )
    assert (
        client.get(url("reports:dashboard_export", ["follow-up", "csv"])).status_code
        == 404
    )


# Charts -------------------------------------------------------------------------


def test_charts_use_vietnamese_separators_and_fetch_nothing(
    client, ministry_user, worked_example
):
    client.force_login(ministry_user)
    response = client.get(url("reports:provinces", year=2024))
    assert response.context["bar_chart"]["layout"]["separators"] == ",."
    figure = response.context["map_chart"]
    labels = [label["text"] for label in figure["labels"]]
    assert labels == ["Quần đảo Hoàng Sa", "Quần đảo Trường Sa"]
    content = response.content.decode()
    assert content.count('<path d="M') == 34  # the map is drawn in the page
    assert "geojson" not in content
    assert "Ranh giới tỉnh: Natural Earth (phạm vi công cộng)" in content
    json.dumps(response.context["bar_chart"])


# Methodology --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "vi",
            [
                "Báo cáo bị trả lại để sửa không được tính",
                "được tính vào tỉnh Tây Ninh hiện nay",
                "58,3% năm 2024, cần tăng 10,0 điểm mỗi năm, đang tăng 9,2",
                "Ranh giới tỉnh: Natural Earth (phạm vi công cộng)",
            ],
        ),
        (
            "en",
            [
                "A report returned for correction does not count",
                "counts in today's Tây Ninh",
                "58.3% in 2024, needs 10.0 points a year, moving 9.2",
                "Province boundaries: Natural Earth (public domain)",
            ],
        ),
    ],
)
def test_the_methodology_page_states_the_rules_in_each_language(
    client, language, phrases
):
    client.cookies["django_language"] = language
    content = client.get(reverse("methodology")).content.decode()
    for phrase in phrases:
        assert phrase in content


def test_without_targets_the_dashboard_says_so(client, ministry_user, geography):
    Target.objects.all().delete()
    client.force_login(ministry_user)
    for name, args in PAGES:
        response = client.get(url(name, args))
        assert response.status_code == 200
        assert b'data-testid="no-targets"' in response.content


# The page cache -----------------------------------------------------------------


def main_html(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def from_cache(response) -> bool:
    """The page's content came from the cache: no view context was made."""
    return "tabs" not in response.context


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_page_comes_from_the_cache_until_the_data_changes(
    client,
    ministry_user,
    officer_a,
    targets,
    geography,
    django_assert_max_num_queries,
    name,
    args,
):
    library = institution(Category.LIBRARY_PROVINCIAL, code="CACHE-1")
    client.force_login(ministry_user)
    address = url(name, args, year=2024)
    first = client.get(address)
    assert (
        "cards" in first.context
        or "rows" in first.context
        or "sections" in (first.context)
    )
    # What every logged-in page reads (session, user, permissions, role,
    # profile), the target rows and the counters' token: none of the figures.
    with django_assert_max_num_queries(10):
        again = client.get(address)
    assert from_cache(again)
    assert main_html(again) == main_html(first)
    assert again.content.decode().count("<head>") == 1
    assert (
        "<title>" + first.content.decode().split("<title>")[1].split("</title>")[0]
        in again.content.decode()
    )

    report_save(
        user=officer_a,
        institution=library,
        year=2024,
        values={"lll_services": True},
        expected_version=0,
        status=ReportStatus.SUBMITTED,
    )
    after = client.get(address)
    assert not from_cache(after)  # the write changed the token
    assert main_html(after) != main_html(first)


def test_the_cache_keeps_roles_and_provinces_apart(
    client, ministry_user, officer_a, officer_b, targets, geography
):
    address = url("reports:province", [PROVINCE_B], year=2024)
    client.force_login(ministry_user)
    assert client.get(address).status_code == 200
    assert client.get(address).status_code == 200  # cached for ministry staff
    client.force_login(officer_a)
    assert client.get(address).status_code == 403
    client.force_login(officer_b)
    assert client.get(address).status_code == 200


def test_a_changed_target_changes_the_page(client, ministry_user, targets, geography):
    client.force_login(ministry_user)
    address = url("reports:dashboard", year=2024)
    before = main_html(client.get(address))
    target = Target.objects.get(
        family="library_lll_services", categories=["library_district"], year=2025
    )
    target.threshold = 75
    target.save()
    after = client.get(address)
    assert not from_cache(after)
    assert main_html(after) != before


@pytest.mark.parametrize("how", ["group", "permission", "superuser"])
def test_the_cache_is_keyed_on_what_the_person_may_see_not_their_group(
    client, targets, geography, how
):
    """A superuser and an account without any group both have no role group;
    a cached page of the one must never be served to the other."""
    from django.contrib.auth.models import Permission

    from lifelong_learning.roles import Role
    from tests.factories import UserFactory

    if how == "group":
        sees_all = UserFactory(username="sees-all", role=Role.MINISTRY_STAFF)
    elif how == "permission":
        sees_all = UserFactory(username="sees-all")
        sees_all.user_permissions.add(
            Permission.objects.get(codename="view_all_provinces"),
            Permission.objects.get(codename="view_annualreport"),
        )
    else:
        sees_all = UserFactory(username="sees-all", is_superuser=True)
    nobody = UserFactory(username="no-group")
    address = url("reports:provinces", year=2024)
    client.force_login(sees_all)
    everything = client.get(address)
    assert everything.status_code == 200
    all_rows = main_html(everything)
    assert "Đắk Lắk" in all_rows and "Hà Nội" in all_rows

    client.force_login(nobody)
    page = client.get(address)

    assert not from_cache(page)  # not the cached page of another scope
    assert main_html(page) != all_rows


@pytest.mark.parametrize("requested", ["../..", "9/9", "xx"])
def test_a_province_that_does_not_exist_in_the_area_field_is_a_404(
    client, ministry_user, targets, geography, requested
):
    client.force_login(ministry_user)

    response = client.get(
        url("reports:province", [PROVINCE_A], year=2024, province=requested)
    )

    assert response.status_code == 404


# Timeliness ---------------------------------------------------------------------


def province_cells(html: str, province: str) -> str:
    """The table row of ``province`` on the provinces page."""
    rows = html.split('data-testid="provinces-table"')[1].split("</table>")[0]
    return next(row for row in rows.split("<tr>") if f">{province}</a>" in row)


@pytest.fixture
def cycle(targets, administrator, ministry_user):
    return timeliness_cycle(administrator=administrator, ministry_user=ministry_user)


def test_the_provinces_table_shows_the_on_time_rate_beside_the_reporting_rate(
    client, ministry_user, cycle
):
    client.force_login(ministry_user)
    target = district_target()
    response = client.get(url("reports:provinces", year=2025, target=target.pk))
    html = response.content.decode()
    headers = [column["label"] for column in response.context["sort_columns"]]
    at = headers.index("Tỷ lệ báo cáo (%)")
    assert headers[at + 1] == "Tỷ lệ đúng hạn (%)"
    hanoi = province_cells(html, "Thành phố Hà Nội")
    assert 'data-testid="on-time-rate">50,0</td>' in hanoi
    assert ">75,0</td>" in hanoi  # its reporting rate, 3 of 4
    assert 'data-testid="on-time-rate">66,7</td>' in province_cells(
        html, "Tỉnh Đắk Lắk"
    )
    assert 'data-testid="on-time-rate">–</td>' in province_cells(html, "Tỉnh Cao Bằng")
    ordered = client.get(
        url("reports:provinces", year=2025, target=target.pk, sort="-on_time")
    )
    assert [row.code for row in ordered.context["rows"][:2]] == [
        PROVINCE_B,
        PROVINCE_A,
    ]


def test_the_province_page_states_its_timeliness(client, ministry_user, cycle):
    client.force_login(ministry_user)
    response = client.get(
        url("reports:province", [PROVINCE_A], year=2025), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert (
        "Reports of 2025: 3 of 4 active institutions reported (75.0%). "
        "On time 50.0% (2 of 4)."
    ) in html
    card = district_card(response)
    assert card.on_time_rate == 50.0
    assert "On time 50.0% (2 of 4)." in card.reporting
    national = client.get(url("reports:dashboard", year=2025))
    assert "Đúng hạn 57,1% (4/7)." in national.content.decode()
    assert reverse("methodology") + "#timeliness" in national.content.decode()


def test_a_year_without_a_period_says_it_has_no_timeliness(
    client, ministry_user, worked_example
):
    client.force_login(ministry_user)
    response = client.get(
        url("reports:province", [PROVINCE_A], year=2024), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "No reporting period for this year: no timeliness." in (
        response.content.decode()
    )
    assert district_card(response).on_time_rate is None


def test_a_new_reporting_period_shows_at_once(client, ministry_user, worked_example):
    client.force_login(ministry_user)
    address = url("reports:province", [PROVINCE_A], year=2024)
    assert "Năm này không có kỳ báo cáo" in client.get(address).content.decode()
    ReportingPeriod.objects.create(
        year=2024, opens_on="2025-01-01", due_on="2025-03-31", closes_on="2025-04-30"
    )
    assert "Đúng hạn 0,0% (0/12)." in client.get(address).content.decode()
