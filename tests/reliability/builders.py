"""Deterministic import files built on the demo city's codes (seed 42)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def demo_count_indicators() -> list[str]:
    """Codes of the demo indicators whose unit is a count (any whole number is a valid value)."""
    with (DEMO / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle) if row["unit"] == "count"]


def demo_areas() -> list[str]:
    """The demo city's area codes (the city and its districts), as the denominators file lists them."""
    frame = pd.read_csv(DEMO / "denominators.csv", dtype=str)
    return sorted(frame["area"].unique())


def future_observations(rows: int, *, start: str = "2040-01", seed: int = 42) -> bytes:
    """About ``rows`` new monthly counts for the demo's count indicators and areas, from ``start`` on."""
    rng = np.random.default_rng(seed)
    indicators, areas = demo_count_indicators(), demo_areas()
    months = -(-rows // (len(indicators) * len(areas)))
    periods = pd.period_range(start, periods=months, freq="M").strftime("%Y-%m").to_numpy()
    grid = pd.MultiIndex.from_product([indicators, areas, periods]).to_frame(index=False)
    grid.columns = ["indicator", "area", "period"]
    grid = grid.iloc[:rows]
    grid["value"] = rng.poisson(20, len(grid))
    return grid.to_csv(index=False).encode("utf-8")


def shifted_indicator(indicator: str, shift: int) -> pd.DataFrame:
    """The demo's rows of ``indicator`` with every value raised by ``shift`` (withheld rows left out)."""
    frame = pd.read_csv(DEMO / "observations.csv", dtype=str, keep_default_na=False)
    frame = frame[(frame["indicator"] == indicator) & (frame["value"] != "")]
    frame = frame[["indicator", "area", "period", "value"]].copy()
    frame["value"] = (frame["value"].astype(float) + shift).map(lambda v: f"{v:g}")
    return frame


def changing_import(rows: int, indicator: str = "burglary", shift: int = 1000) -> bytes:
    """An import of ``rows`` rows that changes every value of ``indicator`` and adds future months of others.

    A read of ``indicator`` can then tell the state before the import from the state after it.
    """
    changed = shifted_indicator(indicator, shift)
    future = pd.read_csv(io.BytesIO(future_observations(max(rows - len(changed), 0))), dtype=str)
    future = future[future["indicator"] != indicator]
    return pd.concat([changed, future], ignore_index=True).to_csv(index=False).encode("utf-8")
