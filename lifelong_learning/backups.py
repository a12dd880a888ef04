"""Backups of everything the portal owns: ``manage.py export_all DIR`` and
``manage.py import_all DIR``.

A backup is a directory with one JSON Lines file per table (Django's ``jsonl``
serialization, primary keys kept) and ``manifest.json``: the schema version
(last migration of each app), and for every file its table, row count and
SHA-256. It holds the geography, the registry with its history, targets,
annual reports with their transitions and history, accounts (with password
hashes, so that people can log in after a restore), groups, API tokens and
the admin log; login attempts and sessions are left out. **The directory is
therefore as sensitive as the database**: it is created readable by its owner
only.

Content types and permissions are written by natural key, since their ids
differ between databases; every other row keeps its primary key, so that
links between rows survive.

A restore checks the manifest (schema, files, checksums, counts) before it
writes anything, then replaces the portal's tables in one transaction: any
error leaves the database exactly as it was.
"""

import datetime
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from lifelong_learning.signals import data_written_send

MANIFEST = "manifest.json"
FORMAT = "lifelong-learning-portal-backup"
FORMAT_VERSION = 1
PORTAL_APPS = ("jobs", "institutions", "targets", "reports")
OTHER_MODELS = ("auth.group", "auth.user", "authtoken.token", "admin.logentry")
# Apps whose schema a backup depends on: the portal's and those of OTHER_MODELS.
SCHEMA_APPS = (*PORTAL_APPS, "auth", "authtoken", "admin", "contenttypes")
# Tables that migrations fill (geography, targets) or post_migrate (groups): a
# database holding only these counts as empty.
SEEDED_MODELS = frozenset(
    {
        "institutions.province",
        "institutions.commune",
        "institutions.formerprovince",
        "targets.target",
        "targets.historicaltarget",
        "auth.group",
    }
)
BATCH_SIZE = 2000
_NATURAL_KEY_MODELS = (ContentType, Permission)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class TableSummary:
    model: str
    rows: int


def derived_models() -> list[type[models.Model]]:
    """Tables that hold only what can be recomputed (a model flagged
    ``derived = True``, such as the progress counters): left out of backups,
    emptied on a restore and rebuilt through :data:`data_written`."""
    return [
        model
        for app_label in PORTAL_APPS
        for model in apps.get_app_config(app_label).get_models()
        if getattr(model, "derived", False)
    ]


def backup_models() -> list[type[models.Model]]:
    """Every table a backup holds, in an order where a row comes after the
    rows it refers to (checks are deferred to the end of the restore anyway)."""
    result = [
        model
        for app_label in PORTAL_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.proxy and not getattr(model, "derived", False)
    ]
    result[0:0] = [apps.get_model(label) for label in OTHER_MODELS[:2]]
    result += [apps.get_model(label) for label in OTHER_MODELS[2:]]
    return result


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _file_name(model: type[models.Model]) -> str:
    return f"{_label(model)}.jsonl"


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps them whole
    (history is ordered by its dates)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(JsonlSerializer):
    """JSON Lines with natural keys for content types and permissions only:
    every other reference keeps its primary key (restored as is)."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(
            field.remote_field.model, _NATURAL_KEY_MODELS
        )
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(
            field.remote_field.model, _NATURAL_KEY_MODELS
        )
        super().handle_m2m_field(obj, field)


def schema_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The applied migrations of every app a backup depends on."""
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {app: [] for app in SCHEMA_APPS}
    for app_label, name in recorder.applied_migrations():
        if app_label in applied:
            applied[app_label].append(name)
    return {app: sorted(names) for app, names in applied.items()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _queryset(model: type[models.Model], using: str):
    queryset = model._base_manager.using(using).order_by("pk")
    m2m = [field.name for field in model._meta.local_many_to_many]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    fk_natural = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, _NATURAL_KEY_MODELS)
    ]
    if fk_natural:
        queryset = queryset.select_related(*fk_natural)
    return queryset


