"""The reporting status grid: counts and states per province × category against
a hand count, lateness, sorting, downloads equal to the page, and approving
chosen cells after a confirmation that is refused when reports changed."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from institutions.models import Category
from reports.entry import grid
from reports.entry.models import AnnualReport, ReportStatus
from reports.periods.models import PeriodExtension, ReportingPeriod
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db

YEAR = 2024
LIBRARY = Category.LIBRARY_DISTRICT
MUSEUM = Category.MUSEUM
D = datetime.date


def place(province, category, count, *, prefix, **kwargs):
    return [
        InstitutionFactory(
            code=f"{prefix}-{index}",
            name=f"{prefix} {index}",
            province=province,
            category=category,
            **kwargs,
        )
        for index in range(count)
    ]


def report(institution, status, *, on_time=None, year=YEAR):
    return ReportFactory(
        institution=institution, year=year, status=status, on_time=on_time
    )


@pytest.fixture
def cycle(geography):
    """Province A: four active district libraries (submitted on time,
    approved late, returned, none) and one closed in 2020; one museum,
    approved. Province B: two district libraries with drafts; one museum
    without a report."""
    libraries_a = place(PROVINCE_A, LIBRARY, 4, prefix="LA")
    place(PROVINCE_A, LIBRARY, 1, prefix="CLOSED", closed_year=2020)
    report(libraries_a[0], ReportStatus.SUBMITTED, on_time=True)
    report(libraries_a[1], ReportStatus.APPROVED, on_time=False)
    report(libraries_a[2], ReportStatus.RETURNED, on_time=True)
    (museum_a,) = place(PROVINCE_A, MUSEUM, 1, prefix="MA")
    report(museum_a, ReportStatus.APPROVED, on_time=True)
    for library in place(PROVINCE_B, LIBRARY, 2, prefix="LB"):
        report(library, ReportStatus.DRAFT)
    place(PROVINCE_B, MUSEUM, 1, prefix="MB")
    return libraries_a


def counts(cell):
    return (
        cell.reported,
        cell.active,
        cell.on_time,
        cell.returned,
        cell.approved,
        cell.state,
    )


def row_of(status, code):
    return next(row for row in status.rows if row.province.code == code)


def test_cells_totals_and_states_equal_a_hand_count(cycle, django_assert_num_queries):
    with django_assert_num_queries(4):  # no period: no extensions to read
        status = grid.status_grid(year=YEAR, today=D(2025, 1, 1))
    a, b = row_of(status, PROVINCE_A), row_of(status, PROVINCE_B)
    assert len(status.rows) == 34 and len(a.cells) == 12
    assert counts(a.cell(LIBRARY)) == (2, 4, 2, 1, 1, grid.SUBMITTED)
    assert counts(a.cell(MUSEUM)) == (1, 1, 1, 0, 1, grid.APPROVED)
    assert counts(b.cell(LIBRARY)) == (0, 2, 0, 0, 0, grid.IN_PROGRESS)
    assert counts(b.cell(MUSEUM)) == (0, 1, 0, 0, 0, grid.NOT_STARTED)
    assert a.cell(Category.LIBRARY_SCHOOL).state == grid.NO_INSTITUTIONS
    assert counts(a.total) == (3, 5, 3, 1, 2, grid.SUBMITTED)
    library_total = status.totals[Category.values.index(LIBRARY)]
    assert counts(library_total) == (2, 6, 2, 1, 1, grid.SUBMITTED)
    assert counts(status.total) == (3, 8, 3, 1, 2, grid.SUBMITTED)
    assert not any(cell.late for row in status.rows for cell in row.cells)


def test_the_number_of_queries_does_not_grow_with_the_data(
    cycle, django_assert_num_queries
):
    for library in place(PROVINCE_B, Category.CULTURE_VILLAGE, 30, prefix="V"):
        report(library, ReportStatus.SUBMITTED)
    ReportingPeriod.objects.create(
        year=YEAR,
        opens_on=D(2025, 1, 1),
        due_on=D(2025, 3, 31),
        closes_on=D(2025, 5, 1),
    )
    with django_assert_num_queries(5):  # the period and its extensions
        grid.status_grid(year=YEAR)


def test_returned_waits_for_the_province_and_all_approved_is_approved(geography):
    first, second = place(PROVINCE_A, MUSEUM, 2, prefix="M")
    report(first, ReportStatus.APPROVED)
    report(second, ReportStatus.RETURNED)
    status = grid.status_grid(year=YEAR)
    assert row_of(status, PROVINCE_A).cell(MUSEUM).state == grid.RETURNED
    AnnualReport.objects.filter(institution=second).update(status=ReportStatus.APPROVED)
    cell = row_of(grid.status_grid(year=YEAR), PROVINCE_A).cell(MUSEUM)
    assert (cell.state, cell.state_label) == (grid.APPROVED, "Đã duyệt")


def test_a_cell_is_late_once_its_provinces_due_date_passed_with_some_missing(cycle):
    period = ReportingPeriod.objects.create(
        year=YEAR,
        opens_on=D(2025, 1, 1),
        due_on=D(2025, 3, 31),
        closes_on=D(2025, 5, 1),
    )
    PeriodExtension.objects.create(
        period=period,
        province_id=PROVINCE_B,
        due_on=D(2025, 4, 30),
        closes_on=D(2025, 5, 31),
        reason="Bão lũ",
    )
    on_due_day = grid.status_grid(year=YEAR, today=D(2025, 3, 31))
    assert not row_of(on_due_day, PROVINCE_A).cell(LIBRARY).late
    status = grid.status_grid(year=YEAR, today=D(2025, 4, 1))
    a, b = row_of(status, PROVINCE_A), row_of(status, PROVINCE_B)
    assert a.cell(LIBRARY).late and a.total.late
    assert not a.cell(MUSEUM).late  # every institution reported
    assert not a.cell(Category.LIBRARY_SCHOOL).late  # no institutions
    assert not b.cell(LIBRARY).late and b.deadlines.due_on == D(2025, 4, 30)
    later = grid.status_grid(year=YEAR, today=D(2025, 5, 1))
    assert row_of(later, PROVINCE_B).cell(MUSEUM).late


def test_rows_sort_by_name_and_by_a_categorys_progress(cycle):
    (museum_c,) = place("04", MUSEUM, 1, prefix="MC")  # Cao Bằng: half reported
    place("04", MUSEUM, 1, prefix="MD")
    report(museum_c, ReportStatus.SUBMITTED)
    status = grid.status_grid(year=YEAR)
    names = [row.province.name_sort for row in grid.grid_sort(status, "name")]
    assert names == sorted(names)
    assert grid.grid_sort(status, "-name")[0].province.name_sort == max(names)
    codes = [row.province.code for row in grid.grid_sort(status, MUSEUM)]
    assert codes[:3] == [PROVINCE_B, "04", PROVINCE_A]  # 0, 1/2, 1/1
    codes = [row.province.code for row in grid.grid_sort(status, f"-{MUSEUM}")]
    assert codes[:3] == [PROVINCE_A, "04", PROVINCE_B]
    assert len(codes) == 34  # provinces without museums last
    assert grid.grid_sort_choice("nonsense") == "name"


# Pages -----------------------------------------------------------------------


def test_the_page_opens_on_the_newest_year_with_cells_linked_to_their_review(
    client, ministry_user, cycle
):
    report(cycle[3], ReportStatus.DRAFT, year=2023)
    client.force_login(ministry_user)
    response = client.get(reverse("reports:grid"))
    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert response.context["years"] == [YEAR, 2023]
    review = reverse("reports:review_sheet", args=[PROVINCE_A, YEAR])
    assert f'href="{review}?category={LIBRARY}"' in response.text
    assert "Chờ duyệt" in response.text  # the state in words
    older = client.get(reverse("reports:grid"), {"year": 2023})
    assert older.context["grid"].total.draft == 1


def test_without_periods_or_reports_the_page_says_so(client, ministry_user, geography):
    client.force_login(ministry_user)
    response = client.get(reverse("reports:grid"))
    assert response.status_code == 200
    assert 'data-testid="grid-empty"' in response.text


def test_the_page_sorts_by_the_chosen_category(client, ministry_user, cycle):
    client.force_login(ministry_user)
    response = client.get(reverse("reports:grid"), {"sort": f"-{MUSEUM}"})
    assert response.context["rows"][0].province.code == PROVINCE_A
    assert response.context["show"] == MUSEUM  # the column a phone shows
    assert 'aria-sort="descending"' in response.text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloads_hold_the_same_cells_as_the_page(
    client, ministry_user, cycle, file_format
):
    client.force_login(ministry_user)
    query = {"year": YEAR, "sort": f"-{LIBRARY}"}
    page = client.get(reverse("reports:grid"), query)
    response = client.get(reverse("reports:grid_export", args=[file_format]), query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if file_format == "csv":
        lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        lines = [
            list(values) for values in sheet.iter_rows(min_row=2, values_only=True)
        ]
    shown = []
    for row in page.context["rows"]:
        for cell in [*row.cells, row.total]:
            shown.append((row.province.code, cell.category, counts(cell)[:5]))
    for cell in [*page.context["grid"].totals, page.context["grid"].total]:
        shown.append(("", cell.category, counts(cell)[:5]))
    written = [
        (
            line[0] or "",
            line[2] or "",
            tuple(
                int(value) for value in (line[4], line[5], line[6], line[8], line[9])
            ),
        )
        for line in lines
    ]
    assert written == shown
    (line,) = [line for line in lines if line[0] == PROVINCE_A and line[2] == LIBRARY]
    assert line[3] == str(Category(LIBRARY).label) and line[11] == "Chờ duyệt"


# Approving chosen cells --------------------------------------------------------


@pytest.fixture
def waiting(geography):
    """Submitted reports: two district libraries of A, a museum of A, a
    district library of B; and a draft in B."""
    libraries_a = place(PROVINCE_A, LIBRARY, 2, prefix="LA")
    (museum_a,) = place(PROVINCE_A, MUSEUM, 1, prefix="MA")
    library_b, draft_b = place(PROVINCE_B, LIBRARY, 2, prefix="LB")
    for institution in (*libraries_a, museum_a, library_b):
        report(institution, ReportStatus.SUBMITTED)
    report(draft_b, ReportStatus.DRAFT)
    return libraries_a


def approve_url(*cells):
    return (
        reverse("reports:grid_approve")
        + f"?year={YEAR}"
        + "".join(f"&cell={cell}" for cell in cells)
    )


def statuses():
    return dict(
        AnnualReport.objects.values_list("institution__code", "status").order_by()
    )


def test_chosen_cells_are_approved_after_a_confirmation_naming_them(
    client, ministry_user, waiting
):
    client.force_login(ministry_user)
    confirm = client.get(
        approve_url(
            f"{PROVINCE_A}:{LIBRARY}", f"{PROVINCE_B}:*", f"{PROVINCE_B}:{LIBRARY}"
        )
    )
    assert confirm.status_code == 200
    cells = confirm.context["cells"]
    assert [(c.province.code, c.category, len(c.reports)) for c in cells] == [
        (PROVINCE_B, None, 1),  # Đắk Lắk: the whole province, its cell inside
        (PROVINCE_A, LIBRARY, 2),
    ]
    assert confirm.context["count"] == 3 and confirm.context["provinces"] == 2
    assert "Tất cả loại hình" in confirm.text  # the whole province, in words
    assert statuses()["LA-0"] == ReportStatus.SUBMITTED  # nothing done yet
    response = client.post(
        reverse("reports:grid_approve"),
        {"year": YEAR, "selection": [cell.selection for cell in cells]},
    )
    assert response.status_code == 302
    assert statuses() == {
        "LA-0": ReportStatus.APPROVED,
        "LA-1": ReportStatus.APPROVED,
        "MA-0": ReportStatus.SUBMITTED,  # not chosen
        "LB-0": ReportStatus.APPROVED,
        "LB-1": ReportStatus.DRAFT,
    }
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("3" in message for message in messages)


def test_an_approval_is_refused_naming_what_changed_since_the_confirmation(
    client, ministry_user, waiting
):
    client.force_login(ministry_user)
    confirm = client.get(
        approve_url(f"{PROVINCE_A}:{LIBRARY}", f"{PROVINCE_A}:{MUSEUM}")
    )
    selection = [cell.selection for cell in confirm.context["cells"]]
    changed = AnnualReport.objects.get(institution__code="LA-1")
    changed.version += 1  # the province sent it again in between
    changed.save()
    (newcomer,) = place(PROVINCE_A, MUSEUM, 1, prefix="NEW")
    report(newcomer, ReportStatus.SUBMITTED)
    response = client.post(
        reverse("reports:grid_approve"), {"year": YEAR, "selection": selection}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("reports:grid_approve"))
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "LA 1" in message and "NEW 0" in message and "LA 0" not in message
    assert ReportStatus.APPROVED not in statuses().values()  # all or nothing
    again = client.get(response.url)
    assert again.context["count"] == 4


def test_choosing_nothing_waiting_goes_back_to_the_grid(client, ministry_user, waiting):
    client.force_login(ministry_user)
    response = client.get(approve_url(f"{PROVINCE_B}:{MUSEUM}", "99:*", "01:nonsense"))
    assert response.status_code == 302
    assert response.url == reverse("reports:grid") + f"?year={YEAR}"


def test_a_damaged_selection_is_refused(client, ministry_user, waiting):
    client.force_login(ministry_user)
    response = client.post(
        reverse("reports:grid_approve"),
        {"year": YEAR, "selection": f"{PROVINCE_A}:{LIBRARY}|x:y"},
    )
    assert response.status_code == 400
    assert ReportStatus.APPROVED not in statuses().values()


def test_officers_may_not_see_the_grid_nor_approve_from_it(client, officer_a, waiting):
    client.force_login(officer_a)
    assert client.get(reverse("reports:grid")).status_code == 403
    assert client.get(reverse("reports:grid_export", args=["csv"])).status_code == 403
    assert client.get(approve_url(f"{PROVINCE_A}:*")).status_code == 403
    selection = f"{PROVINCE_A}:*|" + ",".join(
        f"{r.pk}:{r.version}" for r in AnnualReport.objects.all()
    )
    response = client.post(
        reverse("reports:grid_approve"), {"year": YEAR, "selection": selection}
    )
    assert response.status_code == 403
    assert ReportStatus.APPROVED not in statuses().values()


def test_the_review_page_links_to_the_grid(client, ministry_user, cycle):
    client.force_login(ministry_user)
    response = client.get(reverse("reports:review"))
    assert f'href="{reverse("reports:grid")}?year={YEAR}"' in response.text
