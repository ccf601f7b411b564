"""A grouping's profile: every indicator that adds up, summed over the group's districts, beside the city.

Each row is the group's total for a calendar year by the one total rule (:func:`mapview.area_figure`):
counts and denominators summed, the rate and its 95% interval computed on the sums (Poisson: exact below
10, Byar from 10; from the lower bound's lower limit to the upper bound's upper limit when a member is
withheld), benchmarked against the city's figure as a district is. Rates, shares and indices are never
summed, so they are not in a group's profile.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from observatory.domain import Indicator, IndicatorKind
from observatory.services import groups, mapview, views
from observatory.stats import compare, rates
from observatory.store import Store

COLUMNS = [
    "indicator_code",
    "name",
    "kind",
    "value",
    "low",
    "high",
    "basis",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
    "city_rate",
    "city_low",
    "city_high",
    "city_basis",
    "benchmark",
]


def group_profile(store: Store, code: str, year: int) -> pd.DataFrame:
    """One row per additive indicator with a value in ``year``: the group's figures and the city's.

    Returns:
        :data:`COLUMNS`, by kind (result, activity, context) then code; ``value`` NaN unless the total is
        exact (``low``/``high`` bound it), ``rate*`` NaN without a denominator.
    """
    members = groups.members(store, code)
    catalogue = views.catalogue(store)
    period = mapview.MapPeriod(year)
    rows = []
    for record in catalogue.itertuples():
        info = views.indicator(store, str(record.code))
        if not info.additive or not members or int(year) not in views.years(store, info):
            continue
        mine = mapview.area_figure(store, info, period, members, code)
        city = mapview.city_figure(store, info, period)
        rows.append(
            {
                "indicator_code": info.code,
                "name": info.name,
                "kind": str(info.kind),
                **figure_row(info, mine, city),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    order = {
        kind.value: i
        for i, kind in enumerate((IndicatorKind.RESULT, IndicatorKind.ACTIVITY, IndicatorKind.CONTEXT))
    }
    frame = frame.assign(_order=frame["kind"].map(order).fillna(9)).sort_values(["_order", "indicator_code"])
    return frame[COLUMNS].reset_index(drop=True).replace({np.inf: math.inf})


def figure_row(info: Indicator, mine: mapview.CityFigure, city: mapview.CityFigure) -> dict[str, object]:
    """A set of districts' figure for one period as shown beside the city's, benchmarked as a district is.

    Returns:
        value, low, high (the total or its bounds), basis, denominator, rate, rate_lower, rate_upper,
        value_lower, value_upper (the 95% interval of the count), city_rate, city_low, city_high,
        city_basis, benchmark (a :mod:`stats.compare` key).
    """
    scale = info.multiplier / mine.denominator if info.has_rate and mine.denominator > 0 else math.nan
    # The figure's bounds are rates when there is a denominator; the interval is of the counts.
    low, high = (mine.low / scale, mine.high / scale) if info.has_rate else (mine.low, mine.high)
    low_ci = rates.poisson_ci(low)[0]
    high_ci = rates.poisson_ci(high)[1] if math.isfinite(high) else math.inf
    row: dict[str, object] = {
        "value": mine.value,
        "low": low,
        "high": high,
        "basis": str(mine.basis),
        "denominator": mine.denominator,
        "rate": mine.value * scale,
        "rate_lower": low_ci * scale,
        "rate_upper": high_ci * scale,
        "value_lower": low_ci,
        "value_upper": high_ci,
        "city_rate": city.reference if info.has_rate else math.nan,
        "city_low": city.low if info.has_rate else math.nan,
        "city_high": city.high if info.has_rate else math.nan,
        "city_basis": str(city.basis),
    }
    row["benchmark"] = str(
        compare.benchmark_many(
            row["rate_lower"],
            row["rate_upper"],
            row["city_low"],
            info.polarity,
            reference_upper=row["city_high"],
        )[0]
    )
    return row
