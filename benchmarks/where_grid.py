"""The "what changed, where" grid and the change checks under it, at the demo city and at 10×.

``PYTHONPATH=. python -m benchmarks.where_grid [--scales demo 10x] [--runs 3] [--indicators N] [--label L]``

For each scale: the median of ``--runs`` builds of :func:`observatory.services.where.grid` (every
indicator × the city and every district, from the staff store: the grid the Overview, the city briefing
and the security diagnosis read), and, with every indicator's panels read once beforehand, the time of
the three change checks of :mod:`observatory.services.trend_checks` summed over the indicators
(``month_changes``, ``year_changes``, ``trend_verdicts``, median of the runs). Appends one record per
scale to benchmarks/results/where_grid.jsonl. ``--indicators N`` measures the first N indicators of the
catalogue only (the per-area checks took minutes an indicator at 10×).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import generate, methodology_visit
from benchmarks.common import median, write_record
from observatory.config import load_settings
from observatory.domain import ChangeTest
from observatory.services import trend_checks, trends, views, where
from observatory.services.demo import load_demo
from observatory.store import connect


def _store_path(scale: str, work: Path) -> Path:
    target = work / f"{scale}.duckdb"
    if scale == "demo":
        store = connect(target)
        load_demo(store, load_settings().demo_dir)
        store.close()
    else:
        shutil.copy(generate.city(generate.SCALES[scale]), target)
    return target


def _panels(store: Any, codes: list[str]) -> list[tuple[Any, str, Any, Any, list]]:
    """The indicators' yearly and monthly panels, their measure and breaks, read once."""
    found = []
    for code in codes:
        info = views.indicator(store, str(code))
        available = trends.available_views(store, info)
        monthly = (
            trends.panel(store, info, "month")
            if "month" in available and info.change_test is ChangeTest.RATE_RATIO
            else None
        )
        yearly = trends.panel(store, info, "year") if "year" in available else None
        found.append((info, where.measure_of(info), monthly, yearly, trends.series_breaks(store, info)))
    return found


def _checks(panels: list) -> dict[str, float]:
    """Seconds spent in each change check over every indicator, once."""
    spent = {"month_changes": 0.0, "year_changes": 0.0, "trend_verdicts": 0.0}
    for info, measure, monthly, yearly, breaks in panels:
        if monthly is not None:
            start = time.perf_counter()
            trend_checks.month_changes(monthly, info, measure)
            spent["month_changes"] += time.perf_counter() - start
        if yearly is not None:
            start = time.perf_counter()
            trend_checks.year_changes(yearly, info, measure)
            spent["year_changes"] += time.perf_counter() - start
            start = time.perf_counter()
            trend_checks.trend_verdicts(yearly, info, measure, breaks)
            spent["trend_verdicts"] += time.perf_counter() - start
    return spent


def measure(scale: str, runs: int, indicators: int | None = None) -> dict[str, Any]:
    """Median grid time and median check times at one scale."""
    work = Path(tempfile.mkdtemp(prefix="bench-where-"))
    try:
        store = connect(_store_path(scale, work), read_only=True)
        try:
            codes = [str(c) for c in views.catalogue(store)["code"]][:indicators]
            grids = []
            cells = 0
            for _ in range(runs):
                start = time.perf_counter()
                cells = len(where.grid(store, codes=codes).cells)
                grids.append(time.perf_counter() - start)
            panels = _panels(store, codes)
            checks = [_checks(panels) for _ in range(runs)]
        finally:
            store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures: dict[str, Any] = {
        "scale": scale,
        "cells": cells,
        "indicators": len(panels),
        "areas": cells // max(len(panels), 1),
        "grid": {"median_s": round(median(grids), 3), "runs": grids},
    }
    for name in ("month_changes", "year_changes", "trend_verdicts"):
        values = [c[name] for c in checks]
        figures[name] = {"median_s": round(median(values), 3), "runs": values}
    return figures


def main(argv: list[str] | None = None) -> None:
    """Measure the chosen scales and append their records."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", default=["demo", "10x"], choices=["demo", *generate.SCALES])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=None, help="the first N indicators only")
    parser.add_argument("--label", default="", help="what code was measured (e.g. before / after)")
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args(argv)
    for name in args.scales:
        figures = measure(name, args.runs, args.indicators)
        figures.update(label=args.label, code=methodology_visit._code_version())
        write_record("where_grid", figures, quick=False, results=args.results)
        checks = ", ".join(
            f"{n} {figures[n]['median_s']:.3f} s" for n in ("month_changes", "year_changes", "trend_verdicts")
        )
        print(f"where grid, {name}, {args.label}: {figures['grid']['median_s']:.2f} s; {checks}", flush=True)


if __name__ == "__main__":
    main()
