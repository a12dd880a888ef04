"""Writing many new rows with PostgreSQL's ``COPY … FROM STDIN``, the fastest
way rows reach a table (an import's reports, their history and transitions).

A :class:`CopyTable` lays out one model's table: the columns that vary from
row to row come first, in the order the caller gives them as text
(:func:`copy_text`); every other column holds the same value in every row
(``constants``, else the field's default), rendered once. Primary keys are
either among the varying columns (reserved with :func:`ids_reserve`) or left
to the table's identity default.
"""

import datetime
import io
import json
from collections.abc import Iterable, Sequence

from django.db import connections, models

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_supported(using: str = "default") -> bool:
    """True when the database takes ``COPY FROM STDIN`` (PostgreSQL)."""
    return connections[using].vendor == "postgresql"


def copy_text(value, field: models.Field | None = None) -> str:
    """``value`` in COPY's text format: ``\\N`` for ``None``, ``t``/``f``,
    ISO dates and times, JSON for a JSON field, escaped text."""
    if value is None:
        return NULL
    if isinstance(field, models.JSONField):
        value = json.dumps(value, cls=field.encoder)
    elif value is True or value is False:
        return "t" if value else "f"
    elif isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


class CopyTable:
    """The COPY layout of ``model``'s table: ``varying`` columns (attnames)
    first, then every other concrete column with its value from
    ``constants`` (by attname) or its default; an automatic primary key not
    among ``varying`` is left to the database. A column with neither a
    value nor a default is refused here, not by the database mid-import."""

    def __init__(
        self, model: type[models.Model], *, varying: Sequence[str], constants: dict
    ):
        self.model = model
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in [*varying, *constants] if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {unknown}")
        rest = []
        for name, field in fields.items():
            if name in varying:
                continue
            if name in constants:
                value = constants[name]
            elif _database_fills(field):
                continue
            elif field.has_default() or field.null:
                value = field.get_default()
            else:
                raise ValueError(f"{model.__name__}.{name} needs a value")
            rest.append((field.column, copy_text(value, field)))
        self.columns = [fields[name].column for name in varying]
        self.columns += [column for column, _text in rest]
        self.tail = "".join(f"\t{text}" for _column, text in rest) + "\n"

    def write(self, lines: Iterable[str], *, using: str = "default") -> None:
        """COPYs ``lines`` (each the varying columns' texts joined by tabs,
        ending with :attr:`tail`) into the table."""
        connection = connections[using]
        quote = connection.ops.quote_name
        sql = (
            f"COPY {quote(self.model._meta.db_table)} "
            f"({', '.join(quote(column) for column in self.columns)}) FROM STDIN"
        )
        data = "".join(lines)
        if not data:
            return
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, io.StringIO(data))
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(data)


def _database_fills(field: models.Field) -> bool:
    automatic = models.AutoField | models.BigAutoField | models.SmallAutoField
    return (field.primary_key and isinstance(field, automatic)) or (
        field.db_default is not models.NOT_PROVIDED
    )


def ids_reserve(
    model: type[models.Model], count: int, *, using: str = "default"
) -> list[int]:
    """``count`` new primary keys of ``model`` from its table's sequence
    (PostgreSQL), as the rows that take them had been inserted one by one."""
    if count == 0:
        return []
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [
                connection.ops.quote_name(model._meta.db_table),
                model._meta.pk.column,
                count,
            ],
        )
        return [row[0] for row in cursor.fetchall()]
