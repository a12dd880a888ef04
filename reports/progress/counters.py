"""Progress counters: the counts behind the dashboards, kept in step with the
data in the same transaction as every write.

A dashboard must not read every report of the years it shows (hundreds of
thousands at national scale), and its figures must never be stale (no batch
rebuild that users wait for, as in DHIS2's analytics tables). So three small
tables (:class:`~reports.models.InstitutionCount`,
:class:`~reports.models.ReportCount`, :class:`~reports.models.PanelCount`) hold
the counts grouped by province, category and year, and whatever writes
institutions or reports recomputes the counters it touched before its
transaction commits:

- single saves and deletes (forms, the admin, services, factories) through the
  ``post_save``/``post_delete`` signals wired in :mod:`reports.apps`: the
  (province, category) slice of the row, before and after;
- bulk writes (imports, sheets, reviews, demo data, restores) by calling
  :func:`counts_refresh` with the slices or provinces they wrote.

A slice's counters are recomputed whole from its rows, under a lock on its
``Province`` row, so concurrent writers of one province take turns and each
recount sees the other's committed rows. :func:`counts_check` compares the
counters with a recount from scratch (``manage.py refresh_counts --check``).
"""

from collections import Counter
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)

from institutions.activity import active_q
from institutions.models import Institution, Province
from reports.entry.models import COUNTED_STATUSES, AnnualReport
from reports.periods.models import ReportingPeriod
from reports.progress.models import (
    CountVersion,
    InstitutionCount,
    PanelCount,
    ReportCount,
)
from targets.indicators import Count as CountField
from targets.indicators import Criterion, Kind
from targets.models import Target

COUNTER_MODELS = (InstitutionCount, ReportCount, PanelCount)
# One bit per criterion, in declaration order: a report's ``criteria`` mask.
CRITERION_BITS = {name: 1 << index for index, name in enumerate(Criterion.values)}
COUNT_FIELDS = tuple(CountField.values)
BATCH_SIZE = 2000


def criteria_mask(criteria: Iterable[str]) -> int:
    """The bits of ``criteria`` in a :class:`ReportCount` ``criteria`` mask."""
    mask = 0
    for name in criteria:
        mask |= CRITERION_BITS[name]
    return mask


def panel_pairs(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, int]]:
    """The (count field, base year) pairs of the growth target rows: the
    like-for-like panels the counters keep."""
    growths = Target.objects.using(using).filter(kind=Kind.GROWTH)
    return sorted({(t.count_field, t.baseline_year) for t in growths if t.count_field})


# A scope is ``None`` (every province) or a list of (province code, category or
# None for every category) pairs: the part of the counters a write touched.
type Scope = list[tuple[str, str | None]] | None


def _in_scope(model, prefix: str, scope: Scope, using: str):
    """The rows of ``model`` in ``scope``; ``prefix`` leads from the model to
    the institution's fields (``"institution__"`` for reports)."""
    rows = model.objects.using(using)
    if scope is None:
        return rows.all()
    whole = sorted({code for code, category in scope if category is None})
    where = Q(**{f"{prefix}province_id__in": whole}) if whole else Q(pk__in=[])
    for code, category in scope:
        if category is not None and code not in whole:
            where |= Q(**{f"{prefix}province_id": code, f"{prefix}category": category})
    return rows.filter(where)


def _institution_counts(scope: Scope, using: str):
    rows = (
        _in_scope(Institution, "", scope, using)
        .order_by()
        .values("province_id", "category", "opened_year", "closed_year")
        .annotate(institutions=Count("pk"))
    )
    return [InstitutionCount(**row) for row in rows]


