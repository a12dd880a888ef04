"""Keys that make Vietnamese text searchable without diacritics and sortable in
Vietnamese alphabetical order, on every database backend, and the forms a place
name takes inside another name."""

import unicodedata

# Letters of the Vietnamese alphabet in dictionary order; f, j, w, z follow for
# foreign words.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y",
    "f", "j", "w", "z",
]  # fmt: skip
_LETTER_RANK = {letter: 20 + index for index, letter in enumerate(_ALPHABET)}
# Tone marks in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_TONE_MARKS = frozenset(_TONE_RANK)


def search_key(text: str) -> str:
    """Returns ``text`` lower-cased, without diacritics and with single spaces.

    "Đắk Lắk" and "dak  lak" both give "dak lak".
    """
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


# Words that say what kind of place a name is; people look a place up under
# its proper name ("Tỉnh Đắk Lắk" under Đ, "Thành phố Hà Nội" under H).
_DIVISION_PREFIXES = ("thành phố ", "tỉnh ", "phường ", "xã ", "đặc khu ")


def proper_name(name: str) -> str:
    """Returns ``name`` without a leading division word: "Tỉnh Đắk Lắk" gives
    "Đắk Lắk", "Phường Ba Đình" gives "Ba Đình"."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    lowered = text.casefold()
    for prefix in _DIVISION_PREFIXES:
        if lowered.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text


def inner_name(name: str) -> str:
    """Returns ``name`` as it reads inside another name, its division word in
    lower case: "Tỉnh Đắk Lắk" gives "tỉnh Đắk Lắk" (as in "Thư viện tỉnh Đắk
    Lắk")."""
    return name[:1].lower() + name[1:]


def place_sort_key(name: str) -> str:
    """Sort key of a province, commune or former province: its proper name in
    Vietnamese order, the division word breaking ties."""
    return sort_key(proper_name(name)) + "01" + sort_key(name)


def sort_key(text: str) -> str:
    """Returns a string of digits whose plain order is Vietnamese dictionary order.

    Letters compare first (a < ă < â < b … đ after d), then tones. Only digits
    are used so that any database collation orders the keys the same way.
    """
    primary: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        parts = unicodedata.normalize("NFD", char)
        tone = next((_TONE_RANK[m] for m in parts if m in _TONE_MARKS), 0)
        letter = unicodedata.normalize(
            "NFC", "".join(m for m in parts if m not in _TONE_MARKS)
        )
        if letter in _LETTER_RANK:
            primary.append(f"{_LETTER_RANK[letter]:02d}")
            tones.append(str(tone))
        elif letter.isdigit() and letter.isascii():
            primary.append(f"{2 + int(letter):02d}")
        elif letter.isspace() or not letter.isalnum():
            if primary and primary[-1] != "01":
                primary.append("01")
        else:
            primary.append("90")
    if primary[-1:] == ["01"]:
        primary.pop()
    # "00" is lower than every character code, so a prefix sorts first.
    return "".join(primary) + "00" + "".join(tones)
