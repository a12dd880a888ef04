"""The report import's screen: the rows it can vouch for without the full
checks, a batch at a time, from plain values (no model instances).

A row passes when it would get no error and no warning from the full checks
(:mod:`reports.entry.imports` and :func:`reports.entry.services.reports_check`)
and becomes a new report: every column reads at once (institution code,
four-digit year up to this one, the institution active in it, yes/no and
whole numbers as written, only the fields of its category), the pair is not
in the file before, the user may write its province, its period takes
entries, no report exists for it and last year's report gives no warning.
The screen never writes a message: any other row goes the full way, so each
error and warning is the one the full checks give. Being conservative is
the rule here: when in doubt, a row is not vouched for.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from institutions.activity import is_active
from institutions.models import Institution
from lifelong_learning.copies import NULL
from lifelong_learning.roles import REPORT_REVIEW, user_can_write_province
from lifelong_learning.tabular import parse_yes_no
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import (
    COUNT_MAX,
    EntryCheck,
    ReportEntry,
    _permission_for,
)
from reports.entry.warnings import warnings_find
from reports.periods.selectors import entry_refusals
from targets.indicators import APPLICABLE_FIELDS, COUNT_FIELDS, REPORT_FIELDS

FIELDS = tuple(REPORT_FIELDS)
_IS_COUNT = tuple(name in COUNT_FIELDS for name in FIELDS)
_APPLICABLE = {
    category: tuple(name in applicable for name in FIELDS)
    for category, applicable in APPLICABLE_FIELDS.items()
}
# Counts of up to nine digits are within COUNT_MAX; longer ones go the full way.
_COUNT_DIGITS = len(str(COUNT_MAX)) - 1
# Yes/no as most files write it; anything else is read by parse_yes_no.
_YES_NO = {"1": "t", "0": "f", "có": "t", "không": "f", "yes": "t", "no": "f"}


@dataclass
class Candidate:
    """A row the screen read in full; ``ok`` once it passed every check."""

    row: int
    values: dict[str, str]
    code: str
    institution_id: int
    province_id: str
    category: str
    year: int
    texts: str  # the report fields in COPY's text format, joined by tabs
    ok: bool = field(default=True)

    @property
    def key(self) -> str:
        # The parser's key of an (institution, year) pair.
        return f"{self.code}\t{self.year}"

    def parsed(self) -> dict:
        """The fields given in the file, as values."""
        parsed = {}
        for name, is_count, text in zip(
            FIELDS, _IS_COUNT, self.texts.split("\t"), strict=True
        ):
            if name in self.values:
                if text == NULL:
                    parsed[name] = None
                else:
                    parsed[name] = int(text) if is_count else text == "t"
        return parsed

    def check(self, institution: Institution) -> EntryCheck:
        """The check the full way gives this row: a new report, no warning."""
        entry = ReportEntry(
            institution=institution, year=self.year, values=self.parsed()
        )
        return EntryCheck(entry=entry, stored=None, previous=None)


class ReportScreen:
    """Screens batches of rows for an import by ``user`` (``None``: the
    system) with ``status``."""

    def __init__(self, *, user, status: str):
        self.user = user
        self.status = status
        self.permission = _permission_for(status)
        self.may_approve = user is None or user.has_perm(REPORT_REVIEW)
        self.writable: dict[str, bool] = {}
        self.refused: dict[tuple[str, int], bool] = {}
        self._years_for = None
        self.years: dict[str, int] = {}

    def institutions(self, codes) -> dict[str, tuple]:
        """``(id, category, opened, closed, province)`` by code."""
        self._years_check()
        columns = ("code", "id", "category", "opened_year", "closed_year")
        rows = _select(Institution, (*columns, "province_id"), code=list(codes))
        return {row[0]: row[1:] for row in rows}

    def _years_check(self) -> None:
        # The years a report may be entered for: four digits, in range, not
        # after the current year (read again each batch: a new year may begin).
        current = timezone.localdate().year
        if self._years_for != current:
            last = min(YEAR_MAX, current)
            self.years = {str(year): year for year in range(YEAR_MIN, last + 1)}
            self._years_for = current

    def parse(self, row: int, values: dict[str, str], found: dict) -> Candidate | None:
        """The row read in full, or ``None`` when any cell needs the full way."""
        if values.get(""):
            return None
        code = values.get("institution_code", "")
        institution = found.get(code)
        year = self.years.get(values.get("year", ""))
        if institution is None or year is None:
            return None
        pk, category, opened, closed, province = institution
        if not is_active(opened, closed, year):
            return None
        texts = []
        for name, is_count, applicable in zip(
            FIELDS, _IS_COUNT, _APPLICABLE[category], strict=True
        ):
            text = values.get(name)
            if not text:
                texts.append(NULL)
            elif not applicable:
                return None
            elif is_count:
                if not (
                    len(text) <= _COUNT_DIGITS and text.isdigit() and text.isascii()
                ):
                    return None
                texts.append(str(int(text)))
            else:
                flag = _YES_NO.get(text)
                if flag is None:
                    try:
                        value = parse_yes_no(text)
                    except ValueError:
                        return None
                    flag = NULL if value is None else ("t" if value else "f")
                texts.append(flag)
        return Candidate(
            row, values, code, pk, province, category, year, "\t".join(texts)
        )

    def check(self, candidates: list[Candidate]) -> None:
        """Clears ``ok`` of the candidates that need the full checks: the
        user may not write them, their period refuses entries, their report
        exists, or last year's report gives a warning."""
        if not candidates:
            return
        if self.status == ReportStatus.APPROVED and not self.may_approve:
            for candidate in candidates:
                candidate.ok = False
            return
        self._refusals_load({(c.province_id, c.year) for c in candidates})
        stored, previous = self._reports(candidates)
        for candidate in candidates:
            province = candidate.province_id
            if self.user is not None and province not in self.writable:
                self.writable[province] = user_can_write_province(
                    self.user, province, self.permission
                )
            pair = (candidate.institution_id, candidate.year)
            if (
                (self.user is not None and not self.writable[province])
                or self.refused[province, candidate.year]
                or pair in stored
            ):
                candidate.ok = False
                continue
            before = previous.get((candidate.institution_id, candidate.year - 1))
            if before is not None and warnings_find(candidate.parsed(), before):
                candidate.ok = False

    def _refusals_load(self, pairs: set[tuple[str, int]]) -> None:
        new = pairs - self.refused.keys()
        if new:
            refused = entry_refusals(pairs=new)
            self.refused.update({pair: pair in refused for pair in new})

    def _reports(self, candidates: list[Candidate]):
        """The (institution, year) pairs that have a report, and last year's
        reports of the candidates (their fields, by pair)."""
        rows = _reports_of_pairs({(c.institution_id, c.year) for c in candidates})
        wanted = {(c.institution_id, c.year) for c in candidates}
        stored, previous = set(), {}
        for pk, year, *values in rows:
            if (pk, year) in wanted:
                stored.add((pk, year))
            if (pk, year + 1) in wanted:
                previous[pk, year] = SimpleNamespace(
                    year=year, **dict(zip(FIELDS, values, strict=True))
                )
        return stored, previous


