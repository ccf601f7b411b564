"""The map page's funnel plot: each district's rate against its population at risk, with control limits.

The points are the map's districts (:func:`mapview.district_table`: published counts and their
denominators; a withheld district is not drawn and is counted as such). The centre is the city's rate
when the city's total is exact (the one total rule), else the pooled rate of the districts drawn (all their
events over all their population), and the figure says which. Limits and places are
:mod:`observatory.stats.funnel`: exact/Byar Poisson limits at 95% and 99.8%, widened by Spiegelhalter's
additive random effect when the districts are overdispersed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.domain import Indicator, Unit
from observatory.services import mapview, views
from observatory.stats import funnel as stats_funnel
from observatory.store import Store

CENTRE_CITY = "city"
CENTRE_POOLED = "pooled"


@dataclass(frozen=True, slots=True)
class Funnel:
    """A funnel plot's data.

    ``points``: code, name, events, population, rate, place (a :class:`stats.funnel.Place` value).
    ``lines``: level (0.95 / 0.998), side, population, rate. ``centre`` says where the benchmark comes
    from (``city`` or ``pooled``); ``spread`` is the overdispersion test; ``withheld`` the districts not
    drawn (withheld or without a denominator).
    """

    indicator: Indicator
    period: str
    benchmark: float
    centre: str
    points: pd.DataFrame
    lines: pd.DataFrame
    spread: stats_funnel.Overdispersion
    withheld: tuple[str, ...]

    def summary(self) -> dict[str, int | float | bool]:
        """Districts drawn, outside each limit, and the overdispersion figures (for notes and checks)."""
        place = self.points["place"]
        return {
            "drawn": len(self.points),
            "withheld": len(self.withheld),
            "above_95": int(place.isin(["high_95", "high_998"]).sum()),
            "below_95": int(place.isin(["low_95", "low_998"]).sum()),
            "outside_998": int(place.isin(["high_998", "low_998"]).sum()),
            "phi": round(self.spread.phi, 3) if math.isfinite(self.spread.phi) else math.nan,
            "overdispersed": self.spread.overdispersed,
        }


def available(info: Indicator) -> bool:
    """A funnel needs a count with a denominator (a rate computed here, with a Poisson interval)."""
    return info.has_rate and info.unit == Unit.COUNT


def funnel(store: Store, code: str, period: str) -> Funnel:
    """The funnel of one indicator over one map period (a year, or 12 months ending at a month).

    Raises:
        ValueError: If the indicator is not a count with a denominator (see :func:`available`).
    """
    info = views.indicator(store, code)
    if not available(info):
        raise ValueError(f"{code} is not a count with a denominator")
    chosen = mapview.MapPeriod.parse(period)
    table = mapview.district_table(store, info, chosen)
    usable = table["value"].notna() & (table["denominator"] > 0)
    drawn = table[usable]
    events, population = drawn["value"].to_numpy(float), drawn["denominator"].to_numpy(float)
    city = mapview.city_figure(store, info, chosen)
    exact = math.isfinite(city.reference) and city.basis.exact
    benchmark = city.reference if exact else stats_funnel.benchmark_rate(events, population, info.multiplier)
    spread = stats_funnel.overdispersion(events, population, benchmark, info.multiplier)
    places = stats_funnel.places(events, population, benchmark, info.multiplier, spread=spread)
    points = pd.DataFrame(
        {
            "code": drawn["code"].astype(str),
            "name": drawn["name"].astype(str),
            "events": events,
            "population": population,
            "rate": drawn["rate"].to_numpy(float),
            "place": [str(p) for p in places],
        }
    ).reset_index(drop=True)
    return Funnel(
        info,
        chosen.label,
        benchmark,
        CENTRE_CITY if exact else CENTRE_POOLED,
        points,
        _lines(benchmark, population, info.multiplier, spread),
        spread,
        tuple(str(c) for c in table.loc[~usable, "code"]),
    )


def _lines(
    benchmark: float, population: np.ndarray, multiplier: float, spread: stats_funnel.Overdispersion
) -> pd.DataFrame:
    if not len(population) or not benchmark > 0:
        return pd.DataFrame(columns=["level", "side", "population", "rate"])
    span = (float(population.min()), float(population.max()))
    frames = []
    for level in stats_funnel.LEVELS:
        if spread.overdispersed:
            found = stats_funnel.adjusted_lines(benchmark, span, multiplier, confidence=level, spread=spread)
        else:
            found = stats_funnel.limit_lines(benchmark, span, multiplier, confidence=level)
        frames.append(found.assign(level=level))
    return pd.concat(frames, ignore_index=True)[["level", "side", "population", "rate"]]
