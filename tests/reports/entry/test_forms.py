"""Forms of annual reports: parsing, the rules of report_values_check, which
rows of a sheet are saved, and the sheet's filter."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation

from institutions.models import Category
from reports.entry.forms import (
    CountField,
    ReportForm,
    SheetFilterForm,
    SheetForm,
    YesNoField,
    default_report_year,
)
from reports.entry.models import ReportStatus
from reports.entry.selectors import sheet_page
from tests.conftest import PROVINCE_A, PROVINCE_B
from tests.factories import ReportFactory
from tests.reports.conftest import libraries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("text", "value"), [("", None), ("0", 0), (" 12 ", 12), ("2147483647", 2147483647)]
)
def test_count_field_reads_plain_digits_in_either_language(language, text, value):
    with translation.override(language):
        assert CountField().clean(text) == value


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [("vi", "1.234", 1234), ("vi", "10.215", 10215), ("vi", "1.234.567", 1234567),
     ("en", "1,234", 1234), ("en", "10,215", 10215), ("en", "1,234,567", 1234567)],
)  # fmt: skip
def test_count_field_reads_the_grouping_of_the_active_language(language, text, value):
    with translation.override(language):
        assert CountField().clean(text) == value


VI_REFUSAL = (
    "Nhập số nguyên từ 0 trở lên, chỉ gồm chữ số, có thể nhóm hàng nghìn bằng "
    "dấu chấm (1.234)."
)
EN_REFUSAL = (
    "Enter a whole number of 0 or more, in digits only; thousands may be grouped "
    "with a comma (1,234)."
)


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [("vi", "1,234", VI_REFUSAL), ("en", "1.234", EN_REFUSAL)]
    + [("vi", bad, VI_REFUSAL) for bad in
       ("-1", "1,5", "1.5", "12.34", "1.2345", "0.123", ".123", "1..234", "1e3",
        "abc", "١٢", "1 234")]
    + [("en", bad, EN_REFUSAL) for bad in ("1.5", "1,5", "1,2345", "1.234,5")],
)  # fmt: skip
def test_count_field_refuses_anything_else_saying_what_it_accepts(
    language, text, message
):
    """1,234 is a decimal in Vietnamese and 1.234 one in English: refused."""
    with translation.override(language):
        with pytest.raises(ValidationError) as refusal:
            CountField().clean(text)
        assert refusal.value.messages == [message]


@pytest.mark.parametrize(("text", "value"), [("", None), ("1", True), ("0", False)])
def test_yes_no_field(text, value):
    assert YesNoField().clean(text) is value


def test_yes_no_field_compares_stored_booleans_as_unchanged():
    field = YesNoField()
    assert not field.has_changed(True, "1")
    assert not field.has_changed(False, "0")
    assert not field.has_changed(None, "")
    assert field.has_changed(True, "0")


def form(institution, data, report=None, year=2024):
    return ReportForm(data, institution=institution, year=year, report=report)


def test_report_form_offers_only_the_applicable_fields(museum_a):
    assert form(museum_a, None).applicable == (
        "education_programme",
        "digital_exhibitions",
        "study_visits",
    )


def test_report_form_refuses_a_value_for_a_field_that_does_not_apply(library_a):
    bound = form(library_a, {"version": "0", "study_visits": "3"})
    assert not bound.is_valid()
    assert "không áp dụng" in bound.non_field_errors()[0]


def test_report_form_refuses_a_year_outside_the_active_years(library_a):
    bound = form(library_a, {"version": "0", "lll_services": "1"}, year=1990)
    assert not bound.is_valid()
    assert "không hoạt động" in bound.non_field_errors()[0]


def test_report_form_gives_an_entry_with_the_expected_version(library_a):
    report = ReportFactory(institution=library_a, learning_visits=3)
    bound = form(
        library_a,
        {"version": "1", "lll_services": "0", "learning_visits": "4"},
        report=report,
    )
    assert bound.is_valid(), bound.errors
    entry = bound.entry()
    assert entry.values == {
        "lll_services": False,
        "digital_transformation": None,
        "learning_visits": 4,
    }
    assert entry.expected_version == 1
    assert bound.value_changes == ["lll_services", "learning_visits"]


def test_report_form_offers_an_explanation_beside_each_warning(library_a):
    previous = ReportFactory(institution=library_a, year=2023, learning_visits=10)
    warning = {"field": "learning_visits", "year": 2023, "before": 10, "value": 100}
    report = ReportFactory(
        institution=library_a,
        learning_visits=100,
        warnings=[{**warning, "explanation": "Mở thêm phòng đọc"}],
    )
    unbound = ReportForm(
        institution=library_a, year=2024, report=report, previous=previous
    )
    ((shown, field),) = unbound.warning_fields
    assert (shown["field"], field.name) == (
        "learning_visits",
        "explanation_learning_visits",
    )
    assert field.value() == "Mở thêm phòng đọc"
    data = {"version": "1", "learning_visits": "100"}
    bound = ReportForm(
        {**data, "explanation_learning_visits": "  Lý do  "},
        institution=library_a,
        year=2024,
        report=report,
        previous=previous,
    )
    assert bound.is_valid(), bound.errors
    assert bound.entry().explanations == {"learning_visits": "Lý do"}
    assert bound.value_changes == ["explanation_learning_visits"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (" ab ", "Lời giải thích cần ít nhất 3 ký tự (lời này có 2 ký tự)."),
        ("x" * 501, "Lời giải thích dài tối đa 500 ký tự (lời này có 501 ký tự)."),
    ],
)
def test_report_form_refuses_an_explanation_too_short_or_too_long(
    library_a, text, message
):
    bound = form(
        library_a,
        {"version": "0", "learning_visits": "4", "explanation_learning_visits": text},
    )
    assert not bound.is_valid()
    assert bound.errors["explanation_learning_visits"] == [message]


def test_sheet_form_saves_only_the_rows_the_user_changed(geography):
    first, second, third = libraries(3)
    ReportFactory(institution=second, learning_visits=5)
    ReportFactory(institution=third, status=ReportStatus.APPROVED, learning_visits=1)
    _page, rows = sheet_page(
        province_code=PROVINCE_A, year=2024, category=Category.LIBRARY_DISTRICT
    )
    data = QueryDict(mutable=True)
    data.update(
        {
            f"r{first.pk}-version": "0",
            f"r{first.pk}-lll_services": "1",
            f"r{second.pk}-version": "1",
            f"r{second.pk}-learning_visits": "5",
        }
    )
    sheet = SheetForm(data, rows=rows, year=2024)
    assert sheet.is_valid()
    assert [entry.institution for entry in sheet.entries()] == [first]
    locked = sheet.forms[2]
    assert locked.read_only and not locked.is_bound


@pytest.mark.parametrize(("language", "typed"), [("vi", "10.215"), ("en", "10,215")])
def test_sheet_form_reads_grouped_counts_and_an_equal_value_as_unchanged(
    geography, language, typed
):
    """10.215 typed beside a stored 10215 changes nothing; typed in a new row,
    it is saved as 10215."""
    first, second = libraries(2)
    ReportFactory(institution=second, lll_services=True, learning_visits=10215)
    _page, rows = sheet_page(
        province_code=PROVINCE_A, year=2024, category=Category.LIBRARY_DISTRICT
    )
    data = QueryDict(mutable=True)
    for institution, version in ((first, "0"), (second, "1")):
        data.update(
            {
                f"r{institution.pk}-version": version,
                f"r{institution.pk}-lll_services": "1",
                f"r{institution.pk}-learning_visits": typed,
            }
        )

    with translation.override(language):
        sheet = SheetForm(data, rows=rows, year=2024)
        assert sheet.is_valid()
        entries = sheet.entries()

    assert [(e.institution, e.values["learning_visits"]) for e in entries] == [
        (first, 10215)
    ]


def test_sheet_form_checks_a_locked_row_that_was_posted(geography):
    (institution,) = libraries(1)
    ReportFactory(institution=institution, status=ReportStatus.APPROVED)
    _page, rows = sheet_page(
        province_code=PROVINCE_A, year=2024, category=Category.LIBRARY_DISTRICT
    )
    data = QueryDict(mutable=True)
    data.update(
        {f"r{institution.pk}-version": "1", f"r{institution.pk}-lll_services": "1"}
    )
    sheet = SheetForm(data, rows=rows, year=2024)
    assert sheet.is_valid()
    assert [entry.values["lll_services"] for entry in sheet.entries()] == [True]


def test_sheet_filter_defaults_and_fences(officer_a, ministry_user):
    officer = SheetFilterForm(QueryDict(), user=officer_a)
    assert officer.is_valid()
    assert officer.cleaned_data["year"] == default_report_year()
    assert officer.cleaned_data["province"].code == PROVINCE_A
    assert "province" not in officer.fields
    other = SheetFilterForm(QueryDict(f"province={PROVINCE_B}"), user=officer_a)
    assert other.requested_province_code == PROVINCE_B
    staff = SheetFilterForm(
        QueryDict(f"province={PROVINCE_B}&category=museum&year=2023"),
        user=ministry_user,
    )
    assert staff.is_valid()
    assert (staff.cleaned_data["province"].code, staff.cleaned_data["year"]) == (
        PROVINCE_B,
        2023,
    )
    assert not SheetFilterForm(QueryDict("year=1900"), user=officer_a).is_valid()
