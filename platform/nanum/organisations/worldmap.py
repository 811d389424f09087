"""Country shapes for the directory's map, as SVG path data, from the bundled world atlas.

The shapes are Natural Earth's 1:110m countries as the `world-atlas` package ships them
(TopoJSON, `data/world-atlas/`). They are decoded, projected with the Equal Earth projection,
rounded to whole units of the drawing and thinned once per process; a page only adds colours
and links. Antarctica is left out: nobody works there and it would take a fifth of the height.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib.resources import files

import pycountry

WIDTH = 1000  # of the drawing, in SVG user units
MIN_STEP = 1.2  # a point closer than this to the last kept one is dropped
LEFT_OUT = {"010"}  # Antarctica

# Equal Earth (Šavrič, Patterson and Jenny, 2018)
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = math.pi / (_M * _A1)  # x at 180° on the equator


@dataclass(frozen=True)
class Shape:
    code: str | None  # ISO 3166-1 alpha-2; None for a territory without one (e.g. Kosovo)
    name: str  # the atlas's English name, for shapes without a code
    d: str  # SVG path data


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to Equal Earth, scaled so that the world is WIDTH wide."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (math.radians(lon) * math.cos(theta)
         / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2))))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    scale = WIDTH / (2 * _X_MAX)
    return x * scale + WIDTH / 2, -y * scale


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode the quantised, delta-encoded arcs into (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """Join a ring's arcs (a negative index ~i is arc i reversed), each shared point once."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:], strict=False)):
        # A ring across the antimeridian (Fiji, Chukotka): keep it on the side most of it
        # lies on, a little past the edge, rather than drawing a line across the world.
        east = sum(lon > 0 for lon, _lat in points) * 2 >= len(points)
        points = [(lon + 360 if east and lon < 0 else lon - 360 if not east and lon > 0
                   else lon, lat) for lon, lat in points]
    return [_project(lon, lat) for lon, lat in points]


def _thin(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Round to whole units and drop points too close to the last kept one."""
    kept: list[tuple[int, int]] = []
    last = None
    for x, y in points:
        if last is not None and math.hypot(x - last[0], y - last[1]) < MIN_STEP:
            continue
        last = (x, y)
        rounded = (round(x), round(y))
        if not kept or kept[-1] != rounded:
            kept.append(rounded)
    return kept


def _path(rings: list[list[tuple[int, int]]], top: int) -> str:
    """Write rings as compact path data: an absolute move, then relative lines."""
    parts = []
    for ring in rings:
        (x0, y0), rest = ring[0], ring[1:]
        steps = []
        px, py = x0, y0
        for x, y in rest:
            steps.append(f"{x - px} {y - py}".replace(" -", "-"))
            px, py = x, y
        parts.append(f"M{x0} {y0 - top}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


def _alpha_2(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


@functools.cache
def drawing() -> Drawing:
    """Return the world's country shapes, computed once per process."""
    resource = files("nanum.organisations") / "data" / "world-atlas" / "countries-110m.json"
    topology = json.loads(resource.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_thin(_ring(ring, arcs)) for polygon in polygons for ring in polygon]
        rings = [ring for ring in rings if len(ring) >= 3]
        if rings:
            countries.append((geometry.get("id"), geometry["properties"]["name"], rings))
    top = min(y for _id, _name, rings in countries for ring in rings for _x, y in ring)
    bottom = max(y for _id, _name, rings in countries for ring in rings for _x, y in ring)
    shapes = tuple(Shape(code=_alpha_2(numeric), name=name, d=_path(rings, top))
                   for numeric, name, rings in countries)
    return Drawing(width=WIDTH, height=bottom - top, shapes=shapes)
