"""The city's total for every page, document and download: one rule, from :mod:`observatory.stats.totals`.

The same rule gives the total of any set of districts (:func:`area_totals`: an area grouping staff
define, a district's similar districts), without own rows: a set of districts has no figure of its own.

The city's own rows win; else the districts' sum when complete; else an honest bounded total. In the
staff database a withheld cell hides at most the indicator's threshold − 1 (a source withholds small
counts); in a published release a withheld cell may also be withheld so that another cannot be worked
out, so it has no known limit there and a total with withheld parts is only "at least" the known sum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from observatory.domain import DEFAULT_CITY_CODE, Indicator, TotalBasis
from observatory.stats import rates
from observatory.stats import totals as stats_totals
from observatory.store import Store, queries

#: A totals frame: the period, the total or its bounds, where it comes from, and its 95% interval.
COLUMNS = [*stats_totals.TOTAL_COLUMNS, "sample_size", "ci_lower", "ci_upper"]


def city_code(store: Store) -> str:
    """The city's area code: the store's level-0 area, or the default code when it has none."""
    return queries.city_facts(store)[0] or DEFAULT_CITY_CODE


def _withheld_max(info: Indicator, *, release: bool) -> float:
    """The most a withheld cell can hide: threshold − 1 for staff counts, unknown in a release."""
    return math.inf if release else info.withheld_max


def _level(
    store: Store, info: Indicator, target: str, level: int, stored: dict[int, list[str]]
) -> pd.DataFrame:
    """One level's values at ``target`` periods from its finest stored granularity (additive units), or
    from ``target`` itself; empty when that level has nothing that gives ``target``."""
    kinds = stored.get(level, [])
    source = (kinds[0] if info.additive else target) if kinds else None
    if source is None or source not in kinds or not queries.can_aggregate(source, target):
        return pd.DataFrame(
            columns=["area_code", "period_start", "value", "complete", "withheld", "withheld_parts"]
        )
    frame = queries.aggregated(store, info.code, stored=source, target=target, level=level)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


def city_totals(store: Store, info: Indicator, target: str) -> pd.DataFrame:
    """The city's total for every ``target`` period (year, quarter or month) with a value or a bound.

    Non-additive indicators (rates, shares, indices) have only the city's own rows: they are never
    summed over districts. Remembered until the next commit (:meth:`Store.memo`): a page asks it for
    its panels, its map and its headline alike; each caller gets its own copy.

    Returns:
        :data:`COLUMNS`; ci_lower/ci_upper are the 95% interval of a count (Poisson) around the total,
        widened to cover both bounds when the total is bounded.
    """
    return store.memo(("city_totals", info, target), lambda: _city_totals(store, info, target)).copy()


def _city_totals(store: Store, info: Indicator, target: str) -> pd.DataFrame:
    city, districts, release = queries.city_facts(store)
    stored = queries.granularities_by_level(store, info.code)
    own = _level(store, info, target, 0, stored)
    own = own[own["area_code"] == (city or DEFAULT_CITY_CODE)] if len(own) else own
    if info.additive:
        parts = _level(store, info, target, 1, stored).rename(columns={"value": "known"})
        most = _withheld_max(info, release=release)
        frame = stats_totals.area_total(parts, areas=districts, withheld_max=most, own=own)
    else:
        frame = stats_totals.area_total(pd.DataFrame(), areas=0, withheld_max=math.inf, own=own)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    sizes = own.set_index("period_start")["sample_size"].astype(float) if len(own) else None
    own_size = frame["period_start"].map(sizes) if sizes is not None else pd.Series(np.nan, index=frame.index)
    frame["sample_size"] = own_size.astype(float).where(frame["basis"] == TotalBasis.OWN)
    return with_interval(info, frame)


def with_interval(info: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Add the 95% interval of each total: of the value when exact, from the lower bound's lower limit to
    the upper bound's upper limit when bounded (none above an ``at_least`` total)."""
    sizes = frame["sample_size"].to_numpy(dtype=float)
    low = rates.ci_for(info.unit, frame["lower"].to_numpy(dtype=float), sample_size=sizes).lower
    upper = frame["upper"].to_numpy(dtype=float)
    finite = np.where(np.isfinite(upper), upper, np.nan)
    high = rates.ci_for(info.unit, finite, sample_size=sizes).upper
    frame = frame.assign(ci_lower=low, ci_upper=np.where(np.isfinite(upper), high, np.inf))
    return frame[COLUMNS]


def city_rows(store: Store, info: Indicator, target: str) -> pd.DataFrame:
    """The city's totals (:func:`city_totals`) as the rows pages put beside the districts'.

    Returns:
        period_start, value (NaN unless exact), sample_size, withheld (not one known number), complete
        (every district present), bound_lower, bound_upper, basis (text), ci_lower, ci_upper.
    """
    return as_rows(city_totals(store, info, target))


