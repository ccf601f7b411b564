"""Time parse + validate of a 1,000,000-row observations file (4 columns, one indicator).

Run: .venv/bin/python benchmarks/ingest_parse.py  — prints the median of 3 runs.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from observatory.domain import ImportKind, IndicatorKind, Unit
from observatory.ingest import IndicatorRef, Reference, parse

ROWS = 1_000_000


def build() -> tuple[bytes, Reference]:
    """One indicator × 8,334 areas × 120 months, deterministic counts (seed 42)."""
    rng = np.random.default_rng(42)
    months = [f"{2015 + m // 12}-{m % 12 + 1:02d}" for m in range(120)]
    n_areas = -(-ROWS // len(months))
    areas = [f"{a:05d}" for a in range(n_areas)]
    area_col = np.repeat(np.array(areas), len(months))[:ROWS]
    period_col = np.tile(np.array(months), n_areas)[:ROWS]
    values = rng.poisson(7, ROWS).astype(str)
    lines = ["indicator,area,period,value"]
    lines += [f"burglary,{a},{p},{v}" for a, p, v in zip(area_col, period_col, values, strict=True)]
    reference = Reference(
        area_codes=frozenset(areas), indicators={"burglary": IndicatorRef(Unit.COUNT, IndicatorKind.RESULT)}
    )
    return ("\n".join(lines) + "\n").encode(), reference


def main() -> None:
    data, reference = build()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        parsed = parse(ImportKind.OBSERVATIONS, data, "big.csv", reference)
        times.append(time.perf_counter() - start)
        if parsed.frame is None or len(parsed.frame) != ROWS:
            raise SystemExit(parsed.report.to_text()[:2000])
    print(f"{ROWS:,} rows, {len(data) / 1e6:.1f} MB: median {statistics.median(times):.2f} s ({times})")


if __name__ == "__main__":
    main()
