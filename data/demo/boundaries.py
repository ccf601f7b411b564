"""District boundaries of the demo city: an irregular coverage of 20 polygons.

The outline is a perturbed ellipse whose southern edge follows a river bend. Seeded points,
Lloyd-relaxed twice, cut it into Voronoi cells. The shared linework is noded once, densified,
bent by a smooth warp and rounded, then polygonised again, so neighbours share every vertex
exactly and the districts form a coverage with no gaps and no overlaps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon

# Local metric frame centred on the city; reprojected to EPSG:4326 at the end.
CENTRE_LON, CENTRE_LAT = -8.6, 41.15
LOCAL_CRS = f"+proj=laea +lat_0={CENTRE_LAT} +lon_0={CENTRE_LON} +datum=WGS84 +units=m +no_defs"
SEMI_AXES_M = (6100.0, 4300.0)
# The historic centre sits on the inside of the river bend, as old river ports do.
OLD_CENTRE_XY = (700.0, -1500.0)
N_DISTRICTS = 20
N_NEAR_CENTRE = 6
LLOYD_ITERATIONS = 2
SEGMENT_M = 150.0
# (amplitude m, wavelength m): gradient sum stays below 0.4, so the warp never folds an edge.
WARP_WAVES = ((60.0, 2500.0), (25.0, 1200.0), (8.0, 450.0))
DECIMALS = 6


@dataclass(frozen=True)
class District:
    """One district polygon in EPSG:4326 with its code and name."""

    code: str
    name: str
    polygon: Polygon


def city_outline(rng: np.random.Generator) -> Polygon:
    """Return the city outline in local metres: a wobbly ellipse cut by the river."""
    phases = rng.uniform(0, 2 * np.pi, 3)
    theta = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    radius = 1 + 0.06 * np.sin(2 * theta + phases[0]) + 0.04 * np.sin(3 * theta + phases[1])
    radius += 0.025 * np.sin(5 * theta + phases[2])
    ellipse = Polygon(
        np.column_stack([SEMI_AXES_M[0] * radius * np.cos(theta), SEMI_AXES_M[1] * radius * np.sin(theta)])
    )
    xs = np.linspace(-9000, 9000, 400)
    ys = -3700 + 1500 * np.exp(-(((xs - 800) / 2600) ** 2)) + 180 * np.sin(xs / 1700)
    river = LineString(np.column_stack([xs, ys])).buffer(220, quad_segs=16)
    pieces = shapely.get_parts(ellipse.difference(river))
    # Keep the north bank only; the south bank belongs to the neighbouring municipality.
    largest = max(pieces, key=lambda p: p.area)
    return shapely.segmentize(largest, SEGMENT_M)


def _seed_points(rng: np.random.Generator, outline: Polygon) -> np.ndarray:
    """Draw seeds, a few packed near the old centre so central districts come out smaller."""
    points: list[tuple[float, float]] = []
    minx, miny, maxx, maxy = outline.bounds
    while len(points) < N_DISTRICTS:
        if len(points) < N_NEAR_CENTRE:
            x, y = rng.normal(OLD_CENTRE_XY, 1300.0)
        else:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if outline.contains(Point(x, y)):
            points.append((float(x), float(y)))
    return np.array(points)


def _cells(seeds: np.ndarray, outline: Polygon) -> list[Polygon]:
    """Voronoi cells of the seeds clipped to the outline, in seed order."""
    diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline.buffer(3000), ordered=True)
    return [shapely.intersection(cell, outline) for cell in shapely.get_parts(diagram)]


def relaxed_cells(rng: np.random.Generator, outline: Polygon) -> list[Polygon]:
    """Seed the districts and apply Lloyd relaxation so sizes are plausible but uneven."""
    seeds = _seed_points(rng, outline)
    for _ in range(LLOYD_ITERATIONS):
        seeds = np.array([cell.centroid.coords[0] for cell in _cells(seeds, outline)])
    return _cells(seeds, outline)


def _warp_function(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw random plane waves (direction, phase) for a smooth, fold-free displacement field."""
    n = len(WARP_WAVES) * 2
    angles = rng.uniform(0, 2 * np.pi, n)
    phases = rng.uniform(0, 2 * np.pi, n)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    return directions, phases, np.array([a for a, _ in WARP_WAVES] * 2)


