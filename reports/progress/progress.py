"""The figures and statuses of programme/metrics.md, as plain functions.

No database here: ``reports.entry.selectors`` counts institutions and reports with
aggregates and hands the counts to these functions, so every rule of the
methodology lives in this one module and is tested against its worked example.

Values are exact: a share is a ``Fraction`` (100 · N / D), a growth rate a
``Fraction`` of its 50-digit decimal value. Comparisons and statuses use them
unrounded, as metrics.md asks; ``round1`` rounds only what is shown, and
``float()`` turns a value into a number for a chart.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from targets.indicators import Kind

type Number = int | float | Decimal | Fraction

_KINDS = frozenset(Kind.values)
ON_TRACK_RATIO = Fraction(95, 100)
ACCELERATION_RATIO = Fraction(60, 100)

# Enough digits that an n-th root with an exact decimal result (1.331 → 1.1)
# comes out exact, so a growth of exactly T reaches T.
_GROWTH_DIGITS = 50


class Status(models.TextChoices):
    """Where a target row stands (metrics.md, "Status of a target row")."""

    NO_DATA = "no_data", _("No data")
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    ON_TRACK = "on_track", _("On track")
    ACCELERATION_NEEDED = "acceleration_needed", _("Acceleration needed")
    LIMITED = "limited", _("Limited progress")
    DETERIORATION = "deterioration", _("Deterioration")


def exact(number: Number) -> Fraction:
    """``number`` as an exact fraction; a float is read as the decimal it
    prints as (0.15, not 0.1499999…)."""
    if type(number) is Fraction:
        return number  # immutable: no copy needed
    if isinstance(number, float):
        return Fraction(repr(number))
    return Fraction(number)


def round1(number: Number | None) -> Decimal | None:
    """Rounds half up to one decimal, for display and JSON only.

    Half up means a tie goes away from zero, as ``Decimal`` does with
    ``ROUND_HALF_UP``: 58.25 → 58.3, 0.05 → 0.1, −0.25 → −0.3. Python's
    ``round()`` rounds ties to even and works on binary floats, so it would
    show 58.2 and 0.1 → 0.0 for 0.05. Exact for ints, Decimals and Fractions; a
    float is read as its shortest decimal form. ``None`` stays ``None``.
    """
    if number is None:
        return None
    value = exact(number)
    # ⌊|n/d| · 10 + 1/2⌋ in integers.
    numerator, denominator = abs(value.numerator), value.denominator
    tenths = (20 * numerator + denominator) // (2 * denominator)
    return Decimal(-tenths if value < 0 else tenths).scaleb(-1)


@dataclass(frozen=True)
class ShareFigures:
    """The figures of a share target row for one year and one area.

    ``value``, ``share_among_reporters`` and ``reporting_rate`` are percentages,
    unrounded, or ``None`` when their denominator is zero; the last two are
    worked out when read (a map of the provinces reads only the values).
    """

    denominator: int
    reporters: int
    numerator: int
    value: Fraction | None

    @property
    def share_among_reporters(self) -> Fraction | None:
        return _percent(self.numerator, self.reporters)

    @property
    def reporting_rate(self) -> Fraction | None:
        return _percent(self.reporters, self.denominator)


def _percent(part: int, whole: int) -> Fraction | None:
    return Fraction(100 * part, whole) if whole else None


def share_figures(*, denominator: int, reporters: int, numerator: int) -> ShareFigures:
    """Computes the share of the active institutions (``denominator``) that
    meet every criterion (``numerator``), of those that reported, and the
    reporting rate.

    Rejects counts that cannot come from one area and year: a negative count,
    more reporters than institutions, or more meeting than reporting.
    """
    if not 0 <= numerator <= reporters <= denominator:
        raise ValueError(
            "Expected 0 ≤ numerator ≤ reporters ≤ denominator, got "
            f"{numerator}, {reporters}, {denominator}."
        )
    return ShareFigures(
        denominator=denominator,
        reporters=reporters,
        numerator=numerator,
        value=_percent(numerator, denominator),
    )


@dataclass(frozen=True)
class GrowthFigures:
    """The figures of a growth target row for one year and one area: the
    panel of institutions that reported the count in both years, their totals
    and the average annual growth in percent (unrounded, or ``None``)."""

    panel: int
    base_total: int
    year_total: int
    base_year: int
    year: int
    value: Fraction | None


@functools.lru_cache(maxsize=4096)
def _growth_rate(year_total: int, base_total: int, years: int) -> Fraction:
    # A 50-digit root costs 70 µs; the same totals recur on every page until
    # their province's data changes, so each is worked out once a process.
    with localcontext(prec=_GROWTH_DIGITS):
        ratio = Decimal(year_total) / Decimal(base_total)
        yearly = ratio if years == 1 else ratio ** (Decimal(1) / Decimal(years))
        return exact(100 * (yearly - 1))


def growth_figures(
    *, panel: int, base_total: int, year_total: int, base_year: int, year: int
) -> GrowthFigures:
    """Computes 100 · ((V_Y / V_B)^(1 / (Y − B)) − 1) over the panel.

    Gives no value for an empty panel or a zero base total. Rejects a year not
    after the base year and negative counts.
    """
    if year <= base_year:
        raise ValueError(f"Year {year} must come after base year {base_year}.")
    if min(panel, base_total, year_total) < 0:
        raise ValueError("Panel size and totals cannot be negative.")
    value = None
    if panel and base_total:
        value = _growth_rate(year_total, base_total, year - base_year)
    return GrowthFigures(
        panel=panel,
        base_total=base_total,
        year_total=year_total,
        base_year=base_year,
        year=year,
        value=value,
    )


@dataclass(frozen=True)
class Progress:
    """The status of a target row in an evaluation year, with what explains it.

    ``value`` is x_R. For share rows ``actual`` and ``required`` are paces in
    percentage points a year measured from ``base_year_used`` (where the value
    was ``base_value``); for growth rows they are x_R and the threshold.
    ``ratio`` is actual / required. Fields that do not apply are ``None``.
    """

    status: Status
    value: Fraction | None = None
    actual: Fraction | None = None
    required: Fraction | None = None
    ratio: Fraction | None = None
    base_year_used: int | None = None
    base_value: Fraction | None = None


def _band(ratio: Fraction) -> Status:
    if ratio >= ON_TRACK_RATIO:
        return Status.ON_TRACK
    if ratio >= ACCELERATION_RATIO:
        return Status.ACCELERATION_NEEDED
    if ratio >= 0:
        return Status.LIMITED
    return Status.DETERIORATION


def target_progress(
    *,
    kind: str,
    threshold: Number,
    target_year: int,
    baseline_year: int,
    year: int,
    values: Mapping[int, Number | None],
) -> Progress:
    """Evaluates a target row in data ``year`` R from its ``values`` by year
    (unrounded; missing years or ``None`` mean no value), following metrics.md,
    "Status of a target row".

    Two cases metrics.md leaves open are settled here:

    - A share row whose base value already reaches the threshold needs no pace
      (required ≤ 0). Unless achieved in R it is ``deterioration``, so nothing
      is divided by a zero or negative requirement; ``ratio`` is ``None``.
    - A growth row with a zero threshold likewise: ``on_track`` when
      x_R ≥ 0 before the target year, otherwise ``deterioration``.

    Rejects an evaluation year before the baseline year or after the target
    year: callers evaluate a row at most in its target year.
    """
    if not baseline_year <= year <= target_year:
        raise ValueError(
            f"Evaluation year {year} must lie between the baseline year "
            f"{baseline_year} and the target year {target_year}."
        )
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind of target: {kind!r}.")
    target = exact(threshold)
    current = values.get(year)
    if current is None:
        return Progress(status=Status.NO_DATA)
    x_r = exact(current)
    reached = x_r >= target
    if reached and (kind == Kind.SHARE or year == target_year):
        return Progress(status=Status.ACHIEVED, value=x_r)
    if year == target_year:
        return Progress(status=Status.MISSED, value=x_r)
    if kind == Kind.GROWTH:
        return _growth_progress(x_r, target)
    return _share_progress(x_r, target, target_year, baseline_year, year, values)


def _growth_progress(x_r: Fraction, target: Fraction) -> Progress:
    if target <= 0:
        status = Status.ON_TRACK if x_r >= target else Status.DETERIORATION
        return Progress(status=status, value=x_r, actual=x_r, required=target)
    ratio = x_r / target
    return Progress(
        status=_band(ratio), value=x_r, actual=x_r, required=target, ratio=ratio
    )


def _share_progress(
    x_r: Fraction,
    target: Fraction,
    target_year: int,
    baseline_year: int,
    year: int,
    values: Mapping[int, Number | None],
) -> Progress:
    # The base is B, or the first year after it that has a value; x_R exists,
    # so there is always one, at the latest R itself.
    base_year = min(
        y for y, v in values.items() if v is not None and baseline_year <= y <= year
    )
    x_b = exact(values[base_year])
    explained = {"value": x_r, "base_year_used": base_year, "base_value": x_b}
    if base_year == year:
        return Progress(status=Status.LIMITED, **explained)
    actual = (x_r - x_b) / (year - base_year)
    required = (target - x_b) / (target_year - base_year)
    if x_b >= target:
        return Progress(
            status=Status.DETERIORATION, actual=actual, required=required, **explained
        )
    ratio = actual / required
    return Progress(
        status=_band(ratio), actual=actual, required=required, ratio=ratio, **explained
    )


def _json_number(number: Number | None) -> int | float | None:
    if number is None:
        return None
    value = exact(number)
    return int(value) if value.denominator == 1 else float(value)


def _json_round1(number: Number | None) -> float | None:
    rounded = round1(number)
    return None if rounded is None else float(rounded)


def progress_row(
    *,
    family: str,
    categories: list[str],
    kind: str,
    year: int,
    threshold: Number,
    upper: Number | None,
    figures: ShareFigures | GrowthFigures,
    status: Status | str,
) -> dict:
    """Builds one row of the JSON output for a target row (``year`` is its
    target year) from its figures and status.

    Values and rates are rounded half up to one decimal (or ``None``); the
    threshold and upper bound are plain numbers; categories are sorted.
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind of target: {kind!r}.")
    expected = ShareFigures if kind == Kind.SHARE else GrowthFigures
    if not isinstance(figures, expected):
        raise ValueError(f"A {kind} row takes {expected.__name__}.")
    row = {
        "family": family,
        "categories": sorted(categories),
        "kind": str(kind),
        "target_year": year,
        "threshold": _json_number(threshold),
        "upper": _json_number(upper),
        "value": _json_round1(figures.value),
        "status": str(status),
    }
    if isinstance(figures, ShareFigures):
        row |= {
            "numerator": figures.numerator,
            "denominator": figures.denominator,
            "reporters": figures.reporters,
            "reporting_rate": _json_round1(figures.reporting_rate),
            "share_among_reporters": _json_round1(figures.share_among_reporters),
        }
    else:
        row |= {
            "panel": figures.panel,
            "base_total": figures.base_total,
            "year_total": figures.year_total,
        }
    return row
