"""Reasons stored as fixed words are shown in the reader's language on every
history: a report's page, an institution's page and the audit page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lifelong_learning.history import change_reason_label
from tests.factories import ReportFactory

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
