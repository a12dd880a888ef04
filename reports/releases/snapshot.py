"""A release's snapshot: every count a data year's figures are computed from,
and those figures, as canonical JSON text that never changes.

:func:`snapshot_build` loads the figures of a year from approved reports only
(:func:`reports.progress.figures.progress_figures_load`, national load, so the
nation and every province) and writes down the loaded counts, the target rows
as they stood, the provinces' names and the evaluated rows of every area (the
rows of ``manage.py progress --format json``). :class:`FrozenFigures` is the
same :class:`~reports.progress.figures.ProgressFigures` rebuilt from that text
with no query, so the public pages reuse the dashboards' cards, tables, charts
and maps, and every figure comes out of the one place that applies
metrics.md; a test checks that it gives back exactly the stored rows.
"""

import json
from decimal import Decimal
from functools import cached_property

from institutions.models import Province
from reports.progress.figures import NATION, ProgressFigures, progress_figures_load
from targets.models import Target

FORMAT = 1

TARGET_FIELDS = (
    "family",
    "kind",
    "criteria",
    "categories",
    "baseline_year",
    "year",
    "threshold",
    "upper",
    "position",
)


def canonical(data) -> str:
    """The one JSON text of ``data``: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _decimal(value) -> str | None:
    return None if value is None else str(Decimal(value).normalize())


def _target_dict(target: Target) -> dict:
    data = {field: getattr(target, field) for field in TARGET_FIELDS}
    data["threshold"] = _decimal(target.threshold)
    data["upper"] = _decimal(target.upper)
    return data


def _counts(figures: ProgressFigures) -> dict:
    """The loaded counts as sorted lists of ``[*key, value]`` (zeros left out)."""

    def flat(mapping) -> list:
        rows = []
        for key, value in mapping.items():
            if value:
                rows.append(
                    [*[list(k) if isinstance(k, tuple) else k for k in key], value]
                )
        return sorted(rows, key=canonical)

    panel = []
    for key, (members, base_total, year_total) in figures.panel.items():
        if members or base_total or year_total:
            panel.append([*key, members, base_total, year_total])
    return {
        "active": flat(figures.active),
        "reporters": flat(figures.reporters),
        "on_time": flat(figures.on_time),
        "meeting": flat(figures.meeting),
        "totals": flat(figures.totals),
        "given": flat(figures.given),
        "panel": sorted(panel, key=canonical),
    }


def snapshot_build(
    *, year: int, number: str, published_at, publisher: str, notes: str
) -> dict:
    """The snapshot of ``year`` from approved reports, as a JSON-ready dict."""
    figures = progress_figures_load(year=year, approved_only=True)
    provinces = list(Province.objects.order_by("code").values_list("code", "name"))
    areas = [NATION, *(code for code, _name in provinces)]
    rows = {
        area: [evaluation.row() for evaluation in figures.evaluations(area)]
        for area in areas
    }
    return {
        "format": FORMAT,
        "release": {
            "number": number,
            "year": year,
            "published_at": published_at.isoformat(),
            "publisher": publisher,
            "notes": notes,
        },
        "targets": [_target_dict(target) for target in figures.targets],
        "provinces": [{"code": code, "name": name} for code, name in provinces],
        "years": list(figures.years),
        "period_years": sorted(figures.period_years),
        "counts": _counts(figures),
        "rows": rows,
    }


def _key(parts: list) -> tuple:
    return tuple(tuple(part) if isinstance(part, list) else part for part in parts)


class FrozenFigures(ProgressFigures):
    """The figures of a release, rebuilt from its snapshot without a query.

    Target rows are unsaved :class:`~targets.models.Target` objects as they
    stood when the release was published; every province is an area."""

    def __init__(self, snapshot: dict):
        targets = [
            Target(
                **{
                    **data,
                    "threshold": Decimal(data["threshold"]),
                    "upper": None if data["upper"] is None else Decimal(data["upper"]),
                }
            )
            for data in snapshot["targets"]
        ]
        super().__init__(
            year=snapshot["release"]["year"],
            targets=targets,
            years=list(snapshot["years"]),
            province_code=None,
            approved_only=True,
        )
        self.snapshot = snapshot
        counts = snapshot["counts"]
        for name in ("active", "reporters", "on_time", "meeting", "totals", "given"):
            mapping = getattr(self, name)
            for *key, value in counts[name]:
                mapping[_key(key)] = value
        for *key, members, base_total, year_total in counts["panel"]:
            self.panel[_key(key)] = [members, base_total, year_total]
        self.period_years = set(snapshot["period_years"])

    def load(self) -> "FrozenFigures":
        return self

    @cached_property
    def areas(self) -> list[str]:
        return [NATION, *(p["code"] for p in self.snapshot["provinces"])]

    @cached_property
    def province_names(self) -> dict[str, str]:
        return {p["code"]: p["name"] for p in self.snapshot["provinces"]}

    def rows(self, area: str) -> list[dict]:
        """The stored rows of ``area`` (the progress JSON's ``rows``)."""
        return self.snapshot["rows"][area]
