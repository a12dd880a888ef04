"""The reference of benchmark 2: one hand-written SQL statement that counts
what every target row needs, for the nation and the 34 provinces, and the
plain arithmetic of the shares and growth rates on top of it.

It is what a developer would write by hand for speed: one pass over the
institutions (a ``FILTER`` per year for the active ones), one pass over the
counted reports of the years (a ``FILTER`` per set of criteria), and one self
join for the like-for-like panels of the growth rows, in one statement.
"""

from collections import defaultdict

from django.db import connection

from institutions.models import Institution
from reports.entry.models import COUNTED_STATUSES, AnnualReport
from reports.progress.figures import NATION, figure_years
from targets.indicators import Kind
from targets.models import Target


def _active(alias: str, year: str) -> str:
    return (
        f"({alias}.opened_year IS NULL OR {alias}.opened_year <= {year}) AND "
        f"({alias}.closed_year IS NULL OR {alias}.closed_year > {year})"
    )


def reference_sql(targets: list[Target], year: int) -> tuple[str, list]:
    """The one statement: rows ``(kind, province, category, year, counts[])``."""
    years = figure_years(year=year, targets=targets)
    criteria_sets = sorted(
        {tuple(sorted(t.criteria)) for t in targets if t.kind == Kind.SHARE}
    )
    growth = sorted(
        {(t.count_field, t.baseline_year) for t in targets if t.kind == Kind.GROWTH}
    )
    institutions = connection.ops.quote_name(Institution._meta.db_table)
    reports = connection.ops.quote_name(AnnualReport._meta.db_table)
    statuses = ", ".join(f"'{status}'" for status in COUNTED_STATUSES)
    active_years = ", ".join(
        f"COUNT(*) FILTER (WHERE {_active('i', str(y))})" for y in years
    )
    meeting = ", ".join(
        "COUNT(*) FILTER (WHERE " + " AND ".join(f"r.{c}" for c in criteria) + ")"
        for criteria in criteria_sets
    )
    parts = [
        f"""SELECT 'active', i.province_id, i.category, 0,
               ARRAY[{active_years}]::bigint[]
          FROM {institutions} i GROUP BY i.province_id, i.category""",
        f"""SELECT 'reports', i.province_id, i.category, r.year,
               ARRAY[COUNT(*), {meeting}]::bigint[]
          FROM {reports} r JOIN {institutions} i ON i.id = r.institution_id
         WHERE r.status IN ({statuses}) AND r.year IN ({", ".join(map(str, years))})
           AND {_active("i", "r.year")}
         GROUP BY i.province_id, i.category, r.year""",
    ]
    for index, (field, base_year) in enumerate(growth):
        later = [y for y in years if y > base_year]
        if not later:
            continue
        parts.append(
            f"""SELECT 'panel{index}', i.province_id, i.category, r.year,
                   ARRAY[COUNT(*), SUM(b.{field}), SUM(r.{field})]::bigint[]
              FROM {reports} r
              JOIN {institutions} i ON i.id = r.institution_id
              JOIN {reports} b ON b.institution_id = r.institution_id
                   AND b.year = {base_year} AND b.status IN ({statuses})
                   AND b.{field} IS NOT NULL
             WHERE r.status IN ({statuses}) AND r.{field} IS NOT NULL
               AND r.year IN ({", ".join(map(str, later))})
             GROUP BY i.province_id, i.category, r.year"""
        )
    return "\nUNION ALL\n".join(parts), []


def reference_figures(targets: list[Target], year: int) -> dict[str, list[dict]]:
    """Runs the statement and computes, for the nation and every province,
    the figures of every target row in ``year``: a dict of rows by area with
    the counts and the value (a float percentage, or ``None``)."""
    years = figure_years(year=year, targets=targets)
    criteria_sets = sorted(
        {tuple(sorted(t.criteria)) for t in targets if t.kind == Kind.SHARE}
    )
    growth = sorted(
        {(t.count_field, t.baseline_year) for t in targets if t.kind == Kind.GROWTH}
    )
    sql, params = reference_sql(targets, year)
    active = defaultdict(int)
    reporters = defaultdict(int)
    meeting = defaultdict(int)
    panels = defaultdict(lambda: [0, 0, 0])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, province, category, row_year, counts in rows:
        for area in (NATION, province):
            if kind == "active":
                for y, count in zip(years, counts, strict=True):
                    active[area, category, y] += count
            elif kind == "reports":
                reporters[area, category, row_year] += counts[0]
                for criteria, count in zip(criteria_sets, counts[1:], strict=True):
                    meeting[area, category, row_year, criteria] += count
            else:
                pair = growth[int(kind.removeprefix("panel"))]
                panel = panels[area, category, row_year, pair]
                for position in range(3):
                    panel[position] += counts[position] or 0
    areas = sorted({area for area, _c, _y in active})
    result = {}
    for area in areas:
        area_rows = []
        for target in targets:
            categories = target.categories
            if target.kind == Kind.SHARE:
                criteria = tuple(sorted(target.criteria))
                d = sum(active[area, c, year] for c in categories)
                r = sum(reporters[area, c, year] for c in categories)
                n = sum(meeting[area, c, year, criteria] for c in categories)
                area_rows.append(
                    {
                        "denominator": d,
                        "reporters": r,
                        "numerator": n,
                        "value": 100 * n / d if d else None,
                    }
                )
            else:
                pair = (target.count_field, target.baseline_year)
                p = v_b = v_y = 0
                if year > target.baseline_year:
                    for c in categories:
                        counts = panels[area, c, year, pair]
                        p, v_b, v_y = p + counts[0], v_b + counts[1], v_y + counts[2]
                periods = year - target.baseline_year
                value = 100 * ((v_y / v_b) ** (1 / periods) - 1) if p and v_b else None
                area_rows.append(
                    {"panel": p, "base_total": v_b, "year_total": v_y, "value": value}
                )
        result[area] = area_rows
    return result
