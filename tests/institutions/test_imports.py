"""institutions/imports.py: the streaming, all-or-nothing import of a file."""

import tracemalloc

import pytest
from django.utils import translation

from institutions import imports
from institutions.imports import institution_rows_import, institutions_import
from institutions.models import Institution
from tests.factories import InstitutionFactory

from .conftest import csv_write, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Former-province mapping, including the codes that were reused --------------------


@pytest.mark.parametrize(
    ("legacy", "current", "former_name"),
    [
        ("72", "80", "Tỉnh Tây Ninh"),
        ("80", "80", "Tỉnh Long An"),
        ("52", "52", "Tỉnh Bình Định"),
        ("64", "52", "Tỉnh Gia Lai"),
        ("82", "82", "Tỉnh Tiền Giang"),
        ("87", "82", "Tỉnh Đồng Tháp"),
        ("2", "08", "Tỉnh Hà Giang"),
    ],
)
def test_legacy_province_code_maps_to_the_current_province(
    geography, tmp_path, legacy, current, former_name
):
    path = csv_write(
        tmp_path / "a.csv", [row(province_code="", legacy_province_code=legacy)]
    )

    result = institutions_import(path=path)

    assert result.ok, result.errors
    institution = Institution.objects.get()
    assert institution.province_id == current
    assert institution.former_province_id == legacy.zfill(2)
    assert institution.former_province.name == former_name


@pytest.mark.parametrize(
    ("current", "legacy"),
    [
        ("80", "72"),
        ("80", "80"),
        ("52", "52"),
        ("52", "64"),
        ("82", "82"),
        ("82", "87"),
    ],
)
def test_both_codes_given_and_agreeing_are_accepted(
    geography, tmp_path, current, legacy
):
    path = csv_write(
        tmp_path / "a.csv", [row(province_code=current, legacy_province_code=legacy)]
    )

    assert institutions_import(path=path).ok
    assert Institution.objects.get().province_id == current


@pytest.mark.parametrize(
    ("current", "legacy", "merged_into"),
    [
        ("72", "", None),  # former Tây Ninh's code is not a current code
        ("64", "", None),  # nor former Gia Lai's
        ("87", "", None),  # nor former Đồng Tháp's
        ("82", "80", "Tỉnh Tây Ninh"),  # former 80 (Long An) is now in 80, not 82
        ("80", "82", "Tỉnh Đồng Tháp"),  # former 82 (Tiền Giang) is now in 82
        ("52", "87", "Tỉnh Đồng Tháp"),
    ],
)
def test_reused_codes_from_the_wrong_list_are_refused(
    geography, tmp_path, current, legacy, merged_into
):
    path = csv_write(
        tmp_path / "a.csv", [row(province_code=current, legacy_province_code=legacy)]
    )

    result = institutions_import(path=path)

    [error] = result.errors
    if merged_into is None:
        assert (error.column, error.value) == ("province_code", current)
        assert f"put {current} in legacy_province_code" in error.message
    else:
        assert (error.column, error.value) == ("legacy_province_code", legacy)
        assert f"merged into {merged_into}, not into" in error.message
    assert not Institution.objects.exists()


def test_leading_zeros_dropped_by_spreadsheets_are_restored(geography, tmp_path):
    path = csv_write(tmp_path / "a.csv", [row(province_code="1", commune_code="4")])

    assert institutions_import(path=path).ok
    institution = Institution.objects.get()
    assert (institution.province_id, institution.commune_id) == ("01", "00004")


# Upsert, counts and history ---------------------------------------------------------


def test_import_counts_new_updated_and_unchanged_rows(geography, tmp_path, officer_a):
    InstitutionFactory(code="SAME", name="Bảo tàng Hà Nội", category="museum",
                       opened_year=1982)  # fmt: skip
    InstitutionFactory(code="CHANGED", name="Tên cũ")
    path = csv_write(
        tmp_path / "a.csv",
        [row(code="SAME"), row(code="CHANGED", name="Tên mới"), row(code="NEW")],
    )

    preview = institutions_import(path=path, user=officer_a, dry_run=True)
    assert (preview.new, preview.updated, preview.unchanged) == (1, 1, 1)
    assert not preview.written
    assert Institution.objects.count() == 2

    result = institutions_import(path=path, user=officer_a)

    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert result.written
    changed = Institution.objects.get(code="CHANGED")
    assert changed.name == "Tên mới"
    assert changed.name_search == "ten moi"
    history = list(changed.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].history_user == officer_a
    assert history[-1].history_change_reason == "import"
    new = Institution.objects.get(code="NEW")
    assert new.history.get().history_user == officer_a
    assert Institution.objects.get(code="SAME").history.count() == 1


def test_an_import_clears_values_left_empty(geography, tmp_path):
    InstitutionFactory(code="X", closed_year=2025, commune="00004",
                       former_province="01")  # fmt: skip
    path = csv_write(tmp_path / "a.csv", [row(code="X")])

    institutions_import(path=path)

    institution = Institution.objects.get(code="X")
    assert (
        institution.closed_year,
        institution.commune_id,
        institution.former_province_id,
    ) == (None, None, None)


