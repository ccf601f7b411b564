"""Server-side run time of every page on the demo city, with Streamlit's AppTest.

Run: PYTHONPATH=. python benchmarks/page_times.py [--reruns 8]
For each page: the first run (cold caches), then the median of N warm reruns. Appends one record to
benchmarks/results/page_times.jsonl.
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

import streamlit as st
from streamlit.testing.v1 import AppTest

from observatory.config import load_settings
from observatory.services.demo import load_demo
from observatory.store import connect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "page_times.jsonl"
PAGES = {
    "overview": (None, {}),
    "map": ("pages/map.py", {"indicator": "burglary"}),
    "trends": ("pages/trends.py", {"indicator": "burglary", "districts": ["05", "12"]}),
    "profile": ("pages/profile.py", {"district": "05"}),
    "strategy": ("pages/strategy.py", {}),
    "methodology": ("pages/methodology.py", {}),
}


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    if at.exception:
        raise SystemExit(str(at.exception[0].message))
    return time.perf_counter() - start


def measure(page: str | None, query: dict, reruns: int) -> dict[str, float]:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    cold = _timed(at)
    if page:
        at.switch_page(page)
        cold = _timed(at)
    warm = [_timed(at) for _ in range(reruns)]
    return {"cold_s": cold, "warm_median_s": statistics.median(warm), "warm_runs": warm}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        db = work / "demo.duckdb"
        store = connect(db)
        load_demo(store, load_settings().demo_dir)
        store.close()
        os.environ["OBSERVATORY_DB"] = str(db)
        pages = {name: measure(page, query, args.reruns) for name, (page, query) in PAGES.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "scale": "demo city (20 districts, 16 indicators, 25,038 observations)",
        "pages": pages,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    for name, figures in pages.items():
        print(
            f"{name:12s} cold {figures['cold_s']:.2f} s  warm median {figures['warm_median_s'] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
