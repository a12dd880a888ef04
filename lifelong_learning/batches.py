"""All-or-nothing imports of a file's rows, a batch at a time.

An import reads the rows once, in one transaction (:func:`import_all_or_nothing`):
each batch is checked and, while no row so far has an error, written; after the
first error the rest is only checked, so that every error is reported, and
then everything is rolled back. An import that loses a unique-constraint race
to another is read again from the start, against the data the other left, up
to ``IMPORT_ATTEMPTS`` times. The apps say what a row is and how a batch is
checked and written (:class:`ImportPass`); the reading, the stop after
``ERRORS_KEPT`` errors, the transaction and the retries live here.
"""

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from .jobs import job_progress
from .tabular import RowError, RowErrors, TableError

# An import racing another over the same keys loses on the unique constraint;
# it is then run again, against the data as the other import left it.
IMPORT_ATTEMPTS = 3

Row = tuple[int, dict[str, str]]
# An import's rows: ``(row_number, values)`` pairs, or a function giving them.
Rows = Iterable[Row] | Callable[[], Iterable[Row]]


class SeenKeys:
    """The keys of a file's rows seen so far (an institution code, a code and
    a year), each with the row where it first appeared, to find repeats.

    The most recent ``memory_keys`` stay in a dict; older ones move to a
    temporary SQLite file, so memory stays bounded whatever the file's size.
    Close it (or use it as a context manager) to remove the file.
    """

    def __init__(self, memory_keys: int = 100_000):
        self.memory_keys = memory_keys
        self._recent: dict[str, int] = {}
        self._spilled: sqlite3.Connection | None = None
        self._directory: tempfile.TemporaryDirectory | None = None

    def first_row(self, key: str, row: int) -> int | None:
        """The row where ``key`` first appeared, or ``None`` when this is its
        first appearance (then ``row`` is remembered as it)."""
        first = self._recent.get(key)
        if first is None and self._spilled is not None:
            found = self._spilled.execute(
                "SELECT row FROM seen WHERE key = ?", (key,)
            ).fetchone()
            first = found[0] if found else None
        if first is not None:
            return first
        self._recent[key] = row
        if len(self._recent) >= self.memory_keys:
            self._spill()
        return None

    def _spill(self) -> None:
        if self._spilled is None:
            self._directory = tempfile.TemporaryDirectory(prefix="portal-import-")
            path = os.path.join(self._directory.name, "seen.sqlite3")
            self._spilled = sqlite3.connect(path)
            self._spilled.execute("PRAGMA journal_mode = OFF")
            self._spilled.execute("PRAGMA synchronous = OFF")
            self._spilled.execute(
                "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID"
            )
        with self._spilled:
            self._spilled.executemany(
                "INSERT INTO seen (key, row) VALUES (?, ?)", self._recent.items()
            )
        self._recent = {}

    def close(self) -> None:
        if self._spilled is not None:
            self._spilled.close()
            self._spilled = None
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


