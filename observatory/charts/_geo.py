"""GeoJSON helpers for the map builders: feature ids, subsets, and the view that fits the bounds."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from shapely import affinity
from shapely.geometry import box as make_box
from shapely.geometry import shape
from shapely.ops import polylabel

# The map size labels are placed for: a phone's map panel (390 px screen less padding) and the height
# the map keeps above its legend. A wider screen has more room, so a label that fits here fits there.
_VIEW_WIDTH = 350
_VIEW_HEIGHT = 320
#: Label font size in pixels, and the width of an average character as a share of it.
LABEL_PX = 11
_CHAR_WIDTH = 0.56
#: Share of a label's box that must lie inside its district for the label to be drawn.
_INSIDE = 0.6


def feature_id(feature: Mapping[str, Any], featureidkey: str) -> str:
    """Return the id plotly matches locations against (``id`` or ``properties.<name>``)."""
    value: Any = feature
    for part in featureidkey.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return str(value)


def subset(geojson: Mapping[str, Any], codes: Iterable[str], featureidkey: str) -> dict[str, Any]:
    """Return a FeatureCollection with only the features whose id is in ``codes``.

    Each trace carries only its own districts, so the figure holds every polygon once.
    """
    wanted = set(codes)
    features = [f for f in geojson.get("features", []) if feature_id(f, featureidkey) in wanted]
    return {"type": "FeatureCollection", "features": features}


def _positions(coords: Any) -> Iterator[tuple[float, float]]:
    if coords and isinstance(coords[0], int | float):
        yield float(coords[0]), float(coords[1])
        return
    for part in coords or ():
        yield from _positions(part)


def _geometry_positions(geometry: Mapping[str, Any] | None) -> Iterator[tuple[float, float]]:
    if not geometry:
        return
    if geometry.get("type") == "GeometryCollection":
        for inner in geometry.get("geometries", []):
            yield from _geometry_positions(inner)
        return
    yield from _positions(geometry.get("coordinates"))


def bounds(geojson: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` of all features, or None for an empty file."""
    points = [p for f in geojson.get("features", []) for p in _geometry_positions(f.get("geometry"))]
    if not points:
        return None
    lons, lats = zip(*points, strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def _signed_area(ring: list[Any]) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairs) / 2


def _wound(polygon: list[Any]) -> list[Any]:
    """One polygon's rings wound as d3-geo reads them: exterior clockwise, holes anticlockwise."""
    rings = []
    for i, ring in enumerate(polygon):
        ring = list(ring)
        clockwise = _signed_area(ring) < 0
        rings.append(ring if clockwise == (i == 0) else ring[::-1])
    return rings


def rewound(geojson: Mapping[str, Any]) -> dict[str, Any]:
    """The FeatureCollection with every polygon wound clockwise (holes anticlockwise).

    GeoJSON (RFC 7946) winds exteriors anticlockwise, but plotly's ``geo`` maps draw with d3-geo, which
    reads an anticlockwise ring on the sphere as "everything but this district" and floods the map.
    """
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if kind == "Polygon" and coords:
            geometry = {**geometry, "coordinates": _wound(coords)}
        elif kind == "MultiPolygon" and coords:
            geometry = {**geometry, "coordinates": [_wound(p) for p in coords]}
        features.append({**feature, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def view_ranges(geojson: Mapping[str, Any], pad: float = 0.03) -> dict[str, Any]:
    """The ``geo`` axes ranges that show every district with a small margin (a world view when empty)."""
    extent = bounds(geojson)
    if extent is None:
        return {"lonaxis": {"range": [-180, 180]}, "lataxis": {"range": [-80, 80]}}
    min_lon, min_lat, max_lon, max_lat = extent
    dx, dy = max(max_lon - min_lon, 1e-4) * pad, max(max_lat - min_lat, 1e-4) * pad
    return {
        "lonaxis": {"range": [min_lon - dx, max_lon + dx]},
        "lataxis": {"range": [min_lat - dy, max_lat + dy]},
    }


def phone_view(geojson: Mapping[str, Any]) -> tuple[float, float] | None:
    """How the city fits a phone's map panel: ``(stretch, scale)``, a point at (lon, lat) being at
    (lon × stretch × scale, lat × scale) pixels; None for an empty file.

    Equirectangular at the city's latitude: within a city it matches the map's Mercator to a few %.
    """
    extent = bounds(geojson)
    if extent is None:
        return None
    min_lon, min_lat, max_lon, max_lat = extent
    stretch = math.cos(math.radians((min_lat + max_lat) / 2))
    lon_span, lat_span = max((max_lon - min_lon) * stretch, 1e-9), max(max_lat - min_lat, 1e-9)
    return stretch, min(_VIEW_WIDTH / lon_span, _VIEW_HEIGHT / lat_span)


def label_box(name: str) -> tuple[float, float]:
    """Half the width and half the height, in pixels, of a name drawn on the map."""
    return len(name) * LABEL_PX * _CHAR_WIDTH / 2 + 2, LABEL_PX * 0.65


def label_points(
    geojson: Mapping[str, Any], names: Mapping[str, str], featureidkey: str
) -> list[tuple[str, float, float]]:
    """Where district names go on the map, decluttered: ``(code, lon, lat)`` of each name drawn.

    The city is scaled to a phone's map panel; each name is placed at its district's pole of
    inaccessibility (the inside point farthest from the border, on the largest part of the district)
    and drawn only when most of its box lies inside the district and it overlaps no name already
    placed, largest districts first. The districts left unnamed are named by hover and tap.

    Args:
        geojson: FeatureCollection in WGS84.
        names: District code → the name as drawn (districts not in it are not labelled).
        featureidkey: Where a feature's code is (``id`` or ``properties.<name>``).
    """
    view = phone_view(geojson)
    if view is None:
        return []
    stretch, scale = view
    candidates = []
    for feature in geojson.get("features", []):
        code = feature_id(feature, featureidkey)
        if code not in names or not feature.get("geometry"):
            continue
        geometry = shape(feature["geometry"])
        geometry = affinity.scale(geometry, stretch * scale, scale, origin=(0, 0))
        if not geometry.is_valid:
            geometry = geometry.buffer(0)
        parts = list(getattr(geometry, "geoms", [geometry]))
        polygons = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
        if not polygons:
            continue
        largest = max(polygons, key=lambda p: p.area)
        candidates.append((largest.area, code, largest))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    placed: list[Any] = []
    chosen = []
    for _, code, polygon in candidates:
        point = polylabel(polygon, tolerance=0.5)
        half_w, half_h = label_box(names[code])
        label = make_box(point.x - half_w, point.y - half_h, point.x + half_w, point.y + half_h)
        if label.intersection(polygon).area < _INSIDE * label.area:
            continue
        if any(label.intersects(other) for other in placed):
            continue
        placed.append(label)
        chosen.append((code, point.x / (stretch * scale), point.y / scale))
    return chosen
