"""How the dashboards show a figure: numbers in the active language, the
arithmetic behind a status in words, and the cards of the overview. How a
status itself looks is :mod:`reports.progress.statuses`."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.progress import charts
from reports.progress.figures import Evaluation, ProgressFigures, Timeliness
from reports.progress.progress import (
    ACCELERATION_RATIO,
    ON_TRACK_RATIO,
    ShareFigures,
    Status,
    round1,
)
from reports.progress.statuses import StatusView
from targets.indicators import Kind
from targets.models import FAMILY_LABELS, Target

# Numbers ------------------------------------------------------------------------


def number(value, places: int = 1) -> str:
    """A number in the active language's format (58,3 in Vietnamese), rounded
    half up to ``places`` decimals; with ``places=0`` a whole number shows no
    decimals. "–" for ``None``."""
    if value is None:
        return "–"
    if places == 1:
        shown = round1(value)
    else:
        exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
        shown = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    return number_format(shown, decimal_pos=places, use_l10n=True, force_grouping=True)


def as_float(value) -> float | None:
    rounded = round1(value)
    return None if rounded is None else float(rounded)


def _plain(value) -> str:
    """A threshold as written: without decimals when whole (70, 12,5)."""
    return number(value, 0 if value == int(value) else 1)


def threshold_text(target: Target) -> str:
    if target.upper is not None:
        return _("%(low)s–%(high)s%% a year") % {
            "low": _plain(target.threshold),
            "high": _plain(target.upper),
        }
    if target.kind == Kind.GROWTH:
        return _("%(value)s%% a year") % {"value": _plain(target.threshold)}
    return f"{_plain(target.threshold)}%"


# Statuses and their explanation -------------------------------------------------


def _pace_thresholds() -> dict[str, str]:
    """The pace ratios of :mod:`reports.progress.progress` as the text shows
    them (0,95 and 0,60 in Vietnamese)."""
    return {
        "on_track": number(ON_TRACK_RATIO, 2),
        "acceleration": number(ACCELERATION_RATIO, 2),
    }


def explanation(evaluation: Evaluation) -> str:
    """The arithmetic behind a status, in words: "58,3% in 2024, needs 10,0
    points a year, moving 9,2 → acceleration needed", then its terms."""
    target, progress = evaluation.target, evaluation.progress
    year = evaluation.evaluated_year
    status = str(Status(progress.status).label).lower()
    values = {
        "year": year,
        "target_year": target.year,
        "base_year": target.baseline_year,
        "threshold": _plain(target.threshold),
        "value": number(progress.value),
        "status": status,
    }
    growth = target.kind == Kind.GROWTH
    if progress.status == Status.NO_DATA:
        if evaluation.year < target.baseline_year:
            return _("No status before the baseline year %(base_year)s.") % values
        if growth:
            return _(
                "No value in %(year)s: no institution reported this count in "
                "both %(base_year)s and %(year)s."
            ) % {**values, "year": year}
        return (
            _("No value in %(year)s: no active institution of these categories.")
            % values
        )
    if progress.status == Status.ACHIEVED:
        if growth:
            return (
                _(
                    "%(value)s%% a year on average from %(base_year)s to %(year)s, "
                    "the target year, reaches the target of %(threshold)s%% → "
                    "%(status)s."
                )
                % values
            )
        return (
            _(
                "%(value)s%% in %(year)s reaches the target of %(threshold)s%% → "
                "%(status)s."
            )
            % values
        )
    if progress.status == Status.MISSED:
        if growth:
            return (
                _(
                    "%(value)s%% a year on average from %(base_year)s to %(year)s, "
                    "the target year, is below the target of %(threshold)s%% → "
                    "%(status)s."
                )
                % values
            )
        return (
            _(
                "%(value)s%% in %(year)s, the target year, is below the target of "
                "%(threshold)s%% → %(status)s."
            )
            % values
        )
    if growth:
        text = (
            _(
                "%(value)s%% a year on average since %(base_year)s (like for like), "
                "needs %(threshold)s%% a year → %(status)s."
            )
            % values
        )
        if progress.ratio is not None:
            text += " " + _(
                "Pace ratio %(ratio)s (on track from %(on_track)s, acceleration "
                "needed from %(acceleration)s)."
            ) % {"ratio": number(progress.ratio, 2), **_pace_thresholds()}
        return text
    values |= {
        "base_year": progress.base_year_used,
        "base_value": number(progress.base_value),
    }
    if progress.actual is None:
        return (
            _(
                "%(value)s%% in %(year)s is the first value since the baseline: no "
                "pace can be measured yet → %(status)s."
            )
            % values
        )
    values |= {
        "actual": number(progress.actual),
        "required": number(progress.required),
    }
    if progress.ratio is None:
        return (
            _(
                "%(base_value)s%% in %(base_year)s already met the target of "
                "%(threshold)s%%; %(value)s%% in %(year)s no longer does → "
                "%(status)s."
            )
            % values
        )
    text = (
        _(
            "%(value)s%% in %(year)s, needs %(required)s points a year, moving "
            "%(actual)s → %(status)s."
        )
        % values
    )
    return (
        text
        + " "
        + _(
            "From %(base_value)s%% in %(base_year)s to %(threshold)s%% by "
            "%(target_year)s; pace ratio %(ratio)s (on track from %(on_track)s, "
            "acceleration needed from %(acceleration)s)."
        )
        % {**values, "ratio": number(progress.ratio, 2), **_pace_thresholds()}
    )


# Cards ------------------------------------------------------------------------


