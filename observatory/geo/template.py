"""A filled-in boundary file for the upload page's template: what a district file should look like."""

from __future__ import annotations

import json

from shapely.geometry import box

from observatory.geo.display import geometry_to_text

#: Field names the template uses for the district code and name (any names work on upload).
CODE_FIELD, NAME_FIELD = "code", "name"

# Two neighbouring districts of about 0.8 × 1.1 km, in EPSG:4326 (longitude, latitude), sharing an edge.
_EXAMPLE = (
    ("01", "Old Town", box(-8.620, 41.140, -8.610, 41.150)),
    ("02", "Riverside", box(-8.610, 41.140, -8.600, 41.150)),
)


def template() -> bytes:
    """A UTF-8 GeoJSON FeatureCollection of two example districts with ``code`` and ``name`` fields.

    GeoJSON is always in EPSG:4326 (RFC 7946), so the file needs no CRS of its own.
    """
    features = [
        {
            "type": "Feature",
            "properties": {CODE_FIELD: code, NAME_FIELD: name},
            "geometry": json.loads(geometry_to_text(shape)),
        }
        for code, name, shape in _EXAMPLE
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, indent=1).encode("utf-8")
