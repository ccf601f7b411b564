"""GeoJSON helpers for the map builders: feature ids, subsets, and the view that fits the bounds."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# Pixel size assumed when fitting the zoom: a phone's map panel (390 px screen), so the whole city is in
# view on a phone; on a wide screen the height decides and the city keeps most of it.
_VIEW_WIDTH = 360
_VIEW_HEIGHT = 450
_TILE = 512  # MapLibre (plotly map traces) draws the world in 512 px at zoom 0
_MARGIN = 0.25  # zoom levels kept free around the city so edge districts are not clipped


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


def fit_view(geojson: Mapping[str, Any]) -> tuple[dict[str, float], float]:
    """Return the centre and Web-Mercator zoom that show the whole GeoJSON in a typical panel."""
    box = bounds(geojson)
    if box is None:
        return {"lon": 0.0, "lat": 0.0}, 1.0
    min_lon, min_lat, max_lon, max_lat = box
    centre = {"lon": (min_lon + max_lon) / 2, "lat": (min_lat + max_lat) / 2}
    # Mercator stretches latitude by 1 / cos(lat); express both spans in degrees of longitude.
    lon_span = max(max_lon - min_lon, 1e-6)
    lat_span = max((max_lat - min_lat) / math.cos(math.radians(centre["lat"])), 1e-6)
    zoom_x = math.log2(_VIEW_WIDTH * 360 / (_TILE * lon_span))
    zoom_y = math.log2(_VIEW_HEIGHT * 360 / (_TILE * lat_span))
    zoom = max(0.0, min(18.0, min(zoom_x, zoom_y) - _MARGIN))
    return centre, round(zoom, 2)
