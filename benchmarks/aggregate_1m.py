"""Aggregation of 1,000,000 incident points (a police.uk street-level file) into district-month counts.

Run: PYTHONPATH=. python benchmarks/aggregate_1m.py [--runs 5]
Points are spread (seed 42) over the bounding box of the demo city's 20 districts, so some fall
outside and 2% have no location, as in real files; 5 crime types over 12 months. Timed per run:
  locate      geo.locate_points alone (STRtree point-in-polygon, 1 M points)
  aggregate   read the CSV bytes + locate + count per indicator, district and month (no store)
  dry_run     the whole services.formats.import_police_uk path against the demo store, dry run
Appends one record (machine, versions, date, every timing and the medians) to
benchmarks/results/aggregate_1m.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from benchmarks.scale import ADMIN
from observatory import geo
from observatory.config import load_settings
from observatory.domain import SourceFormat
from observatory.ingest.formats.incidents import aggregate, read_incidents
from observatory.services import formats, imports
from observatory.services.demo import load_demo
from observatory.store import connect

POINTS = 1_000_000
RESULTS = Path(__file__).parent / "results" / "aggregate_1m.jsonl"
TYPES = ["Burglary", "Robbery", "Vehicle crime", "Anti-social behaviour", "Criminal damage and arson"]


def police_csv(districts: gpd.GeoDataFrame, n: int = POINTS, seed: int = 42) -> bytes:
    """A police.uk street-level file of ``n`` crimes in and around the districts."""
    rng = np.random.default_rng(seed)
    west, south, east, north = districts.total_bounds
    lon = np.round(rng.uniform(west, east, n), 6).astype(str)
    lat = np.round(rng.uniform(south, north, n), 6).astype(str)
    missing = rng.random(n) < 0.02
    lon[missing], lat[missing] = "", ""
    frame = pd.DataFrame(
        {
            "Crime ID": np.char.add("c", np.arange(n).astype(str)),
            "Month": rng.choice([f"2030-{m:02d}" for m in range(1, 13)], n),
            "Reported by": "Force",
            "Falls within": "Force",
            "Longitude": lon,
            "Latitude": lat,
            "Location": "On or near Street",
            "LSOA code": "E01000001",
            "LSOA name": "Area 001A",
            "Crime type": rng.choice(TYPES, n),
            "Last outcome category": "Under investigation",
            "Context": "",
        }
    )
    return frame.to_csv(index=False).encode()


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _aggregate_only(data: bytes, codes: list[str], shapes: list, reference) -> None:
    incidents = read_incidents(data, "street.csv", SourceFormat.POLICE_UK)
    located = geo.locate_points(incidents.longitude, incidents.latitude, codes, shapes)
    parsed = aggregate(incidents, located=located, areas=codes, mapping={}, reference=reference)
    if parsed.observations is None:
        raise SystemExit(parsed.report.to_text()[:2000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    districts = gpd.read_file(Path(settings.demo_dir) / "districts.geojson")
    codes, shapes = [str(c) for c in districts["code"]], list(districts.geometry)
    data = police_csv(districts)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-8.67, -8.53, POINTS), rng.uniform(41.11, 41.20, POINTS)
    work = Path(tempfile.mkdtemp(prefix="bench-aggregate-"))
    try:
        store = connect(work / "demo.duckdb")
        load_demo(store, settings.demo_dir)
        reference = imports.build_reference(store)
        timings: dict[str, list[float]] = {"locate": [], "aggregate": [], "dry_run": []}
        report = None
        for _ in range(args.runs):
            timings["locate"].append(_time(lambda: geo.locate_points(lon, lat, codes, shapes)))
            timings["aggregate"].append(_time(lambda: _aggregate_only(data, codes, shapes, reference)))
            start = time.perf_counter()
            report = formats.import_police_uk(store, data, "street.csv", actor=ADMIN, dry_run=True)
            timings["dry_run"].append(time.perf_counter() - start)
        store.close()
        if report is None or not report.ok:
            raise SystemExit(report.to_text()[:2000] if report else "no run")
        medians = {k: statistics.median(v) for k, v in timings.items()}
        record = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "versions": {
                "duckdb": duckdb.__version__,
                "pandas": pd.__version__,
                "shapely": shapely.__version__,
                "geopandas": gpd.__version__,
            },
            "points": POINTS,
            "bytes": len(data),
            "districts": len(codes),
            "report": {
                "rows_read": report.rows_read,
                "ignored": report.ignored,
                "ignored_reasons": report.ignored_reasons,
                "observations": report.created + report.updated + report.unchanged,
            },
            "runs": timings,
            "medians_s": medians,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        print(json.dumps({k: record[k] for k in ("medians_s", "report")}, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
