"""Funnel plots of rates: control limits around a benchmark, each district's place, and overdispersion.

Method (Public Health England's Fingertips technical guidance, as in PHEindicatormethods /
PHStatsMethods ``calculate_funnel_limits`` and ``assign_funnel_significance`` for crude rates):

- **A district's place.** It lies above the 95% (99.8%) limit when the benchmark rate is below the
  lower limit of its own 95% (99.8%) Poisson interval, below the limit when the benchmark is above the
  upper limit; the interval is exact below 10 events and Byar's from 10 up (:func:`rates.poisson_ci`).
- **The lines.** For x events the district is on the upper limit when the benchmark equals the lower
  limit L(x) of x's interval, i.e. at population ``N = multiplier · L(x) / benchmark`` and rate
  ``x · benchmark / L(x)``; the lower line uses the upper limit U(x) the same way. x runs over a fine
  grid, so the lines are drawn as (population, rate) pairs. ``method="exact"`` uses the chi-square limits
  for every x (Garwood 1936), ``"byar"`` Byar's approximation (Breslow & Day 1987).
- **Overdispersion** (Spiegelhalter 2005, "Handling over-dispersion of performance indicators",
  Qual Saf Health Care 14:347–351). z-scores ``z_i = (O_i − E_i)/√E_i`` with ``E_i = benchmark · N_i /
  multiplier``, winsorised at the 10th and 90th percentiles; ``φ = Σz²/n``. The data are overdispersed
  when ``n·φ`` exceeds the 95th percentile of χ² with n − 1 degrees of freedom (the benchmark is
  estimated from the same districts). Then the limits are widened by an additive random effect
  ``τ² = max(0, (nφ − (n − 1)) / (Σw − Σw²/Σw))``, ``w_i = 1/s_i²``, ``s_i = √(benchmark /
  N_i) `` on the rate scale per one, limits ``benchmark ± z·√(s_i² + τ²)`` (normal, as in the paper).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import chi2

from observatory.stats import rates
from observatory.stats._arrays import FloatArray, as_float_array, z_value

BoolArray = npt.NDArray[np.bool_]

#: The two customary funnel levels: about two and three standard deviations.
LEVELS = (0.95, 0.998)
#: Share of z-scores pulled in at each tail before φ is estimated.
WINSOR = 0.10


class Place(StrEnum):
    """Where a district lies in the funnel."""

    HIGH_998 = "high_998"
    HIGH_95 = "high_95"
    WITHIN = "within"
    LOW_95 = "low_95"
    LOW_998 = "low_998"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Overdispersion:
    """Spiegelhalter's overdispersion estimate for a set of districts.

    ``phi`` is the (winsorised) mean squared z-score, ``tau2`` the additive between-district variance
    on the rate scale per one (0 when not overdispersed), ``p_value`` the χ² test of n·φ on n − 1
    degrees of freedom, ``n`` the districts used.
    """

    phi: float
    tau2: float
    p_value: float
    n: int

    @property
    def overdispersed(self) -> bool:
        """True when the χ² test rejects Poisson variation alone at the 5% level."""
        return self.n > 1 and self.p_value < 0.05


def benchmark_rate(events: Any, denominators: Any, multiplier: float) -> float:
    """The funnel's centre when no city figure is given: all events over all population, scaled."""
    observed, population = as_float_array(events), as_float_array(denominators)
    usable = np.isfinite(observed) & (population > 0)
    total = float(population[usable].sum())
    return float(observed[usable].sum()) / total * multiplier if total > 0 else math.nan


def places(
    events: Any,
    denominators: Any,
    benchmark: float,
    multiplier: float,
    *,
    spread: Overdispersion | None = None,
) -> list[Place]:
    """Each district's place in the funnel (PHE's significance rule; adjusted limits when ``spread`` is
    given and overdispersed).

    Args:
        events: Observed events per district (NaN: withheld or missing → ``unknown``).
        denominators: Population at risk per district (≤ 0 or NaN → ``unknown``).
        benchmark: The centre rate (same multiplier).
        multiplier: Rate per this many.
        spread: The districts' overdispersion; when it says overdispersed, a district is placed by the
            random-effects limits of :func:`adjusted_limits` at its population instead.
    """
    observed = np.atleast_1d(as_float_array(events))
    population = np.atleast_1d(as_float_array(denominators))
    usable = np.isfinite(observed) & (population > 0) & math.isfinite(benchmark)
    outside = {
        level: _outside(observed, population, benchmark, multiplier, level, spread) for level in LEVELS
    }
    chosen = np.select(
        [
            ~usable,
            outside[0.998][0],
            outside[0.998][1],
            outside[0.95][0],
            outside[0.95][1],
        ],
        [
            Place.UNKNOWN.value,
            Place.HIGH_998.value,
            Place.LOW_998.value,
            Place.HIGH_95.value,
            Place.LOW_95.value,
        ],
        default=Place.WITHIN.value,
    )
    return [Place(value) for value in chosen]


