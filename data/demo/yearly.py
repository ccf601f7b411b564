"""Yearly indicators of the demo city: the safety survey and the social context.

Both come per district and for the whole city; the city value is the residents-weighted
mean of the district values, as a survey weighted to the population would give.
"""

from __future__ import annotations

import numpy as np
from citydata import CITY_CODE, DISTRICTS, DIVERGENT_DISTRICT, STRATEGY_DISTRICTS, STRATEGY_YEAR
from series import CODES, YEARS, CityData

UNSAFE_BASE = {
    "centre": 0.27,
    "inner": 0.22,
    "residential": 0.16,
    "affluent": 0.11,
    "deprived": 0.34,
    "small": 0.13,
}
# Registered unemployment in the city, 2016-2025: recovery, the 2020-21 dip, then a slow fall.
UNEMPLOYMENT_PATH = np.array([11.8, 10.2, 8.9, 7.8, 8.6, 8.2, 7.1, 7.0, 6.8, 6.6])
UNEMPLOYMENT_FACTOR = {
    "centre": 1.2,
    "inner": 1.1,
    "residential": 0.95,
    "affluent": 0.6,
    "deprived": 1.9,
    "small": 0.9,
}
YOUTH_BASE = {
    "centre": 10.2,
    "inner": 12.8,
    "residential": 11.0,
    "affluent": 9.6,
    "deprived": 13.4,
    "small": 10.5,
}


def _unsafe_share(code: str, kind: str, base_shift: float) -> np.ndarray:
    """True share of residents feeling unsafe per year, before sampling."""
    share = UNSAFE_BASE[kind] + base_shift - 0.005 * (YEARS - YEARS[0])
    share = share + np.where((YEARS == 2020) | (YEARS == 2021), 0.02, 0.0)
    after = np.maximum(0, YEARS - (STRATEGY_YEAR - 1))
    if code == DIVERGENT_DISTRICT:
        # Recorded burglary falls here while the feeling of unsafety rises.
        share = share + 0.03 * np.maximum(0, YEARS - (STRATEGY_YEAR - 1))
    elif code in STRATEGY_DISTRICTS:
        share = share - 0.02 * after
    return np.clip(share, 0.02, 0.9)


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Residents-weighted mean over districts (axis 0), per year."""
    return (values * weights).sum(axis=0) / weights.sum(axis=0)


def feel_unsafe(rng: np.random.Generator, data: CityData) -> None:
    """Survey rows: binomial respondents per district, sample sizes 80-400, city weighted."""
    sizes, shares = [], []
    for i, d in enumerate(DISTRICTS):
        n = np.clip(np.round((80 + data.residents[i] / 110) * rng.uniform(0.9, 1.1, len(YEARS))), 80, 400)
        true = _unsafe_share(d.code, d.kind, rng.normal(0, 0.02))
        k = rng.binomial(n.astype(np.int64), true)
        sizes.append(n.astype(np.int64))
        shares.append(k / n)
    n_all, p_all = np.array(sizes), np.array(shares)
    city = _weighted(p_all, data.residents)
    for area, n_row, p_row in [*zip(CODES, n_all, p_all, strict=True), (CITY_CODE, n_all.sum(axis=0), city)]:
        for year, n, p in zip(YEARS, n_row, p_row, strict=True):
            data.rows.append(("feel_unsafe", area, str(year), f"{100 * p:.1f}", str(int(n)), ""))


def context(rng: np.random.Generator, data: CityData) -> np.ndarray:
    """Unemployment and youth-share rows per district and city; returns youth share (%) per district-year."""
    unemployment, youth = [], []
    for d in DISTRICTS:
        factor = UNEMPLOYMENT_FACTOR[d.kind] * rng.lognormal(0, 0.08)
        unemployment.append(UNEMPLOYMENT_PATH * factor * (1 + rng.normal(0, 0.03, len(YEARS))))
        drift = -0.08 * (YEARS - YEARS[0])
        youth.append(YOUTH_BASE[d.kind] + rng.normal(0, 0.4) + drift + rng.normal(0, 0.12, len(YEARS)))
    for code, values in (("unemployment", np.array(unemployment)), ("youth_share", np.array(youth))):
        city = _weighted(values, data.residents)
        for area, row in [*zip(CODES, values, strict=True), (CITY_CODE, city)]:
            for year, v in zip(YEARS, row, strict=True):
                data.rows.append((code, area, str(year), f"{v:.1f}", "", ""))
    return np.array(youth)
