"""Importing institutions from a CSV or XLSX file (formats.md), all or nothing.

The file is read once, a batch of rows at a time, so memory stays flat, in one
transaction (``lifelong_learning.batches``): every row is checked against the
rules of formats.md and the user's province fence (every error is collected)
and, while no error has been found, each batch is created and updated with
bulk statements, history included; a file with any error leaves nothing
behind. A little over 500 lines: most of it is the one validator of a row's
rules (codes, current and former provinces, communes, years, the fence).
"""

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lifelong_learning import batches
from lifelong_learning.batches import (
    ImportPass,
    Rows,
    SeenKeys,
    import_all_or_nothing,
)
from lifelong_learning.roles import user_can_write_province, user_province
from lifelong_learning.signals import data_written_send
from lifelong_learning.tabular import (
    RowError,
    TableError,
    TableReader,
    commune_code_normalise,
    province_code_normalise,
    unnamed_cell_error,
)
from lifelong_learning.years import year_parse

from .formats import COLUMNS, PROVINCE_COLUMNS, REQUIRED_COLUMNS
from .models import (
    CLOSED_AFTER_OPENED_MESSAGE,
    CODE_FORMAT_MESSAGE,
    CODE_PATTERN,
    Category,
    Commune,
    FormerProvince,
    Institution,
    Province,
    commune_outside_province_message,
    former_province_mismatch_message,
)
from .services import ADD, CHANGE
from .signals import institution_change_errors
from .text import search_key, sort_key

BATCH_SIZE = 1000
NAME_MAX_LENGTH = 255
IMPORT_CHANGE_REASON = "import"
# Fields an import may change, besides the code that identifies the row.
_DATA_FIELDS = tuple(
    Institution._meta.get_field(name).attname
    for name in Institution.DATA_FIELDS
    if name != "code"
)
_UPDATE_FIELDS = [*_DATA_FIELDS, "name_search", "name_sort"]


