"""Plotly's own figure objects as the oracle of :mod:`reports.progress.charts`:
the chart functions as they were written with ``plotly.graph_objects`` before
the charts became plain dicts. The tests build each chart both ways and
compare the JSON strings."""

import json
from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from reports.progress.charts import (
    _LINE,
    FONT,
    LINE_COLOURS,
    STATUS_COLOURS,
    Bar,
    TrendLine,
    _label,
    _lines,
    _separators,
    _value,
    _wrap,
    _year_axis,
)


def _layout(**extra) -> dict:
    layout = {
        "template": go.layout.Template(),
        "separators": _separators(),
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "dragmode": False,
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"},
    }
    layout.update(extra)
    return layout


def _json(figure: go.Figure) -> dict:
    return json.loads(figure.to_json())


def overview_chart(groups: Sequence[tuple[str, Sequence[Bar]]], *, unit="%") -> dict:
    """Horizontal bars of the latest value of each share group, under a
    heading per family, coloured by status, with the thresholds of each
    target year as markers. Labels stand above their bars at full width, so
    they stay readable on a phone, and each value at the right end of its
    label's line, where no marker can cover it."""
    figure = go.Figure()
    annotations = []
    centres: list[float] = []
    bars: list[Bar] = []
    position = 0.0
    for heading, members in groups:
        position += _LINE * _lines(heading)
        annotations.append(_label(heading, position, bold=True))
        position += 0.25
        for bar in members:
            position += _LINE * _lines(bar.label)
            annotations.append(_label(bar.label, position))
            if bar.text:
                annotations.append(_value(bar.text, position))
            centres.append(position + 0.4)
            bars.append(bar)
            position += 0.8
    figure.add_bar(
        orientation="h",
        y=centres,
        x=[bar.value for bar in bars],
        width=0.5,
        marker_color=[STATUS_COLOURS.get(bar.status) for bar in bars],
        customdata=[[bar.label, bar.status_label] for bar in bars],
        hovertemplate="%{customdata[0]}<br>%{x:.1f}"
        + unit
        + " · %{customdata[1]}<extra></extra>",
        showlegend=False,
    )
    symbols = ["diamond", "triangle-up"]
    years = sorted({year for bar in bars for year in bar.thresholds})
    for index, year in enumerate(years):
        name = _("Target %(year)s") % {"year": year}
        figure.add_scatter(
            y=centres,
            x=[bar.thresholds.get(year) for bar in bars],
            mode="markers",
            marker={
                "symbol": symbols[index % len(symbols)],
                "size": 11,
                "color": "#212529" if index == 0 else "#ffffff",
                "line": {"width": 1.5, "color": "#212529"},
            },
            name=name,
            hovertemplate=name + ": %{x:.0f}" + unit + "<extra></extra>",
        )
    figure.update_layout(
        _layout(
            height=int(36 * position) + 90,
            annotations=annotations,
            xaxis={
                "range": [0, 105],
                "tickvals": [0, 20, 40, 60, 80, 100],
                "ticktext": [f"{tick}{unit}" for tick in (0, 20, 40, 60, 80, 100)],
                "fixedrange": True,
                "gridcolor": "#e9ecef",
                "side": "top",
                "automargin": True,
            },
            yaxis={
                "range": [position, -0.2],
                "visible": False,
                "fixedrange": True,
            },
            legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
            margin={"l": 8, "r": 8, "t": 30, "b": 40},
        )
    )
    return _json(figure)


def share_trend_chart(lines: Sequence[TrendLine], *, first: int, last: int) -> dict:
    """Yearly values of each group of a share family, with its required path
    (dotted) and its thresholds at each target year (markers)."""
    figure = go.Figure()
    for index, line in enumerate(lines):
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        group = f"g{index}"
        figure.add_scatter(
            x=[year for year, _v in line.points],
            y=[value for _y, value in line.points],
            mode="lines+markers",
            name=_wrap(line.name, 40),
            legendgroup=group,
            line={"color": colour, "width": 3},
            hovertemplate="%{x}: %{y:.1f}%<extra>" + _wrap(line.name, 40) + "</extra>",
        )
        if line.path:
            figure.add_scatter(
                x=[year for year, _v in line.path],
                y=[value for _y, value in line.path],
                mode="lines",
                name=_("Required path"),
                legendgroup=group,
                showlegend=False,
                line={"color": colour, "width": 1.5, "dash": "dot"},
                hovertemplate=_("Required")
                + " %{x}: %{y:.1f}%<extra>"
                + _wrap(line.name, 40)
                + "</extra>",
            )
        figure.add_scatter(
            x=[year for year, _t in line.thresholds],
            y=[threshold for _y, threshold in line.thresholds],
            mode="markers",
            name=_("Target"),
            legendgroup=group,
            showlegend=False,
            marker={
                "symbol": "diamond",
                "size": 12,
                "color": colour,
                "line": {"width": 1, "color": "#212529"},
            },
            hovertemplate=_("Target")
            + " %{x}: %{y:.0f}%<extra>"
            + _wrap(line.name, 40)
            + "</extra>",
        )
    figure.update_layout(
        _layout(
            height=380 + 22 * len(lines),
            xaxis=_year_axis(first, last),
            yaxis={
                "automargin": True,
                "range": [0, 105],
                "ticksuffix": "%",
                "fixedrange": True,
                "gridcolor": "#e9ecef",
            },
        )
    )
    return _json(figure)


