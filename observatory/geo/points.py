"""Which area each point falls in: the point-in-polygon step of incident aggregation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry


def locate_points(
    longitude: np.ndarray, latitude: np.ndarray, codes: Sequence[str], shapes: Sequence[BaseGeometry]
) -> np.ndarray:
    """The code of the area holding each point (EPSG:4326 longitude / latitude).

    Uses an STRtree of the areas queried with all points at once (shapely 2, vectorised). A point on
    the border of two areas goes to the area whose code sorts first, so the answer never depends on
    file order; a point in no area, or without coordinates (NaN), gets None.

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
    order = np.argsort(np.asarray(codes, dtype=object), kind="stable")
    tree = STRtree([shapes[i] for i in order])
    points = shapely.points(longitude[known], latitude[known])
    point_index, shape_index = tree.query(points, predicate="intersects")
    # query() gives pairs sorted by point; keep the lowest shape index (= first code) per point.
    pairs = np.lexsort((shape_index, point_index))
    point_index, shape_index = point_index[pairs], shape_index[pairs]
    first = np.r_[True, point_index[1:] != point_index[:-1]] if len(point_index) else np.empty(0, bool)
    sorted_codes = np.asarray([codes[i] for i in order], dtype=object)
    targets = np.flatnonzero(known)[point_index[first]]
    found[targets] = sorted_codes[shape_index[first]]
    return found
