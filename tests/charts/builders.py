"""Deterministic inputs for the chart tests (seed 42): a grid of square districts and their values."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

SEED = 42
LON0, LAT0, STEP = -8.68, 41.12, 0.02


def grid_geojson(n: int = 12, *, key: str = "id") -> dict[str, Any]:
    """``n`` square districts D01…Dnn in rows of four near Porto; ids at ``id`` or ``properties.code``."""
    features = []
    for i in range(n):
        x0, y0 = LON0 + (i % 4) * STEP, LAT0 + (i // 4) * STEP
        ring = [[x0, y0], [x0 + STEP, y0], [x0 + STEP, y0 + STEP], [x0, y0 + STEP], [x0, y0]]
        code = f"D{i + 1:02d}"
        feature: dict[str, Any] = {
            "type": "Feature",
            "properties": {"code": code, "name": f"District {i + 1}"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        if key == "id":
            feature["id"] = code
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def district_frame(n: int = 12, withheld: tuple[int, ...] = (2, 7)) -> pd.DataFrame:
    """Rates per district with CI and denominator; rows in ``withheld`` have no value."""
    rng = np.random.default_rng(SEED)
    rate = rng.uniform(5, 60, n).round(1)
    frame = pd.DataFrame(
        {
            "code": [f"D{i + 1:02d}" for i in range(n)],
            "name": [f"District {i + 1}" for i in range(n)],
            "rate": rate,
            "lower": (rate * 0.8).round(1),
            "upper": (rate * 1.2).round(1),
            "residents": rng.integers(2_000, 40_000, n),
            "withheld": [i in withheld for i in range(n)],
        }
    )
    frame.loc[frame["withheld"], ["rate", "lower", "upper"]] = np.nan
    return frame


def trend_frame() -> pd.DataFrame:
    """Two series over 8 quarters with CI limits around each value."""
    rng = np.random.default_rng(SEED)
    periods = pd.date_range("2022-01-01", periods=8, freq="QS")
    rows = []
    for series in ("District 1", "City"):
        values = rng.uniform(10, 30, len(periods)).round(1)
        for when, value in zip(periods, values, strict=True):
            rows.append(
                {"period": when, "value": value, "lower": value - 2.5, "upper": value + 3.0, "series": series}
            )
    return pd.DataFrame(rows)


def spine_frame() -> pd.DataFrame:
    """Four indicators for one district with city value, district range and benchmark."""
    return pd.DataFrame(
        {
            "indicator": ["Burglary", "Violence", "Feel unsafe", "Vandalism"],
            "value": [12.0, 4.0, 30.0, np.nan],
            "city": [10.0, 5.0, 25.0, 8.0],
            "min": [3.0, 1.0, 20.0, 2.0],
            "max": [20.0, 7.0, 35.0, 8.0],
            "benchmark": ["worse", "similar", "higher", None],
        }
    )


BREAK = (date(2023, 7, 1), "Series break")
