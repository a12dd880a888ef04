"""An institution's edit never moves approved figures silently: a change of
category, province, former province or years that would alter a year with
approved reports is refused, naming them, by every entry point, until the
ministry reopens them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from institutions.models import Category
from institutions.services import institution_close, institution_update
from reports.entry.models import ReportStatus
from reports.entry.workflow import report_reopen
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum(province_a):
    museum = InstitutionFactory(
        code="GUARD-BT",
        category=Category.MUSEUM,
        province=province_a,
        opened_year=2000,
    )
    ReportFactory(institution=museum, year=2022, status=ReportStatus.APPROVED)
    ReportFactory(institution=museum, year=2024, status=ReportStatus.APPROVED)
    return museum


@pytest.mark.parametrize(
    ("change", "field", "named"),
    [
        ({"category": Category.LIBRARY_PROVINCIAL}, "category", "2022, 2024"),
        ({"closed_year": 2023}, "closed_year", "2024"),
        ({"opened_year": 2023}, "opened_year", "2022"),
    ],
)
def test_a_change_moving_approved_figures_is_refused_naming_the_reports(
    museum, officer_a, change, field, named
):
    with pytest.raises(ValidationError) as refused:
        institution_update(institution=museum, user=officer_a, **change)

    message = " ".join(refused.value.message_dict[field])
    assert f"năm {named}." in message
    museum.refresh_from_db()
    assert museum.category == Category.MUSEUM
    assert (museum.opened_year, museum.closed_year) == (2000, None)


def test_closing_after_the_approved_years_is_allowed(museum, officer_a):
    institution_close(institution=museum, closed_year=2025, user=officer_a)
    museum.refresh_from_db()
    assert museum.closed_year == 2025


def test_after_the_ministry_reopens_the_reports_the_change_goes_through(
    museum, officer_a, ministry_user
):
    for report in museum.annual_reports.all():
        report_reopen(user=ministry_user, report=report, reason="Đổi loại hình")

    institution_update(
        institution=museum, user=officer_a, category=Category.LIBRARY_PROVINCIAL
    )

    museum.refresh_from_db()
    assert museum.category == Category.LIBRARY_PROVINCIAL


def test_the_page_and_the_admin_refuse_it_too(client, museum, officer_a, administrator):
    client.force_login(officer_a)
    response = client.post(
        reverse("institutions:close", args=[museum.pk]), {"closed_year": 2023}
    )
    assert response.status_code in (200, 400)
    assert "2024" in response.content.decode()
    client.force_login(administrator)
    url = reverse("admin:institutions_institution_change", args=[museum.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value if value is not None else ""
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(category=Category.LIBRARY_PROVINCIAL)
    response = client.post(url, data)
    assert response.status_code == 200
    museum.refresh_from_db()
    assert museum.category == Category.MUSEUM


def test_an_import_refuses_it_and_writes_nothing(museum, officer_a, tmp_path):
    from institutions.imports import institutions_import

    path = tmp_path / "registry.csv"
    path.write_text(
        "code,name,category,province_code\n"
        f"GUARD-BT,{museum.name},library_provincial,{museum.province_id}\n",
        encoding="utf-8",
    )

    result = institutions_import(path=path, user=officer_a)

    assert not result.ok
    assert any("2024" in str(error) for error in result.errors)
    museum.refresh_from_db()
    assert museum.category == Category.MUSEUM
