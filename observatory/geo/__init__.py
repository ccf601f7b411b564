"""Geo room: read district boundary files, check and reproject them, prepare them for maps.

Usage: ``from observatory import geo`` then ``geo.read_boundaries(...)``, ``geo.to_geojson(...)``.
"""

from __future__ import annotations

from observatory.geo.display import (
    display_geometries,
    display_tolerance,
    geometry_from_text,
    geometry_to_text,
    to_geojson,
    union_outline,
)
from observatory.geo.errors import BoundarySourceError
from observatory.geo.points import locate_points, to_degrees
from observatory.geo.read import Boundaries, LayerInfo, Selection, describe, list_fields, read_boundaries
from observatory.geo.select import INSIDE_SHARE, AreaFilter, outline, parse_values
from observatory.geo.template import template

__all__ = [
    "INSIDE_SHARE",
    "AreaFilter",
    "Boundaries",
    "BoundarySourceError",
    "LayerInfo",
    "Selection",
    "describe",
    "display_geometries",
    "display_tolerance",
    "geometry_from_text",
    "geometry_to_text",
    "list_fields",
    "locate_points",
    "outline",
    "parse_values",
    "read_boundaries",
    "template",
    "to_degrees",
    "to_geojson",
    "union_outline",
]
