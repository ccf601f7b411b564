"""Geometry for drawing and storage: coverage-preserving simplification, GeoJSON, outline."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.errors import GeometryTypeError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
DISPLAY_DECIMALS = 6  # 1e-6 degree is about 0.1 m: far below what a district map can show


def display_geometries(frame: gpd.GeoDataFrame, *, tolerance_m: float = 15.0) -> gpd.GeoDataFrame:
    """A lighter copy of the districts for drawing, without gaps or overlaps between neighbours.

    Method: coverage simplification (``shapely.coverage_simplify``, Visvalingam–Whyatt on the shared
    edges, so both neighbours get the same simplified edge) in the local UTM zone; a coverage whose
    edges do not match exactly is first cleaned with ``shapely.coverage_clean``. The result is
    brought back to EPSG:4326 with coordinates rounded to 6 decimals.

    Args:
        frame: Districts in EPSG:4326 (as from ``read_boundaries``).
        tolerance_m: Roughly the square root, in metres, of the largest triangle area removed.
    """
    if frame.empty:
        return frame.copy()
    metric = frame.estimate_utm_crs()
    geometries = np.asarray(frame.geometry.to_crs(metric), dtype=object)
    if not bool(shapely.coverage_is_valid(geometries)):
        geometries = shapely.coverage_clean(geometries)
    simplified = shapely.coverage_simplify(geometries, tolerance_m)
    back = gpd.GeoSeries(simplified, crs=metric, index=frame.index).to_crs(WGS84)
    # Rounding each vertex on its own keeps shared vertices shared: equal inputs round equally.
    rounded = shapely.transform(np.asarray(back, dtype=object), lambda xy: np.round(xy, DISPLAY_DECIMALS))
    return frame.set_geometry(gpd.GeoSeries(rounded, crs=WGS84, index=frame.index))


def to_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for plotly's ``choropleth_map(..., featureidkey="id")``.

    Each feature's ``id`` is the district code; its properties are ``code`` and ``name``.
    """
    features = [
        {
            "type": "Feature",
            "id": str(code),
            "properties": {"code": str(code), "name": str(name)},
            "geometry": None if geom is None else json.loads(geometry_to_text(geom)),
        }
        for code, name, geom in zip(frame["code"], frame["name"], frame.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def geometry_to_text(geom: BaseGeometry) -> str:
    """GeoJSON text of one geometry, for storage; exact (full float precision)."""
    return json.dumps(geom.__geo_interface__, separators=(",", ":"))


def geometry_from_text(text: str) -> BaseGeometry:
    """The geometry stored by :func:`geometry_to_text`.

    Raises:
        ValueError: The text is not a GeoJSON geometry.
    """
    try:
        return shape(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError, GeometryTypeError) as exc:
        raise ValueError(f"not a GeoJSON geometry: {text[:60]!r}") from exc


def union_outline(frame: gpd.GeoDataFrame) -> BaseGeometry:
    """The city outline: the union (dissolve) of all district geometries."""
    geometries = np.asarray(frame.geometry, dtype=object)
    return shapely.union_all(geometries[~shapely.is_missing(geometries)])