def test_names_are_stored_in_nfc(geography, tmp_path):
    decomposed = "Thu\u031b vie\u0323\u0302n"  # "Thư viện" in NFD
    path = csv_write(tmp_path / "a.csv", [row(name=decomposed)])

    institutions_import(path=path)

    assert Institution.objects.get().name == "Thư viện"


# Streaming and batches -------------------------------------------------------------


def test_rows_are_written_in_batches(geography, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 100)
    created_batches = []
    original = imports.bulk_create_with_history

    def spy(objs, *args, **kwargs):
        created_batches.append(len(objs))
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(imports, "bulk_create_with_history", spy)
    path = csv_write(tmp_path / "a.csv", [row(code=f"C{n}") for n in range(250)])

    result = institutions_import(path=path)

    assert result.new == 250
    assert created_batches == [100, 100, 50]
    assert Institution.objects.count() == 250
    assert Institution.history.count() == 250


def test_a_bad_row_after_written_batches_undoes_them_all(
    geography, tmp_path, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 100)
    rows = [row(code=f"C{n}") for n in range(250)]
    rows.append(row(code="C0"))  # repeats row 2, after two written batches
    result = institutions_import(path=csv_write(tmp_path / "a.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [(252, "code")]
    assert not result.written
    assert not Institution.objects.exists()
    assert not Institution.history.exists()


def test_queries_grow_with_batches_not_rows(
    geography, tmp_path, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 100)
    path = csv_write(tmp_path / "a.csv", [row(code=f"C{n}") for n in range(1000)])

    # One reading of the file: geography (3 queries), then per batch one
    # lookup, one insert for the rows and one for their history; then the
    # progress counters of the provinces written (10).
    with django_assert_max_num_queries(3 + 10 * 3 + 6 + 10):
        assert institutions_import(path=path).new == 1000


def _peak_memory(path) -> int:
    tracemalloc.start()
    try:
        result = institutions_import(path=path, dry_run=True)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.ok
    return peak


def test_memory_stays_flat_whatever_the_file_size(geography, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 200)
    small_rows, large_rows = 400, 3600
    small = csv_write(
        tmp_path / "small.csv", [row(code=f"C{n}") for n in range(small_rows)]
    )
    large = csv_write(
        tmp_path / "large.csv", [row(code=f"C{n}") for n in range(large_rows)]
    )
    institutions_import(path=small, dry_run=True)  # warm caches, untraced

    small_peak = _peak_memory(small)
    large_peak = _peak_memory(large)

    # Only the codes seen so far grow with the file (a few hundred bytes a
    # row); keeping rows or model instances would cost well over 1 kB a row.
    growth_per_row = (large_peak - small_peak) / (large_rows - small_rows)
    assert growth_per_row < 600


def test_rows_of_an_iterable_import_like_a_file(geography):
    rows = [(2, row(code="A")), (3, row(code="B", province_code="66"))]

    result = institution_rows_import(rows=rows)

    assert result.new == 2
    assert result.summary() == "2 new, 0 updated, 0 unchanged institutions"


# Province fence ---------------------------------------------------------------------


def test_officer_may_import_rows_of_their_province_only(geography, tmp_path, officer_a):
    path = csv_write(
        tmp_path / "a.csv",
        [
            row(code="A"),
            row(code="B", province_code="66"),
            row(code="C", province_code="", legacy_province_code="54"),
        ],
    )

    result = institutions_import(path=path, user=officer_a)

    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "province_code", "66"),
        (4, "legacy_province_code", "54"),
    ]
    assert "Tỉnh Đắk Lắk is outside your province (Thành phố Hà Nội)" in str(
        result.errors[0]
    )
    assert not Institution.objects.exists()


def test_officer_may_not_move_another_province_institution_into_theirs(
    geography, tmp_path, officer_a
):
    InstitutionFactory(code="B-1", province="66", name="Thư viện Đắk Lắk")
    path = csv_write(tmp_path / "a.csv", [row(code="B-1")])

    result = institutions_import(path=path, user=officer_a)

    [error] = result.errors
    assert (error.row, error.column, error.value) == (2, "code", "B-1")
    assert "exists in another province" in error.message
    assert Institution.objects.get(code="B-1").province_id == "66"


def test_ministry_staff_may_import_nothing(geography, tmp_path, ministry_user):
    path = csv_write(tmp_path / "a.csv", [row()])

    result = institutions_import(path=path, user=ministry_user)

    assert "You may not change institutions of Thành phố Hà Nội" in str(
        result.errors[0]
    )


def test_administrator_and_command_line_import_everywhere(
    geography, tmp_path, administrator
):
    path = csv_write(
        tmp_path / "a.csv", [row(code="A"), row(code="B", province_code="66")]
    )

    assert institutions_import(path=path, user=administrator).new == 2
    assert institutions_import(path=path, user=None).unchanged == 2
