"""Tests for observatory.stats.rates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2
from statsmodels.stats.proportion import proportion_confint

from observatory.domain import Unit
from observatory.stats import rates
from observatory.stats.rates import ci_for, poisson_ci, rate, rate_ci, wilson_ci

DETERMINISTIC = settings(derandomize=True, max_examples=150, deadline=None)


def test_poisson_ci_byar_matches_design_check_value() -> None:
    lower, upper = poisson_ci(65)
    assert round(lower, 3) == 50.163
    assert round(upper, 3) == 82.849


@pytest.mark.parametrize("count", [1, 2, 5, 9])
def test_poisson_ci_small_counts_are_exact_chi_square_limits(count: int) -> None:
    lower, upper = poisson_ci(count)
    assert lower == pytest.approx(chi2.ppf(0.025, 2 * count) / 2, rel=1e-12)
    assert upper == pytest.approx(chi2.ppf(0.975, 2 * count + 2) / 2, rel=1e-12)


def test_poisson_ci_zero_count_has_lower_zero_and_exact_upper() -> None:
    lower, upper = poisson_ci(0)
    assert lower == 0.0
    assert upper == pytest.approx(3.6889, abs=1e-4)


def test_poisson_ci_switches_to_byar_at_ten() -> None:
    lower, _ = poisson_ci(10)
    z = 1.959963984540054
    assert lower == pytest.approx(10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3, rel=1e-12)


def test_poisson_ci_missing_and_negative_counts_give_nan() -> None:
    lower, upper = poisson_ci(np.array([np.nan, -1.0]))
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_poisson_ci_keeps_series_index() -> None:
    counts = pd.Series([3, 65], index=["a", "b"])
    lower, upper = poisson_ci(counts)
    assert isinstance(lower, pd.Series) and list(lower.index) == ["a", "b"]
    assert round(upper["b"], 3) == 82.849


def test_poisson_ci_wider_confidence_gives_wider_interval() -> None:
    low95, high95 = poisson_ci(30)
    low99, high99 = poisson_ci(30, confidence=0.99)
    assert low99 < low95 and high99 > high95


def test_poisson_ci_rejects_confidence_outside_zero_one() -> None:
    with pytest.raises(ValueError, match="confidence"):
        poisson_ci(5, confidence=95)


def test_rate_per_thousand() -> None:
    assert rate(65, 13000) == pytest.approx(5.0)


def test_rate_zero_or_missing_denominator_is_nan() -> None:
    result = rate(np.array([5, 5, 5]), np.array([0, np.nan, -10]))
    assert np.isnan(result).all()


def test_rate_ci_divides_count_limits_by_denominator() -> None:
    estimate = rate_ci(65, 13000, 1000)
    assert estimate.rate == pytest.approx(5.0)
    assert estimate.lower == pytest.approx(50.16318771 / 13)
    assert estimate.upper == pytest.approx(82.84913855 / 13)


def test_rate_ci_accepts_arrays() -> None:
    estimate = rate_ci(np.array([3, 65]), np.array([1000, 13000]))
    assert estimate.rate.shape == (2,)
    assert estimate.lower[1] == pytest.approx(50.16318771 / 13)


def test_wilson_ci_known_value_ten_of_hundred() -> None:
    lower, upper = wilson_ci(10, 100)
    assert round(lower, 2) == 5.52
    assert round(upper, 2) == 17.44


def test_wilson_ci_matches_statsmodels() -> None:
    lower, upper = wilson_ci(37.5, 240)
    expected = proportion_confint(90, 240, method="wilson")
    assert (lower, upper) == pytest.approx((expected[0] * 100, expected[1] * 100))


def test_wilson_ci_at_zero_and_hundred_percent_touches_bounds() -> None:
    lower, upper = wilson_ci(np.array([0.0, 100.0]), np.array([50, 50]))
    assert lower[0] == 0.0 and upper[1] == 100.0
    assert upper[0] > 0 and lower[1] < 100


def test_wilson_ci_without_valid_sample_size_is_nan() -> None:
    lower, upper = wilson_ci(np.array([10.0, 10.0, 120.0]), np.array([0, np.nan, 100]))
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_ci_for_count_without_denominator_is_interval_on_count() -> None:
    estimate = ci_for(Unit.COUNT, 65)
    assert estimate.rate == 65
    assert round(estimate.lower, 3) == 50.163


def test_ci_for_count_with_denominator_is_rate_interval() -> None:
    estimate = ci_for("count", 65, denominator=13000, multiplier=1000)
    assert estimate.rate == pytest.approx(5.0)
    assert estimate.upper == pytest.approx(82.84913855 / 13)


def test_ci_for_percent_with_sample_size_is_wilson() -> None:
    estimate = ci_for(Unit.PERCENT, 10, sample_size=100)
    assert estimate.rate == 10
    assert round(estimate.lower, 2) == 5.52


def test_ci_for_percent_without_sample_size_invents_nothing() -> None:
    estimate = ci_for(Unit.PERCENT, 42.0)
    assert estimate.rate == 42.0
    assert math.isnan(estimate.lower) and math.isnan(estimate.upper)


@pytest.mark.parametrize("unit", [Unit.RATE, Unit.INDEX, Unit.AMOUNT])
def test_ci_for_rated_index_and_amount_values_have_no_interval(unit: Unit) -> None:
    estimate = ci_for(unit, pd.Series([1.5, 2.5]), denominator=1000, sample_size=100)
    assert estimate.rate.tolist() == [1.5, 2.5]
    assert estimate.lower.isna().all() and estimate.upper.isna().all()


@DETERMINISTIC
@given(
    count=st.integers(min_value=0, max_value=100_000),
    denominator=st.integers(min_value=1, max_value=10_000_000),
    factor=st.integers(min_value=1, max_value=1000),
)
def test_rate_is_unchanged_when_count_and_denominator_scale_together(
    count: int, denominator: int, factor: int
) -> None:
    assert rate(count * factor, denominator * factor) == pytest.approx(rate(count, denominator), rel=1e-12)


@DETERMINISTIC
@given(
    count=st.integers(min_value=0, max_value=1_000_000),
    denominator=st.integers(min_value=1, max_value=10_000_000),
)
def test_rate_ci_contains_the_rate(count: int, denominator: int) -> None:
    estimate = rate_ci(count, denominator)
    assert estimate.lower <= estimate.rate <= estimate.upper


@DETERMINISTIC
@given(
    count=st.one_of(st.integers(min_value=0, max_value=10_000_000), st.floats(min_value=0.5, max_value=1e6))
)
def test_poisson_ci_lower_not_above_upper(count: float) -> None:
    lower, upper = poisson_ci(count)
    assert 0 <= lower <= count <= upper


@DETERMINISTIC
@given(
    successes=st.integers(min_value=0, max_value=5000),
    extra=st.integers(min_value=0, max_value=5000),
)
def test_wilson_ci_contains_the_percentage(successes: int, extra: int) -> None:
    n = successes + extra
    if n == 0:
        return
    percent = 100 * successes / n
    lower, upper = wilson_ci(percent, n)
    assert 0 <= lower <= percent + 1e-9
    assert percent - 1e-9 <= upper <= 100


@pytest.mark.parametrize(
    ("unit", "denominator", "sample_size"),
    [
        ("count", None, None),
        ("count", [1000.0, 0.0, np.nan, 50.0], None),
        ("amount", [1000.0, 0.0, np.nan, 50.0], None),
        ("amount", None, None),
        ("percent", None, [100.0, 10.0, np.nan, 0.0]),
        ("rate", None, None),
        ("index", None, None),
    ],
)
def test_shown_for_is_the_figure_ci_for_reports(unit, denominator, sample_size) -> None:
    values = np.array([12.0, 3.0, 7.0, np.nan])
    den = None if denominator is None else np.array(denominator)
    sizes = None if sample_size is None else np.array(sample_size)
    shown = rates.shown_for(unit, values, denominator=den, multiplier=100.0)
    full = rates.ci_for(unit, values, denominator=den, sample_size=sizes, multiplier=100.0)
    np.testing.assert_array_equal(shown, full.rate)
