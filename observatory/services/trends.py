"""Trends use cases: an indicator over time for the city and its districts, with intervals and breaks.

A *panel* holds one indicator's values at one view (yearly, quarterly, monthly or rolling 12 months)
for the city and every district, with each point's denominator; what a page draws, the recent-trend
verdicts and the same-month-last-year comparisons (:mod:`observatory.services.trend_checks`) are all
computed from panels, so a page reads the store once per indicator and view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from observatory.domain import Indicator, Measure, TotalBasis
from observatory.services import totals, views
from observatory.stats import rates
from observatory.stats import trends as stats_trends
from observatory.store import Store, queries

#: The views a page may offer, in display order; "rolling12" is the rolling 12-month sum of months.
VIEWS = ("year", "quarter", "month", "rolling12")
ROLLING = "rolling12"
WINDOW = 12

PANEL_COLUMNS = [
    "area_code",
    "period_start",
    "value",
    "sample_size",
    "withheld",
    "complete",
    "denominator",
    "denominator_year",
    "bound_lower",
    "bound_upper",
    "basis",
]


def areas(store: Store) -> pd.DataFrame:
    """The city (level 0) and the districts (level 1): code, name, level; the city first."""
    frame = queries.areas(store)
    return frame.loc[frame["level"] <= 1, ["code", "name", "level"]].reset_index(drop=True)


def city_code(store: Store) -> str:
    """The city's area code (:func:`observatory.services.totals.city_code`)."""
    return totals.city_code(store)


def available_views(store: Store, info: Indicator) -> list[str]:
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


def series_breaks(store: Store, info: Indicator) -> list[tuple[date, str]]:
    """The indicator's series breaks as (date, note), oldest first; empty when it has none."""
    frame = queries.series_breaks(store, info.code)
    return [
        (pd.Timestamp(when).date(), "" if pd.isna(note) else str(note))
        for when, note in zip(frame["break_date"], frame["note"], strict=True)
    ]


