"""The import pages: upload → preview → confirm, and the XLSX template."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from institutions import forms
from institutions.models import Institution
from jobs.models import ImportJob
from tests.factories import InstitutionFactory

from .conftest import COLUMNS, csv_write, row, xlsx_write

pytestmark = pytest.mark.django_db

IMPORT = reverse("institutions:import")


def upload(client, path, **headers):
    with path.open("rb") as handle:
        return client.post(IMPORT, {"file": handle}, **headers)


def preview_url(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    assert re.fullmatch(r"/institutions/import/[0-9a-f]{32}/", response.url)
    return response.url


def error_rows(response) -> list[tuple]:
    return [(e.row, e.column, e.value) for e in response.context["result"].errors]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_upload_preview_confirm_writes_the_file(client, officer_a, tmp_path, suffix):
    InstitutionFactory(code="SAME", name="Bảo tàng Hà Nội", category="museum",
                       opened_year=1982)  # fmt: skip
    InstitutionFactory(code="OLD", name="Tên cũ")
    rows = [row(code="SAME"), row(code="OLD", name="Tên mới"), row(code="NEW")]
    writer = csv_write if suffix == "csv" else xlsx_write
    path = writer(tmp_path / f"a.{suffix}", rows)
    client.force_login(officer_a)

    url = preview_url(upload(client, path))
    preview = client.get(url)

    result = preview.context["result"]
    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert result.errors == []
    assert 'data-testid="import-confirm"' in preview.text
    assert Institution.objects.count() == 2

    confirmed = client.post(url, HTTP_ACCEPT_LANGUAGE="en")

    # The import ran on the worker (the test settings' immediate backend);
    # its page shows the result and leads to the registry.
    job = ImportJob.objects.get()
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("jobs:detail", kwargs={"pk": job.pk})
    assert Institution.objects.count() == 3
    assert Institution.objects.get(code="OLD").name == "Tên mới"
    assert Institution.objects.get(code="NEW").history.get().history_user == officer_a
    page = client.get(confirmed.url, HTTP_ACCEPT_LANGUAGE="en")
    assert "1 new, 1 updated, 1 unchanged institutions" in page.text
    assert page.context["job"].result["next_url"] == reverse("institutions:list")
    # The stored file is gone and cannot be confirmed twice.
    assert client.post(url).status_code == 409
    assert ImportJob.objects.count() == 1


def test_each_bad_input_is_shown_with_row_column_value_and_nothing_is_written(
    client, administrator, tmp_path, bad_input
):
    path = bad_input.write(tmp_path)
    client.force_login(administrator)

    response = upload(client, path, HTTP_ACCEPT_LANGUAGE="en")
    if response.status_code == 200:
        # Refused by the upload form itself (an empty file).
        assert bad_input.reason in str(response.context["form"].errors["file"])
        return
    url = preview_url(response)
    preview = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    confirm = client.post(url, HTTP_ACCEPT_LANGUAGE="en")

    for page in (preview, confirm):
        assert page.status_code == 200
        errors = page.context["result"].errors
        assert errors
        if bad_input.where:
            assert bad_input.where in error_rows(page)
            _row, column, value = bad_input.where
            assert f"<code>{column}</code>" in page.text
            if value:
                assert f">{value}</code>" in page.text
        assert any(bad_input.reason in e.message for e in errors), errors
        assert 'data-testid="import-errors"' in page.text
        assert 'data-testid="import-confirm"' not in page.text
    assert not Institution.objects.exists()


def test_every_error_is_listed(client, administrator, tmp_path):
    path = csv_write(
        tmp_path / "a.csv",
        [
            row(code="A", category="x"),
            row(code="A"),
            row(code="B", commune_code="22015"),
        ],
    )
    client.force_login(administrator)

    preview = client.get(preview_url(upload(client, path)))

    assert error_rows(preview) == [
        (2, "category", "x"),
        (3, "code", "A"),
        (4, "commune_code", "22015"),
    ]


def test_errors_are_shown_in_vietnamese(client, administrator, tmp_path):
    path = csv_write(tmp_path / "a.csv", [row(category="museumx")])
    client.force_login(administrator)

    preview = client.get(preview_url(upload(client, path)))

    assert "loại không có trong danh sách" in preview.text


def test_officer_rows_of_another_province_are_errors(client, officer_a, tmp_path):
    path = csv_write(
        tmp_path / "a.csv", [row(code="A"), row(code="B", province_code="66")]
    )
    client.force_login(officer_a)

    preview = client.get(preview_url(upload(client, path)), HTTP_ACCEPT_LANGUAGE="en")

    assert error_rows(preview) == [(3, "province_code", "66")]
    assert "outside your province" in preview.text
    assert not Institution.objects.exists()


def test_another_users_upload_cannot_be_seen_or_confirmed(
    client, officer_a, administrator, tmp_path
):
    path = csv_write(tmp_path / "a.csv", [row()])
    client.force_login(officer_a)
    url = preview_url(upload(client, path))

    client.force_login(administrator)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get("/institutions/import/..%2F..%2Fetc/").status_code == 404
    assert not Institution.objects.exists()


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a.ods"])
def test_upload_form_refuses_other_file_types(client, administrator, name):
    client.force_login(administrator)

    response = client.post(
        IMPORT,
        {"file": SimpleUploadedFile(name, b"code\nA\n")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert ".csv or .xlsx" in str(response.context["form"].errors["file"])


def test_upload_form_refuses_files_over_the_size_limit(
    client, administrator, monkeypatch
):
    monkeypatch.setattr(forms, "IMPORT_MAX_BYTES", 10)
    client.force_login(administrator)

    response = client.post(
        IMPORT,
        {"file": SimpleUploadedFile("a.csv", b"code,name\nA,B\n")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "larger than 20 MB" in str(response.context["form"].errors["file"])


def test_ministry_staff_and_anonymous_users_cannot_import(client, ministry_user):
    assert client.get(IMPORT).status_code == 302
    client.force_login(ministry_user)
    assert client.get(IMPORT).status_code == 403


def test_template_has_the_exact_columns_and_drop_down_lists(client, officer_a):
    client.force_login(officer_a)

    response = client.get(reverse("institutions:template"))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('"institutions-template.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert tuple(cell.value for cell in sheet[1]) == COLUMNS
    lists = workbook["lists"]
    assert lists.sheet_state == "hidden"
    by_column = {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in sheet.data_validations.dataValidation
    }
    assert by_column == {
        "C2": "lists!$A$2:$A$13",
        "D2": "lists!$B$2:$B$35",
        "E2": "lists!$C$2:$C$64",
    }
    assert [c.value for c in lists["A"] if c.value][1:] == [
        "library_provincial",
        "library_district",
        "library_commune",
        "library_university",
        "library_specialised",
        "library_armed_forces",
        "library_school",
        "museum",
        "culture_provincial",
        "culture_district",
        "culture_commune",
        "culture_village",
    ]
    province_codes = [c.value for c in lists["B"] if c.value][1:]
    assert len(province_codes) == 34
    assert province_codes[:3] == ["01", "04", "08"]


def test_the_empty_template_filled_in_imports(client, officer_a, tmp_path):
    client.force_login(officer_a)
    response = client.get(reverse("institutions:template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    sheet.append(["T-1", "Thư viện xã", "library_commune", "01", "", "4", 2001, None])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    url = preview_url(upload(client, path))
    client.post(url)

    institution = Institution.objects.get(code="T-1")
    assert (institution.commune_id, institution.opened_year) == ("00004", 2001)
