"""Trends use cases: an indicator over time for the city and its districts, with intervals and breaks.

A *panel* holds one indicator's values at one view (yearly, quarterly, monthly or rolling 12 months)
for the city and every district, with each point's denominator; what a page draws, the recent-trend
verdicts and the same-month-last-year comparisons (:mod:`observatory.services.trend_checks`) are all
computed from panels, so a page reads the store once per indicator and view.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from observatory.services import views
from observatory.services.views import IndicatorInfo
from observatory.stats import rates
from observatory.stats import trends as stats_trends
from observatory.store import Store, queries

#: The views a page may offer, in display order; "rolling12" is the rolling 12-month sum of months.
VIEWS = ("year", "quarter", "month", "rolling12")
ROLLING = "rolling12"
WINDOW = 12
#: Code of the city when the store has no level-0 area.
DEFAULT_CITY = "000"

PANEL_COLUMNS = [
    "area_code",
    "period_start",
    "value",
    "sample_size",
    "withheld",
    "complete",
    "denominator",
    "denominator_year",
]


def areas(store: Store) -> pd.DataFrame:
    """The city (level 0) and the districts (level 1): code, name, level; the city first."""
    frame = queries.areas(store)
    return frame.loc[frame["level"] <= 1, ["code", "name", "level"]].reset_index(drop=True)


def city_code(store: Store) -> str:
    """The city's area code (the level-0 area), or DEFAULT_CITY when the store has none."""
    frame = queries.areas(store, level=0)
    return str(frame["code"].iloc[0]) if len(frame) else DEFAULT_CITY


def available_views(store: Store, info: IndicatorInfo) -> list[str]:
    """Views the indicator supports: counts add up to coarser periods; monthly counts also roll.

    Percentages and other non-additive values are shown only at the granularities they are stored in.
    """
    stored = queries.granularities(store, info.code)
    if not stored:
        return []
    if not info.additive:
        return [view for view in VIEWS if view in stored]
    views = [view for view in VIEWS[:3] if queries.can_aggregate(stored[0], view)]
    return [*views, ROLLING] if stored[0] == "month" else views


def series_breaks(store: Store, info: IndicatorInfo) -> list[tuple[date, str]]:
    """The indicator's series breaks as (date, note), oldest first; empty when it has none."""
    frame = queries.series_breaks(store, info.code)
    return [
        (pd.Timestamp(when).date(), "" if pd.isna(note) else str(note))
        for when, note in zip(frame["break_date"], frame["note"], strict=True)
    ]


def _values(store: Store, info: IndicatorInfo, target: str) -> pd.DataFrame:
    """The city's and the districts' values at ``target`` periods (city = sum of districts for counts)."""
    districts, city = (_level_values(store, info, target, level) for level in (1, 0))
    if len(districts) and views.sums_districts(store, info):
        city = districts.groupby("period_start", as_index=False).agg(
            value=("value", "sum"),
            sample_size=("sample_size", "sum"),
            withheld=("withheld", "any"),
            complete=("complete", "all"),
        )
        city["area_code"] = city_code(store)
    frame = pd.concat([city, districts], ignore_index=True)
    frame["withheld"] = frame["withheld"].astype(bool)
    frame["complete"] = frame["complete"].astype(bool)
    # A withheld or incomplete period has no value: it must never be read (or summed) as 0.
    frame.loc[frame["withheld"] | ~frame["complete"], "value"] = np.nan
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame[["area_code", "period_start", "value", "sample_size", "withheld", "complete"]]


def _level_values(store: Store, info: IndicatorInfo, target: str, level: int) -> pd.DataFrame:
    """One level's values at ``target`` periods, from the finest granularity that level stores.

    Levels may be stored differently (a published release keeps districts by year only); a level
    with nothing that adds up to ``target`` gives no rows, and its series is drawn without points.
    """
    stored = queries.granularities(store, info.code, level=level)
    source = stored[0] if info.additive and stored else target
    if not queries.can_aggregate(source, target):
        return pd.DataFrame(
            columns=["area_code", "period_start", "value", "sample_size", "complete", "withheld"]
        )
    return queries.aggregated(store, info.code, stored=source, target=target, level=level)