def _warp(coords: np.ndarray, field: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Displace local-metre coordinates; equal inputs give equal outputs, so shared vertices stay shared."""
    directions, phases, amplitudes = field
    wavelengths = np.array([w for _, w in WARP_WAVES] * 2)
    arg = 2 * np.pi * (coords @ directions.T) / wavelengths + phases
    waves = amplitudes * np.sin(arg)
    k = len(WARP_WAVES)
    return coords + np.column_stack([waves[:, :k].sum(axis=1), waves[:, k:].sum(axis=1)])


def _to_lonlat(geometries: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """Reproject local-metre geometries to EPSG:4326 and round to 6 decimals (about 0.1 m)."""
    series = gpd.GeoSeries(geometries, crs=LOCAL_CRS).to_crs(4326)
    return [shapely.transform(g, lambda a: np.round(a, DECIMALS)) for g in series]


def build_districts(rng: np.random.Generator, names: list[tuple[str, str]]) -> list[District]:
    """Build the 20 district polygons; codes go outward from the old centre.

    Args:
        rng: The generator's seeded random source.
        names: (code, name) pairs in code order.

    Raises:
        RuntimeError: If the result is not a valid 20-polygon coverage.
    """
    outline = city_outline(rng)
    cells = relaxed_cells(rng, outline)
    centre = Point(OLD_CENTRE_XY)
    cells.sort(key=lambda c: (not c.contains(centre), c.centroid.distance(centre)))
    linework = shapely.union_all([c.boundary for c in cells], grid_size=0.01)
    field = _warp_function(rng)
    bent = shapely.transform(shapely.segmentize(linework, SEGMENT_M), lambda a: _warp(a, field))
    anchors = [shapely.transform(c.representative_point(), lambda a: _warp(a, field)) for c in cells]
    projected = _to_lonlat([bent, *anchors])
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(projected[0]))))
    districts = []
    for (code, name), anchor in zip(names, projected[1:], strict=True):
        face = next(f for f in faces if f.contains(anchor))
        oriented = shapely.orient_polygons(shapely.normalize(face), exterior_cw=False)
        districts.append(District(code, name, oriented))
    _check_coverage([d.polygon for d in districts], len(faces))
    return districts


def _check_coverage(polygons: list[Polygon], n_faces: int) -> None:
    """Refuse to write boundaries that are not a clean coverage."""
    if n_faces != N_DISTRICTS or len({p.wkb for p in polygons}) != N_DISTRICTS:
        raise RuntimeError(f"expected {N_DISTRICTS} distinct faces, got {n_faces}")
    if not all(p.is_valid for p in polygons) or not shapely.coverage_is_valid(polygons):
        raise RuntimeError("district polygons are not a valid coverage")


def _ring(ring: shapely.LinearRing) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def geojson_text(districts: list[District]) -> str:
    """Serialise as an RFC 7946 FeatureCollection, one feature per line for readable diffs."""
    lines = []
    for d in districts:
        rings = [_ring(d.polygon.exterior), *(_ring(r) for r in d.polygon.interiors)]
        feature = {
            "type": "Feature",
            "properties": {"code": d.code, "name": d.name},
            "geometry": {"type": "Polygon", "coordinates": rings},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_geojson(districts: list[District], path: Path) -> None:
    """Write the districts as UTF-8 GeoJSON."""
    path.write_text(geojson_text(districts), encoding="utf-8", newline="\n")


def areas_km2(districts: list[District]) -> list[float]:
    """Area of each district in km², measured in the local equal-area frame."""
    series = gpd.GeoSeries([d.polygon for d in districts], crs=4326).to_crs(LOCAL_CRS)
    return [float(a) / 1e6 for a in series.area]
