"""Scale cities for the benchmarks: districts, indicators, months, dense boundaries; cached DuckDB files.

Run: PYTHONPATH=. python -m benchmarks.generate [reference|10x|tiny] — or let ``python -m benchmarks`` build
what it needs. Files are cached under benchmarks/data/ (git-ignored), named after the scale and the
generator version; delete them to rebuild.

Everything goes through the real import path (``services.imports.import_boundaries`` for the districts,
``import_table`` for the catalogue, the denominators and the observations, one observation file per
indicator as a city would send them), so the stores are what staff would have built. Rows end up
grouped by indicator, as monthly imports per indicator leave them.

Districts are a real tessellation: Voronoi cells of random points (seed 42) clipped to a round city
outline, about 1 km² each, their edges densified to a vertex every 15 m and bent by a smooth
displacement field, so neighbours share every vertex of their common edge and the edges wiggle as
real boundaries do ("dense" polygons: a few hundred vertices each).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from benchmarks.common import data_dir
from observatory.domain import Actor, ImportKind, Role
from observatory.services import imports, publish
from observatory.store import connect

VERSION = 3
ACTOR = Actor("bench", Role.ADMIN)
CITY_CODE, CITY_NAME = "000", "Benchmark city"
FIRST_YEAR = 2006
CENTRE = (-8.61, 41.15)  # lon, lat: the demo city's part of the world
UTM = "EPSG:32629"
DISTRICT_KM2 = 1.0
SPACING_M = 15.0


@dataclass(frozen=True)
class Scale:
    """A benchmark city: how many districts, indicators and months of monthly counts."""

    name: str
    districts: int
    indicators: int
    months: int

    @property
    def observations(self) -> int:
        """District-level observation rows."""
        return self.districts * self.indicators * self.months


SCALES = {
    "reference": Scale("reference", 100, 60, 240),
    "10x": Scale("10x", 1000, 60, 240),
    "tiny": Scale("tiny", 12, 3, 36),
    # The map benchmark's boundary sets: one indicator, two years, 100 / 1,000 / 5,000 districts.
    **{f"map-{n}": Scale(f"map-{n}", n, 1, 24) for n in (12, 100, 1000, 5000)},
}


def district_codes(n: int) -> list[str]:
    """Codes with leading zeros, as real ones have (the city itself is 000)."""
    width = max(3, len(str(n)))
    return [f"{i:0{width}d}" for i in range(1, n + 1)]


def _warp(xy: np.ndarray) -> np.ndarray:
    """A smooth displacement (metres): equal vertices move equally, so shared edges stay shared."""
    x, y = xy[:, 0], xy[:, 1]
    # Slopes kept well below 1 (here at most 0.65) so the map is one-to-one: no edge folds over itself.
    dx = 10 * np.sin(2 * np.pi * y / 200) + 3 * np.sin(2 * np.pi * (x + y) / 80)
    dy = 10 * np.sin(2 * np.pi * x / 230) + 3 * np.sin(2 * np.pi * (x - y) / 90)
    return np.column_stack([x + dx, y + dy])


def tessellation(n: int, *, seed: int = 42) -> gpd.GeoDataFrame:
    """``n`` districts covering a round city without gaps or overlaps, dense edges, EPSG:4326."""
    rng = np.random.default_rng(seed)
    radius = np.sqrt(n * DISTRICT_KM2 * 1e6 / np.pi)
    centre = gpd.GeoSeries.from_xy([CENTRE[0]], [CENTRE[1]], crs="EPSG:4326").to_crs(UTM).iloc[0]
    outline = centre.buffer(radius, quad_segs=64)
    angle, dist = rng.uniform(0, 2 * np.pi, n), radius * np.sqrt(rng.uniform(0, 0.97, n))
    points = shapely.points(centre.x + dist * np.cos(angle), centre.y + dist * np.sin(angle))
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=outline)
    clipped = shapely.intersection(np.asarray(shapely.get_parts(cells)), outline)
    clipped = clipped[np.argsort([c.centroid.y * 1e7 + c.centroid.x for c in clipped])[::-1]]
    dense = shapely.segmentize(clipped, SPACING_M)
    # Rounding to the millimetre makes the two copies of a densified shared edge identical.
    dense = shapely.transform(dense, lambda xy: _warp(np.round(xy, 3)))
    codes = district_codes(len(dense))
    frame = gpd.GeoDataFrame(
        {"code": codes, "name": [f"District {c}" for c in codes]}, geometry=list(dense), crs=UTM
    )
    return frame.to_crs("EPSG:4326")


def boundaries_file(n: int, folder: Path | None = None) -> Path:
    """The GeoJSON file of ``n`` districts (built once, then cached)."""
    folder = folder or data_dir()
    path = folder / f"boundaries-{n}-v{VERSION}.geojson"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        part.write_text(tessellation(n).to_json(drop_id=True), encoding="utf-8")
        os.replace(part, path)
    return path


def indicators_csv(count: int) -> bytes:
    """``count`` monthly count indicators, lower is better, per 1,000 residents."""
    lines = ["code,name,theme,kind,unit,polarity,denominator,multiplier,threshold"]
    lines += [
        f"ind{i:02d},Indicator {i:02d},theme {i % 6},result,count,lower_is_better,residents,1000,5"
        for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def denominators_csv(codes: list[str], years: list[int], *, seed: int = 42) -> bytes:
    """Residents and dwellings per district and year, and the city's as their sum."""
    rng = np.random.default_rng(seed)
    base = rng.integers(3_000, 12_000, len(codes))
    frame = pd.DataFrame(
        [
            (c, y, int(b * (1 + 0.004 * (y - years[0]))))
            for c, b in zip(codes, base, strict=True)
            for y in years
        ],
        columns=["area", "year", "residents"],
    )
    city = frame.groupby("year", as_index=False)["residents"].sum().assign(area=CITY_CODE)
    frame = pd.concat([city[["area", "year", "residents"]], frame], ignore_index=True)
    frame["dwellings"] = frame["residents"] // 2
    return frame.to_csv(index=False).encode()


