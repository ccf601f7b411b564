"""Which areas touch which: the neighbours of an area, for spillover (displacement) checks."""

from __future__ import annotations

from collections.abc import Sequence

import shapely


def neighbours(codes: Sequence[str], geojson: Sequence[str]) -> dict[str, set[str]]:
    """Areas sharing a boundary or a point with each area (its own code left out).

    Args:
        codes: Area codes.
        geojson: Each area's geometry as GeoJSON text, in the same order.

    Returns:
        Code → codes of the areas whose geometry intersects it; areas with an unreadable geometry
        have no neighbours.
    """
    shapes = []
    for text in geojson:
        try:
            shapes.append(shapely.from_geojson(text))
        except shapely.errors.GEOSException:
            shapes.append(shapely.Point())
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    found: dict[str, set[str]] = {code: set() for code in codes}
    for i, j in zip(left, right, strict=True):
        if i != j:
            found[codes[i]].add(codes[j])
    return found
