"""What changed: headline figures for the city and the districts that moved most.

The comparison period is the latest 12 months against the 12 before for indicators stored by month or
quarter (DESIGN §4), the latest year against the year before for yearly data, and — while a monthly
series is shorter than a year — the months there are against the same months a year earlier. The
city's figure follows the one city-total rule (:mod:`observatory.services.totals`), and a change is
called a change only beyond chance, by the indicator's own test (:mod:`observatory.stats.changes`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from observatory.domain import ROLLING_MONTHS, Indicator, TotalBasis
from observatory.services import totals
from observatory.services.views import indicator, latest_at
from observatory.stats import compare, rates
from observatory.stats.changes import Figure, change
from observatory.store import Store, queries

_STEP = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True, slots=True)
class Window:
    """Two comparable periods: the latest and the one a year before it, each [start, end).

    ``months`` is 12 except for a series shorter than a year, which is compared month for month with
    the same months a year earlier.
    """

    label: str
    start: date
    end: date
    previous_start: date
    months: int
    granularity: str = "month"

    @property
    def previous_end(self) -> date:
        """End (exclusive) of the earlier period."""
        return _add_months(self.previous_start, self.months)

    @property
    def short(self) -> bool:
        """True for a window of the months available, shorter than a year."""
        return self.months < ROLLING_MONTHS


@dataclass(frozen=True, slots=True)
class Headline:
    """One indicator's city figure for the latest period and its change.

    ``value`` is NaN unless the figure is exact; ``lower_bound``/``upper_bound`` and ``basis`` say what
    is known of it otherwise (bounded or at least). Rates follow the same bounds.
    """

    code: str
    name: str
    unit: str
    polarity: str
    window: Window
    value: float
    previous: float
    rate: float
    rate_lower: float
    rate_upper: float
    denominator_kind: str | None
    denominator_year: int | None
    change: compare.Change
    verdict: str
    basis: TotalBasis = TotalBasis.SUM
    lower_bound: float = math.nan
    upper_bound: float = math.nan
    multiplier: float = 1000.0


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _granularity(store: Store, info: Indicator) -> str | None:
    stored = queries.granularities(store, info.code)
    if not stored:
        return None
    return stored[0] if info.additive else ("year" if "year" in stored else stored[-1])


def _window(city: pd.DataFrame, granularity: str) -> Window | None:
    known = city[city["basis"] != TotalBasis.AT_LEAST]
    usable = known if len(known) else city
    if usable.empty:
        return None
    last = pd.Timestamp(usable["period_start"].max()).date()
    first = pd.Timestamp(city["period_start"].min()).date()
    end = _add_months(last, _STEP[granularity])
    span = (end.year - first.year) * 12 + end.month - first.month
    months = ROLLING_MONTHS if granularity == "year" else min(ROLLING_MONTHS, span)
    start = _add_months(end, -months)
    months_label = f"{start.isoformat()[:7]}..{last.isoformat()[:7]}"
    label = str(last.year) if granularity == "year" else months_label
    return Window(label, start, end, _add_months(start, -12), months, granularity)


def latest_window(store: Store, info: Indicator) -> Window | None:
    """The latest period the data allows (module docstring); None when the indicator has no city figure."""
    granularity = _granularity(store, info)
    if granularity is None:
        return None
    return _window(totals.city_totals(store, info, granularity), granularity)


def city_denominator(store: Store, kind: str | None, city_code: str, year: int) -> tuple[float, int | None]:
    """The city's denominator of that year or the latest earlier one (:func:`totals.city_denominators`)."""
    if not kind:
        return math.nan, None
    return latest_at(totals.city_denominators(store, kind, city_code), city_code, year)


def _rate_bounds(info: Indicator, total: pd.Series, denominator: float) -> tuple[float, float, float]:
    """Rate and its 95% interval (the interval of the count when there is no rate), over the bounds."""
    exact, low_value, high_value = (
        TotalBasis(total["basis"]).exact,
        float(total["lower"]),
        float(total["upper"]),
    )
    if info.has_rate and info.unit != "count":
        rate = float(rates.rate(low_value, denominator, info.multiplier)) if exact else math.nan
        return rate, math.nan, math.nan
    den = denominator if info.has_rate and not math.isnan(denominator) else None
    if info.has_rate and den is None:
        return math.nan, math.nan, math.nan
    low = rates.ci_for(info.unit, low_value, denominator=den, multiplier=info.multiplier)
    rate = float(low.rate) if exact and den is not None else math.nan
    if not np.isfinite(high_value):
        return rate, float(low.lower), math.inf
    high = rates.ci_for(info.unit, high_value, denominator=den, multiplier=info.multiplier)
    return rate, float(low.lower), float(high.upper)


