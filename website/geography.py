"""Country outlines for the SCO map: Natural Earth shapes, projected and simplified here.

The shapes come from npm's ``world-atlas`` (Natural Earth 1:50m, public domain),
pinned in ``website/geodata/package-lock.json`` and installed by
``scripts/bootstrap`` (``npm ci --prefix website/geodata``). This module decodes
the TopoJSON, projects it with an Albers equal-area conic centred on the SCO
region (areas compare truthfully, which a choropleth needs), simplifies each
ring to what the map can show and returns SVG path data. No tiles, no script,
no request to another host: the reader's browser gets a finished SVG.

Everything here is geometry in the language-neutral SVG coordinate system
(numbers written by :func:`portal.core.numbers.plain_number`); names, counts and
colours are added by ``website/figures.py``.
"""

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from portal.core.numbers import plain_number

logger = logging.getLogger(__name__)

DEFAULT_ATLAS = (
    Path(settings.BASE_DIR) / "website" / "geodata" / "node_modules" / "world-atlas" / "countries-50m.json"
)

# Natural Earth identifies countries by ISO 3166-1 numeric code; the portal's
# taxonomy by alpha-2. The standard's table, for the states an SCO map can show.
ISO_NUMERIC = {
    "AE": "784", "AF": "004", "AM": "051", "AZ": "031", "BD": "050", "BH": "048", "BT": "064",
    "BY": "112", "CN": "156", "EG": "818", "GE": "268", "ID": "360", "IN": "356", "IQ": "368",
    "IR": "364", "JP": "392", "KG": "417", "KH": "116", "KP": "408", "KR": "410", "KW": "414",
    "KZ": "398", "LA": "418", "LK": "144", "MM": "104", "MN": "496", "MV": "462", "MY": "458",
    "NP": "524", "OM": "512", "PK": "586", "QA": "634", "RU": "643", "SA": "682", "SY": "760",
    "TH": "764", "TJ": "762", "TM": "795", "TR": "792", "UA": "804", "UZ": "860", "VN": "704",
}  # fmt: skip

WIDTH = 1000  # SVG user units; the height follows from the region's shape
PADDING = 12
# Albers equal-area conic for Eurasia from Egypt to the Pacific.
STANDARD_PARALLELS = (25.0, 52.0)
ORIGIN = (90.0, 38.0)  # (longitude, latitude)
TOLERANCE = 0.9  # simplification, in user units: below what a 1000-unit-wide map shows
CONTEXT_TOLERANCE = 1.8  # neighbours drawn only for orientation
MIN_RING_AREA = 3.0  # islands smaller than this (square units) are dropped, unless the country is that small


class AtlasMissing(RuntimeError):
    """The Natural Earth TopoJSON is not installed."""


@dataclass(frozen=True)
class Shape:
    """One country on the map: SVG path data and where its label goes."""

    code: str
    d: str
    label_x: float
    label_y: float
    area: float  # projected, in square user units
    width: float  # of the largest part's bounding box
    height: float


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    shapes: dict  # alpha-2 code -> Shape
    context: tuple  # path data of neighbouring countries, for orientation only


def atlas_path():
    return Path(getattr(settings, "PORTAL_WORLD_ATLAS", DEFAULT_ATLAS))


def _albers():
    phi1, phi2 = (math.radians(p) for p in STANDARD_PARALLELS)
    lam0, phi0 = (math.radians(v) for v in ORIGIN)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(phi0)) / n

    def project(lon, lat):
        if lon < -100:  # Chukotka lies across the antimeridian: keep Russia in one piece
            lon += 360
        rho = math.sqrt(max(0.0, c - 2 * n * math.sin(math.radians(lat)))) / n
        theta = n * (math.radians(lon) - lam0)
        return rho * math.sin(theta), -(rho0 - rho * math.cos(theta))

    return project