def _rolled(frame: pd.DataFrame) -> pd.DataFrame:
    """Rolling 12-month sums per area (stats.trends.rolling_sum), one point per month from the 12th on."""
    if frame.empty:
        return frame
    start, end = frame["period_start"].min(), frame["period_start"].max()
    months = pd.date_range(start, end, freq="MS", name="period_start")
    # One column per area on a complete month index: a month absent for an area is NaN, never 0.
    wide = frame.pivot(index="period_start", columns="area_code", values=["value", "withheld"])
    wide = wide.reindex(months)
    totals = wide["value"].astype(float).apply(lambda column: stats_trends.rolling_sum(column, WINDOW))
    hidden = wide["withheld"].astype(float).fillna(0.0).rolling(WINDOW, min_periods=WINDOW).sum()
    long = pd.DataFrame({"value": totals.stack(), "hidden": hidden.stack()}).reset_index()
    long = long[long["period_start"] >= months[min(WINDOW, len(months)) - 1]]
    withheld = long["hidden"] > 0
    return long.assign(sample_size=np.nan, withheld=withheld, complete=long["value"].notna() | withheld)


def _denominators(store: Store, info: IndicatorInfo, city: str) -> pd.DataFrame:
    """area_code, year, denominator of the indicator's kind; the city's is the districts' sum if absent."""
    if not info.denominator_kind:
        return pd.DataFrame({"area_code": [], "year": [], "denominator": []})
    frame = queries.denominators(store, info.denominator_kind).rename(columns={"value": "denominator"})
    if not (frame["area_code"] == city).any() and len(frame):
        summed = frame.groupby("year", as_index=False)["denominator"].sum().assign(area_code=city)
        frame = pd.concat([frame, summed], ignore_index=True)
    return frame[["area_code", "year", "denominator"]]


def _with_denominators(frame: pd.DataFrame, dens: pd.DataFrame) -> pd.DataFrame:
    """Attach to each point the denominator of its year, or of the latest earlier year when missing."""
    dated = frame.assign(year=frame["period_start"].dt.year.astype("int64"))
    return views.as_of(dated, dens.rename(columns={"denominator": "value"})).drop(columns="year")


def panel(store: Store, info: IndicatorInfo, view: str) -> pd.DataFrame:
    """One indicator's values at one view for the city and every district, with denominators.

    Counts are summed from the finest stored granularity (a period is complete only when all its
    parts are there; withheld when any part is withheld); the city's count is the sum of its districts.
    The rolling view is the rolling 12-month sum of monthly values (stats.trends.rolling_sum), NaN
    wherever its window holds a withheld or missing month. Each point carries the denominator of its
    year, or of the latest earlier year when that year's is missing.

    Raises:
        ValueError: If the view is not one of :func:`available_views`.

    Returns:
        area_code, period_start, value, sample_size, withheld, complete, denominator, denominator_year;
        sorted by area and period.
    """
    if view not in available_views(store, info):
        raise ValueError(f"view {view!r} is not available for {info.code}")
    frame = _values(store, info, "month" if view == ROLLING else view)
    if view == ROLLING:
        frame = _rolled(frame)
    frame = _with_denominators(frame, _denominators(store, info, city_code(store)))
    return frame[PANEL_COLUMNS].sort_values(["area_code", "period_start"]).reset_index(drop=True)


def measures(info: IndicatorInfo) -> list[str]:
    """Measures a page may offer: rate and count with a denominator, count for counts, else the value."""
    if info.denominator_kind:
        return ["rate", "count"]
    return ["count"] if info.additive else ["value"]


def measured(frame: pd.DataFrame, info: IndicatorInfo, measure: str) -> pd.DataFrame:
    """Add what is drawn: ``shown`` (count, rate or value) and its 95% interval ``lower`` / ``upper``.

    Method: stats.rates.ci_for — Poisson (exact below 10, Byar from 10) on counts and rates, Wilson
    for survey percentages with sample sizes, and no interval for percentages without a sample size
    or for values that arrive already rated.
    """
    rate = measure == "rate" and info.denominator_kind is not None
    estimate = rates.ci_for(
        info.unit,
        frame["value"].to_numpy(dtype=float),
        denominator=frame["denominator"].to_numpy(dtype=float) if rate else None,
        sample_size=frame["sample_size"].to_numpy(dtype=float),
        multiplier=info.multiplier,
    )
    return frame.assign(shown=estimate.rate, lower=estimate.lower, upper=estimate.upper)