def _outside(
    observed: FloatArray,
    population: FloatArray,
    benchmark: float,
    multiplier: float,
    level: float,
    spread: Overdispersion | None,
) -> tuple[BoolArray, BoolArray]:
    """(above, below) the limits at one level."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if spread is not None and spread.overdispersed:
            low, high = adjusted_limits(benchmark, population, multiplier, confidence=level, spread=spread)
            value = np.where(population > 0, observed / population * multiplier, np.nan)
            return value > high, value < low
        lower, upper = rates.poisson_ci(observed, confidence=level)
        low_rate = np.asarray(lower) / population * multiplier
        high_rate = np.asarray(upper) / population * multiplier
    return low_rate > benchmark, high_rate < benchmark


def limit_lines(
    benchmark: float,
    population_range: tuple[float, float],
    multiplier: float,
    *,
    confidence: float = 0.95,
    method: str = "exact",
    points: int = 200,
) -> pd.DataFrame:
    """The funnel's lines at one level as (population, rate) pairs, inverted from Poisson intervals.

    Args:
        benchmark: Centre rate (> 0).
        population_range: Smallest and largest population the plot spans.
        multiplier: Rate per this many.
        confidence: 0.95 or 0.998 (any level in (0, 1)).
        method: ``"exact"`` or ``"byar"`` (see the module's docstring).
        points: Events on the grid.

    Returns:
        Columns ``side`` ("upper"/"lower"), ``population``, ``rate``, sorted by side then population.
    """
    if not benchmark > 0:
        return pd.DataFrame(columns=["side", "population", "rate"])
    low_n, high_n = max(population_range[0] * 0.8, 1e-9), population_range[1] * 1.2
    # Events from a tenth of the smallest expected count (or 0.5) to well past the largest.
    first = max(benchmark * low_n / multiplier / 10.0, 0.5)
    last = max(benchmark * high_n / multiplier * 1.5, first * 10.0) + 20.0
    grid: FloatArray = np.unique(np.concatenate([np.geomspace(first, last, points), np.arange(1.0, 10.0)]))
    lower, upper = rates.poisson_ci(grid, confidence=confidence, method=method)
    lower, upper = np.asarray(lower), np.asarray(upper)
    frames = []
    for side, limit in (("upper", lower), ("lower", upper)):
        keep = np.isfinite(limit) & (limit > 0)
        population = multiplier * limit[keep] / benchmark
        frames.append(
            pd.DataFrame(
                {"side": side, "population": population, "rate": grid[keep] * benchmark / limit[keep]}
            )
        )
    lines = pd.concat(frames, ignore_index=True)
    inside = (lines["population"] >= low_n) & (lines["population"] <= high_n)
    return lines[inside].sort_values(["side", "population"]).reset_index(drop=True)


def overdispersion(events: Any, denominators: Any, benchmark: float, multiplier: float) -> Overdispersion:
    """Spiegelhalter's φ (winsorised at 10%/90%) and the additive τ² (see the module's docstring).

    Districts with no count or no population are left out; fewer than two give φ = NaN.
    """
    observed, population = as_float_array(events), as_float_array(denominators)
    usable = np.isfinite(observed) & (population > 0)
    observed, population = observed[usable], population[usable]
    n = len(observed)
    if n < 2 or not benchmark > 0:
        return Overdispersion(math.nan, 0.0, math.nan, n)
    expected = benchmark * population / multiplier
    z = (observed - expected) / np.sqrt(expected)
    low, high = np.quantile(z, [WINSOR, 1.0 - WINSOR])
    z = np.clip(z, low, high)
    phi = float(np.mean(z**2))
    p_value = float(chi2.sf(n * phi, n - 1))
    # Rate per one: variance of O/N under Poisson is θ/N, so the weight is N/θ.
    theta = benchmark / multiplier
    weights = population / theta
    spread = float(weights.sum() - (weights**2).sum() / weights.sum())
    tau2 = max(0.0, (n * phi - (n - 1)) / spread) if spread > 0 else 0.0
    return Overdispersion(phi, tau2 if p_value < 0.05 else 0.0, p_value, n)


def adjusted_limits(
    benchmark: float, denominators: Any, multiplier: float, *, confidence: float, spread: Overdispersion
) -> tuple[FloatArray, FloatArray]:
    """Random-effects limits ``benchmark ± z·√(θ/N + τ²)`` (rate scale, scaled by the multiplier).

    Returns:
        ``(lower, upper)`` per population; NaN where the population is not positive. The lower limit is
        not below 0.
    """
    population = as_float_array(denominators)
    theta = benchmark / multiplier
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.where(population > 0, theta / population, np.nan) + spread.tau2)
    z = z_value(confidence)
    return np.maximum(theta - z * sd, 0.0) * multiplier, (theta + z * sd) * multiplier


def adjusted_lines(
    benchmark: float,
    population_range: tuple[float, float],
    multiplier: float,
    *,
    confidence: float,
    spread: Overdispersion,
    points: int = 200,
) -> pd.DataFrame:
    """:func:`adjusted_limits` as drawable lines, same columns as :func:`limit_lines`."""
    low_n, high_n = max(population_range[0] * 0.8, 1e-9), population_range[1] * 1.2
    population = np.geomspace(low_n, high_n, points)
    lower, upper = adjusted_limits(benchmark, population, multiplier, confidence=confidence, spread=spread)
    return pd.concat(
        [
            pd.DataFrame({"side": "upper", "population": population, "rate": upper}),
            pd.DataFrame({"side": "lower", "population": population, "rate": lower}),
        ],
        ignore_index=True,
    ).sort_values(["side", "population"], ignore_index=True)
