"""The English detector of the journeys, on strings (no browser)."""

from .conftest import english_vocabulary, english_words


def test_flags_the_registry_pagination_left_in_english():
    assert english_words("« previous  Trang 2 trên 14  next »") == ["previous", "next"]


def test_flags_django_admin_words():
    found = english_words("Lọc theo trạng thái Show counts Run")
    assert found == ["Show", "counts", "Run"]


def test_flags_a_raw_field_code_made_of_english_words():
    assert english_words("Lọc: library_lll_services") == ["library", "services"]


def test_flags_english_change_reasons():
    assert english_words("Lý do thay đổi: sheet; demo") == ["sheet", "demo"]


def test_flags_words_of_the_catalogue_that_no_translation_uses():
    # "Lifelong learning" is a msgid; neither word appears in a translation.
    assert english_words("Lifelong learning") == ["Lifelong", "learning"]


def test_passes_vietnamese_text():
    text = (
        "Bảng điều khiển · Cổng thông tin Quyết định 1520\n"
        "Năm 2025 · Thành phố Hà Nội · 0/1 thiết chế đã báo cáo\n"
        "Trung tâm Văn hóa - Thể thao xã Tân Long: can thiệp, chuyển sang, "
        "than, con số, ban hành, hang động, Long An, Tây Ninh, Kon Tum\n"
        "« trước  Trang 2 trên 14  sau »  Nhập số liệu  Gửi báo cáo"
    )
    assert english_words(text) == []


def test_passes_codes_and_formats_written_alike_in_both_languages():
    text = "Tải CSV · XLSX · PDF · API · DEMO-01-001 · GPL-3.0-or-later · 2.025"
    assert english_words(text) == []


def test_passes_addresses():
    assert english_words("Xem http://127.0.0.1:8000/api/v1/docs/ hoặc a@b.vn") == []


def test_vocabulary_comes_from_the_catalogue_less_its_translations():
    vocabulary = english_vocabulary()
    assert {"dashboard", "previous", "museums"} <= vocabulary
    # In msgstrs as well (formats, acronyms) or Vietnamese syllables.
    assert not {"csv", "pdf", "xlsx", "tin", "can", "long"} & vocabulary
