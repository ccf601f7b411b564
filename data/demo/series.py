"""Denominators and observations of the demo city, drawn from a seeded model.

Monthly counts are Poisson draws around an expected value: a base rate per 1,000 of the
indicator's denominator, a district effect by kind of place, seasonality, a lockdown dip in
2020-21, multi-year trends that differ by indicator and district, and gamma overdispersion.
The survey draws respondents binomially; context indicators follow a city path with noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from citydata import (
    DISTRICTS,
    DRUG_RISE_DISTRICTS,
    FIRST_YEAR,
    LAST_YEAR,
    STRATEGY_DISTRICTS,
    STRATEGY_YEAR,
)

YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
MONTHS = [(int(y), m) for y in YEARS for m in range(1, 13)]
# Mid-month time in years, used by every trend.
T = np.array([y + (m - 0.5) / 12 for y, m in MONTHS])
MONTH_OF = np.array([m for _, m in MONTHS])
YEAR_IDX = np.array([y - FIRST_YEAR for y, _ in MONTHS])
CODES = [d.code for d in DISTRICTS]
KINDS = ("centre", "inner", "residential", "affluent", "deprived", "small")


@dataclass(frozen=True)
class CountModel:
    """Expected-count model of one monthly result indicator.

    Attributes:
        rate: Offences per 1,000 of the denominator per year, city-typical.
        effect: Multiplier per kind of district, in KINDS order.
        slope: Log-linear yearly trend.
        season: (amplitude, peak month) of the yearly cycle.
        lockdown: Multiplier in the strict lockdown months of 2020-21.
        per_dwelling: Whether the denominator is dwellings rather than residents.
    """

    rate: float
    effect: tuple[float, ...]
    slope: float
    season: tuple[float, float]
    lockdown: float
    per_dwelling: bool = False


COUNT_MODELS = {
    "burglary": CountModel(9.0, (1.3, 1.1, 1.0, 1.4, 1.2, 0.8), -0.01, (0.22, 12.5), 0.7, True),
    "violence": CountModel(4.5, (4.0, 1.6, 0.8, 0.6, 1.7, 0.7), 0.025, (0.10, 7), 0.6),
    "domestic_violence": CountModel(2.8, (0.9, 1.0, 1.0, 0.7, 1.6, 1.0), 0.03, (0.08, 8), 1.1),
    "robbery": CountModel(1.2, (5.0, 2.0, 0.6, 0.6, 1.5, 0.5), -0.03, (0.08, 12), 0.5),
    "vehicle_theft": CountModel(1.4, (1.5, 1.3, 1.0, 0.9, 1.4, 1.2), -0.05, (0.05, 10), 0.7),
    "theft_from_vehicle": CountModel(5.0, (3.5, 1.8, 0.8, 0.9, 1.2, 1.0), -0.035, (0.08, 8), 0.6),
    "vandalism": CountModel(3.5, (3.0, 1.5, 0.9, 0.6, 1.6, 0.9), 0.0, (0.25, 7), 0.7),
    "drug_offences": CountModel(1.0, (4.5, 1.5, 0.5, 0.3, 3.0, 0.4), 0.0, (0.05, 6), 0.7),
}


# indicator, area, period, value, sample_size, status
Row = tuple[str, ...]


@dataclass
class CityData:
    """Everything drawn for the city; rows are written to observations.csv as they are."""

    residents: np.ndarray
    dwellings: np.ndarray
    expected: dict[str, np.ndarray] = field(default_factory=dict)
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def denominators(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Residents and dwellings per district (rows) and year (columns), slow trends plus noise."""
    years = YEARS - FIRST_YEAR
    residents, dwellings = [], []
    for d in DISTRICTS:
        noise = 1 + rng.normal(0, 0.002, len(YEARS))
        people = np.round(d.residents * (1 + d.growth) ** years * noise)
        # Vacant and second homes: the stock is larger than households, and grows a little.
        stock = np.round(d.residents / d.household * 1.12 * (1.004**years) * (1 + rng.normal(0, 0.001)))
        residents.append(people)
        dwellings.append(stock)
    return np.array(residents, dtype=np.int64), np.array(dwellings, dtype=np.int64)


def lockdown_factor(strict: float) -> np.ndarray:
    """Monthly multiplier: full effect in strict lockdowns, half (geometric) in between."""
    factor = np.ones(len(MONTHS))
    for i, (y, m) in enumerate(MONTHS):
        if (y == 2020 and 3 <= m <= 5) or (y == 2021 and m <= 3):
            factor[i] = strict
        elif (y == 2020 and m >= 6) or (y == 2021 and m <= 6):
            factor[i] = strict**0.5
    return factor


def _ramp(start: float, width: float = 1.0) -> np.ndarray:
    """0 before ``start``, rising linearly to 1 over ``width`` years."""
    return np.clip((T - start) / width, 0, 1)


def _district_slope(code: str, indicator: str) -> np.ndarray:
    """Extra log-trend where the story says so: the strategy acts, drugs rise."""
    extra = np.zeros(len(MONTHS))
    if indicator == "burglary" and code in STRATEGY_DISTRICTS:
        extra -= 0.25 * np.maximum(0, T - STRATEGY_YEAR)
    if indicator == "drug_offences" and code in DRUG_RISE_DISTRICTS:
        extra += 0.16 * np.maximum(0, T - 2020)
    return extra


def expected_counts(rng: np.random.Generator, indicator: str, data: CityData) -> np.ndarray:
    """Expected monthly count per district and month for one result indicator."""
    model = COUNT_MODELS[indicator]
    base = data.dwellings if model.per_dwelling else data.residents
    amplitude, peak = model.season
    season = 1 + amplitude * np.cos(2 * np.pi * (MONTH_OF - peak) / 12)
    lockdown = lockdown_factor(model.lockdown)
    out = np.empty((len(DISTRICTS), len(MONTHS)))
    for i, d in enumerate(DISTRICTS):
        effect = model.effect[KINDS.index(d.kind)] * rng.lognormal(0, 0.15)
        slope = model.slope + rng.normal(0, 0.01)
        trend = np.exp(slope * (T - FIRST_YEAR) + _district_slope(d.code, indicator))
        monthly = model.rate / 1000 / 12 * base[i, YEAR_IDX]
        out[i] = monthly * effect * season * lockdown * trend
    return out


def draw_counts(rng: np.random.Generator, expected: np.ndarray) -> np.ndarray:
    """Poisson draws around gamma-perturbed means (overdispersion of about 15 %)."""
    return rng.poisson(expected * rng.gamma(40.0, 1 / 40.0, expected.shape))


def _add_monthly(data: CityData, indicator: str, area: str, values: np.ndarray, first_year: int) -> None:
    for (y, m), v in zip(MONTHS, values, strict=True):
        if y >= first_year:
            data.rows.append((indicator, area, f"{y}-{m:02d}", str(int(v)), "", ""))


def result_counts(rng: np.random.Generator, data: CityData) -> None:
    """Draw the eight monthly result indicators for every district (no city rows: the sum is the city)."""
    for indicator in COUNT_MODELS:
        data.expected[indicator] = expected_counts(rng, indicator, data)
        data.counts[indicator] = draw_counts(rng, data.expected[indicator])
        for code, values in zip(CODES, data.counts[indicator], strict=True):
            _add_monthly(data, indicator, code, values, FIRST_YEAR)
