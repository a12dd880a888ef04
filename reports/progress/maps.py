"""The 34 provinces as a map: plain SVG drawn by the server from the portal's
boundaries file, each province coloured by its value. It needs no script and
fetches nothing; ``templates/reports/dashboard_map.html`` draws it."""

import functools
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.utils.formats import number_format

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
