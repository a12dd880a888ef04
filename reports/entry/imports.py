"""Importing annual reports from a CSV or XLSX file (formats.md), all or nothing.

The file is read once, a batch of rows at a time, so memory stays flat, in one
transaction (``lifelong_learning.batches``): every row is checked (every error
and warning is collected) and, while no error has been found, each batch is
written with bulk statements (history and status transitions included); a file
with any error leaves nothing behind.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from institutions.models import Institution, Province
from lifelong_learning import batches
from lifelong_learning.batches import (
    ImportPass,
    Rows,
    SeenKeys,
    import_all_or_nothing,
)
from lifelong_learning.copies import copy_supported
from lifelong_learning.signals import data_written_send
from lifelong_learning.tabular import (
    RowError,
    RowErrors,
    TableError,
    TableReader,
    parse_non_negative_int,
    parse_yes_no,
    unnamed_cell_error,
)
from lifelong_learning.years import year_parse
from reports.entry.copies import ReportCopier
from reports.entry.formats import IMPORT_COLUMNS, REQUIRED_COLUMNS
from reports.entry.models import ReportStatus
from reports.entry.screens import Candidate, ReportScreen
from reports.entry.services import (
    BATCH_SIZE,
    EntryCheck,
    ReportEntry,
    report_values_check,
    reports_check,
    reports_write,
)
from targets.indicators import COUNT_FIELDS, REPORT_FIELDS

IMPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED)
EXPLANATION = "explanation"
# Rows the screen vouches for skip the per-entry checks (and, on PostgreSQL,
# are written with COPY); off, every row takes the full checks and the batch
# writer. The tests run both ways: the messages must be the same.
FAST_PATH = True


@dataclass
class PreviewRow:
    """A valid row as it will be written, for the preview page."""

    row: int
    institution: Institution
    year: int
    values: dict[str, bool | int | None]
    action: str  # "new", "updated" or "unchanged"


@dataclass
class ImportResult(batches.ImportResult):
    """What a report import found (and, unless it was a dry run, wrote):
    counts and errors, with warnings and the first rows."""

    warnings: RowErrors = field(default_factory=RowErrors)
    preview: list[PreviewRow] = field(default_factory=list)
    # Rows per year sheet (province code, year, category), in file order.
    sheets: dict[tuple[str, int, str], int] = field(default_factory=dict)

    def summary(self) -> str:
        return _(
            "%(new)s new, %(updated)s updated, %(unchanged)s unchanged reports"
        ) % {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}


class ReportRowParser:
    """Turns file rows into :class:`ReportEntry` objects, collecting every
    error of a row. Remembers the (institution, year) pairs seen so far, so a
    pair repeated in the file is caught without keeping any row."""

    def __init__(self):
        self.seen = SeenKeys()

    def parse(
        self, row: int, values: dict[str, str], institutions: dict[str, Institution]
    ) -> tuple[ReportEntry | None, list[RowError]]:
        errors: list[RowError] = []
        unnamed = unnamed_cell_error(row, values)
        if unnamed:
            errors.append(unnamed)
        code = values.get("institution_code", "")
        institution = institutions.get(code)
        if not code:
            errors.append(
                RowError(
                    row, "institution_code", "", _("a value is required in this column")
                )
            )
        elif institution is None:
            errors.append(
                RowError(
                    row, "institution_code", code, _("no institution has this code")
                )
            )
        year = year_parse(row, "year", values.get("year", ""), errors, required=True)
        if code and year is not None:
            first = self.seen.first_row(f"{code}\t{year}", row)
            if first is not None:
                errors.append(
                    RowError(
                        row,
                        "year",
                        values["year"],
                        _(
                            "row %(row)s of the file already has a report of this "
                            "institution for this year"
                        )
                        % {"row": first},
                    )
                )
        parsed = {}
        for name in REPORT_FIELDS:
            if name not in values:
                continue
            parse = parse_non_negative_int if name in COUNT_FIELDS else parse_yes_no
            try:
                parsed[name] = parse(values[name])
            except ValueError as error:
                errors.append(RowError(row, name, values[name], str(error)))
        if institution is None or year is None:
            return None, errors
        if errors:
            # Report the rule breaks of the values that could be read, too.
            check = report_values_check(
                institution=institution, year=year, values=parsed
            )
            errors.extend(
                RowError(row, name, values.get(name, ""), str(message))
                for name, message in check.errors.items()
                if name in parsed
            )
            return None, errors
        return _entry(institution, year, parsed, values), []

    @staticmethod
    def entry(
        values: dict[str, str], institution: Institution, year: int
    ) -> ReportEntry:
        """The entry of a row already known to parse without errors."""
        parsed = {
            name: (parse_non_negative_int if name in COUNT_FIELDS else parse_yes_no)(
                values[name]
            )
            for name in REPORT_FIELDS
            if name in values
        }
        return _entry(institution, year, parsed, values)


def _entry(institution, year, parsed, values) -> ReportEntry:
    # One text for every warning of the row; the rows without one ignore it.
    explanation = values.get(EXPLANATION, "").strip()
    explanations = dict.fromkeys(parsed, explanation) if explanation else {}
    return ReportEntry(
        institution=institution, year=year, values=parsed, explanations=explanations
    )


def _check_errors(
    row: int, values: dict[str, str], check: EntryCheck
) -> list[RowError]:
    errors = []
    for name, message in check.errors.items():
        column = "institution_code" if name == NON_FIELD_ERRORS else name
        if name.startswith(EXPLANATION):
            # One text explains the row: its errors go to that column, once.
            column = EXPLANATION
        error = RowError(row, column, values.get(column, ""), str(message))
        if error not in errors:
            errors.append(error)
    return errors


def _check_warnings(
    row: int, values: dict[str, str], check: EntryCheck
) -> list[RowError]:
    return [
        RowError(
            row, warning["field"], values.get(warning["field"], ""), warning["message"]
        )
        for warning in check.warnings
    ]


class _Pass(ImportPass):
    """One reading of the file: checks (and, when ``write``, writes) it a
    batch of rows at a time. With :data:`FAST_PATH`, rows the
    screen vouches for skip the per-entry checks and, on PostgreSQL, are
    written with ``COPY``; every other row takes the full checks, so each
    error and warning is the one they give."""

    def __init__(
        self, *, user, status: str, write: bool, preview_limit: int, reason: str
    ):
        super().__init__(write=write)
        self.user = user
        self.status = status
        self.preview_limit = preview_limit
        self.reason = reason
        self.parser = ReportRowParser()
        self.seen = self.parser.seen
        self.result = ImportResult()
        self.written_slices: set[tuple[str, str]] = set()
        self.written_years: set[int] = set()
        self.provinces = Province.objects.in_bulk()
        self.screen = ReportScreen(user=user, status=status) if FAST_PATH else None
        self.copier = None
        if self.screen is not None and write and copy_supported():
            self.copier = ReportCopier(
                user=user, status=status, comment=reason, change_reason=reason
            )

    @property
    def batch_size(self) -> int:
        return BATCH_SIZE

    def take(self, row: int, values: dict[str, str]) -> None:
        self.batch.append((row, values))

    def _institutions(self, codes) -> dict[str, Institution]:
        institutions = {
            institution.code: institution
            for institution in Institution.objects.filter(code__in=codes)
        }
        for institution in institutions.values():
            # The 34 provinces are loaded once, not once per institution.
            institution.province = self.provinces[institution.province_id]
        return institutions

    def check_batch(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        # The first rows go the full way: the preview shows their institutions.
        if self.screen is None or len(self.result.preview) < self.preview_limit:
            self._check_full(batch)
        else:
            self._check_fast(batch)

    def _check_full(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        codes = {values.get("institution_code", "") for _row, values in batch}
        institutions = self._institutions(codes)
        parsed = []
        for row, values in batch:
            entry, errors = self.parser.parse(row, values, institutions)
            self.result.errors.extend(errors)
            if entry is not None:
                parsed.append((row, values, entry))
        checks = self._checks(parsed)
        if self.write and not self.result.errors:
            self._write(checks, [])

    def _check_fast(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        result = self.result
        codes = {values.get("institution_code", "") for _row, values in batch}
        found = self.screen.institutions(codes)
        loaded: list[dict[str, Institution]] = []

        def institutions() -> dict[str, Institution]:
            # Model instances only for the batch's rows that go the full way.
            if not loaded:
                loaded.append(self._institutions(codes))
            return loaded[0]

        items = []  # in row order: a candidate, or (row, values, entry)
        for row, values in batch:
            candidate = self.screen.parse(row, values, found)
            if (
                candidate is not None
                and self.seen.first_row(candidate.key, row) is None
            ):
                items.append(candidate)
                continue
            entry, errors = self.parser.parse(row, values, institutions())
            result.errors.extend(errors)
            if entry is not None:
                items.append((row, values, entry))
        self.screen.check([item for item in items if isinstance(item, Candidate)])
        fast, parsed = [], []
        for item in items:
            if not isinstance(item, Candidate):
                parsed.append(item)
            elif item.ok:
                fast.append(item)
            else:
                institution = institutions()[item.code]
                entry = ReportRowParser.entry(item.values, institution, item.year)
                parsed.append((item.row, item.values, entry))
        checks = self._checks(parsed, fast)
        result.new += len(fast)
        if self.write and not result.errors:
            if self.copier is None:
                # Without COPY, the screened rows are written like the others.
                instances = institutions()
                checks += [item.check(instances[item.code]) for item in fast]
                fast = []
            self._write(checks, fast)

    def _checks(self, parsed: list, fast: list[Candidate] = ()) -> list[EntryCheck]:
        """The full checks of ``(row, values, entry)`` items, counted with
        the ``fast`` rows in the sheets, in file order."""
        result = self.result
        sheets = [
            (item.row, (item.province_id, item.year, item.category)) for item in fast
        ]
        checks = []
        if parsed:
            checks = reports_check(
                user=self.user,
                entries=[entry for _row, _values, entry in parsed],
                status=self.status,
                lock=self.write,
            )
        for (row, values, _entry), check in zip(parsed, checks, strict=True):
            result.errors.extend(_check_errors(row, values, check))
            result.warnings.extend(_check_warnings(row, values, check))
            if not check.ok:
                continue
            institution = check.entry.institution
            sheets.append(
                (row, (institution.province_id, check.entry.year, institution.category))
            )
            action = "new" if check.stored is None else "updated"
            if not check.changes(self.status):
                action = "unchanged"
            setattr(result, action, getattr(result, action) + 1)
            if len(result.preview) < self.preview_limit:
                result.preview.append(
                    PreviewRow(
                        row=row,
                        institution=check.entry.institution,
                        year=check.entry.year,
                        values=check.entry.values,
                        action=action,
                    )
                )
        for _row, sheet in sorted(sheets, key=lambda pair: pair[0]):
            result.sheets[sheet] = result.sheets.get(sheet, 0) + 1
        return checks

    def _write(self, checks: list[EntryCheck], fast: list) -> None:
        if checks:
            written = reports_write(
                user=self.user,
                checks=checks,
                status=self.status,
                comment=self.reason,
                change_reason=self.reason,
                recount=False,
            )
            self.written_slices |= written.slices
            self.written_years |= written.years
        if fast:
            self.copier.write(fast)
            self.written_slices |= {(row.province_id, row.category) for row in fast}
            self.written_years |= {row.year for row in fast}

    def announce(self) -> None:
        # Only reports of these years changed: the counters of those years
        # (and the panels they take part in) are recounted.
        data_written_send(
            "reports", slices=self.written_slices, years=self.written_years
        )


def report_rows_import(
    *,
    rows: Rows,
    user=None,
    status: str = ReportStatus.SUBMITTED,
    dry_run: bool = False,
    preview_limit: int = 0,
    source: str = "",
) -> ImportResult:
    """Imports ``(row_number, values)`` rows, all or nothing.

    ``rows`` (or what the function ``rows`` returns) is read in one
    transaction: each batch is checked and, while no row so far has an error,
    written with ``status``; the rest of the file is still checked after an
    error, so every error and warning is reported (until ``ERRORS_KEPT``
    errors have been found: reading stops there), and then nothing is kept. A
    dry run only checks. ``user`` ``None`` (the command line) is not fenced
    to a province.
    """
    reason = _("Imported from %(file)s") % {"file": source} if source else ""
    options = {"user": user, "status": status, "reason": reason}
    return import_all_or_nothing(
        rows,
        new_pass=lambda write: _Pass(
            write=write, preview_limit=preview_limit, **options
        ),
        dry_run=dry_run,
        race_message=_(
            "The reports changed while the file was being imported; "
            "nothing was written. Please import the file again."
        ),
    )


def reports_import(
    *,
    path: str | Path,
    user=None,
    status: str = ReportStatus.SUBMITTED,
    dry_run: bool = False,
    preview_limit: int = 0,
    source: str = "",
) -> ImportResult:
    """Imports a CSV or XLSX file of annual reports (formats.md), all or
    nothing; see :func:`report_rows_import`."""
    try:
        reader = TableReader(path, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS)
    except TableError as error:
        return ImportResult(errors=error.errors)
    return report_rows_import(
        rows=reader,
        user=user,
        status=status,
        dry_run=dry_run,
        preview_limit=preview_limit,
        source=source or Path(path).name,
    )
