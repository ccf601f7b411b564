"""What the upload page's check and commit cost: the import service with and without the change
preview, and the page itself (upload + check, then a rerun) in Streamlit's AppTest.

Run: PYTHONPATH=. python benchmarks/upload_check.py [--rows 100000] [--repeats 3]
Appends one record to benchmarks/results/upload_check.jsonl.
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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from observatory.config import load_settings
from observatory.domain import Actor, ImportKind, Role
from observatory.services import imports
from observatory.services.demo import load_demo
from observatory.store import connect
from tests.app.helpers import start

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "upload_check.jsonl"
EDITOR = Actor("bench", Role.EDITOR)
COUNTS = ("burglary", "violence", "robbery", "vehicle_theft", "theft_from_vehicle", "vandalism")


def observations_csv(rows: int) -> bytes:
    """Monthly counts from January 2016 on: the demo's years become updates, later ones creations."""
    areas = [f"{n:02d}" for n in range(1, 21)]
    lines = ["indicator,area,period,value"]
    month = 0
    while len(lines) <= rows:
        year, m = 2016 + month // 12, month % 12 + 1
        for indicator in COUNTS:
            for area in areas:
                lines.append(f"{indicator},{area},{year}-{m:02d},{(month + len(area)) % 17}")
        month += 1
    return ("\n".join(lines[: rows + 1]) + "\n").encode()


def _median(call: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def service_times(db: Path, data: bytes, repeats: int) -> dict[str, float]:
    store = connect(db)
    try:

        def check(preview: int) -> Callable[[], object]:
            return lambda: imports.import_table(
                store,
                ImportKind.OBSERVATIONS,
                data,
                "bench.csv",
                actor=EDITOR,
                dry_run=True,
                preview_rows=preview,
            )

        return {
            "dry_run_s": _median(check(0), repeats),
            "dry_run_with_preview_s": _median(check(200), repeats),
        }
    finally:
        store.close()


def page_times(db: Path, data: bytes) -> dict[str, float]:
    os.environ["OBSERVATORY_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = start("pages/upload.py", role="editor")
    begin = time.perf_counter()
    at.file_uploader(key="upload-file").upload("bench.csv", data, "text/csv").run()
    checked = time.perf_counter() - begin
    if at.exception:
        raise SystemExit(str(at.exception[0].message))
    begin = time.perf_counter()
    at.run()
    rerun = time.perf_counter() - begin
    return {"page_upload_and_check_s": checked, "page_rerun_s": rerun}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = observations_csv(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.duckdb"
        store = connect(demo)
        load_demo(store, load_settings().demo_dir)
        store.close()
        results = service_times(Path(shutil.copy(demo, Path(tmp) / "service.duckdb")), data, args.repeats)
        os.environ["OBSERVATORY_SNAPSHOT"] = str(Path(tmp) / "public.duckdb")
        results |= page_times(Path(shutil.copy(demo, Path(tmp) / "page.duckdb")), data)
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "rows": args.rows,
        "bytes": len(data),
        "results": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
