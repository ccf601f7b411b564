"""Which area each point falls in: the point-in-polygon step of incident aggregation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

# Up to this many areas, polygons are tested one by one over their bounding box; beyond, an STRtree.
_FEW = 256


def locate_points(
    longitude: np.ndarray, latitude: np.ndarray, codes: Sequence[str], shapes: Sequence[BaseGeometry]
) -> np.ndarray:
    """The code of the area holding each point (EPSG:4326 longitude / latitude).

    Vectorised with shapely 2: a few areas (a city's districts) are tested one prepared polygon at a
    time over the points in its bounding box; many areas (small statistical areas) through an
    STRtree queried with all points at once. A point on the border of two areas goes to the area
    whose code sorts first, so the answer never depends on file order; a point in no area, or
    without coordinates (NaN), gets None.

    Args:
        longitude: Longitudes, float (NaN when unknown).
        latitude: Latitudes, float (NaN when unknown).
        codes: Area codes, one per shape.
        shapes: Area polygons in EPSG:4326.

    Returns:
        An object array of codes (str) or None, one per point.
    """
    found = np.full(len(longitude), None, dtype=object)
    known = ~(np.isnan(longitude) | np.isnan(latitude))
    if not known.any() or not len(shapes):
        return found
    order = sorted(range(len(codes)), key=lambda i: codes[i])
    if len(shapes) <= _FEW:
        return _by_shape(longitude, latitude, [codes[i] for i in order], [shapes[i] for i in order], found)
    tree = STRtree([shapes[i] for i in order])
    points = shapely.points(longitude[known], latitude[known])
    point_index, shape_index = tree.query(points, predicate="intersects")
    # Keep the lowest shape index (= the first code) per point.
    pairs = np.lexsort((shape_index, point_index))
    point_index, shape_index = point_index[pairs], shape_index[pairs]
    first = np.r_[True, point_index[1:] != point_index[:-1]] if len(point_index) else np.empty(0, bool)
    sorted_codes = np.asarray([codes[i] for i in order], dtype=object)
    found[np.flatnonzero(known)[point_index[first]]] = sorted_codes[shape_index[first]]
    return found


def _by_shape(
    x: np.ndarray, y: np.ndarray, codes: list[str], shapes: list[BaseGeometry], found: np.ndarray
) -> np.ndarray:
    """One prepared polygon at a time over the points inside its bounding box, in code order.

    With a city's few districts this is 5× faster than the tree: no point objects are made
    (``intersects_xy`` reads the coordinates), and each point is tested only until it is placed.
    """
    inside = ~(np.isnan(x) | np.isnan(y))
    for code, shape in zip(codes, shapes, strict=True):
        shapely.prepare(shape)
        west, south, east, north = shape.bounds
        candidates = np.flatnonzero(inside & (x >= west) & (x <= east) & (y >= south) & (y <= north))
        hit = shapely.intersects_xy(shape, x[candidates], y[candidates])
        found[candidates[hit]] = code
        inside[candidates[hit]] = False
    return found


def to_degrees(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (EPSG:4326) of points given in the coordinate system ``crs``.

    Raises:
        ValueError: If ``crs`` names no coordinate system pyproj knows (offline proj.db).
    """
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError as exc:
        raise ValueError(f"{crs!r} is not a coordinate system (EPSG:3763 …)") from exc
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    longitude, latitude = transformer.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(longitude, dtype=float), np.asarray(latitude, dtype=float)