def observations_csv(code: str, districts: list[str], months: int, *, seed: int) -> bytes:
    """One indicator's monthly counts for every district (Poisson, a district-specific level)."""
    rng = np.random.default_rng(seed)
    periods = pd.period_range(f"{FIRST_YEAR}-01", periods=months, freq="M").strftime("%Y-%m").to_numpy()
    level = np.repeat(rng.gamma(2.0, 4.0, len(districts)), months)
    frame = pd.DataFrame(
        {
            "indicator": code,
            "area": np.repeat(np.array(districts), months),
            "period": np.tile(periods, len(districts)),
            "value": rng.poisson(level),
        }
    )
    return frame.to_csv(index=False).encode()


def _check(report: imports.ValidationReport) -> None:
    if not report.ok:
        raise RuntimeError(report.to_text()[:2000])


def build_store(path: Path, scale: Scale, boundaries: Path) -> None:
    """Import districts, catalogue, denominators and observations into a new store at ``path``."""
    store = connect(path)
    try:
        data = boundaries.read_bytes()
        _check(
            imports.import_boundaries(
                store,
                data,
                boundaries.name,
                code_field="code",
                name_field="name",
                actor=ACTOR,
                city_code=CITY_CODE,
                city_name=CITY_NAME,
            )
        )
        codes = district_codes(scale.districts)
        years = list(range(FIRST_YEAR, FIRST_YEAR + -(-scale.months // 12)))
        _check(
            imports.import_table(
                store, ImportKind.INDICATORS, indicators_csv(scale.indicators), "indicators.csv", actor=ACTOR
            )
        )
        _check(
            imports.import_table(
                store,
                ImportKind.DENOMINATORS,
                denominators_csv(codes, years),
                "denominators.csv",
                actor=ACTOR,
            )
        )
        for i in range(scale.indicators):
            rows = observations_csv(f"ind{i:02d}", codes, scale.months, seed=42 + i)
            _check(imports.import_table(store, ImportKind.OBSERVATIONS, rows, f"ind{i:02d}.csv", actor=ACTOR))
    finally:
        store.close()


def city(scale: Scale, folder: Path | None = None) -> Path:
    """The staff store of ``scale`` (built once, then cached)."""
    folder = folder or data_dir()
    path = folder / f"city-{scale.name}-v{VERSION}.duckdb"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.stem + ".part.duckdb")
        part.unlink(missing_ok=True)
        build_store(part, scale, boundaries_file(scale.districts, folder))
        os.replace(part, path)
    return path


def release(scale: Scale, folder: Path | None = None) -> Path:
    """The published (disclosure-controlled) snapshot of ``scale``'s store (built once, then cached)."""
    folder = folder or data_dir()
    path = folder / f"public-{scale.name}-v{VERSION}.duckdb"
    if not path.exists():
        work = folder / f"publishing-{scale.name}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        staff = shutil.copy(city(scale, folder), work / "staff.duckdb")
        store = connect(staff)
        try:
            publish.publish(
                store,
                actor=ACTOR,
                snapshot_path=work / "public.duckdb",
                now=datetime.now(UTC).replace(tzinfo=None),
            )
        finally:
            store.close()
        os.replace(work / "public.duckdb", path)
        shutil.rmtree(work, ignore_errors=True)
    return path


def main() -> None:
    """Build (or find in the cache) the stores of the scales named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scales", nargs="*", default=["reference"], choices=list(SCALES))
    args = parser.parse_args()
    for name in args.scales:
        started = datetime.now()
        paths = [city(SCALES[name]), release(SCALES[name])]
        took = (datetime.now() - started).total_seconds()
        print(json.dumps({"scale": name, "files": [str(p) for p in paths], "seconds": round(took, 1)}))


if __name__ == "__main__":
    main()
