"""Tests for observatory.stats.compare."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.domain import Polarity
from observatory.stats.compare import (
    VERDICT_KEYS,
    Benchmark,
    Change,
    Direction,
    Measure,
    benchmark,
    benchmark_many,
    proportion_change,
    rate_ratio,
    verdict,
)

DETERMINISTIC = settings(derandomize=True, max_examples=150, deadline=None)
Z95 = 1.959963984540054


def test_benchmark_interval_below_reference_is_better_when_lower_is_better() -> None:
    assert benchmark(2.0, 3.0, 4.0, Polarity.LOWER_IS_BETTER) is Benchmark.BETTER


def test_benchmark_interval_above_reference_is_worse_when_lower_is_better() -> None:
    assert benchmark(5.0, 6.0, 4.0, Polarity.LOWER_IS_BETTER) is Benchmark.WORSE


def test_benchmark_interval_above_reference_is_better_when_higher_is_better() -> None:
    assert benchmark(5.0, 6.0, 4.0, "higher_is_better") is Benchmark.BETTER


def test_benchmark_overlapping_interval_is_similar() -> None:
    assert benchmark(3.0, 5.0, 4.0, Polarity.LOWER_IS_BETTER) is Benchmark.SIMILAR


def test_benchmark_touching_reference_is_similar() -> None:
    assert benchmark(4.0, 5.0, 4.0, Polarity.LOWER_IS_BETTER) is Benchmark.SIMILAR


def test_benchmark_neutral_polarity_says_lower_or_higher() -> None:
    assert benchmark(1.0, 2.0, 4.0, Polarity.NEUTRAL) is Benchmark.LOWER
    assert benchmark(5.0, 6.0, 4.0, Polarity.NEUTRAL) is Benchmark.HIGHER


def test_benchmark_missing_bound_is_not_compared() -> None:
    assert benchmark(math.nan, 2.0, 4.0, Polarity.LOWER_IS_BETTER) is Benchmark.NOT_COMPARED


def test_benchmark_many_matches_scalar_version_and_keeps_index() -> None:
    lower = pd.Series([1.0, 5.0, 3.0, np.nan], index=list("abcd"))
    upper = pd.Series([2.0, 6.0, 5.0, 9.0], index=list("abcd"))
    result = benchmark_many(lower, upper, 4.0, Polarity.HIGHER_IS_BETTER)
    assert list(result.index) == list("abcd")
    expected = [
        benchmark(lo, hi, 4.0, Polarity.HIGHER_IS_BETTER) for lo, hi in zip(lower, upper, strict=True)
    ]
    assert result.tolist() == expected


def test_benchmark_many_accepts_one_reference_per_row() -> None:
    result = benchmark_many(np.array([1.0, 1.0]), np.array([2.0, 2.0]), np.array([3.0, 0.5]), "neutral")
    assert result.tolist() == [Benchmark.LOWER, Benchmark.HIGHER]


def test_rate_ratio_known_values() -> None:
    change = rate_ratio(100, 130)
    half = Z95 * math.sqrt(1 / 100 + 1 / 130)
    assert change.ratio == pytest.approx(1.3)
    assert change.lower == pytest.approx(1.3 * math.exp(-half))
    assert change.upper == pytest.approx(1.3 * math.exp(half))
    assert change.lower == pytest.approx(1.0017, abs=1e-4)
    assert change.significant and change.direction is Direction.UP


def test_rate_ratio_uses_denominators() -> None:
    change = rate_ratio(50, 50, n1=10_000, n2=20_000)
    assert change.ratio == pytest.approx(0.5)
    assert change.direction is Direction.DOWN and change.significant


def test_rate_ratio_small_change_is_not_significant() -> None:
    change = rate_ratio(20, 24)
    assert not change.significant and change.lower < 1 < change.upper


def test_rate_ratio_both_zero_is_not_computable() -> None:
    change = rate_ratio(0, 0)
    assert change.direction is Direction.NOT_COMPUTABLE and not change.significant
    assert math.isnan(change.ratio)


def test_rate_ratio_earlier_zero_uses_exact_interval_without_crash() -> None:
    change = rate_ratio(0, 3)
    assert change.ratio == math.inf and change.upper == math.inf
    assert change.direction is Direction.UP and not change.significant


def test_rate_ratio_later_zero_after_many_events_is_significant_decrease() -> None:
    change = rate_ratio(12, 0)
    assert change.ratio == 0.0 and change.lower == 0.0
    # Clopper–Pearson upper limit for 0 of 12 is 1 − 0.025^(1/12).
    pi_high = 1 - 0.025 ** (1 / 12)
    assert change.upper == pytest.approx(pi_high / (1 - pi_high))
    assert change.significant and change.direction is Direction.DOWN


def test_rate_ratio_missing_or_zero_denominator_is_not_computable() -> None:
    assert rate_ratio(math.nan, 4).direction is Direction.NOT_COMPUTABLE
    assert rate_ratio(3, 4, n1=0, n2=100).direction is Direction.NOT_COMPUTABLE


def test_proportion_change_newcombe_known_values() -> None:
    change = proportion_change(30, 100, 45, 100)
    assert change.measure is Measure.DIFFERENCE
    assert change.estimate == pytest.approx(15.0)
    assert (change.lower, change.upper) == pytest.approx((1.585, 27.683), abs=1e-3)
    assert change.significant and change.direction is Direction.UP
    assert math.isnan(change.ratio)


def test_proportion_change_small_samples_not_significant() -> None:
    change = proportion_change(30, 20, 40, 20)
    assert not change.significant and change.lower < 0 < change.upper


def test_proportion_change_invalid_input_is_not_computable() -> None:
    assert proportion_change(30, 0, 40, 20).direction is Direction.NOT_COMPUTABLE
    assert proportion_change(130, 50, 40, 20).direction is Direction.NOT_COMPUTABLE


def test_verdict_significant_rise_of_a_bad_thing_is_worse() -> None:
    assert verdict(rate_ratio(100, 130), Polarity.LOWER_IS_BETTER) == "up_significant_worse"


def test_verdict_significant_fall_of_a_bad_thing_is_better() -> None:
    assert verdict(rate_ratio(130, 100), Polarity.LOWER_IS_BETTER) == "down_significant_better"


def test_verdict_significant_rise_of_a_good_thing_is_better() -> None:
    assert verdict(proportion_change(30, 100, 45, 100), "higher_is_better") == "up_significant_better"


def test_verdict_neutral_has_no_better_or_worse() -> None:
    assert verdict(rate_ratio(130, 100), Polarity.NEUTRAL) == "down_significant"


def test_verdict_not_significant() -> None:
    assert verdict(rate_ratio(20, 24), Polarity.LOWER_IS_BETTER) == "no_significant_change"


def test_verdict_not_computable() -> None:
    assert verdict(rate_ratio(0, 0), Polarity.LOWER_IS_BETTER) == "not_computable"
    nan_change = Change(1.2, math.nan, math.nan, False, Direction.UP)
    assert verdict(nan_change, Polarity.LOWER_IS_BETTER) == "not_computable"


def test_verdict_keys_are_all_declared() -> None:
    changes = [rate_ratio(100, 130), rate_ratio(130, 100), rate_ratio(20, 24), rate_ratio(0, 0)]
    for polarity in Polarity:
        assert {verdict(change, polarity) for change in changes} <= set(VERDICT_KEYS)


@DETERMINISTIC
@given(
    o1=st.integers(min_value=0, max_value=10_000),
    o2=st.integers(min_value=0, max_value=10_000),
    n1=st.integers(min_value=1, max_value=1_000_000),
    n2=st.integers(min_value=1, max_value=1_000_000),
)
def test_rate_ratio_interval_contains_estimate_and_never_crashes(o1: int, o2: int, n1: int, n2: int) -> None:
    change = rate_ratio(o1, o2, n1=n1, n2=n2)
    if change.direction is Direction.NOT_COMPUTABLE:
        assert (o1, o2) == (0, 0)
        return
    assert change.lower <= change.ratio <= change.upper
    assert change.significant == (change.lower > 1 or change.upper < 1)


@DETERMINISTIC
@given(
    lower=st.floats(min_value=-1e6, max_value=1e6),
    width=st.floats(min_value=0, max_value=1e6),
    reference=st.floats(min_value=-1e6, max_value=1e6),
)
def test_benchmark_better_and_worse_swap_with_polarity(lower: float, width: float, reference: float) -> None:
    low = benchmark(lower, lower + width, reference, Polarity.LOWER_IS_BETTER)
    high = benchmark(lower, lower + width, reference, Polarity.HIGHER_IS_BETTER)
    swap = {
        Benchmark.BETTER: Benchmark.WORSE,
        Benchmark.WORSE: Benchmark.BETTER,
        Benchmark.SIMILAR: Benchmark.SIMILAR,
    }
    assert swap[low] is high