def _select(model, columns: tuple[str, ...], **among: list) -> list[tuple]:
    """``columns`` of the rows of ``model`` whose columns ``among`` hold one
    of the values listed: on PostgreSQL with one array parameter each, not a
    placeholder per value (an import asks this for every batch)."""
    if connection.vendor != "postgresql":
        return list(
            model.objects.filter(
                **{f"{name}__in": values for name, values in among.items()}
            ).values_list(*columns)
        )
    quote = connection.ops.quote_name
    where = " AND ".join(f"{quote(name)} = ANY(%s)" for name in among)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(name) for name in columns)} "
            f"FROM {quote(model._meta.db_table)} WHERE {where}",
            list(among.values()),
        )
        return cursor.fetchall()


def _reports_of_pairs(pairs: set[tuple[int, int]]) -> list[tuple]:
    """``(institution_id, year, *FIELDS)`` of the reports of ``pairs`` and of
    the year before each.

    On PostgreSQL each institution is looked up in the unique index of
    (institution, year), for its two years: filtering by institutions and
    years instead lets the planner scan the whole table or the year's index,
    which the import itself keeps growing."""
    columns = ("institution_id", "year", *FIELDS)
    wanted = pairs | {(pk, year - 1) for pk, year in pairs}
    if connection.vendor != "postgresql":
        found = _select(
            AnnualReport,
            columns,
            institution_id=list({pk for pk, _year in wanted}),
            year=list({year for _pk, year in wanted}),
        )
        return [row for row in found if (row[0], row[1]) in wanted]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join('r.' + quote(name) for name in columns)} "
            "FROM unnest(%s::bigint[], %s::integer[]) AS p (institution_id, year) "
            f"CROSS JOIN LATERAL (SELECT * FROM "
            f"{quote(AnnualReport._meta.db_table)} AS s "
            "WHERE s.institution_id = p.institution_id "
            "AND s.year BETWEEN p.year - 1 AND p.year "
            # LIMIT keeps the subquery apart: never a join on the whole table.
            "LIMIT 2) AS r",
            [[pk for pk, _year in pairs], [year for _pk, year in pairs]],
        )
        return cursor.fetchall()
