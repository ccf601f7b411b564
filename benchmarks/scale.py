"""Shared scale builders for benchmarks and slow tests: big observation files and stores that accept them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.domain import Actor, ImportKind, Role
from observatory.services import imports
from observatory.store import Store, connect, writes

ADMIN = Actor("bench", Role.ADMIN)
INDICATORS = (
    b"code,name,theme,kind,unit,polarity,denominator\n"
    b"burglary,Burglary,property crime,result,count,lower_is_better,dwellings\n"
    b"robbery,Robbery,violence,result,count,lower_is_better,residents\n"
)


def area_codes(n: int) -> list[str]:
    """District codes with leading zeros, as real ones have."""
    return [f"{i:05d}" for i in range(1, n + 1)]


def observations_csv(rows: int, *, n_areas: int = 1000, seed: int = 42) -> bytes:
    """An observations file: 2 indicators × n_areas × as many months as needed, Poisson counts."""
    rng = np.random.default_rng(seed)
    per_area_indicator = -(-rows // (2 * n_areas))
    months = pd.period_range("1900-01", periods=per_area_indicator, freq="M").strftime("%Y-%m").to_numpy()
    indicator = np.repeat(np.array(["burglary", "robbery"]), n_areas * len(months))
    area = np.tile(np.repeat(np.array(area_codes(n_areas)), len(months)), 2)
    period = np.tile(months, 2 * n_areas)
    frame = pd.DataFrame({"indicator": indicator, "area": area, "period": period})[:rows]
    frame["value"] = rng.poisson(6, len(frame))
    return frame.to_csv(index=False).encode()


def prepared_store(path: str | Path, *, n_areas: int = 1000) -> Store:
    """A store holding the areas and indicators the big files refer to (no observations yet)."""
    store = connect(path)
    codes = area_codes(n_areas)
    areas = pd.DataFrame(
        {
            "code": codes,
            "name": [f"District {c}" for c in codes],
            "level": 1,
            "parent_code": "00000",
            "geometry": None,
            "display_geometry": None,
            "area_km2": np.nan,
        }
    )
    record = writes.BatchRecord(
        "areas",
        "areas",
        "-",
        len(areas),
        0,
        ADMIN.name,
        datetime.now(),
        tables={"areas": areas},
        main_table="areas",
    )
    writes.apply_batch(store, record, dry_run=False)
    report = imports.import_table(store, ImportKind.INDICATORS, INDICATORS, "indicators.csv", actor=ADMIN)
    if not report.ok:
        raise RuntimeError(report.to_text())
    return store
