"""Yearly values and denominators of one indicator in one area, as the strategy's objectives read them."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from observatory.domain import Indicator
from observatory.services import totals, views
from observatory.store import Store, queries

YEAR_COLUMNS = ["year", "value", "sample_size", "complete", "withheld"]


def _city_years(store: Store, info: Indicator) -> pd.DataFrame:
    """The city's yearly figures by the one city-total rule (:func:`totals.city_rows`).

    An exact total (the city's own or the complete sum) is a value; a bounded total is kept as a
    withheld year (the objective's progress needs one number); a year with districts missing is not
    complete.
    """
    rows = totals.city_rows(store, info, "year")
    return rows.assign(year=pd.to_datetime(rows["period_start"]).dt.year)[YEAR_COLUMNS]


def area_years(
    store: Store, info: Indicator, area_code: str, level: int, members: Sequence[str] | None = None
) -> pd.DataFrame:
    """Complete calendar years of one indicator in one area; withheld years keep a NaN value.

    For the city (level 0) the value follows the one city-total rule (:func:`_city_years`); for an
    area grouping (``members`` given) it is its members' total by the same rule
    (:func:`totals.area_totals`: counts and amounts only, never a rate summed); for a district it is
    the area's own rows, summed from months or quarters for additive units.

    Returns:
        year, value, sample_size, complete, withheld — one row per complete year.
    """
    if members is not None:
        rows = totals.as_rows(totals.area_totals(store, info, "year", members))
        frame = rows.assign(year=pd.to_datetime(rows["period_start"]).dt.year)[YEAR_COLUMNS]
    elif level == 0:
        frame = _city_years(store, info)
    else:
        own = views.yearly_values(store, info, level=level)
        frame = own[own["area_code"] == area_code][YEAR_COLUMNS]
    frame = frame[frame["complete"].astype(bool)].copy()
    frame["withheld"] = frame["withheld"].fillna(False).astype(bool)
    frame["year"] = frame["year"].astype(int)
    frame["value"] = np.where(frame["withheld"], np.nan, frame["value"].astype(float))
    frame["sample_size"] = frame["sample_size"].astype(float)
    return frame.reset_index(drop=True)


def denominator(
    store: Store, kind: str | None, area_code: str, year: int, members: Sequence[str] | None = None
) -> float:
    """Population at risk of an area in a year (or the latest earlier year); NaN when unknown. For an area
    grouping (``members`` given): its members' summed in the years all of them have one."""
    if not kind:
        return math.nan
    if members is not None:
        return views.latest_at(totals.area_denominators(store, kind, members, area_code), area_code, year)[0]
    return views.latest_at(queries.denominators(store, kind), area_code, year)[0]
