"""Tests for observatory.stats.trends."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.stats.rates import poisson_ci
from observatory.stats.trends import (
    TREND_CHI2_THRESHOLD,
    TrendResult,
    last_two_windows,
    rolling_sum,
    same_period_last_year,
    trend_test,
)

DETERMINISTIC = settings(derandomize=True, max_examples=100, deadline=None)
RNG_SEED = 42


def test_threshold_is_chi_square_one_df_at_99_8_percent() -> None:
    from scipy.stats import chi2

    assert chi2.ppf(0.998, 1) == pytest.approx(TREND_CHI2_THRESHOLD, abs=1e-4)


def test_clearly_increasing_counts_are_increasing() -> None:
    trend = trend_test([100, 120, 140, 160, 180])
    assert trend.result is TrendResult.INCREASING
    assert trend.chi2 > TREND_CHI2_THRESHOLD and trend.reason == "significant"


def test_clearly_decreasing_rates_are_decreasing() -> None:
    trend = trend_test([1367, 1332, 1199, 1023, 994], [44701, 44064, 42811, 41527, 40299])
    assert trend.result is TrendResult.DECREASING


def test_flat_noisy_series_is_no_significant_change() -> None:
    counts = np.random.default_rng(RNG_SEED).poisson(100, size=5)
    trend = trend_test(counts)
    assert trend.result is TrendResult.NO_SIGNIFICANT_CHANGE
    assert trend.reason == "not_significant"


def test_four_points_cannot_be_calculated() -> None:
    trend = trend_test([100, 120, 140, 160])
    assert trend.result is TrendResult.CANNOT_BE_CALCULATED
    assert trend.reason == "fewer_than_five_points" and math.isnan(trend.chi2)


def test_withheld_point_cannot_be_calculated() -> None:
    trend = trend_test([100, 120, np.nan, 160, 180])
    assert trend.result is TrendResult.CANNOT_BE_CALCULATED and trend.reason == "missing_values"


def test_all_zero_counts_cannot_be_calculated() -> None:
    assert trend_test([0, 0, 0, 0, 0]).reason == "no_events"


def test_some_zero_counts_are_tested_with_exact_intervals() -> None:
    trend = trend_test([0, 0, 1, 0, 0])
    assert trend.result is TrendResult.NO_SIGNIFICANT_CHANGE


def test_only_the_last_five_points_count() -> None:
    trend = trend_test([500, 10, 100, 120, 140, 160, 180])
    assert trend.result is TrendResult.INCREASING


def test_sign_flip_when_one_point_left_out_is_no_significant_change() -> None:
    # Significant overall only because of the last point; without it the series falls.
    trend = trend_test([130, 100, 95, 90, 300])
    assert trend.chi2 > TREND_CHI2_THRESHOLD
    assert trend.result is TrendResult.NO_SIGNIFICANT_CHANGE and trend.reason == "unstable"


def test_flat_series_with_one_jump_is_unstable_not_increasing() -> None:
    trend = trend_test([100, 100, 100, 100, 300])
    assert trend.result is TrendResult.NO_SIGNIFICANT_CHANGE and trend.reason == "unstable"


def test_just_above_and_just_below_threshold() -> None:
    below = trend_test([100, 110, 120, 130, 140])
    above = trend_test([100, 111, 122, 133, 144])  # χ² = 9.555
    assert below.chi2 < TREND_CHI2_THRESHOLD < above.chi2
    assert below.result is TrendResult.NO_SIGNIFICANT_CHANGE
    assert above.result is TrendResult.INCREASING


def test_count_chi2_equals_weighted_least_squares_with_known_variances() -> None:
    counts = np.array([80.0, 95, 90, 110, 120])
    population = np.array([10_000.0, 10_200, 10_100, 10_400, 10_500])
    lower, upper = poisson_ci(counts)
    sigma = (upper - lower) / (2 * 1.959963984540054) / population
    fit = sm.WLS(counts / population, sm.add_constant(np.arange(5.0)), weights=1 / sigma**2).fit()
    expected = fit.params[1] ** 2 / fit.normalized_cov_params[1, 1]
    trend = trend_test(counts, population)
    assert trend.chi2 == pytest.approx(expected, rel=1e-9)
    assert trend.slope == pytest.approx(fit.params[1], rel=1e-9)


def test_proportion_chi2_equals_cochran_armitage() -> None:
    numerators = np.array([120.0, 130, 150, 160, 185])
    totals = np.array([1000.0, 1010, 990, 1005, 1000])
    times = np.arange(5.0)
    p_bar = numerators.sum() / totals.sum()
    statistic = (times * (numerators - totals * p_bar)).sum()
    variance = p_bar * (1 - p_bar) * ((totals * times**2).sum() - (totals * times).sum() ** 2 / totals.sum())
    trend = trend_test(numerators, totals, kind="proportion")
    assert trend.chi2 == pytest.approx(statistic**2 / variance, rel=1e-9)
    assert trend.result is TrendResult.INCREASING


def test_survey_percentages_with_sample_sizes() -> None:
    trend = trend_test([30, 32, 35, 38, 41], kind="proportion", sample_sizes=[500] * 5)
    assert trend.result is TrendResult.INCREASING


def test_proportion_at_zero_percent_cannot_be_calculated() -> None:
    trend = trend_test([0, 32, 35, 38, 41], kind="proportion", sample_sizes=[500] * 5)
    assert trend.reason == "proportion_at_bound"


def test_proportion_above_total_is_invalid() -> None:
    trend = trend_test([10, 20, 30, 40, 600], [500] * 5, kind="proportion")
    assert trend.reason == "invalid_values"


def _months(values: list[float], start: str = "2022-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype="float64")


def test_rolling_sum_is_nan_until_twelve_full_months() -> None:
    result = rolling_sum(_months([1.0] * 14))
    assert result.iloc[:11].isna().all()
    assert result.iloc[11:].tolist() == [12.0, 12.0, 12.0]


def test_rolling_sum_withheld_month_blanks_its_windows() -> None:
    values = [1.0] * 26
    values[13] = np.nan
    result = rolling_sum(_months(values))
    assert result.iloc[13:25].isna().all()
    assert result.iloc[12] == 12.0 and result.iloc[25] == 12.0


def test_rolling_sum_fills_absent_month_on_date_index() -> None:
    dates = pd.date_range("2022-01-01", periods=13, freq="MS").delete(5)
    result = rolling_sum(pd.Series(1.0, index=dates))
    assert len(result) == 13 and isinstance(result.index, pd.DatetimeIndex)
    assert result.isna().all()


def test_same_period_last_year_shifts_twelve_months() -> None:
    result = same_period_last_year(_months([float(i) for i in range(15)]))
    assert result.iloc[12:].tolist() == [0.0, 1.0, 2.0]
    assert result.iloc[:12].isna().all()


def test_last_two_windows_returns_earlier_and_latest_totals() -> None:
    assert last_two_windows(_months([1.0] * 12 + [2.0] * 12)) == (12.0, 24.0)


def test_last_two_windows_needs_twenty_four_months() -> None:
    earlier, latest = last_two_windows(_months([1.0] * 20))
    assert math.isnan(earlier) and math.isnan(latest)


@DETERMINISTIC
@given(
    counts=st.lists(st.integers(min_value=1, max_value=5000), min_size=5, max_size=5),
    factor=st.integers(min_value=2, max_value=50),
)
def test_trend_direction_of_rates_does_not_depend_on_multiplier_scale(counts: list[int], factor: int) -> None:
    population = np.full(5, 100_000.0)
    base = trend_test(counts, population)
    scaled = trend_test(counts, population * factor)
    assert base.result is scaled.result
    assert base.chi2 == pytest.approx(scaled.chi2, rel=1e-9)


@DETERMINISTIC
@given(counts=st.lists(st.integers(min_value=1, max_value=5000), min_size=5, max_size=5))
def test_reversing_time_reverses_the_direction(counts: list[int]) -> None:
    forward = trend_test(counts)
    backward = trend_test(counts[::-1])
    flip = {TrendResult.INCREASING: TrendResult.DECREASING, TrendResult.DECREASING: TrendResult.INCREASING}
    assert flip.get(forward.result, forward.result) is backward.result


def test_unknown_kind_raises() -> None:
    with pytest.raises(ValueError, match="kind"):
        trend_test([1, 2, 3, 4, 5], kind="percent")  # type: ignore[arg-type]