def _counted(rows: Iterator, counter: list[int]) -> Iterator:
    for row in rows:
        counter[0] += 1
        yield row


def _export_tables(directory: Path, using: str) -> list[dict]:
    connection = connections[using]
    outermost = not connection.in_atomic_block
    entries = []
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table: rows written meanwhile are all in
            # or all out, so references between tables stay whole.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
        for model in backup_models():
            path = directory / _file_name(model)
            counter = [0]
            with _private_open(path) as handle:
                _Serializer().serialize(
                    _counted(_queryset(model, using).iterator(BATCH_SIZE), counter),
                    stream=handle,
                    use_natural_foreign_keys=True,
                    cls=_Encoder,
                )
            entries.append(
                {
                    "model": _label(model),
                    "file": path.name,
                    "rows": counter[0],
                    "sha256": _sha256(path),
                }
            )
    return entries


def _private_open(path: Path):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")


def backup_export(*, directory: str | Path, using: str = DEFAULT_DB_ALIAS) -> list:
    """Writes a backup of every table of the portal into ``directory`` (created
    if missing; it must be empty) and returns a :class:`TableSummary` per table.

    ``manifest.json`` is written last: a directory without it is an
    interrupted backup, which :func:`backup_import` refuses.
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(
            _("%(directory)s is not an empty directory; choose a new one.")
            % {"directory": directory}
        )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    entries = _export_tables(directory, using)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "schema": schema_state(using),
        "tables": entries,
    }
    partial = directory / (MANIFEST + ".partial")
    with _private_open(partial) as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, directory / MANIFEST)
    return [TableSummary(entry["model"], entry["rows"]) for entry in entries]


# Restore --------------------------------------------------------------------------


def _manifest_read(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(
            _(
                "%(directory)s holds no %(manifest)s: it is not a backup, or the "
                "export was interrupted."
            )
            % {"directory": directory, "manifest": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        tables = manifest["tables"]
        if manifest["format"] != FORMAT or manifest["version"] != FORMAT_VERSION:
            raise ValueError
        for entry in tables:
            if not (
                isinstance(entry["model"], str)
                and isinstance(entry["file"], str)
                and isinstance(entry["rows"], int)
                and isinstance(entry["sha256"], str)
            ):
                raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise BackupError(
            _("%(manifest)s is damaged or not from this portal.") % {"manifest": path}
        ) from error
    return manifest


def _manifest_check(directory: Path, manifest: dict, using: str) -> list[dict]:
    """Returns the manifest's tables in restore order once everything matches:
    the schema, the set of tables, each file's checksum and row count."""
    if manifest.get("schema") != schema_state(using):
        raise BackupError(
            _(
                "The backup was made with another version of the database schema. "
                "Restore it with the version of the portal that made it (same "
                "migrations), then upgrade."
            )
        )
    by_model = {entry["model"]: entry for entry in manifest["tables"]}
    expected = [_label(model) for model in backup_models()]
    missing = [label for label in expected if label not in by_model]
    unknown = [label for label in by_model if label not in expected]
    if missing or unknown:
        raise BackupError(
            _("The backup's tables do not match this portal: %(tables)s.")
            % {"tables": ", ".join(missing + unknown)}
        )
    for entry in manifest["tables"]:
        path = directory / entry["file"]
        if Path(entry["file"]).name != entry["file"] or not path.is_file():
            raise BackupError(
                _("The file %(file)s of the backup is missing.")
                % {"file": entry["file"]}
            )
        if _sha256(path) != entry["sha256"]:
            raise BackupError(
                _(
                    "The file %(file)s does not match its checksum in the manifest: "
                    "it was changed or damaged after the export."
                )
                % {"file": entry["file"]}
            )
    return [by_model[label] for label in expected]


