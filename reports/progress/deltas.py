"""Counter updates by deltas: what a save of a few institutions or reports
costs must not grow with its province.

A write of a few institutions (or of their reports) changes only what those
institutions contribute to the counters: their :class:`InstitutionCount`
rows, their reports' :class:`ReportCount` rows and their like-for-like
:class:`PanelCount` rows (a panel pairs a report with the same institution's
base-year report, so it never crosses institutions). :class:`CountDelta`
counts those contributions before the write and after it (a few small
queries on the institutions' own rows, whatever the size of the country),
and adds the difference to the counter rows (old row out, new row in), in the
writing transaction, under the lock on the provinces' rows that recounts
take too. The recount from scratch (:func:`~reports.progress.counters.counts_refresh`,
``manage.py refresh_counts``) stays the oracle: the counters' property test
checks that any mix of writes leaves the counters as a recount would.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F

from institutions.activity import is_active
from institutions.models import Institution
from reports.entry.models import COUNTED_STATUSES, AnnualReport
from reports.progress import counters
from reports.progress.models import InstitutionCount, PanelCount, ReportCount
from targets.indicators import Count, Criterion

# A write of more institutions recounts its slices instead (an import).
MAX_INSTITUTIONS = 200

# Per counter model: the fields that add up (the first one counts rows: a
# counter row whose count reaches zero is deleted, as a recount would not
# have it).
SUMMED = {
    InstitutionCount: ("institutions",),
    # reports, then each count's total and how many gave it
    ReportCount: (
        "reports",
        *(f"{name}_{sum_}" for name in Count.values for sum_ in ("total", "given")),
    ),
    PanelCount: ("panel", "base_total", "year_total"),
}


def _key_fields(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in SUMMED[model]
    ]


KEYS = {model: _key_fields(model) for model in SUMMED}
CRITERIA = tuple(Criterion.values)
COUNTS = tuple(Count.values)


def contributions(
    ids: Iterable[int], pairs=None, using: str = DEFAULT_DB_ALIAS
) -> dict:
    """What the institutions ``ids`` contribute to each counter, as
    {model: {key: [summed values]}}: the recount's grouping
    (:mod:`reports.progress.counters`) applied in Python to their rows as
    they are now, read with two plain queries. ``pairs`` are the growth
    rows' (count field, base year) panels (read when not given)."""
    ids = sorted(ids)
    if pairs is None:
        pairs = counters.panel_pairs(using)
    result = {
        model: defaultdict(lambda m=model: [0] * len(SUMMED[m])) for model in SUMMED
    }
    if not ids:
        return {model: dict(sums) for model, sums in result.items()}
    institutions = {
        row[0]: row[1:]
        for row in Institution.objects.using(using)
        .filter(pk__in=ids)
        .values_list("pk", "province_id", "category", "opened_year", "closed_year")
    }
    for province, category, opened, closed in institutions.values():
        result[InstitutionCount][(province, category, opened, closed)][0] += 1
    fields = ["institution_id", "year", "status", "on_time", *CRITERIA, *COUNTS]
    counted = defaultdict(dict)  # institution → year → its counted report
    for values in (
        AnnualReport.objects.using(using)
        .filter(institution_id__in=ids, status__in=COUNTED_STATUSES)
        .values(*fields)
    ):
        counted[values["institution_id"]][values["year"]] = values
    for institution, reports in counted.items():
        province, category, opened, closed = institutions[institution]
        for year, report in reports.items():
            mask = counters.criteria_mask(c for c in CRITERIA if report[c] is True)
            key = (
                province,
                category,
                year,
                report["status"],
                is_active(opened, closed, year),
                mask,
                report["on_time"] is True,
            )
            sums = result[ReportCount][key]
            sums[0] += 1
            for index, name in enumerate(COUNTS):
                if report[name] is not None:
                    sums[1 + 2 * index] += report[name]
                    sums[2 + 2 * index] += 1
        for field, base_year in pairs:
            base = reports.get(base_year)
            if base is None or base[field] is None:
                continue
            for year, report in reports.items():
                if year <= base_year or report[field] is None:
                    continue
                key = (
                    province,
                    category,
                    field,
                    base_year,
                    year,
                    report["status"],
                    base["status"],
                )
                sums = result[PanelCount][key]
                sums[0] += 1
                sums[1] += base[field]
                sums[2] += report[field]
    return {model: dict(sums) for model, sums in result.items()}


def _provinces(ids, using) -> set[str]:
    if not ids:
        return set()
    return set(
        Institution.objects.using(using)
        .filter(pk__in=sorted(ids))
        .values_list("province_id", flat=True)
    )


def delta_apply(before: dict, after: dict, using: str = DEFAULT_DB_ALIAS) -> int:
    """Adds ``after`` minus ``before`` to the counter rows: one ``UPDATE``
    per changed key, an ``INSERT`` for a key new to the counters, a
    ``DELETE`` of a row whose count fell to zero. Returns the number of keys
    changed."""
    changed = 0
    for model, summed in SUMMED.items():
        old, new = before.get(model, {}), after.get(model, {})
        for key in old.keys() | new.keys():
            zero = [0] * len(summed)
            pairs = zip(old.get(key, zero), new.get(key, zero), strict=True)
            difference = [b - a for a, b in pairs]
            if not any(difference):
                continue
            changed += 1
            where = dict(zip(KEYS[model], key, strict=True))
            rows = model.objects.using(using).filter(**where)
            updated = rows.update(
                **{
                    name: F(name) + value
                    for name, value in zip(summed, difference, strict=True)
                    if value
                }
            )
            if not updated:
                model.objects.using(using).create(
                    **where, **dict(zip(summed, difference, strict=True))
                )
            elif difference[0] < 0:
                rows.filter(**{summed[0]: 0}).delete()
    return changed


class CountDelta:
    """Counts what a write of the institutions ``ids`` (or of their reports)
    changes, around the write: :meth:`begin` before (locks their provinces,
    reads their contributions), :meth:`finish` after (reads them again, adds
    the difference, bumps the provinces' versions). Both run inside the
    writing transaction."""

    def __init__(
        self, ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS, provinces=()
    ):
        self.ids = frozenset(ids)
        self.using = using
        self.provinces = set(provinces)
        self.before = None

    def begin(self) -> "CountDelta":
        self.provinces |= _provinces(self.ids, self.using)
        counters._lock(self.provinces, self.using)
        self.pairs = counters.panel_pairs(self.using)
        self.before = contributions(self.ids, self.pairs, self.using)
        return self

    def finish(self) -> None:
        after = contributions(self.ids, self.pairs, self.using)
        # An institution's counts carry its province.
        moved = {key[0] for key in after[InstitutionCount]} - self.provinces
        if moved:
            # An institution moved to a province not locked yet.
            counters._lock(moved, self.using)
            self.provinces |= moved
        delta_apply(self.before, after, self.using)
        # Even a write that changes no count (a new name) changes its
        # province's pages (their follow-up lists name institutions).
        counters.versions_bump(self.provinces, self.using)


def delta_possible(ids, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a write of the institutions ``ids`` is counted by a delta: a
    few institutions, inside a transaction (the delta's lock and its
    before-and-after reads must see the write alone)."""
    return (
        ids is not None
        and len(ids) <= MAX_INSTITUTIONS
        and transaction.get_connection(using).in_atomic_block
    )
