"""Dashboard rows turned into Plotly figures.

Each function returns the figure as a JSON-ready dict (``{"data", "layout"}``)
that a template embeds with ``json_script`` and ``static/js/charts.js`` draws:
no page runs inline script. Numbers follow the active language (58,3 and 1.234
in Vietnamese) and no chart lets a finger drag it on a phone. The province map
is plain SVG drawn here from the portal's boundaries file: it needs no script.
"""

import functools
import itertools
import json
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
from django.contrib.staticfiles import finders
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Colours of the statuses (the pages show the words beside them, always).
STATUS_COLOURS = {
    "achieved": "#146c43",
    "on_track": "#20c997",
    "acceleration_needed": "#ffc107",
    "limited": "#fd7e14",
    "deterioration": "#dc3545",
    "missed": "#6f1d1b",
    "no_data": "#adb5bd",
}
# Colour-blind-safe qualitative palette (Okabe–Ito) for lines of a family.
LINE_COLOURS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
]
NO_VALUE_COLOUR = "#dee2e6"
# Sequential scales whose lowest colour still stands out from "no value".
SHARE_SCALE = [[0, "#c6dbef"], [0.5, "#4292c6"], [1, "#08306b"]]
ON_TRACK_SCALE = [[0, "#c7e9c0"], [0.5, "#41ab5d"], [1, "#00441b"]]
# Labels that must stand on the map (provinces_34.SOURCE.md): the archipelagos
# are part of Đà Nẵng (48) and Khánh Hòa (56) but too small to see.
ARCHIPELAGOS = [
    ("Quần đảo Hoàng Sa", 16.5, 112.0),
    ("Quần đảo Trường Sa", 10.0, 114.0),
]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"


def _separators() -> str:
    # Plotly takes the decimal mark, then the thousands separator.
    return ",." if (get_language() or "vi").startswith("vi") else ".,"


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


def _wrap(text: str, width: int = 34) -> str:
    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def _year_axis(first: int, last: int) -> dict:
    return {
        "automargin": True,
        "range": [first - 0.5, last + 0.5],
        "dtick": 1,
        "tickformat": "d",
        "fixedrange": True,
        "gridcolor": "#e9ecef",
    }


@dataclass
class Bar:
    """One bar of a chart: a label, a value (or ``None``), its status."""

    label: str
    value: float | None
    status: str = "no_data"
    status_label: str = ""
    text: str = ""
    thresholds: dict[int, float] = field(default_factory=dict)


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


_LINE = 0.5  # height of a line of label text, in bar slots
_LABEL_WIDTH = 44


def _lines(text: str) -> int:
    return len(textwrap.wrap(str(text), _LABEL_WIDTH)) or 1


def _label(text: str, y: float, *, bold: bool = False) -> dict:
    # Anchored at its bottom line, so that it stands just above its bar.
    wrapped = "<br>".join(textwrap.wrap(str(text), _LABEL_WIDTH)) or str(text)
    return {
        "text": f"<b>{wrapped}</b>" if bold else wrapped,
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "y": y,
        "yref": "y",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": 13 if bold else 12, "color": "#212529"},
    }


def _value(text: str, y: float) -> dict:
    return {
        "text": f"<b>{text}</b>",
        "x": 1,
        "xref": "paper",
        "xanchor": "right",
        "y": y,
        "yref": "y",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13, "color": "#212529"},
    }


@dataclass
class TrendLine:
    """The yearly values of one target group, its thresholds by target year
    and the path it needs: from its base value to each threshold."""

    name: str
    points: list[tuple[int, float | None]]
    thresholds: list[tuple[int, float]]
    path: list[tuple[int, float]] = field(default_factory=list)


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


@dataclass
class Region:
    """A province on the map: its code, name, value (or ``None``) and the
    text its hover label shows."""

    code: str
    name: str
    value: float | None = None
    text: str = ""