def database_has_data(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables, beyond those filled by migrations, that hold rows."""
    return [
        _label(model)
        for model in backup_models()
        if _label(model) not in SEEDED_MODELS
        and model._base_manager.using(using).exists()
    ]


def _tables(backed_up: list[type[models.Model]]) -> list[str]:
    tables = []
    for model in backed_up:
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.append(field.remote_field.through._meta.db_table)
    return tables


def _insert(model, objects: list, using: str) -> None:
    """Inserts rows exactly as stored, like ``loaddata``: no ``save()``, no
    signals (so no new history), ``auto_now`` dates kept."""
    fields = model._meta.local_concrete_fields
    connection = connections[using]
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    for start in range(0, len(objects), size):
        model._base_manager._insert(
            objects[start : start + size], fields=fields, using=using, raw=True
        )


def _m2m_insert(model, links: dict, using: str) -> None:
    for field_name, pairs in links.items():
        if not pairs:
            continue
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        through._base_manager.using(using).bulk_create(
            [through(**{source: a, target: b}) for a, b in pairs],
            batch_size=BATCH_SIZE,
        )


def _load_table(model, path: Path, expected_rows: int, using: str) -> int:
    rows = 0
    batch: list = []
    links: dict[str, list] = {f.name: [] for f in model._meta.local_many_to_many}
    with path.open(encoding="utf-8") as handle:
        for item in serializers.deserialize("jsonl", handle, using=using):
            if type(item.object) is not model:
                raise BackupError(
                    _("The file %(file)s holds rows of another table.")
                    % {"file": path.name}
                )
            rows += 1
            batch.append(item.object)
            for name, values in (item.m2m_data or {}).items():
                links[name].extend((item.object.pk, value) for value in values)
            if len(batch) >= BATCH_SIZE:
                _insert(model, batch, using)
                batch = []
    if batch:
        _insert(model, batch, using)
    _m2m_insert(model, links, using)
    if rows != expected_rows:
        raise BackupError(
            _("The file %(file)s has %(rows)s rows; the manifest says %(expected)s.")
            % {"file": path.name, "rows": rows, "expected": expected_rows}
        )
    return rows


def backup_import(
    *, directory: str | Path, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> list[TableSummary]:
    """Restores a backup written by :func:`backup_export`, all or nothing.

    Refuses a damaged or incomplete backup, one of another schema, and (unless
    ``force``) a database that already holds data beyond what migrations put
    there. Replaces the content of every backed-up table in one transaction;
    on any error nothing is written.
    """
    directory = Path(directory)
    manifest = _manifest_read(directory)
    entries = _manifest_check(directory, manifest, using)
    backed_up = backup_models()
    connection = connections[using]
    try:
        with transaction.atomic(using=using):
            if not force:
                filled = database_has_data(using)
                if filled:
                    raise BackupError(
                        _(
                            "The database is not empty (%(tables)s hold data): "
                            "restore into a newly migrated database, or pass "
                            "--force to replace its content."
                        )
                        % {"tables": ", ".join(filled)}
                    )
            # PostgreSQL refuses to TRUNCATE a table with foreign-key checks
            # still pending in the transaction: run them now.
            connection.check_constraints()
            # The progress counters are derived: emptied, then recounted.
            flush = connection.ops.sql_flush(
                no_style(),
                _tables([*backed_up, *derived_models()]),
                allow_cascade=False,
            )
            connection.ops.execute_sql_flush(flush)
            summaries = []
            for model, entry in zip(backed_up, entries, strict=True):
                rows = _load_table(
                    model, directory / entry["file"], entry["rows"], using
                )
                summaries.append(TableSummary(entry["model"], rows))
            connection.check_constraints(table_names=_tables(backed_up))
            statements = connection.ops.sequence_reset_sql(no_style(), backed_up)
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            # Derived tables (the progress counters) are rebuilt by their app.
            data_written_send("backups", using=using)
    except BackupError:
        raise
    except Exception as error:
        raise BackupError(
            _("The backup could not be restored; nothing was written. %(error)s")
            % {"error": error}
        ) from error
    return summaries
