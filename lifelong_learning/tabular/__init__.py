"""Reading and writing the exchange tables of ``formats.md`` as CSV or XLSX.

One module per concern: ``errors`` (what goes wrong in a file and how much of
it is kept), ``content`` (a file's format and the checks before it is opened),
``values`` (cell values: formula escaping, codes, yes/no, whole numbers),
``readers`` (streamed rows of CSV and XLSX) and ``writers`` (streamed tables
and templates). Their public names are importable from here.
"""

from .content import (
    CSV,
    FORMATS,
    XLSX,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNCOMPRESSED_BYTES,
    table_content_check,
    table_format,
)
from .errors import ERRORS_KEPT, RowError, RowErrors, TableError
from .readers import (
    HEADER_ROW,
    MAX_COLUMNS,
    MAX_ROWS,
    TableReader,
    table_rows_estimate,
    unnamed_cell_error,
)
from .values import (
    ESCAPE,
    FORMULA_PREFIXES,
    commune_code_normalise,
    escape_formula,
    pad_code,
    parse_non_negative_int,
    parse_yes_no,
    province_code_normalise,
    unescape_formula,
)
from .writers import (
    table_write,
    table_writer,
    xlsx_column_labels,
    xlsx_row,
    xlsx_template_write,
)

__all__ = [
    "CSV",
    "ERRORS_KEPT",
    "ESCAPE",
    "FORMATS",
    "FORMULA_PREFIXES",
    "HEADER_ROW",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "XLSX",
    "XLSX_MAX_MEMBERS",
    "XLSX_MAX_RATIO",
    "XLSX_MAX_UNCOMPRESSED_BYTES",
    "RowError",
    "RowErrors",
    "TableError",
    "TableReader",
    "commune_code_normalise",
    "escape_formula",
    "pad_code",
    "parse_non_negative_int",
    "parse_yes_no",
    "province_code_normalise",
    "table_content_check",
    "table_format",
    "table_rows_estimate",
    "table_write",
    "table_writer",
    "unescape_formula",
    "unnamed_cell_error",
    "xlsx_column_labels",
    "xlsx_row",
    "xlsx_template_write",
]