def _report_counts(scope: Scope, using: str, years=None):
    mask = sum(
        (
            Case(When(**{name: True}, then=Value(bit)), default=Value(0))
            for name, bit in CRITERION_BITS.items()
        ),
        Value(0),
    )
    sums = {}
    for name in COUNT_FIELDS:
        sums[f"{name}_total"] = Sum(name)
        sums[f"{name}_given"] = Count(name)
    reports = _in_scope(AnnualReport, "institution__", scope, using)
    if years is not None:
        reports = reports.filter(year__in=sorted(years))
    rows = (
        reports.filter(status__in=COUNTED_STATUSES)
        .order_by()
        .annotate(
            mask=mask,
            is_active=Case(
                When(active_q(F("year"), prefix="institution__"), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            # A report without a due date (no reporting period) is not on time.
            is_on_time=Case(
                When(on_time=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values(
            "institution__province_id",
            "institution__category",
            "year",
            "status",
            "is_active",
            "mask",
            "is_on_time",
        )
        .annotate(reports=Count("pk"), **sums)
    )
    return [
        ReportCount(
            province_id=row["institution__province_id"],
            category=row["institution__category"],
            year=row["year"],
            status=row["status"],
            active=bool(row["is_active"]),
            criteria=row["mask"],
            on_time=bool(row["is_on_time"]),
            reports=row["reports"],
            **{
                key: row[key] or 0
                for name in COUNT_FIELDS
                for key in (f"{name}_total", f"{name}_given")
            },
        )
        for row in rows
    ]


def panel_counts(
    scope: Scope, pairs, using: str = DEFAULT_DB_ALIAS, years=None
) -> list[PanelCount]:
    """The like-for-like panels of ``pairs`` (count field, base year) in
    ``scope``, counted from the reports, unsaved; with ``years``, only the
    panels that reports of those years take part in (as a later year, or as
    the base year)."""
    counts = []
    for field, base_year in pairs:
        reports = _in_scope(AnnualReport, "institution__", scope, using)
        if years is not None and base_year not in years:
            later = sorted(year for year in years if year > base_year)
            if not later:
                continue
            reports = reports.filter(year__in=later)
        # The same institution's counted base-year report giving the count; the
        # (institution, year) pair is unique, so no row is duplicated.
        rows = (
            reports.filter(
                status__in=COUNTED_STATUSES,
                year__gt=base_year,
                **{f"{field}__isnull": False},
            )
            .annotate(
                base=FilteredRelation(
                    "institution__annual_reports",
                    condition=Q(
                        institution__annual_reports__year=base_year,
                        institution__annual_reports__status__in=COUNTED_STATUSES,
                        **{f"institution__annual_reports__{field}__isnull": False},
                    ),
                )
            )
            .filter(**{f"base__{field}__isnull": False})
            .order_by()
            .values(
                "institution__province_id",
                "institution__category",
                "year",
                "status",
                base_status=F("base__status"),
            )
            .annotate(
                panel=Count("pk"),
                base_total=Sum(f"base__{field}"),
                year_total=Sum(field),
            )
        )
        counts.extend(
            PanelCount(
                province_id=row["institution__province_id"],
                category=row["institution__category"],
                field=field,
                base_year=base_year,
                year=row["year"],
                status=row["status"],
                base_status=row["base_status"],
                panel=row["panel"],
                base_total=row["base_total"] or 0,
                year_total=row["year_total"] or 0,
            )
            for row in rows
        )
    return counts


def _lock(codes, using) -> list[str]:
    provinces = Province.objects.using(using).select_for_update().order_by("code")
    if codes is not None:
        provinces = provinces.filter(code__in=set(codes))
    return list(provinces.values_list("code", flat=True))


def versions_bump(codes: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Counts one more change of the counters of the provinces ``codes``
    (locked by the caller's transaction): pages cached under their versions
    are replaced (:func:`counts_token`)."""
    codes = sorted(set(codes))
    versions = CountVersion.objects.using(using)
    versions.bulk_create(
        [CountVersion(province_id=code) for code in codes], ignore_conflicts=True
    )
    versions.filter(province_id__in=codes).update(version=F("version") + 1)


def counts_refresh(
    *,
    province_codes: Iterable[str] | None = None,
    slices: Iterable[tuple[str, str | None]] | None = None,
    years: Iterable[int] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Recomputes counters from the institutions and reports: those of
    ``province_codes``, or only of the (province code, category) ``slices``
    (a single save touches one or two; a category of ``None`` stands for the
    whole province), or every counter when both are ``None``. With
    ``years`` (only reports of those years were written, no institution),
    only the report counters of those years and the panels they take part
    in. Call it inside the transaction that wrote the rows: it locks the
    provinces' rows, in code order, until that transaction ends."""
    years = None if years is None else set(years)
    if slices is not None:
        scope = sorted(set(slices), key=lambda pair: (pair[0], pair[1] or ""))
    elif province_codes is not None:
        scope = [(code, None) for code in sorted(set(province_codes))]
    else:
        scope = None
    with transaction.atomic(using=using):
        locked = _lock(None if scope is None else {code for code, _c in scope}, using)
        if not locked:
            return
        if years is None:
            for model in COUNTER_MODELS:
                _in_scope(model, "", scope, using).delete()
            recounted = [(InstitutionCount, _institution_counts(scope, using))]
        else:
            _in_scope(ReportCount, "", scope, using).filter(year__in=years).delete()
            _in_scope(PanelCount, "", scope, using).filter(
                Q(year__in=years) | Q(base_year__in=years)
            ).delete()
            recounted = []
        recounted += [
            (ReportCount, _report_counts(scope, using, years)),
            (PanelCount, panel_counts(scope, panel_pairs(using), using, years)),
        ]
        for model, objects in recounted:
            model.objects.using(using).bulk_create(objects, batch_size=BATCH_SIZE)
        versions_bump(locked, using)


# A write that touched more (province, category) slices recounts whole provinces.
MAX_SLICES = 24


def counts_refresh_written(slices: set[tuple[str, str]], **options) -> None:
    """Recounts after a bulk write of the (province code, category)
    ``slices``: the slices themselves, or their whole provinces when there
    are many."""
    if len(slices) <= MAX_SLICES:
        counts_refresh(slices=slices, **options)
    else:
        counts_refresh(province_codes={code for code, _c in slices}, **options)


def counts_rebuild(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recomputes every counter (after a restore, or a ``COPY`` of demo
    data)."""
    counts_refresh(province_codes=None, using=using)


def panel_counts_rebuild(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recomputes every like-for-like panel, for the growth target rows as
    they are now (after one of them changed its count or base year)."""
    with transaction.atomic(using=using):
        locked = _lock(None, using)
        PanelCount.objects.using(using).all().delete()
        PanelCount.objects.using(using).bulk_create(
            panel_counts(None, panel_pairs(using), using), batch_size=BATCH_SIZE
        )
        versions_bump(locked, using)


def _values(model, objects) -> Counter:
    names = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
    return Counter(tuple(getattr(o, name) for name in names) for o in objects)


def counts_check(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The names of the counter tables that differ from a recount from
    scratch (empty when every counter is right). Reads only."""
    expected = {
        InstitutionCount: _institution_counts(None, using),
        ReportCount: _report_counts(None, using),
        PanelCount: panel_counts(None, panel_pairs(using), using),
    }
    return [
        model._meta.db_table
        for model, objects in expected.items()
        if _values(model, objects) != _values(model, model.objects.using(using))
    ]


def counts_token(province_code: str | None = None) -> str:
    """A token that changes whenever the data of a page about
    ``province_code`` (``None``: the nation, or every province) may have
    changed: the counter version of that province (of every province for
    the nation: a write anywhere changes the national figures, a write in one
    province leaves the others' tokens alone), and the number of rows and the
    highest id of the target rows and of the history of targets and
    reporting periods (a year with a period has a timeliness, one without
    has none). Pages cached under it are never stale. One query, on the
    database that dashboards read."""
    alias = router.db_for_read(ReportCount)
    connection = connections[alias]
    quote = connection.ops.quote_name
    versions = quote(CountVersion._meta.db_table)
    if province_code is None:
        columns = [
            f"(SELECT COALESCE(SUM(version), 0) FROM {versions})",
            f"(SELECT COUNT(*) FROM {versions})",
        ]
        params = []
    else:
        columns = [f"(SELECT version FROM {versions} WHERE province_id = %s)"]
        params = [province_code]
    for model, pk in (
        (Target, "id"),
        (Target.history.model, "history_id"),
        (ReportingPeriod.history.model, "history_id"),
    ):
        table = quote(model._meta.db_table)
        columns.append(
            f"(SELECT COUNT(*) FROM {table}), (SELECT MAX({quote(pk)}) FROM {table})"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        return ".".join(str(value) for value in cursor.fetchone())