def _decode_arcs(topology):
    """The topology's arcs as absolute (longitude, latitude) lists (quantised, delta-encoded input)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs, indexes):
    points = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry, arcs):
    """[[outer ring, hole, …], …] in longitude/latitude."""
    if geometry.get("type") == "Polygon":
        return [[_ring(arcs, r) for r in geometry["arcs"]]]
    if geometry.get("type") == "MultiPolygon":
        return [[_ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def _area(ring):
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def _centroid(ring):
    a = _area(ring)
    if not a:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * a), cy / (6 * a)


def _simplify(points, tolerance):
    """Douglas–Peucker, iterative (rings of 50m Russia are long)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        norm = dx * dx + dy * dy
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / norm))
                ex, ey = x0 + t * dx - px, y0 + t * dy - py
            else:
                ex, ey = px - x0, py - y0
            dist = ex * ex + ey * ey
            if dist > worst:
                worst, index = dist, i
        if worst > tol2:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _path(rings):
    """SVG path data with relative moves, one decimal: compact and locale-proof."""
    parts = []
    for ring in rings:
        coords = [(round(x, 1), round(y, 1)) for x, y in ring]
        x0, y0 = coords[0]
        steps = []
        px, py = x0, y0
        for x, y in coords[1:]:
            dx, dy = round(x - px, 1), round(y - py, 1)
            if dx or dy:
                steps.append(f"{plain_number(dx, 1)} {plain_number(dy, 1)}")
            px, py = x, y
        if len(steps) >= 2:
            parts.append(f"M{plain_number(x0, 1)} {plain_number(y0, 1)}l" + " ".join(steps) + "z")
    return "".join(parts)


def _project_rings(polygons, project):
    return [[[project(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]


@lru_cache(maxsize=4)
def _geometry(path, mtime, codes):
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    project = _albers()
    by_id = {g.get("id"): g for g in topology["objects"]["countries"]["geometries"]}
    wanted = {code: by_id.get(ISO_NUMERIC.get(code, "")) for code in codes}
    projected = {
        code: _project_rings(_polygons(geometry, arcs), project)
        for code, geometry in wanted.items()
        if geometry
    }
    if not projected:
        return MapGeometry(WIDTH, WIDTH // 2, {}, ())

    # Fit the SCO states into WIDTH, keeping the aspect ratio.
    xs = [x for polys in projected.values() for poly in polys for x, _y in poly[0]]
    ys = [y for polys in projected.values() for poly in polys for _x, y in poly[0]]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = (WIDTH - 2 * PADDING) / (max_x - min_x)
    height = round((max_y - min_y) * scale + 2 * PADDING)

    def fit(point):
        return (point[0] - min_x) * scale + PADDING, (point[1] - min_y) * scale + PADDING

    shapes = {}
    for code, polygons in projected.items():
        rings, largest, largest_area, total = [], None, -1.0, 0.0
        for polygon in polygons:
            outer = [fit(p) for p in polygon[0]]
            area = abs(_area(outer))
            total += area
            if area > largest_area:
                largest, largest_area = outer, area
            if area < MIN_RING_AREA:
                continue
            rings.append(_simplify(outer, TOLERANCE))
            rings.extend(_simplify([fit(p) for p in hole], TOLERANCE) for hole in polygon[1:])
        if not rings:  # a country of small islands (the Maldives): keep its largest, unsimplified
            rings = [largest]
        lx, ly = _centroid(largest)
        bx = [x for x, _y in largest]
        by = [y for _x, y in largest]
        shapes[code] = Shape(code, _path(rings), lx, ly, total, max(bx) - min(bx), max(by) - min(by))

    context = []
    frame = (0, 0, WIDTH, height)
    for geometry in by_id.values():
        if geometry.get("id") in {ISO_NUMERIC.get(c) for c in projected}:
            continue
        rings = []
        for polygon in _project_rings(_polygons(geometry, arcs), project):
            outer = [fit(p) for p in polygon[0]]
            if abs(_area(outer)) < MIN_RING_AREA * 4 or not _overlaps(outer, frame):
                continue
            rings.append(_simplify(outer, CONTEXT_TOLERANCE))
        if rings:
            context.append(_path(rings))
    return MapGeometry(WIDTH, height, shapes, tuple(context))


def _overlaps(ring, frame):
    xs = [x for x, _y in ring]
    ys = [y for _x, y in ring]
    return max(xs) > frame[0] and min(xs) < frame[2] and max(ys) > frame[1] and min(ys) < frame[3]


def map_geometry(codes):
    """The projected, simplified outlines of ``codes`` (ISO alpha-2) and their neighbours.

    Raises :class:`AtlasMissing`, saying how to install the shapes, when they are absent.
    """
    path = atlas_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise AtlasMissing(
            f"{path} is missing: run scripts/bootstrap (it installs Natural Earth's shapes with "
            "npm ci --prefix website/geodata)"
        ) from None
    return _geometry(str(path), mtime, tuple(sorted(codes)))
