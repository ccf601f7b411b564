"""Import of a 1,000,000-row observations CSV against DuckDB's bare read_csv of the same file.

Run: PYTHONPATH=. python benchmarks/import_1m.py [--runs 3]
Appends one record to benchmarks/results/import_1m.jsonl (machine, versions, date, all timings).
Measured in one script so the ratio is taken under the same machine load.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.scale import ADMIN, observations_csv, prepared_store
from observatory.domain import ImportKind
from observatory.ingest import parse
from observatory.services import imports

ROWS = 1_000_000
RESULTS = Path(__file__).parent / "results" / "import_1m.jsonl"


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_read_csv(path: Path) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [str(path)])
    con.close()


def pandas_row_validation(path: Path) -> None:
    """Baseline: the plain-pandas way, a Python loop checking each row."""
    frame = pd.read_csv(path, dtype=str)
    for indicator, area, period, value in frame.itertuples(index=False):
        if not indicator or not area or len(period) != 7 or int(value) < 0:
            raise ValueError(period)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        data = observations_csv(ROWS)
        csv = work / "obs.csv"
        csv.write_bytes(data)
        base = work / "base.duckdb"
        prepared_store(base).close()
        timings: dict[str, list[float]] = {
            "read_csv": [],
            "parse_validate": [],
            "import_commit": [],
            "pandas_rows": [],
        }
        for run in range(args.runs):
            timings["read_csv"].append(_time(lambda: bare_read_csv(csv)))
            store = prepared_store_copy(base, work / f"run{run}.duckdb")
            reference = imports.build_reference(store)
            start = time.perf_counter()
            parse(ImportKind.OBSERVATIONS, data, "obs.csv", reference)
            timings["parse_validate"].append(time.perf_counter() - start)
            start = time.perf_counter()
            report = imports.import_table(store, ImportKind.OBSERVATIONS, data, "obs.csv", actor=ADMIN)
            timings["import_commit"].append(time.perf_counter() - start)
            store.close()
            if report.created != ROWS:
                raise SystemExit(report.to_text()[:2000])
        timings["pandas_rows"].append(_time(lambda: pandas_row_validation(csv)))
        medians = {k: statistics.median(v) for k, v in timings.items()}
        record = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": __import__("os").cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "versions": {"duckdb": duckdb.__version__, "pandas": pd.__version__},
            "rows": ROWS,
            "bytes": len(data),
            "runs": timings,
            "medians_s": medians,
            "ratio_import_to_read_csv": medians["import_commit"] / medians["read_csv"],
            "ratio_import_to_pandas_rows": medians["import_commit"] / medians["pandas_rows"],
            "target_ratio_import_to_read_csv": 2.0,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        print(
            json.dumps(
                {
                    k: record[k]
                    for k in ("medians_s", "ratio_import_to_read_csv", "ratio_import_to_pandas_rows")
                },
                indent=2,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def prepared_store_copy(base: Path, target: Path):
    from observatory.store import connect

    shutil.copy(base, target)
    return connect(target)


if __name__ == "__main__":
    main()
