"""Funnel limits against the formulas written out here, independently of observatory.stats."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2, norm

from observatory.stats import funnel, rates
from observatory.stats.funnel import Place


def _exact(x: float, level: float) -> tuple[float, float]:
    alpha = 1 - level
    lower = chi2.ppf(alpha / 2, 2 * x) / 2 if x > 0 else 0.0
    return lower, chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2


def _byar(x: float, level: float) -> tuple[float, float]:
    z = norm.ppf(0.5 + level / 2)
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    y = x + 1
    return lower, y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3


@pytest.mark.parametrize("level", [0.95, 0.998])
@pytest.mark.parametrize("method", ["exact", "byar"])
def test_limit_lines_invert_the_poisson_interval(level: float, method: str) -> None:
    benchmark, multiplier = 40.0, 1000.0
    lines = funnel.limit_lines(benchmark, (500.0, 20_000.0), multiplier, confidence=level, method=method)
    formula = _exact if method == "exact" else _byar
    for row in lines.sample(25, random_state=42).itertuples():
        # A point on a line: x events at population N, with the benchmark at x's interval limit.
        events = row.rate * row.population / multiplier
        lower, upper = formula(events, level)
        limit = lower if row.side == "upper" else upper
        assert benchmark == pytest.approx(limit / row.population * multiplier, rel=1e-9)


def test_byar_and_exact_published_check_values() -> None:
    # DESIGN §4 and PHEindicatormethods' byars_lower(65) / byars_upper(65); exact limits of 0 events.
    assert rates.poisson_ci(65, method="byar") == pytest.approx((50.163, 82.849), abs=1e-3)
    assert rates.poisson_ci(0, method="exact") == pytest.approx((0.0, 3.689), abs=1e-3)
    with pytest.raises(ValueError, match="auto, exact or byar"):
        rates.poisson_ci(5, method="normal")


def test_lines_bracket_the_benchmark_and_narrow_with_population() -> None:
    lines = funnel.limit_lines(10.0, (100.0, 100_000.0), 1000.0, confidence=0.998)
    upper = lines[lines["side"] == "upper"]
    lower = lines[lines["side"] == "lower"]
    assert (upper["rate"] > 10.0).all() and (lower["rate"] < 10.0).all()
    assert upper["rate"].is_monotonic_decreasing
    assert lower["rate"].is_monotonic_increasing


def test_places_follow_pheindicatormethods_significance() -> None:
    # Benchmark 10 per 1,000. 150 events in 10,000 (rate 15): Byar 99.8% lower limit 12.05 → high at 99.8%.
    # 125 in 10,000: 95% lower 10.40 > 10 but 99.8% lower 9.84 < 10 → high at 95%. 100 → within.
    # 5 in 1,000 (exact): 95% upper 11.67 > 10 → within. 0 in 1,000: exact upper 3.69 < 10 → low at 95%;
    # 99.8% upper 6.91 < 10 → low at 99.8%.
    events = np.array([150.0, 125.0, 100.0, 5.0, 0.0, np.nan])
    population = np.array([10_000.0, 10_000.0, 10_000.0, 1_000.0, 1_000.0, 1_000.0])
    found = funnel.places(events, population, 10.0, 1000.0)
    assert found == [Place.HIGH_998, Place.HIGH_95, Place.WITHIN, Place.WITHIN, Place.LOW_998, Place.UNKNOWN]
    for x, n, place in zip(events[:5], population[:5], found[:5], strict=True):
        low95, up95 = (_byar if x >= 10 else _exact)(x, 0.95)
        low998, up998 = (_byar if x >= 10 else _exact)(x, 0.998)
        high = low998 / n * 1000 > 10 or low95 / n * 1000 > 10
        low = up998 / n * 1000 < 10 or up95 / n * 1000 < 10
        assert (place in (Place.HIGH_95, Place.HIGH_998)) == high
        assert (place in (Place.LOW_95, Place.LOW_998)) == low


def test_overdispersion_factor_equals_direct_computation() -> None:
    rng = np.random.default_rng(42)
    population = rng.integers(2_000, 30_000, 30).astype(float)
    events = rng.poisson(population / 1000 * 20 * rng.gamma(4, 0.25, 30)).astype(float)
    benchmark = events.sum() / population.sum() * 1000
    found = funnel.overdispersion(events, population, benchmark, 1000.0)
    expected = benchmark * population / 1000
    z = (events - expected) / np.sqrt(expected)
    low, high = np.percentile(z, [10, 90])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    assert found.phi == pytest.approx(phi)
    assert found.p_value == pytest.approx(chi2.sf(30 * phi, 29))
    w = population / (benchmark / 1000)
    tau2 = (30 * phi - 29) / (w.sum() - (w**2).sum() / w.sum())
    assert found.overdispersed
    assert found.tau2 == pytest.approx(tau2)


def test_poisson_data_are_not_overdispersed() -> None:
    rng = np.random.default_rng(42)
    population = np.full(40, 10_000.0)
    events = rng.poisson(100, 40).astype(float)
    found = funnel.overdispersion(events, population, events.sum() / population.sum() * 1000, 1000.0)
    assert not found.overdispersed and found.tau2 == 0.0


def test_adjusted_limits_are_the_random_effects_formula() -> None:
    spread = funnel.Overdispersion(phi=4.0, tau2=1e-5, p_value=0.001, n=20)
    lower, upper = funnel.adjusted_limits(20.0, np.array([5_000.0]), 1000.0, confidence=0.95, spread=spread)
    sd = math.sqrt(0.02 / 5_000 + 1e-5)
    assert upper[0] == pytest.approx((0.02 + 1.959964 * sd) * 1000, rel=1e-6)
    assert lower[0] == pytest.approx((0.02 - 1.959964 * sd) * 1000, rel=1e-6)


def test_overdispersed_places_use_the_widened_limits() -> None:
    spread = funnel.Overdispersion(phi=4.0, tau2=1e-5, p_value=0.001, n=20)
    # 125 in 10,000 is high against Poisson limits, but within benchmark ± 1.96·√(θ/N + τ²).
    assert funnel.places([125.0], [10_000.0], 10.0, 1000.0) == [Place.HIGH_95]
    assert funnel.places([125.0], [10_000.0], 10.0, 1000.0, spread=spread) == [Place.WITHIN]


def test_too_few_districts_give_no_estimate() -> None:
    found = funnel.overdispersion([5.0], [1000.0], 5.0, 1000.0)
    assert math.isnan(found.phi) and not found.overdispersed


def test_benchmark_is_all_events_over_all_population() -> None:
    assert funnel.benchmark_rate([10, np.nan, 30], [1000, 500, 3000], 1000.0) == pytest.approx(10.0)