def _values(store: Store, info: Indicator, target: str) -> pd.DataFrame:
    """The city's and the districts' values at ``target`` periods; the city by the one city-total rule.

    Each row carries the bounds of its figure (``bound_lower``/``bound_upper``, equal to the value when it
    is exact) and their ``basis`` (:class:`observatory.domain.TotalBasis`): a city total with withheld
    districts is bounded, never a partial sum.
    """
    districts = _level_values(store, info, target, 1)
    districts = districts.assign(
        bound_lower=districts["value"].astype(float),
        bound_upper=districts["value"].astype(float),
        basis="own",
    )
    city = totals.city_rows(store, info, target).drop(columns=["ci_lower", "ci_upper"])
    city = city.assign(area_code=city_code(store))
    frame = pd.concat([city, districts], ignore_index=True) if len(city) else districts
    return _tidy(frame)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of values and totals as a panel holds them: a point that is not one known number has no value."""
    frame = frame.copy()
    frame["withheld"] = frame["withheld"].astype(bool)
    frame["complete"] = frame["complete"].astype(bool)
    # A withheld or incomplete period has no value: it must never be read (or summed) as 0.
    exact = ~frame["withheld"] & frame["complete"]
    frame.loc[~exact, "value"] = np.nan
    frame.loc[~exact & (frame["basis"] == "own"), ["bound_lower", "bound_upper"]] = np.nan
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame[[*_BASE, "bound_lower", "bound_upper", "basis"]]


_BASE = ["area_code", "period_start", "value", "sample_size", "withheld", "complete"]


def _level_values(store: Store, info: Indicator, target: str, level: int) -> pd.DataFrame:
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
    """Rolling 12-month sums per area (stats.trends.rolling_sum), one point per month from the 12th on.

    The bounds of a bounded city total roll the same way; the rolled basis is exact, bounded or at least
    by what the 12 months hold.
    """
    if frame.empty:
        return frame
    start, end = frame["period_start"].min(), frame["period_start"].max()
    months = pd.date_range(start, end, freq="MS", name="period_start")
    # One column per area on a complete month index: a month absent for an area is NaN, never 0.
    wide = frame.pivot(
        index="period_start", columns="area_code", values=["value", "withheld", "bound_lower", "bound_upper"]
    )
    wide = wide.reindex(months)
    rolled = {
        column: wide[column]
        .astype(float)
        .apply(lambda series: stats_trends.rolling_sum(series, WINDOW))
        .stack()
        for column in ("value", "bound_lower", "bound_upper")
    }
    hidden = wide["withheld"].astype(float).fillna(0.0).rolling(WINDOW, min_periods=WINDOW).sum()
    long = pd.DataFrame({**rolled, "hidden": hidden.stack()}).reset_index()
    long = long[long["period_start"] >= months[min(WINDOW, len(months)) - 1]]
    withheld = long["hidden"] > 0
    basis = np.select(
        [
            long["value"].notna(),
            long["bound_lower"].notna() & np.isfinite(long["bound_upper"]),
            long["bound_lower"].notna(),
        ],
        [TotalBasis.SUM.value, TotalBasis.BOUNDED.value, TotalBasis.AT_LEAST.value],
        default=TotalBasis.UNKNOWN.value,
    )
    return long.drop(columns="hidden").assign(
        sample_size=np.nan, withheld=withheld, complete=long["value"].notna() | withheld, basis=basis
    )


def _denominators(store: Store, info: Indicator, city: str) -> pd.DataFrame:
    """area_code, year, denominator of the indicator's kind (the city's: :func:`totals.city_denominators`)."""
    if not info.has_rate:
        return pd.DataFrame({"area_code": [], "year": [], "denominator": []})
    kind = str(info.denominator_kind)
    frame = queries.denominators(store, kind)
    frame = pd.concat([frame[frame["area_code"] != city], totals.city_denominators(store, kind, city)])
    return frame.rename(columns={"value": "denominator"})[["area_code", "year", "denominator"]]


def _with_denominators(frame: pd.DataFrame, dens: pd.DataFrame) -> pd.DataFrame:
    """Attach to each point the denominator of its year, or of the latest earlier year when missing."""
    dated = frame.assign(year=frame["period_start"].dt.year.astype("int64"))
    return views.as_of(dated, dens.rename(columns={"denominator": "value"})).drop(columns="year")


def panel(store: Store, info: Indicator, view: str) -> pd.DataFrame:
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


def group_panel(store: Store, info: Indicator, view: str, sets: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """:func:`panel`'s rows for sets of districts (area groupings), one series per set named by its key.

    Each point is the members' total by the one total rule (:func:`totals.area_totals_many`: exact,
    bounded or at least, as the city's), with the members' denominators summed in the years every member
    has one (:func:`totals.area_denominators`); rates and intervals are then computed on the sums by
    :func:`measured`, as for any area. Rates, shares and indices are never summed: a set has no series.

    Raises:
        ValueError: If the view is not one of :func:`available_views`.
    """
    if view not in available_views(store, info):
        raise ValueError(f"view {view!r} is not available for {info.code}")
    found = totals.area_totals_many(store, info, "month" if view == ROLLING else view, sets)
    parts = [
        totals.as_rows(frame).drop(columns=["ci_lower", "ci_upper"]).assign(area_code=code)
        for code, frame in found.items()
        if len(frame)
    ]
    if not parts:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    frame = _tidy(pd.concat(parts, ignore_index=True))
    if view == ROLLING:
        frame = _rolled(frame)
    dens = pd.DataFrame({"area_code": [], "year": [], "denominator": []})
    if info.has_rate:
        kind = str(info.denominator_kind)
        stored = queries.denominators(store, kind)
        summed = [
            totals.area_denominators(store, kind, members, code, stored=stored)
            for code, members in sets.items()
        ]
        dens = pd.concat(summed).rename(columns={"value": "denominator"})
    frame = _with_denominators(frame, dens)
    return frame[PANEL_COLUMNS].sort_values(["area_code", "period_start"]).reset_index(drop=True)


def measures(info: Indicator) -> list[str]:
    """Measures a trend may show: the indicator's own list (:meth:`Indicator.measures`) less the benchmark."""
    return [str(m) for m in info.measures() if m is not Measure.BENCHMARK]


def measured(frame: pd.DataFrame, info: Indicator, measure: str) -> pd.DataFrame:
    """Add what is drawn: ``shown`` (count, rate or value) and its 95% interval ``lower`` / ``upper``.

    Method: stats.rates.ci_for — Poisson (exact below 10, Byar from 10) on counts and rates, Wilson
    for survey percentages with sample sizes, and no interval for percentages without a sample size
    or for values that arrive already rated.
    """
    rate = measure == "rate" and info.has_rate
    estimate = rates.ci_for(
        info.unit,
        frame["value"].to_numpy(dtype=float),
        denominator=frame["denominator"].to_numpy(dtype=float) if rate else None,
        sample_size=frame["sample_size"].to_numpy(dtype=float),
        multiplier=info.multiplier,
    )
    lower, upper = estimate.lower, estimate.upper
    if "basis" in frame and (frame["basis"] == TotalBasis.BOUNDED.value).any():
        # A bounded city total has no point, only a band: from the lower bound's lower limit to the
        # upper bound's upper limit (on the shown scale).
        bounded = (frame["basis"] == TotalBasis.BOUNDED.value).to_numpy()
        den = frame["denominator"].to_numpy(dtype=float) if rate else None
        low = rates.ci_for(
            info.unit, frame["bound_lower"].to_numpy(dtype=float), denominator=den, multiplier=info.multiplier
        )
        high = rates.ci_for(
            info.unit, frame["bound_upper"].to_numpy(dtype=float), denominator=den, multiplier=info.multiplier
        )
        lower = np.where(bounded, low.lower, lower)
        upper = np.where(bounded, high.upper, upper)
    return frame.assign(shown=estimate.rate, lower=lower, upper=upper)