def as_rows(found: pd.DataFrame) -> pd.DataFrame:
    """Totals (:data:`COLUMNS`) in the shape of the districts' rows (see :func:`city_rows`)."""
    exact = found["basis"].map(lambda basis: TotalBasis(basis).exact).astype(bool)
    return pd.DataFrame(
        {
            "period_start": found["period_start"],
            "value": found["value"].astype(float),
            "sample_size": found["sample_size"].astype(float),
            "withheld": ~exact,
            "complete": found["basis"] != TotalBasis.AT_LEAST,
            "bound_lower": found["lower"].astype(float),
            "bound_upper": found["upper"].astype(float),
            "basis": found["basis"].map(str),
            "ci_lower": found["ci_lower"].astype(float),
            "ci_upper": found["ci_upper"].astype(float),
        }
    )


def city_denominators(
    store: Store, kind: str, city: str, *, stored: pd.DataFrame | None = None
) -> pd.DataFrame:
    """area_code (the city), year, value of the city's denominator of one kind, year by year.

    The city's own figures when it has any; else the sum of the districts' in each year in which every
    district has one (a partial sum would understate the population and overstate the rate). ``stored``:
    the kind's denominators already read (:func:`queries.denominators`).
    """
    frame = queries.denominators(store, kind) if stored is None else stored
    own = frame[frame["area_code"] == city]
    if len(own):
        return own[["area_code", "year", "value"]].reset_index(drop=True)
    return _summed_denominators(frame, set(queries.areas(store, level=1)["code"]), city)


def _summed_denominators(frame: pd.DataFrame, districts: set[str], code: str) -> pd.DataFrame:
    """The districts' denominators summed in each year in which every one of them has one."""
    inside = frame[frame["area_code"].isin(districts)]
    summed = inside.groupby("year", as_index=False).agg(value=("value", "sum"), n=("area_code", "nunique"))
    summed = summed[(summed["n"] == len(districts)) & (len(districts) > 0)]
    return summed.assign(area_code=code)[["area_code", "year", "value"]].reset_index(drop=True)


def area_denominators(
    store: Store, kind: str, members: Sequence[str], code: str, *, stored: pd.DataFrame | None = None
) -> pd.DataFrame:
    """area_code (``code``), year, value: the members' denominators summed in each year all of them have
    one (as :func:`city_denominators` does for the city without its own figures). ``stored``: the kind's
    denominators already read (:func:`queries.denominators`), when summing many sets."""
    frame = queries.denominators(store, kind) if stored is None else stored
    return _summed_denominators(frame, {str(m) for m in members}, code)


def area_totals(store: Store, info: Indicator, target: str, members: Sequence[str]) -> pd.DataFrame:
    """The total of a set of districts for every ``target`` period, by the one total rule.

    Counts and amounts are summed (exact, bounded or at least, as for the city); a set of districts has no
    own rows, and rates, shares and indices are never summed, so they have no total (an empty frame).
    A set holding every district gives the city's total whenever the city has no own rows.

    Returns:
        :data:`COLUMNS`, as :func:`city_totals`.
    """
    return area_totals_many(store, info, target, {"": members})[""]


def area_totals_many(
    store: Store, info: Indicator, target: str, sets: Mapping[str, Sequence[str]]
) -> dict[str, pd.DataFrame]:
    """:func:`area_totals` of several sets of districts (each district's similar districts) from one read."""
    empty = with_interval(info, pd.DataFrame(columns=[*stats_totals.TOTAL_COLUMNS, "sample_size"]))
    if not info.additive:
        return {name: empty for name in sets}
    _, _, release = queries.city_facts(store)
    stored = queries.granularities_by_level(store, info.code)
    parts = _level(store, info, target, 1, stored).rename(columns={"value": "known"})
    most = _withheld_max(info, release=release)
    found = {}
    for name, members in sets.items():
        chosen = sorted({str(m) for m in members})
        if not chosen:
            found[name] = empty
            continue
        frame = stats_totals.area_total(
            parts[parts["area_code"].isin(chosen)], areas=len(chosen), withheld_max=most
        )
        frame["period_start"] = pd.to_datetime(frame["period_start"])
        frame["sample_size"] = np.nan
        found[name] = with_interval(info, frame)
    return found


def window_total(totals: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, periods: int) -> pd.Series:
    """One total over the periods in [start, end) (e.g. 12 months), by :func:`stats.totals.add_up`."""
    inside = totals[(totals["period_start"] >= start) & (totals["period_start"] < end)]
    return stats_totals.add_up(inside, periods=periods)


def describe(basis: TotalBasis | str) -> str:
    """The catalogue key that says on screen which kind of total a figure is."""
    return f"total.basis.{TotalBasis(basis).value}"
