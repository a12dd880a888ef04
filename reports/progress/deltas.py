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

from institutions.models import Institution
from reports.progress import counters
from reports.progress.counters import Institutions
from reports.progress.models import InstitutionCount, PanelCount, ReportCount

# A write of more institutions recounts its slices instead (an import).
MAX_INSTITUTIONS = 200

# Per counter model: the fields that add up (the first one counts rows: a
# counter row whose count reaches zero is deleted, as a recount would not
# have it).
SUMMED = {
    InstitutionCount: ("institutions",),
    ReportCount: (
        "reports",
        "learning_visits_total",
        "learning_visits_given",
        "study_visits_total",
        "study_visits_given",
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


def contributions(ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> dict:
    """What the institutions ``ids`` contribute to each counter, as
    {model: {key: [summed values]}}, counted from their rows as they are
    now."""
    scope = Institutions(ids)
    found = {
        InstitutionCount: counters._institution_counts(scope, using),
        ReportCount: counters._report_counts(scope, using),
        PanelCount: counters.panel_counts(scope, counters.panel_pairs(using), using),
    }
    result = {}
    for model, rows in found.items():
        width = len(SUMMED[model])
        sums = defaultdict(lambda width=width: [0] * width)
        for row in rows:
            key = tuple(getattr(row, name) for name in KEYS[model])
            values = sums[key]
            for index, name in enumerate(SUMMED[model]):
                values[index] += getattr(row, name) or 0
        result[model] = dict(sums)
    return result


def _provinces(ids, using) -> set[str]:
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
        self.before = contributions(self.ids, self.using)
        return self

    def finish(self) -> None:
        after = contributions(self.ids, self.using)
        moved = _provinces(self.ids, self.using) - self.provinces
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
