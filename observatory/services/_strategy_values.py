"""Yearly values and denominators of one indicator in one area, as the strategy's objectives read them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from observatory.services import views
from observatory.services.views import IndicatorInfo
from observatory.store import Store, queries

YEAR_COLUMNS = ["year", "value", "sample_size", "complete", "withheld"]


def _sum_of_districts(store: Store, info: IndicatorInfo) -> pd.DataFrame:
    """The city's yearly totals as the sum of its districts; empty when no district has rows.

    A year counts as complete only when every district that ever reported is present and complete;
    one withheld district withholds the total, since the sum would otherwise look smaller than it is.
    """
    districts = views.yearly_values(store, info, level=1)
    if districts.empty:
        return districts
    reporting = districts["area_code"].nunique()
    frame = districts.groupby("year", as_index=False).agg(
        value=("value", "sum"),
        sample_size=("sample_size", lambda s: s.sum(min_count=1)),
        areas=("area_code", "nunique"),
        complete=("complete", "all"),
        withheld=("withheld", "any"),
    )
    frame["complete"] = frame["complete"] & (frame["areas"] == reporting)
    return frame[YEAR_COLUMNS]


def area_years(store: Store, info: IndicatorInfo, area_code: str, level: int) -> pd.DataFrame:
    """Complete calendar years of one indicator in one area; withheld years keep a NaN value.

    For the city (level 0) the value is its own rows, or for an additive indicator without them the
    sum of the districts (views.sums_districts); otherwise the area's own rows,
    summed from months or quarters for additive units.

    Returns:
        year, value, sample_size, complete, withheld — one row per complete year.
    """
    frame = pd.DataFrame(columns=YEAR_COLUMNS)
    if level == 0 and views.sums_districts(store, info):
        frame = _sum_of_districts(store, info)
    if frame.empty:
        own = views.yearly_values(store, info, level=level)
        frame = own[own["area_code"] == area_code][YEAR_COLUMNS]
    frame = frame[frame["complete"].astype(bool)].copy()
    frame["withheld"] = frame["withheld"].fillna(False).astype(bool)
    frame["year"] = frame["year"].astype(int)
    frame["value"] = np.where(frame["withheld"], np.nan, frame["value"].astype(float))
    frame["sample_size"] = frame["sample_size"].astype(float)
    return frame.reset_index(drop=True)


def denominator(store: Store, kind: str | None, area_code: str, year: int) -> float:
    """Population at risk of an area in a year (or the latest earlier year); NaN when unknown."""
    if not kind:
        return math.nan
    return views.latest_at(queries.denominators(store, kind), area_code, year)[0]