BOUNDARIES = "geo/provinces_34.geojson"
NAMED_SCALES = {
    # ColorBrewer's red-blue: decline red, growth blue, no change near white.
    "RdBu": [[0, "#b2182b"], [0.5, "#f7f7f7"], [1, "#2166ac"]],
}
_MAP_WIDTH = 400  # of the map's viewBox; the SVG scales to its container
_MAP_PAD = 6
_SCALE_HEIGHT = 64  # below the map: the colour scale, its title and ticks


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _rings(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@functools.cache
def _outlines() -> tuple[dict[str, str], int, Callable]:
    """The SVG path of each province (by code), the map's height, and the
    projection of a (lon, lat) into the viewBox: Mercator, fitted to the
    34 provinces with their islands."""
    with open(finders.find(BOUNDARIES), encoding="utf-8") as file:
        features = json.load(file)["features"]
    projected = {
        feature["properties"]["code"]: [
            [_mercator(lon, lat) for lon, lat in ring]
            for ring in _rings(feature["geometry"])
        ]
        for feature in features
    }
    points = [p for rings in projected.values() for ring in rings for p in ring]
    left = min(x for x, _y in points)
    top = max(y for _x, y in points)
    scale = (_MAP_WIDTH - 2 * _MAP_PAD) / (max(x for x, _y in points) - left)
    height = math.ceil((top - min(y for _x, y in points)) * scale + 2 * _MAP_PAD)

    def place(x: float, y: float) -> tuple[float, float]:
        return _MAP_PAD + (x - left) * scale, _MAP_PAD + (top - y) * scale

    def outline(rings: list) -> str:
        parts = []
        for ring in rings:
            corners: list[str] = []
            for x, y in ring:
                corner = "{:.1f} {:.1f}".format(*place(x, y))
                if not corners or corners[-1] != corner:
                    corners.append(corner)
            parts.append("M" + "L".join(corners) + "Z")
        return "".join(parts)

    paths = {code: outline(rings) for code, rings in projected.items()}
    return paths, height, lambda lon, lat: place(*_mercator(lon, lat))


def _hex(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _colour_at(scale: list, share: float) -> str:
    """The colour at ``share`` (0–1) of a Plotly-style colour scale."""
    share = min(1.0, max(0.0, share))
    for (low, start), (high, end) in itertools.pairwise(scale):
        if share <= high:
            part = (share - low) / (high - low) if high > low else 0
            mixed = (
                round(a + (b - a) * part)
                for a, b in zip(_hex(start), _hex(end), strict=True)
            )
            return "#{:02x}{:02x}{:02x}".format(*mixed)
    return scale[-1][1]


def _bounds(values, zmin, zmax, zmid) -> tuple[float, float]:
    if zmin is not None and zmax is not None:
        return zmin, zmax
    if zmid is not None:
        reach = max([abs(value - zmid) for value in values] or [1]) or 1
        return zmid - reach, zmid + reach
    low, high = min(values, default=0), max(values, default=1)
    return low, high if high > low else low + 1


def province_map(
    regions: Sequence[Region],
    *,
    colorbar_title: str,
    zmin: float | None = None,
    zmax: float | None = None,
    colorscale: str | list = SHARE_SCALE,
    zmid: float | None = None,
    show_scale: bool = True,
) -> dict:
    """The 34 provinces as plain SVG, drawn by the server: every province
    (grey without a value) coloured by its value, with the two archipelagos
    labelled and the colour scale below. Needs no script and fetches
    nothing; ``templates/reports/dashboard_map.html`` draws it.

    Every number is already a string, unlocalised where it is an attribute.
    """
    paths, height, place = _outlines()
    scale = NAMED_SCALES[colorscale] if isinstance(colorscale, str) else colorscale
    values = [region.value for region in regions if region.value is not None]
    low, high = _bounds(values, zmin, zmax, zmid)
    shapes = [
        {
            "code": region.code,
            "d": paths[region.code],
            "fill": NO_VALUE_COLOUR
            if region.value is None
            else _colour_at(scale, (region.value - low) / (high - low)),
            "title": region.text or region.name,
            "valued": region.value is not None,
        }
        for region in regions
    ]
    labels = []
    for text, lat, lon in ARCHIPELAGOS:
        x, y = place(lon, lat)
        labels.append({"text": text, "x": f"{x:.1f}", "y": f"{y:.1f}"})
    figure = {
        "width": str(_MAP_WIDTH),
        "height": str(height),
        "regions": shapes,
        "labels": labels,
        "scale": None,
    }
    if show_scale and values:
        figure["height"] = str(height + _SCALE_HEIGHT)
        width = _MAP_WIDTH - 2 * _MAP_PAD
        figure["scale"] = {
            "title": colorbar_title,
            "x": str(_MAP_PAD),
            "centre": str(_MAP_WIDTH // 2),
            "y": str(height + 8),
            "bar_y": str(height + 26),
            "tick_y": str(height + 56),
            "width": str(width),
            "stops": [
                {"offset": f"{100 * share:g}%", "colour": colour}
                for share, colour in scale
            ],
            "ticks": [
                {
                    "x": f"{_MAP_PAD + width * share:.1f}",
                    "anchor": anchor,
                    "text": number_format(low + (high - low) * share, 0),
                }
                for share, anchor in ((0, "start"), (0.5, "middle"), (1, "end"))
            ],
        }
    return figure