def growth_trend_chart(
    *,
    totals: Sequence[tuple[int, int]],
    growth: Sequence[tuple[int, float | None]],
    threshold: float,
    upper: float | None,
    first: int,
    last: int,
    totals_name: str,
    band_label: str,
) -> dict:
    """Plain totals per year (bars) and the like-for-like average growth
    (line, right axis) against the target band: at least ``threshold``% a
    year, up to ``upper``%."""
    figure = go.Figure()
    figure.add_bar(
        x=[year for year, _t in totals],
        y=[total for _y, total in totals],
        name=totals_name,
        marker_color="rgba(158, 202, 225, 0.7)",
        hovertemplate="%{x}: %{y:,d}<extra></extra>",
    )
    growth_name = _("Average yearly growth since the base year, like for like")
    figure.add_scatter(
        x=[year for year, _v in growth],
        y=[value for _y, value in growth],
        yaxis="y2",
        mode="lines+markers",
        name=_wrap(growth_name, 40),
        line={"color": "#0072B2", "width": 3},
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
    )
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y2",
            "y0": threshold,
            "y1": threshold,
            "line": {"color": "#146c43", "width": 2, "dash": "dash"},
        }
    ]
    if upper is not None:
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y2",
                "y0": threshold,
                "y1": upper,
                "fillcolor": "rgba(32, 201, 151, 0.15)",
                "line": {"width": 0},
                "layer": "below",
            }
        )
    values = [value for _y, value in growth if value is not None]
    top = max([*values, upper or threshold, threshold]) + 3
    bottom = min([*values, 0]) - 3
    figure.update_layout(
        _layout(
            height=400,
            shapes=shapes,
            xaxis=_year_axis(first, last),
            yaxis={
                "automargin": True,
                "rangemode": "tozero",
                "fixedrange": True,
                "gridcolor": "#e9ecef",
                "tickformat": ",d",
            },
            yaxis2={
                "automargin": True,
                "overlaying": "y",
                "side": "right",
                "range": [bottom, top],
                "tickmode": "linear",
                "tick0": 0,
                "dtick": 5,
                "ticksuffix": "%",
                "fixedrange": True,
                "showgrid": False,
            },
            annotations=[
                {
                    "xref": "paper",
                    "yref": "y2",
                    "x": 1,
                    "y": upper if upper is not None else threshold,
                    "xanchor": "right",
                    "yanchor": "bottom",
                    "text": band_label,
                    "showarrow": False,
                    "font": {"size": 11, "color": "#146c43"},
                }
            ],
            margin={"l": 10, "r": 10, "t": 30, "b": 10},
        )
    )
    return _json(figure)


def province_bar_chart(
    bars: Sequence[Bar], *, threshold: float | None, unit: str = "%"
) -> dict:
    """One bar per province, highest first, coloured by status, with the
    threshold as a vertical line."""
    ordered = sorted(
        bars, key=lambda bar: (bar.value is None, -(bar.value or 0), bar.label)
    )
    figure = go.Figure()
    figure.add_bar(
        orientation="h",
        y=[bar.label for bar in ordered],
        x=[bar.value for bar in ordered],
        marker_color=[STATUS_COLOURS.get(bar.status) for bar in ordered],
        customdata=[[bar.status_label] for bar in ordered],
        text=[bar.text for bar in ordered],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f}" + unit + " · %{customdata[0]}<extra></extra>",
        showlegend=False,
    )
    shapes = []
    if threshold is not None:
        shapes.append(
            {
                "type": "line",
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "x0": threshold,
                "x1": threshold,
                "line": {"color": "#212529", "width": 2, "dash": "dash"},
                # Under the bars and their values, which it would cross.
                "layer": "below",
            }
        )
    figure.update_layout(
        _layout(
            height=22 * len(ordered) + 90,
            shapes=shapes,
            bargap=0.25,
            xaxis={
                "ticksuffix": unit,
                "fixedrange": True,
                "gridcolor": "#e9ecef",
                "side": "top",
                "automargin": True,
            },
            yaxis={
                "autorange": "reversed",
                "automargin": True,
                "fixedrange": True,
                "tickfont": {"size": 11},
            },
            # Room for a value of 100,0% beyond its bar.
            margin={"l": 10, "r": 64, "t": 30, "b": 10},
        )
    )
    return _json(figure)
