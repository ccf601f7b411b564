"""Hostile boundary files built on the spot: a GeoPackage whose only layer is an endless recursive view."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box


def endless_geopackage(path: Path) -> Path:
    """A GeoPackage whose layer ``districts`` is a recursive view that never ends (it is read first).

    The one real district is kept in a table outside the GeoPackage's contents, so the view is the
    only registered layer.
    """
    frame = gpd.GeoDataFrame({"code": ["01"], "name": ["Sé"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    frame.to_file(path, layer="districts", driver="GPKG")
    con = sqlite3.connect(path)
    try:
        con.execute("ALTER TABLE districts RENAME TO districts_data")
        con.execute(
            "CREATE VIEW districts AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
            "SELECT r.n AS fid, d.geom AS geom, d.code AS code, d.name AS name FROM r, districts_data d"
        )
        con.commit()
    finally:
        con.close()
    return path
