"""History helpers: what changed between two records (old → new, in the
model's order), a recorded value in words, and reasons stored as fixed words
shown in the reader's language on every history: a report's page, an
institution's page and the audit page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from institutions.models import Category, Institution, Province
from lifelong_learning.history import (
    change_reason_label,
    history_changes,
    history_models,
    value_text,
)
from reports.entry.models import AnnualReport
from reports.periods.models import PeriodExtension, ReportingPeriod
from targets.models import Target
from tests.factories import InstitutionFactory, ReportFactory

pytestmark = pytest.mark.django_db


@translation.override("vi")
def test_fixed_reasons_are_translated_and_written_ones_kept():
    assert change_reason_label("sheet") == "bảng nhập theo năm"
    assert change_reason_label("demo") == "dữ liệu mẫu"
    assert change_reason_label("import") == "nhập từ tệp"
    assert change_reason_label("Sửa theo công văn 12") == "Sửa theo công văn 12"
    assert change_reason_label(None) == ""


def _stamp_reason(obj, reason: str) -> None:
    obj.history.update(history_change_reason=reason)


@pytest.mark.parametrize(
    ("language", "sheet", "demo"),
    [("vi", "bảng nhập theo năm", "dữ liệu mẫu"), ("en", "year sheet", "demo data")],
)
def test_report_and_institution_pages_show_the_reason_in_words(
    client, administrator, language, sheet, demo
):
    report = ReportFactory()
    _stamp_reason(report, "sheet")
    _stamp_reason(report.institution, "demo")
    client.force_login(administrator)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    report_page = client.get(reverse("reports:detail", args=[report.pk]))
    content = report_page.content.decode()
    assert f"· {sheet}" in content
    assert "· sheet<" not in content
    institution_page = client.get(report.institution.get_absolute_url())
    content = institution_page.content.decode()
    assert f"· {demo}" in content
    assert "· demo<" not in content


def test_the_admins_history_page_shows_the_reason_in_words(client, administrator):
    report = ReportFactory()
    report.institution.history.update(history_change_reason="import")
    client.force_login(administrator)
    content = client.get(
        reverse("admin:institutions_institution_history", args=[report.institution.pk])
    ).content.decode()
    assert "nhập từ tệp" in content
    assert "<td>import</td>" not in content


def test_the_models_with_a_history_come_from_simple_historys_registry():
    assert set(history_models()) == {
        Institution,
        AnnualReport,
        Target,
        ReportingPeriod,
        PeriodExtension,
    }


def _oldest_first(obj) -> list:
    return list(obj.history.order_by("history_date", "history_id"))


def test_changes_are_old_to_new_in_the_models_order(geography):
    institution = InstitutionFactory(name="Thư viện A", opened_year=2000)
    institution.opened_year = 2001
    institution.name = "Thư viện B"
    institution.save()
    created, changed = _oldest_first(institution)

    changes = history_changes(changed, created)

    assert [(c.name, c.old, c.new) for c in changes] == [
        ("name", "Thư viện A", "Thư viện B"),
        ("opened_year", 2000, 2001),
    ]
    with translation.override("en"):
        assert [c.label for c in changes] == ["name", "opening year"]


def test_a_created_record_lists_the_fields_that_have_a_value(geography):
    institution = InstitutionFactory(code="HIST-1", commune=None, closed_year=None)
    (created,) = _oldest_first(institution)

    changes = {c.name: (c.old, c.new) for c in history_changes(created)}

    assert changes["code"] == (None, "HIST-1")
    assert changes["province"] == (None, institution.province_id)
    # Nothing to nothing is no change; derived fields are not editable.
    assert not {"commune", "closed_year", "name_search", "id"} & set(changes)


def test_changes_can_be_limited_to_some_fields_or_leave_some_out(geography):
    report = ReportFactory(learning_visits=10)
    report.learning_visits = 12
    report.version = 2
    report.save()
    created, changed = _oldest_first(report)

    assert [c.name for c in history_changes(changed, created)] == [
        "learning_visits",
        "version",
    ]
    assert [
        c.name for c in history_changes(changed, created, include=["learning_visits"])
    ] == ["learning_visits"]
    assert [c.name for c in history_changes(changed, created, exclude=["version"])] == [
        "learning_visits"
    ]


@translation.override("en")
def test_values_read_as_words_choices_lists_relations_and_numbers(geography):
    field = Institution._meta.get_field
    assert value_text(field("category"), Category.MUSEUM) == "Museum"
    assert value_text(field("commune"), None) == "—"
    assert value_text(field("name"), "") == "—"
    assert value_text(field("opened_year"), 2001) == "2001"
    assert value_text(field("province"), "01") == "01"
    province = Province.objects.get(code="01")

    def name_of(model, key):
        return model.objects.get(pk=key).name

    assert value_text(field("province"), "01", name_of) == province.name
    report_field = AnnualReport._meta.get_field
    assert value_text(report_field("lll_services"), True) == "yes"
    assert value_text(report_field("learning_visits"), 32547) == "32,547"
    criteria = Target._meta.get_field("criteria")
    lll = str(report_field("lll_services").verbose_name)
    visits = str(report_field("learning_visits").verbose_name)
    assert value_text(criteria, ["lll_services", "learning_visits"]) == (
        f"{lll}, {visits}"
    )
    categories = Target._meta.get_field("categories")
    assert value_text(categories, [Category.MUSEUM]) == "Museum"
