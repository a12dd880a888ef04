"""One rule for numbers: years as written, counts and decimals in the
reader's language, in the portal's own pages and in the admin."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from institutions.models import Category, Institution
from lifelong_learning.numbers import count_text, field_value_text
from reports.entry.models import AnnualReport, SheetReturn
from targets.models import Target
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _field(model, name):
    return model._meta.get_field(name)


@pytest.mark.parametrize(
    ("language", "count", "decimal"),
    [("vi", "32.547", "61,50"), ("en", "32,547", "61.50")],
)
def test_counts_and_decimals_in_the_readers_language_years_as_written(
    language, count, decimal
):
    with translation.override(language):
        assert count_text(32547) == count
        assert field_value_text(_field(AnnualReport, "learning_visits"), 32547) == count
        assert field_value_text(_field(Target, "threshold"), Decimal("61.5")) == decimal
        for model, name in [
            (AnnualReport, "year"),
            (Institution, "opened_year"),
            (Target, "baseline_year"),
        ]:
            assert field_value_text(_field(model, name), 2025) == "2025"
        assert field_value_text(_field(AnnualReport, "institution"), 1234) == "1234"
        assert field_value_text(_field(AnnualReport, "id"), 1234) == "1234"
        assert field_value_text(_field(AnnualReport, "lll_services"), True) is True
        assert field_value_text(_field(Institution, "name"), "1234") == "1234"


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _cells(html: str, column: str) -> list[str]:
    return re.findall(rf'<td class="field-{column}[^"]*">([^<]*)<', html)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_lists_show_years_as_written(admin_client, geography, language):
    institution = InstitutionFactory(
        code="YEARS",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
        opened_year=1976,
        closed_year=2025,
    )
    ReportFactory(institution=institution, year=2024)
    admin_client.cookies["django_language"] = language

    def page(name, **query):
        response = admin_client.get(reverse(f"admin:{name}_changelist"), query)
        assert response.status_code == 200
        return response.content.decode()

    reports = page("reports_annualreport", year=2024)
    assert _cells(reports, "year") == ["2024"]
    assert 'class="sortable column-year' in reports
    institutions = page("institutions_institution", q="YEARS")
    assert _cells(institutions, "opened_year") == ["1976"]
    assert _cells(institutions, "closed_year") == ["2025"]
    targets = page("targets_target")
    assert set(_cells(targets, "year")) == {"2025", "2030"}
    assert "2.0" not in reports + institutions + targets
    assert "2,0" not in reports + institutions + targets


@pytest.mark.parametrize(
    ("language", "typed", "shown"), [("vi", "12,5", "12,50"), ("en", "12.5", "12.50")]
)
def test_admin_threshold_is_typed_and_shown_as_the_list_shows_it(
    admin_client, geography, language, typed, shown
):
    target = Target.objects.order_by("position").first()
    url = reverse("admin:targets_target_change", args=[target.pk])
    admin_client.cookies["django_language"] = language
    form = admin_client.get(url).context["adminform"].form
    box = form["threshold"]
    assert box.field.widget.input_type == "text"
    data = {name: form[name].value() for name in form.fields}
    data.update(
        criteria=target.criteria,
        categories=target.categories,
        threshold=typed,
        upper="",
        change_reason="",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.threshold == Decimal("12.5")
    box = admin_client.get(url).context["adminform"].form["threshold"]
    assert f'value="{shown}"' in str(box)
    changelist = admin_client.get(reverse("admin:targets_target_changelist"))
    assert shown in _cells(changelist.content.decode(), "threshold")

    history = admin_client.get(
        reverse("admin:targets_target_history", args=[target.pk])
    )
    html = re.sub(r"\s+", " ", history.content.decode())
    assert f"&rarr;&nbsp;&nbsp;{shown}" in html
    assert f"<td>{target.year}</td>" in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_read_only_years_are_written_as_they_are(
    admin_client, province_a, administrator, language
):
    """A returned sheet is shown read only: its year as written, its count of
    reports in the reader's language."""
    sheet = SheetReturn.objects.create(
        province=province_a,
        year=2025,
        category=Category.LIBRARY_DISTRICT,
        comment="Thiếu số liệu",
        reports=1234,
        returned_by=administrator,
    )
    admin_client.cookies["django_language"] = language
    change = reverse("admin:reports_sheetreturn_change", args=[sheet.pk])
    html = admin_client.get(change).content.decode()
    readonly = dict(
        re.findall(r'field-(\w+)">.*?<div class="readonly">([^<]*)<', html, re.S)
    )
    assert readonly["year_as_written"] == "2025"
    assert readonly["reports"] == {"vi": "1.234", "en": "1,234"}[language]
    assert 'name="year"' not in html
    listed = admin_client.get(reverse("admin:reports_sheetreturn_changelist"))
    assert _cells(listed.content.decode(), "year") == ["2025"]


@pytest.mark.parametrize(
    ("language", "typed", "refused"),
    [("vi", "12.345", "12,345"), ("en", "12,345", "12.345")],
)
def test_admin_report_counts_are_typed_as_on_the_year_sheet(
    admin_client, geography, language, typed, refused
):
    report = ReportFactory(
        institution=InstitutionFactory(category=Category.LIBRARY_DISTRICT),
        lll_services=True,
        learning_visits=10,
    )
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    admin_client.cookies["django_language"] = language
    page = admin_client.get(url).context
    form = page["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    for inline in page["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {
                management[name].html_name: value
                for name, value in management.initial.items()
            }
        )

    data["learning_visits"] = refused
    errors = admin_client.post(url, data).context["adminform"].form.errors
    example = {"vi": "(1.234).", "en": "(1,234)."}[language]
    assert errors["learning_visits"][0].endswith(example)
    data["learning_visits"] = typed
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.learning_visits == 12345
