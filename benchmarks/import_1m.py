"""Import + validation of a 1,000,000-row observations CSV against DuckDB's bare read_csv of the same file,
and against a plain-pandas row-validation baseline, all measured in one script.

Run through ``python -m benchmarks`` (or ``PYTHONPATH=. python -m benchmarks.import_1m [--runs 3]``).
Timed per run:
  read_csv         DuckDB's bare ``read_csv`` of the file into an in-memory table (all text, no checks):
                   the floor the target is set against
  read_csv_disk    the same into a table of a database file, committed and checkpointed: what merely
                   keeping the rows costs, the part of any import no validation can remove
  parse_validate   ``observatory.ingest.parse``: dialect, types, every rule, the report (no store)
  import_commit    ``services.imports.import_table``: parse + validate + classify + commit + audit
  pandas_rows      baseline: pandas reads the file, a Python loop checks each row
Appends one record (machine, load, versions, every timing, medians and ratios) to import_1m.jsonl.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from benchmarks.common import median, timed, write_record
from benchmarks.scale import ADMIN, observations_csv, prepared_store
from observatory.domain import ImportKind
from observatory.ingest import parse
from observatory.services import imports
from observatory.store import connect

ROWS = 1_000_000
TARGET_RATIO = 2.0


def bare_read_csv(path: Path) -> None:
    """The floor: DuckDB reads the file into a table, nothing checked."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [str(path)])
    con.close()


def bare_read_csv_to_disk(path: Path, target: Path) -> None:
    """The same read into a database file, committed and checkpointed: the cost of keeping the rows."""
    con = duckdb.connect(str(target))
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)", [str(path)])
    con.execute("CHECKPOINT")
    con.close()


def pandas_row_validation(path: Path) -> None:
    """Baseline: the plain-pandas way, a Python loop checking each row."""
    frame = pd.read_csv(path, dtype=str)
    for indicator, area, period, value in frame.itertuples(index=False):
        if not indicator or not area or len(period) != 7 or int(value) < 0:
            raise ValueError(period)


def _one_run(data: bytes, csv: Path, base: Path, target: Path, rows: int) -> dict[str, float]:
    figures = {"read_csv": timed(lambda: bare_read_csv(csv))}
    disk = target.with_name(target.stem + "-floor.duckdb")
    figures["read_csv_disk"] = timed(lambda: bare_read_csv_to_disk(csv, disk))
    disk.unlink()
    store = connect(shutil.copy(base, target))
    try:
        reference = imports.build_reference(store)
        figures["parse_validate"] = timed(lambda: parse(ImportKind.OBSERVATIONS, data, "obs.csv", reference))
        reports = []
        figures["import_commit"] = timed(
            lambda: reports.append(
                imports.import_table(store, ImportKind.OBSERVATIONS, data, "obs.csv", actor=ADMIN)
            )
        )
    finally:
        store.close()
    if reports[0].created != rows:
        raise RuntimeError(reports[0].to_text()[:2000])
    return figures


def measure(rows: int, runs: int) -> dict[str, Any]:
    """Every timing ``runs`` times (the pandas baseline once: it is the slow one), medians and ratios."""
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        data = observations_csv(rows)
        csv = work / "obs.csv"
        csv.write_bytes(data)
        base = work / "base.duckdb"
        prepared_store(base).close()
        timings: dict[str, list[float]] = {}
        for run in range(runs):
            for name, seconds in _one_run(data, csv, base, work / f"run{run}.duckdb", rows).items():
                timings.setdefault(name, []).append(seconds)
        timings["pandas_rows"] = [timed(lambda: pandas_row_validation(csv))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    medians = {k: median(v) for k, v in timings.items()}
    return {
        "rows": rows,
        "bytes": len(data),
        "runs": timings,
        "medians_s": medians,
        "ratio_import_to_read_csv": medians["import_commit"] / medians["read_csv"],
        "ratio_validate_to_read_csv": medians["parse_validate"] / medians["read_csv"],
        "ratio_import_to_read_csv_disk": medians["import_commit"] / medians["read_csv_disk"],
        "ratio_read_csv_disk_to_read_csv": medians["read_csv_disk"] / medians["read_csv"],
        "ratio_import_to_pandas_rows": medians["import_commit"] / medians["pandas_rows"],
        "target_ratio_import_to_read_csv": TARGET_RATIO,
    }


def run(
    rows: int = ROWS, runs: int = 3, *, quick: bool = False, results: Path | None = None, log=print
) -> dict:
    """Measure and append one record to import_1m.jsonl."""
    figures = measure(rows, runs)
    log(
        f"import_1m {rows:,} rows: import {figures['medians_s']['import_commit']:.2f} s = "
        f"{figures['ratio_import_to_read_csv']:.1f}× read_csv "
        f"({figures['ratio_import_to_read_csv_disk']:.1f}× read_csv into a database file), "
        f"{figures['ratio_import_to_pandas_rows']:.2f}× the pandas row loop"
    )
    return write_record("import_1m", figures, quick=quick, results=results)


def main() -> None:
    """Command line: rows and runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    run(args.rows, args.runs)


if __name__ == "__main__":
    main()