@dataclass
class ImportResult:
    """What an import found (and, unless it was a dry run, wrote). Every
    error is counted, the first ``ERRORS_KEPT`` kept (:class:`RowErrors`)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: RowErrors = field(default_factory=RowErrors)
    written: bool = False

    def __post_init__(self):
        if not isinstance(self.errors, RowErrors):
            self.errors = RowErrors(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged

    def summary(self) -> str:
        """The counts in words, for the message after a write."""
        raise NotImplementedError


class ImportPass:
    """One reading of an import's rows. Each row is handed to :meth:`take`,
    which checks it alone and may add it to ``batch``; every ``batch_size``
    rows (and at the end) :meth:`check_batch` checks the batch against the
    database and, in a writing pass, writes it. Reading stops once the errors
    are full: the file is refused whatever its other rows hold.

    A subclass sets ``result`` (an :class:`ImportResult`) and ``seen`` (the
    :class:`SeenKeys` of its rows, closed when the reading ends).
    """

    result: ImportResult
    seen: SeenKeys

    def __init__(self, *, write: bool):
        self.write = write
        self.batch: list = []
        self.checked = 0  # rows read so far

    @property
    def batch_size(self) -> int:
        raise NotImplementedError

    def take(self, row: int, values: dict[str, str]) -> None:
        raise NotImplementedError

    def check_batch(self, batch: list) -> None:
        raise NotImplementedError

    def announce(self) -> None:
        """Tells the apps above what the (committed) pass wrote."""

    def run(self, rows: Iterable[Row]) -> ImportResult:
        errors = self.result.errors
        with self.seen:
            try:
                for row, values in rows:
                    self.take(row, values)
                    self.checked += 1
                    if len(self.batch) >= self.batch_size:
                        self._flush()
                    if errors.full:
                        errors.stopped_at = row
                        break
            except TableError as error:
                errors.extend(error.errors)
            self._flush()
        return self.result

    def _flush(self) -> None:
        if self.batch:
            batch, self.batch = self.batch, []
            self.check_batch(batch)
            self.progress()

    def progress(self) -> None:
        """Tells the background job running this import, if any, how far it
        got (lifelong_learning/jobs.py); rows count as written while none has
        an error."""
        result = self.result
        written = result.new + result.updated
        job_progress(
            checked=self.checked,
            written=written if self.write and not result.errors else None,
            errors=result.errors.total,
        )


class _Replay:
    """A one-shot iterator of rows that can be read again: the rows read the
    first time are kept (and so is the error that ended it), and a later
    reading gives them again before it reads on."""

    def __init__(self, rows: Iterable[Row]):
        self._source = iter(rows)
        self._kept: list[Row] = []
        self._ended = False
        self._error: Exception | None = None

    def __iter__(self) -> Iterator[Row]:
        index = 0
        while True:
            if index < len(self._kept):
                yield self._kept[index]
            elif self._error is not None:
                raise self._error
            elif self._ended:
                return
            else:
                try:
                    row = next(self._source)
                except StopIteration:
                    self._ended = True
                    return
                except Exception as error:
                    self._error = error
                    raise
                self._kept.append(row)
                yield row
            index += 1


def rows_opener(rows: Rows) -> Callable[[], Iterable[Row]]:
    """A function that gives ``rows`` afresh for each reading: ``rows`` itself
    when it is a function; a collection, or a reader that reads its file again
    on each iteration (a ``TableReader``), as it is; a one-shot iterator (a
    generator) read once, its rows kept for the readings after the first (in
    memory: a large import passes a reader or a function instead)."""
    if callable(rows):
        return rows
    if iter(rows) is rows:
        rows = _Replay(rows)
    return lambda: rows


class _Rollback(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


def import_all_or_nothing(
    rows: Rows,
    *,
    new_pass: Callable[[bool], ImportPass],
    race_message: str,
    dry_run: bool = False,
    attempts: int = IMPORT_ATTEMPTS,
) -> ImportResult:
    """Runs a pass of ``new_pass(write)`` over ``rows`` (see
    :func:`rows_opener`). A dry run only checks. Otherwise the pass writes in
    one transaction, all or nothing: a result with errors is rolled back and
    returned; one without is announced (:meth:`ImportPass.announce`),
    committed and returned ``written``. A unique-constraint race runs the
    pass again, up to ``attempts`` times; then the result holds
    ``race_message`` alone, nothing written."""
    if dry_run:
        return new_pass(False).run(rows() if callable(rows) else rows)
    reopen = rows_opener(rows)
    result_class = ImportResult
    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                writer = new_pass(True)
                result_class = type(writer.result)
                result = writer.run(reopen())
                if result.errors:
                    raise _Rollback(result)
                writer.announce()
        except _Rollback as rollback:
            return rollback.result
        except IntegrityError:
            continue
        result.written = True
        return result
    return result_class(errors=[RowError(None, "", "", race_message)])
