"""What goes wrong in a file: the error of a row (:class:`RowError`), the
errors of a file, counted but kept only up to ``ERRORS_KEPT``
(:class:`RowErrors`), and a file that cannot be read as a table at all
(:class:`TableError`)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A file with errors is refused, whatever its other rows hold: an import keeps
# and shows the first errors and stops reading once it has found this many.
ERRORS_KEPT = 1000
_VALUE_DISPLAY_LIMIT = 80


@dataclass(frozen=True)
class RowError:
    """One problem in a file: the row (1 is the header), the column, the value
    as read and the reason. ``row`` is ``None`` for the file as a whole."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return str(self.message)
        value = self.value
        if len(value) > _VALUE_DISPLAY_LIMIT:
            value = value[: _VALUE_DISPLAY_LIMIT - 1] + "…"
        if not self.column:
            return _("row %(row)s: %(message)s") % {
                "row": self.row,
                "message": self.message,
            }
        return _('row %(row)s, column %(column)s, value "%(value)s": %(message)s') % {
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }


class RowErrors(list):
    """The errors (or warnings) of a file: every one is counted in ``total``,
    the first ``keep`` are kept (a file whose every row is wrong would
    otherwise hold millions). ``full`` once ``keep`` are kept: then the file
    is refused whatever its remaining rows hold, and an import stops reading
    there, recording the last row it read in ``stopped_at``."""

    def __init__(self, errors: Iterable[RowError] = (), *, keep: int | None = None):
        super().__init__()
        self.keep = ERRORS_KEPT if keep is None else keep
        self.total = 0
        self.stopped_at: int | None = None
        self.extend(errors)

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self) < self.keep:
            super().append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def __reduce__(self):
        # Pickled with its counts (the upload's check is kept as a pickle); the
        # default would add the items back through ``extend`` before them.
        return _row_errors_restore, (list(self), self.keep, self.total, self.stopped_at)

    @property
    def full(self) -> bool:
        return self.total >= self.keep

    @property
    def hidden(self) -> int:
        """How many were counted but not kept."""
        return self.total - len(self)

    def stopped_message(self) -> str:
        """Where and why reading stopped early, for people; empty if it did not."""
        if self.stopped_at is None:
            return ""
        return _(
            "Reading stopped at row %(row)s after the first %(kept)s errors: the "
            "file is refused anyway, and the rows after it were not checked. "
            "Correct these rows and upload the file again."
        ) % {
            "row": self.stopped_at,
            "kept": number_format(self.keep, force_grouping=True),
        }


def _row_errors_restore(
    errors: list[RowError], keep: int, total: int, stopped_at: int | None
) -> RowErrors:
    restored = RowErrors(errors, keep=keep)
    restored.total = total
    restored.stopped_at = stopped_at
    return restored


class TableError(Exception):
    """The file cannot be read as a table: wrong type, not UTF-8, empty, or a
    header with unknown or missing columns. ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


def file_error(message: str, *, row: int | None = None) -> TableError:
    return TableError([RowError(row, "", "", message)])
