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
MIN_TOLERANCE_M = 15.0
# A vertex may move by about 1/16 of a typical district's width: under a pixel where a city-wide map
# draws a district ~16 px wide (thousands of districts), a few pixels where it draws one ~80 px wide
# (a hundred). It keeps the map's GeoJSON near 0.4 KB a district (benchmarks/map_payload.py); a
# fixed 15 m kept 1.4 KB a district of a 1 km² dense tessellation, 0.7 MB for 500 districts.
WIDTH_SHARE = 1 / 16


def display_tolerance(areas_m2: np.ndarray) -> float:
    """The simplification tolerance (metres) for districts of these areas: scaled to their median width."""
    if len(areas_m2) == 0:
        return MIN_TOLERANCE_M
    return max(MIN_TOLERANCE_M, float(np.sqrt(np.median(areas_m2))) * WIDTH_SHARE)


def display_geometries(frame: gpd.GeoDataFrame, *, tolerance_m: float | None = None) -> gpd.GeoDataFrame:
    """A lighter copy of the districts for drawing, without gaps or overlaps between neighbours.

    Method: coverage simplification (``shapely.coverage_simplify``, Visvalingam–Whyatt on the shared
    edges, so both neighbours get the same simplified edge) in the local UTM zone; a coverage whose
    edges do not match exactly is first cleaned with ``shapely.coverage_clean``. The result is
    brought back to EPSG:4326 with coordinates rounded to 6 decimals.

    Args:
        frame: Districts in EPSG:4326 (as from ``read_boundaries``).
        tolerance_m: Roughly the square root, in metres, of the largest triangle area removed; by
            default :func:`display_tolerance` of the districts' areas.
    """
    if frame.empty:
        return frame.copy()
    metric = frame.estimate_utm_crs()
    geometries = np.asarray(frame.geometry.to_crs(metric), dtype=object)
    if not bool(shapely.coverage_is_valid(geometries)):
        geometries = shapely.coverage_clean(geometries)
    if tolerance_m is None:
        tolerance_m = display_tolerance(shapely.area(geometries))
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
