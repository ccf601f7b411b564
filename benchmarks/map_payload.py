"""The map's weight and shape: GeoJSON sent to the browser per district, shared edges after simplification,
and the browser's time to draw the map page, for boundary sets of 100, 1,000 and 5,000 dense polygons.

Run through ``python -m benchmarks`` (or ``PYTHONPATH=. python -m benchmarks.map_payload``).
Per set: the boundary import (``services.imports.import_boundaries``, which simplifies for display),
the GeoJSON the map page sends (``services.views.district_geojson`` encoded as plotly encodes it), the
coverage of the simplified districts checked with shapely in metres (union area against the sum of the
areas, the summed area of pairwise intersections, holes in the union) and, when Chromium is present,
the time from asking for the map page to the map drawn (first visit and the median of warm visits).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import plotly.io.json as pio_json
import shapely

from benchmarks import generate, server
from benchmarks.common import median, timed, write_record
from observatory.geo import display
from observatory.services import imports, views
from observatory.store import connect

SIZES = (100, 1000, 5000)
TARGET_KB_PER_DISTRICT = 0.5


def coverage(geojson: dict) -> dict[str, float]:
    """Gaps and overlaps of the drawn districts, in square metres (local UTM) and as shares of the city."""
    frame = gpd.GeoDataFrame.from_features(geojson["features"], crs="EPSG:4326")
    metric = np.asarray(frame.geometry.to_crs(frame.estimate_utm_crs()), dtype=object)
    union = shapely.union_all(metric)
    total = float(np.sum(shapely.area(metric)))
    tree = shapely.STRtree(metric)
    left, right = tree.query(metric, predicate="intersects")
    pairs = left < right
    overlap = float(np.sum(shapely.area(shapely.intersection(metric[left[pairs]], metric[right[pairs]]))))
    holes = sum(len(part.interiors) for part in shapely.get_parts(union))
    return {
        "sum_of_areas_m2": total,
        "union_area_m2": float(union.area),
        "overlap_m2": overlap,
        "overlap_share": overlap / total,
        "union_vs_sum_share": abs(total - union.area) / total,
        "holes_in_union": holes,
        "invalid_coverage": not bool(shapely.coverage_is_valid(metric)),
    }


def payload(n: int, folder: Path) -> dict[str, Any]:
    """Import the ``n``-district set into a fresh store and weigh what the map page would send."""
    source = generate.boundaries_file(n)
    store = connect(folder / f"areas-{n}.duckdb")
    try:
        seconds = timed(
            lambda: imports.import_boundaries(
                store,
                source.read_bytes(),
                source.name,
                code_field="code",
                name_field="name",
                actor=generate.ACTOR,
            )
        )
        geojson = views.district_geojson(store)
    finally:
        store.close()
    sent = len(pio_json.to_json_plotly(geojson))
    return {
        "districts": n,
        "source_bytes": source.stat().st_size,
        "import_s": seconds,
        "payload_bytes": sent,
        "kb_per_district": sent / n / 1000,
        "vertices_per_district": sum(
            len(shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))) for f in geojson["features"]
        )
        / n,
        "decimals": display.DISPLAY_DECIMALS,
        "coverage": coverage(geojson),
    }


def draw_times(n: int, visits: int) -> dict[str, Any]:
    """First and warm times for Chromium to draw the public map page of the ``n``-district city."""
    scale = generate.SCALES[f"map-{n}"]
    work = Path(tempfile.mkdtemp(prefix="bench-map-"))
    try:
        staff = Path(shutil.copy(generate.city(scale), work / "staff.duckdb"))
        public = Path(shutil.copy(generate.release(scale), work / "public.duckdb"))
        with server.streamlit_server(staff, public) as (url, _pid), server.chromium() as browser:
            runs = [server.draw_seconds(browser, f"{url}/map?indicator=ind00") for _ in range(visits + 1)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"first_s": runs[0], "warm_runs": runs[1:], "warm_s": median(runs[1:])}


def run(
    sizes: tuple[int, ...] = SIZES,
    *,
    visits: int = 3,
    browser: bool = True,
    quick: bool = False,
    results: Path | None = None,
    log=print,
) -> dict:
    """Measure every boundary set and append one record to map_payload.jsonl."""
    work = Path(tempfile.mkdtemp(prefix="bench-payload-"))
    try:
        sets = [payload(n, work) for n in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    use_browser = browser and Path(server.CHROMIUM).exists()
    for figures in sets:
        if use_browser:
            figures["browser"] = draw_times(figures["districts"], visits)
        figures["ratio_to_target"] = figures["kb_per_district"] / TARGET_KB_PER_DISTRICT
        cover = figures["coverage"]
        drawn = f", drawn in {figures['browser']['warm_s']:.2f} s" if "browser" in figures else ""
        log(
            f"map_payload {figures['districts']}: {figures['kb_per_district']:.2f} KB/district, "
            f"overlap {cover['overlap_share']:.1e}, holes {cover['holes_in_union']}{drawn}"
        )
    return write_record(
        "map_payload",
        {"sets": sets, "target_kb_per_district": TARGET_KB_PER_DISTRICT},
        quick=quick,
        results=results,
    )


def main() -> None:
    """Command line: sizes, browser visits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    run(tuple(args.sizes), visits=args.visits, browser=not args.no_browser)


if __name__ == "__main__":
    main()
