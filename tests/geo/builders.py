"""Deterministic boundary files for the geo tests, written with geopandas and read back as bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPoint, box

# Lisbon, in Portugal TM06 (EPSG:3763) metres.
LISBON_X, LISBON_Y = -88000.0, -106000.0
# Lisbon in UTM zone 29N (EPSG:32629) metres, for the synthetic coverages.
UTM_X, UTM_Y = 488000.0, 4290000.0


def squares_3763(codes: list[object] | None = None) -> gpd.GeoDataFrame:
    """A row of 1 km squares in Lisbon, EPSG:3763, codes "01", "02", … unless given."""
    codes = codes if codes is not None else ["01", "02", "03", "04"]
    geometries = [
        box(LISBON_X + 1000 * i, LISBON_Y, LISBON_X + 1000 * (i + 1), LISBON_Y + 1000)
        for i in range(len(codes))
    ]
    names = [f"District {i + 1}" for i in range(len(codes))]
    return gpd.GeoDataFrame({"code": codes, "name": names}, geometry=geometries, crs="EPSG:3763")


def file_bytes(
    frame: gpd.GeoDataFrame, kind: str, tmp_path: Path, *, keep_prj: bool = True
) -> tuple[bytes, str]:
    """Write ``frame`` as ``geojson``, ``gpkg`` or ``zip`` (zipped Shapefile); return bytes and name."""
    folder = tmp_path / f"written-{kind}"
    folder.mkdir(exist_ok=True)
    if kind == "zip":
        frame.to_file(folder / "districts.shp")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                if keep_prj or path.suffix != ".prj":
                    archive.write(path, path.name)
        return buffer.getvalue(), "districts.zip"
    path = folder / f"districts.{kind}"
    frame.to_file(path)
    return path.read_bytes(), path.name


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """GeoJSON text of a frame (in memory), as an upload would carry it."""
    return frame.to_json().encode()


def voronoi_coverage(
    cells: int, *, size_m: float = 15000.0, spacing_m: float = 0.0, wiggle_m: float = 0.0, seed: int = 42
) -> gpd.GeoDataFrame:
    """Voronoi cells of random points in a ``size_m`` square city, as an exact coverage in EPSG:4326.

    The cell edges are noded once and shared, then densified to ``spacing_m`` and optionally bent
    by a smooth ``wiggle_m`` displacement (a function of position, so shared vertices stay shared),
    and the cells rebuilt with polygonize: neighbours share every vertex, as in a real boundary file.
    """
    rng = np.random.default_rng(seed)
    city = box(UTM_X, UTM_Y, UTM_X + size_m, UTM_Y + size_m)
    points = MultiPoint(rng.uniform((UTM_X, UTM_Y), (UTM_X + size_m, UTM_Y + size_m), size=(cells, 2)))
    raw = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(points, extend_to=city)), city)
    edges = shapely.union_all(shapely.boundary(raw))
    if spacing_m:
        edges = shapely.segmentize(edges, spacing_m)
    if wiggle_m:
        edges = shapely.transform(edges, lambda xy: _wiggle(xy, wiggle_m))
    polygons = shapely.get_parts(shapely.polygonize(shapely.get_parts(edges)))
    codes = [f"{i + 1:03d}" for i in range(len(polygons))]
    names = [f"Cell {code}" for code in codes]
    frame = gpd.GeoDataFrame({"code": codes, "name": names}, geometry=polygons, crs="EPSG:32629")
    return frame.to_crs("EPSG:4326")


def _wiggle(xy: np.ndarray, amplitude: float) -> np.ndarray:
    """Smooth displacement field: lets straight Voronoi edges meander like streets and rivers."""
    x, y = xy[:, 0], xy[:, 1]
    dx = amplitude * np.sin(y / 170.0) * np.cos(x / 410.0)
    dy = amplitude * np.sin(x / 190.0) * np.cos(y / 370.0)
    return np.column_stack([x + dx, y + dy])