@dataclass
class CardRow:
    """One target year of a card: threshold, status and explanation."""

    evaluation: Evaluation
    threshold: str
    status: StatusView
    explanation: str

    @property
    def target_year(self) -> int:
        return self.evaluation.target.year


@dataclass
class Card:
    """One group of target rows (family × categories) in an area and year."""

    key: str
    label: str
    kind: str
    value: str
    rows: list[CardRow]
    headline: CardRow
    reporting: str
    reporting_rate: float | None = None
    on_time_rate: float | None = None
    evaluations: list[Evaluation] = field(default_factory=list)


def target_groups(targets: list[Target]) -> list[list[Target]]:
    """Target rows grouped by family and categories, in targets.csv order;
    each group's rows by target year."""
    groups: dict[tuple, list[Target]] = {}
    for target in targets:
        groups.setdefault((target.family, tuple(target.categories)), []).append(target)
    return [sorted(rows, key=lambda t: t.year) for rows in groups.values()]


def headline_index(targets: list[Target], year: int) -> int:
    """The row a card's status comes from: the nearest target year not yet
    passed in ``year`` (the 2025 target up to 2025, then 2030)."""
    for index, target in enumerate(targets):
        if target.year >= year:
            return index
    return len(targets) - 1


def on_time_text(timeliness: Timeliness | None) -> str:
    """ "On time 41,7% (5 of 12)." — empty without a reporting period or an
    active institution."""
    if timeliness is None or timeliness.on_time_rate is None:
        return ""
    return _("On time %(rate)s%% (%(on_time)s of %(active)s).") % {
        "rate": number(timeliness.on_time_rate),
        "on_time": number(timeliness.on_time, 0),
        "active": number(timeliness.active, 0),
    }


def timeliness_text(timeliness: Timeliness, year: int) -> str:
    """The reporting of an area's year in two sentences: "Reports of 2025:
    10 of 12 active institutions reported (83,3%). On time 41,7% (5 of
    12).", the second saying so when the year has no reporting period."""
    if not timeliness.active:
        return _("No active institution.")
    text = _(
        "Reports of %(year)s: %(reporters)s of %(active)s active institutions "
        "reported (%(rate)s%%)."
    ) % {
        "year": year,
        "reporters": number(timeliness.reporters, 0),
        "active": number(timeliness.active, 0),
        "rate": number(timeliness.reporting_rate),
    }
    if timeliness.on_time is None:
        return text + " " + _("No reporting period for this year: no timeliness.")
    return text + " " + on_time_text(timeliness)


def _reporting(evaluation: Evaluation) -> tuple[str, float | None]:
    figures = evaluation.figures
    if isinstance(figures, ShareFigures):
        if not figures.denominator:
            return _("No active institution."), None
        text = _(
            "Reporting rate %(rate)s%% (%(reporters)s of %(denominator)s); "
            "%(among)s%% among those reporting."
        ) % {
            "rate": number(figures.reporting_rate),
            "reporters": number(figures.reporters, 0),
            "denominator": number(figures.denominator, 0),
            "among": number(figures.share_among_reporters),
        }
        on_time = on_time_text(evaluation.timeliness)
        return (
            f"{text} {on_time}" if on_time else text,
            as_float(figures.reporting_rate),
        )
    if evaluation.year <= figures.base_year:
        return _("Growth is measured from %(year)s on.") % {
            "year": figures.base_year + 1
        }, None
    return (
        _(
            "Like for like: %(panel)s institutions reported in both "
            "%(base_year)s and %(year)s."
        )
        % {
            "panel": number(figures.panel, 0),
            "base_year": figures.base_year,
            "year": figures.year,
        },
        None,
    )


def cards_build(figures: ProgressFigures, area: str) -> list[Card]:
    """One card per group of target rows for ``area`` in the loaded year."""
    cards = []
    for index, group in enumerate(target_groups(figures.targets)):
        evaluations = [figures.evaluate(target, area) for target in group]
        rows = [
            CardRow(
                evaluation=evaluation,
                threshold=threshold_text(evaluation.target),
                status=StatusView.of(evaluation.status),
                explanation=explanation(evaluation),
            )
            for evaluation in evaluations
        ]
        headline = rows[headline_index(group, figures.year)]
        unit = "%" if group[0].kind == Kind.SHARE else _("% a year")
        value = evaluations[0].value
        reporting, rate = _reporting(evaluations[0])
        timeliness = evaluations[0].timeliness
        cards.append(
            Card(
                key=f"card-{index}",
                label=group[0].label,
                kind=group[0].kind,
                value="–" if value is None else f"{number(value)}{unit}",
                rows=rows,
                headline=headline,
                reporting=reporting,
                reporting_rate=rate,
                on_time_rate=(
                    as_float(timeliness.on_time_rate) if timeliness else None
                ),
                evaluations=evaluations,
            )
        )
    return cards


def overview_chart(cards: list[Card]) -> dict:
    """The latest value of every share group against its thresholds, under
    a heading per family."""
    groups: dict[str, list[charts.Bar]] = {}
    for card in cards:
        if card.kind != Kind.SHARE:
            continue
        target = card.evaluations[0].target
        family = str(FAMILY_LABELS.get(target.family, target.family))
        groups.setdefault(family, []).append(
            charts.Bar(
                label=target.categories_display,
                value=as_float(card.evaluations[0].value),
                status=card.headline.status.code,
                status_label=card.headline.status.label,
                text=card.value,
                thresholds={
                    row.target_year: float(row.evaluation.target.threshold)
                    for row in card.rows
                },
            )
        )
    return charts.overview_chart(list(groups.items()))
