"""What a file is before its rows are read: its format, from its name
(:func:`table_format`), and whether its content matches it and stays within
the limits (:func:`table_content_check`): a hostile file is refused before it
is opened."""

import codecs
import os
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .errors import file_error

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
# An XLSX archive that would expand too much (a "zip bomb") is refused before
# it is opened: real sheets compress about 10 to 15 times; a bomb, hundreds or
# thousands of times.
XLSX_MAX_UNCOMPRESSED_BYTES = 1024**3
XLSX_MAX_RATIO = 100
XLSX_MAX_MEMBERS = 10_000
_RATIO_MIN_BYTES = 1024 * 1024
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


def table_format(name: str | Path) -> str:
    """Returns ``"csv"`` or ``"xlsx"`` from the file name's extension.

    Raises :class:`TableError` for any other extension.
    """
    suffix = Path(str(name)).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise file_error(
            _(
                "The file %(name)s is neither CSV nor XLSX: its name must end "
                "in .csv or .xlsx."
            )
            % {"name": Path(str(name)).name}
        )
    return suffix


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def not_xlsx_message() -> str:
    return _("The file is not an XLSX spreadsheet (Excel 2007 or later).")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def _xlsx_archive_check(handle: BinaryIO) -> None:
    """Reads the archive's directory only: the parts of a workbook must be
    there, and no part may expand beyond the limits."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise file_error(not_xlsx_message()) from error
    names = {member.filename for member in members}
    if not all(name in names for name in _XLSX_MEMBERS):
        if "mimetype" in names or "content.xml" in names:
            raise file_error(
                _(
                    "The file is an OpenDocument spreadsheet (.ods), not XLSX. "
                    "Save it as “Excel 2007-365 (.xlsx)” and try again."
                )
            )
        raise file_error(not_xlsx_message())
    expanded = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    too_dense = any(
        member.file_size > _RATIO_MIN_BYTES
        and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if (
        len(members) > XLSX_MAX_MEMBERS
        or expanded > XLSX_MAX_UNCOMPRESSED_BYTES
        or too_dense
        or (expanded > _RATIO_MIN_BYTES and expanded > XLSX_MAX_RATIO * max(packed, 1))
    ):
        raise file_error(
            _(
                "The XLSX file would expand to %(size)s MB when opened, far more "
                "than any register; it was refused without being opened. Save "
                "the table again from your spreadsheet program."
            )
            % {"size": _megabytes(expanded)}
        )


def table_content_check(
    handle: BinaryIO, name: str | Path, *, max_bytes: int | None = None
) -> None:
    """Refuses a file whose content does not match the type its name gives
    (an XLSX named .csv, an old .xls, UTF-16 text, a PDF…), a file larger
    than ``max_bytes``, and an XLSX archive that would expand too much.

    Reads the first bytes and, for XLSX, the archive's directory; never the
    rows. ``handle`` is a seekable binary file; it is left at its start.
    Raises :class:`TableError` with a message saying what to do.
    """
    expected = table_format(name)
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    if max_bytes is not None and size > max_bytes:
        raise file_error(
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": _megabytes(max_bytes)}
        )
    if size == 0:
        raise file_error(_("The file is empty."))
    head = handle.read(4096)
    handle.seek(0)
    if head.startswith(_OLE2_SIGNATURE):
        raise file_error(
            _(
                "The file is an old Excel workbook (.xls, Excel 97-2003). Save it "
                "as XLSX or as “CSV UTF-8” and try again."
            )
        )
    if expected == CSV:
        if head.startswith(_ZIP_SIGNATURES):
            raise file_error(
                _(
                    "The file is a compressed archive, probably an XLSX "
                    "spreadsheet, but its name ends in .csv: rename it to .xlsx, "
                    "or save it as “CSV UTF-8”."
                )
            )
        if head.startswith(_UTF16_BOMS):
            raise file_error(
                _(
                    "The file is UTF-16 text (“Unicode text”), not UTF-8. Save "
                    "it as “CSV UTF-8” and try again."
                )
            )
        return
    if not head.startswith(_ZIP_SIGNATURES):
        if _looks_like_text(head):
            raise file_error(
                _(
                    "The file is not an XLSX spreadsheet but text, probably CSV: "
                    "rename it to .csv."
                )
            )
        raise file_error(not_xlsx_message())
    _xlsx_archive_check(handle)
    handle.seek(0)