def city_headline(store: Store, code: str, city_code: str | None = None) -> Headline | None:
    """The city's latest-period figure for one indicator, its rate with interval, and its change."""
    info = indicator(store, code)
    granularity = _granularity(store, info)
    if granularity is None:
        return None
    city = totals.city_totals(store, info, granularity)
    window = _window(city, granularity)
    if window is None:
        return None
    periods = max(window.months // _STEP[granularity], 1)
    stamp = pd.Timestamp
    latest = totals.window_total(city, stamp(window.start), stamp(window.end), periods=periods)
    previous = totals.window_total(
        city, stamp(window.previous_start), stamp(window.previous_end), periods=periods
    )
    year = _add_months(window.end, -1).year
    code_of_city = city_code or totals.city_code(store)
    n2, den_year = city_denominator(store, info.denominator_kind, code_of_city, year)
    n1, _ = city_denominator(store, info.denominator_kind, code_of_city, year - 1)
    rate, rate_lower, rate_upper = _rate_bounds(info, latest, n2)
    if info.unit == "percent":
        share = rates.ci_for(info.unit, float(latest["lower"]), sample_size=latest["sample_size"])
        rate_lower, rate_upper = float(share.lower), float(share.upper)
    moved = change(
        info,
        Figure(previous["lower"], previous["upper"], n1, previous["sample_size"]),
        Figure(latest["lower"], latest["upper"], n2, latest["sample_size"]),
    )
    return Headline(
        code=info.code,
        name=info.name,
        unit=str(info.unit),
        polarity=str(info.polarity),
        window=window,
        value=float(latest["value"]),
        previous=float(previous["value"]),
        rate=rate,
        rate_lower=rate_lower,
        rate_upper=rate_upper,
        denominator_kind=info.denominator_kind if info.has_rate else None,
        denominator_year=den_year,
        change=moved,
        verdict=compare.verdict(moved, info.polarity),
        basis=TotalBasis(latest["basis"]),
        lower_bound=float(latest["lower"]),
        upper_bound=float(latest["upper"]),
        multiplier=info.multiplier,
    )


def movers(store: Store, code: str, *, limit: int = 5) -> pd.DataFrame:
    """Districts whose latest period differs from the one before beyond chance, largest moves first.

    The districts' test is the indicator's own (:func:`observatory.stats.changes.change`); only counts
    and survey shares can move beyond chance.

    Returns:
        code, name, previous, latest, ratio, lower, upper, verdict — significant moves only.
    """
    info = indicator(store, code)
    window = latest_window(store, info)
    columns = ["code", "name", "previous", "latest", "ratio", "lower", "upper", "verdict"]
    # A series shorter than a year has no earlier 12 months to set each district against.
    if window is None or not info.additive or window.short:
        return pd.DataFrame(columns=columns)
    frame = queries.window_totals_by_area(store, info.code, [window.previous_start, window.start], window.end)
    names = queries.areas(store, level=1).set_index("code")["name"]
    rows = []
    for area, part in frame.groupby("area_code"):
        if len(part) != 2 or part["withheld"].any() or not (part["months"] == window.months).all():
            continue
        moved = change(info, Figure.exact(part["value"].iloc[0]), Figure.exact(part["value"].iloc[1]))
        if moved.significant:
            rows.append(
                [
                    area,
                    names.get(area, area),
                    part["value"].iloc[0],
                    part["value"].iloc[1],
                    moved.estimate,
                    moved.lower,
                    moved.upper,
                    compare.verdict(moved, info.polarity),
                ]
            )
    moved_rows = pd.DataFrame(rows, columns=columns)
    if moved_rows.empty:
        return moved_rows
    moved_rows["size"] = np.abs(np.log(moved_rows["ratio"].astype(float)))
    return (
        moved_rows.sort_values("size", ascending=False)
        .drop(columns="size")
        .head(limit)
        .reset_index(drop=True)
    )