@dataclass
class ImportResult(batches.ImportResult):
    """What an institution import found (and, unless it was a dry run,
    wrote)."""

    # The provinces whose institutions the write created, changed or moved.
    provinces: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return _(
            "%(new)s new, %(updated)s updated, %(unchanged)s unchanged institutions"
        ) % {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class InstitutionRow:
    """One valid row of an import file, ready to compare and write."""

    row: int
    code: str
    name: str
    category: str
    province_id: str
    commune_id: str | None
    former_province_id: str | None
    opened_year: int | None
    closed_year: int | None

    def instance(self) -> Institution:
        institution = Institution(code=self.code)
        self.apply(institution)
        return institution

    def apply(self, institution: Institution) -> bool:
        """Copies the row onto ``institution``; True when anything changed."""
        changed = False
        for name in _DATA_FIELDS:
            value = getattr(self, name)
            if getattr(institution, name) != value:
                setattr(institution, name, value)
                changed = True
        if changed:
            institution.name_search = search_key(self.name)
            institution.name_sort = sort_key(self.name)
        return changed


class InstitutionRowValidator:
    """Checks rows of an import file one by one against the rules of
    ``formats.md``, collecting every error of a row.

    Holds the geography (a constant size) and the codes seen so far (in
    bounded memory, :class:`SeenKeys`), so that a code repeated in the file is
    caught without keeping any row.
    """

    def __init__(self, *, user=None):
        self.user = user
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.former_provinces = {
            f.code: f for f in FormerProvince.objects.select_related("province")
        }
        self.communes = {c.code: c for c in Commune.objects.select_related("province")}
        self.categories = frozenset(Category.values)
        self.seen = SeenKeys()
        self._writable: dict[tuple[str, str], bool] = {}

    def may_write(self, province_code: str, permission: str) -> bool:
        if self.user is None:
            return True
        key = (province_code, permission)
        if key not in self._writable:
            self._writable[key] = user_can_write_province(
                self.user, province_code, permission
            )
        return self._writable[key]

    def fence_message(self, province_code: str) -> str:
        own = user_province(self.user)
        province = self.provinces.get(province_code)
        name = province.name if province else province_code
        if own is not None:
            return _(
                "%(province)s is outside your province (%(own)s): you may only "
                "import institutions of %(own)s."
            ) % {"province": name, "own": own.name}
        return _("You may not change institutions of %(province)s.") % {
            "province": name
        }

    def validate(
        self, row: int, values: dict[str, str]
    ) -> tuple[InstitutionRow | None, list[RowError]]:
        errors: list[RowError] = []
        unnamed = unnamed_cell_error(row, values)
        if unnamed:
            errors.append(unnamed)
        for column in REQUIRED_COLUMNS:
            if not values.get(column, ""):
                errors.append(
                    RowError(row, column, "", _("a value is required in this column"))
                )

        code = values.get("code", "")
        if code:
            if not re.fullmatch(CODE_PATTERN, code):
                errors.append(RowError(row, "code", code, str(CODE_FORMAT_MESSAGE)))
            elif (first := self.seen.first_row(code, row)) is not None:
                errors.append(
                    RowError(
                        row,
                        "code",
                        code,
                        _("this code is already used in row %(row)s of the file")
                        % {"row": first},
                    )
                )

        name = unicodedata.normalize("NFC", values.get("name", ""))
        if len(name) > NAME_MAX_LENGTH:
            errors.append(
                RowError(
                    row,
                    "name",
                    name,
                    _("longer than %(max)s characters") % {"max": NAME_MAX_LENGTH},
                )
            )

        category = values.get("category", "")
        if category and category not in self.categories:
            errors.append(
                RowError(
                    row,
                    "category",
                    category,
                    _("unknown category; the categories are: %(categories)s")
                    % {
                        "categories": ", ".join(
                            f"{value} ({label})" for value, label in Category.choices
                        )
                    },
                )
            )

        province = self._province(row, values, errors)
        commune = self._commune(row, values, province, errors)
        opened = year_parse(row, "opened_year", values.get("opened_year", ""), errors)
        closed = year_parse(row, "closed_year", values.get("closed_year", ""), errors)
        if opened is not None and closed is not None and closed <= opened:
            errors.append(
                RowError(
                    row,
                    "closed_year",
                    values["closed_year"],
                    str(CLOSED_AFTER_OPENED_MESSAGE),
                )
            )
        if province is not None and not self.may_write(province.code, ADD):
            column = (
                "province_code"
                if values.get("province_code")
                else "legacy_province_code"
            )
            errors.append(
                RowError(
                    row,
                    column,
                    values.get(column, ""),
                    self.fence_message(province.code),
                )
            )
        if errors:
            return None, errors
        legacy = province_code_normalise(values.get("legacy_province_code", ""))
        return (
            InstitutionRow(
                row=row,
                code=code,
                name=name,
                category=category,
                province_id=province.code,
                commune_id=commune.code if commune else None,
                former_province_id=legacy or None,
                opened_year=opened,
                closed_year=closed,
            ),
            [],
        )

    def _province(
        self, row: int, values: dict[str, str], errors: list[RowError]
    ) -> Province | None:
        """The current province, from ``province_code`` or mapped from
        ``legacy_province_code``; both given must agree."""
        raw_current = values.get("province_code", "")
        raw_legacy = values.get("legacy_province_code", "")
        current_code = province_code_normalise(raw_current)
        legacy_code = province_code_normalise(raw_legacy)
        if not current_code and not legacy_code:
            errors.append(
                RowError(
                    row,
                    "province_code",
                    "",
                    _(
                        "a value is required in province_code or in "
                        "legacy_province_code"
                    ),
                )
            )
            return None
        province = former = None
        if current_code:
            province = self.provinces.get(current_code)
            if province is None:
                errors.append(
                    RowError(
                        row,
                        "province_code",
                        raw_current,
                        self._unknown_province_message(current_code),
                    )
                )
        if legacy_code:
            former = self.former_provinces.get(legacy_code)
            if former is None:
                errors.append(
                    RowError(
                        row,
                        "legacy_province_code",
                        raw_legacy,
                        _(
                            "not the code of one of the 63 former provinces "
                            "(before 2025)"
                        ),
                    )
                )
        if province is not None and former is not None:
            if former.province_id != province.code:
                errors.append(
                    RowError(
                        row,
                        "legacy_province_code",
                        raw_legacy,
                        former_province_mismatch_message(former, province),
                    )
                )
                return None
            return province
        if current_code:
            return province
        return former.province if former is not None else None

    def _unknown_province_message(self, code: str) -> str:
        former = self.former_provinces.get(code)
        if former is not None:
            return _(
                "not one of the 34 current provinces: %(code)s was the code of "
                "former %(former)s, which merged into %(merged)s (%(merged_code)s); "
                "put %(code)s in legacy_province_code or %(merged_code)s in "
                "province_code"
            ) % {
                "code": code,
                "former": former.name,
                "merged": former.province.name,
                "merged_code": former.province_id,
            }
        return _("not the code of one of the 34 current provinces")

    def _commune(
        self,
        row: int,
        values: dict[str, str],
        province: Province | None,
        errors: list[RowError],
    ) -> Commune | None:
        raw = values.get("commune_code", "")
        code = commune_code_normalise(raw)
        if not code:
            return None
        commune = self.communes.get(code)
        if commune is None:
            errors.append(
                RowError(
                    row, "commune_code", raw, _("not the code of a current commune")
                )
            )
            return None
        if province is not None and commune.province_id != province.code:
            errors.append(
                RowError(
                    row,
                    "commune_code",
                    raw,
                    commune_outside_province_message(commune, province),
                )
            )
            return None
        return commune


# The file column of each institution field a refusal may name.
_IMPORT_COLUMN = {
    "province": "province_code",
    "former_province": "legacy_province_code",
    "commune": "commune_code",
}


def _batch_write(
    creates: list[Institution], updates: list[Institution], *, user
) -> None:
    """Creates and updates a checked batch, with history."""
    history_user = user if user is not None and user.is_authenticated else None
    if creates:
        bulk_create_with_history(
            creates,
            Institution,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=IMPORT_CHANGE_REASON,
        )
    if updates:
        bulk_update_with_history(
            updates,
            Institution,
            _UPDATE_FIELDS,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=IMPORT_CHANGE_REASON,
        )


class _InstitutionPass(ImportPass):
    """One reading of an institution file: each row is validated alone, each
    batch of valid rows compared with the registry (one query) and, when
    writing, created and updated."""

    def __init__(self, *, user, write: bool):
        super().__init__(write=write)
        self.user = user
        self.validator = InstitutionRowValidator(user=user)
        self.seen = self.validator.seen
        self.result = ImportResult()

    @property
    def batch_size(self) -> int:
        return BATCH_SIZE

    def take(self, row: int, values: dict[str, str]) -> None:
        item, errors = self.validator.validate(row, values)
        self.result.errors.extend(errors)
        if item is not None:
            self.batch.append(item)

    def check_batch(self, batch: list[InstitutionRow]) -> None:
        result = self.result
        validator = self.validator
        existing = {
            institution.code: institution
            for institution in Institution.objects.filter(
                code__in=[item.code for item in batch]
            )
        }
        creates: list[Institution] = []
        updates: list[Institution] = []
        changed_rows: list[tuple[InstitutionRow, Institution, Institution]] = []
        for item in batch:
            institution = existing.get(item.code)
            if institution is None:
                creates.append(item.instance())
                continue
            if not validator.may_write(institution.province_id, CHANGE):
                result.errors.append(
                    RowError(
                        item.row,
                        "code",
                        item.code,
                        _("an institution with this code exists in another province")
                        + ": "
                        + validator.fence_message(institution.province_id),
                    )
                )
                continue
            province_before = institution.province_id
            stored = copy.copy(institution)
            if item.apply(institution):
                updates.append(institution)
                changed_rows.append((item, stored, institution))
                result.provinces.add(province_before)
            else:
                result.unchanged += 1
        refused = institution_change_errors(
            [(stored, changed) for _item, stored, changed in changed_rows]
        )
        for item, _stored, changed in changed_rows:
            for name, message in refused.get(changed.pk, {}).items():
                result.errors.append(
                    RowError(item.row, _IMPORT_COLUMN.get(name, name), "", message)
                )
        result.new += len(creates)
        result.updated += len(updates)
        if not self.write or result.errors:
            return
        result.provinces.update(i.province_id for i in (*creates, *updates))
        _batch_write(creates, updates, user=self.user)

    def announce(self) -> None:
        data_written_send("institutions", provinces=self.result.provinces)


def institution_rows_import(
    *, rows: Rows, user=None, dry_run: bool = False
) -> ImportResult:
    """Imports ``(row_number, values)`` rows, all or nothing.

    ``rows`` (or what the function ``rows`` returns) is read in one
    transaction: every row is validated and compared with the registry
    (collecting every error, until ``ERRORS_KEPT`` have been found: reading
    stops there) and, while no row so far has an error, written in batches; a
    file with any error leaves nothing behind. A dry run only checks.
    ``user`` ``None`` (the command line) is not fenced to a province.
    """
    return import_all_or_nothing(
        rows,
        new_pass=lambda write: _InstitutionPass(user=user, write=write),
        race_message=_(
            "The registry changed while the file was being imported; "
            "nothing was written. Please import the file again."
        ),
        dry_run=dry_run,
    )


def institutions_import(
    *, path: str | Path, user=None, dry_run: bool = False
) -> ImportResult:
    """Imports a CSV or XLSX file of institutions (``formats.md``), all or
    nothing; see :func:`institution_rows_import`."""
    try:
        reader = TableReader(
            path,
            columns=COLUMNS,
            required=REQUIRED_COLUMNS,
            one_of=[PROVINCE_COLUMNS],
        )
    except TableError as error:
        return ImportResult(errors=error.errors)
    return institution_rows_import(rows=reader, user=user, dry_run=dry_run)
