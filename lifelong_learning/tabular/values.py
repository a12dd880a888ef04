"""The values of a table's cells: the apostrophe that keeps a spreadsheet from
running text as a formula, codes whose leading zeros a spreadsheet dropped,
yes/no and whole numbers as people write them."""

from django.utils.translation import gettext as _

# Characters that make a spreadsheet treat a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_YES = frozenset({"1", "true", "yes", "có", "co", "x"})
_NO = frozenset({"0", "false", "no", "không", "khong"})


def _formula_like(value: str) -> bool:
    # Apostrophes already in front are skipped so that escaping round-trips.
    return value.lstrip(ESCAPE).startswith(FORMULA_PREFIXES)


def escape_formula(value: str) -> str:
    """Prefixes an apostrophe to text that a spreadsheet would run as a formula."""
    if _formula_like(value):
        return ESCAPE + value
    return value


def unescape_formula(value: str) -> str:
    """Removes the apostrophe that :func:`escape_formula` added."""
    if value.startswith(ESCAPE) and _formula_like(value):
        return value[1:]
    return value


def pad_code(value: str, width: int) -> str:
    """Restores leading zeros that spreadsheets drop: ``pad_code("4", 5)`` is
    ``"00004"``. Anything but a shorter run of digits is returned unchanged."""
    value = value.strip()
    if value.isdigit() and value.isascii() and len(value) < width:
        return value.zfill(width)
    return value


def province_code_normalise(value: str) -> str:
    """``"1"`` → ``"01"``."""
    return pad_code(value, 2)


def commune_code_normalise(value: str) -> str:
    """``"4"`` → ``"00004"``."""
    return pad_code(value, 5)


def parse_yes_no(value: str) -> bool | None:
    """Reads 1/0, true/false, yes/no, có/không in any case; empty is ``None``.

    Raises ``ValueError`` with a translated reason otherwise.
    """
    text = value.strip().casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("not a yes/no value: use 1 or 0, yes or no, có or không"))


def parse_non_negative_int(value: str, *, thousands: str = "") -> int | None:
    """Reads a whole number ≥ 0 written with digits; empty is ``None``.

    With a ``thousands`` separator, the digits may also be grouped in threes
    with it (``1.234.567``); any other separator is refused, since ``1,234``
    is a decimal where the separator is a dot. Files are read without one:
    who wrote a file, in which language, is unknown.

    Raises ``ValueError`` with a translated reason otherwise.
    """
    text = value.strip()
    if not text:
        return None
    if thousands and _grouped(text, thousands):
        text = text.replace(thousands, "")
    if not (text.isdigit() and text.isascii()):
        raise ValueError(
            _(
                "not a whole number of 0 or more: write digits only, without "
                "thousands separators (1234)"
            )
        )
    return int(text)


def _grouped(text: str, separator: str) -> bool:
    head, *groups = text.split(separator)
    return (
        bool(groups)
        and 1 <= len(head) <= 3
        and not head.startswith("0")
        and all(len(group) == 3 for group in groups)
    )
