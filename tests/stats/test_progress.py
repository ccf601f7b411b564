"""Tests for observatory.stats.progress."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.domain import Polarity
from observatory.stats.progress import Progress, ProgressStatus, RatioMethod, objective_progress

DETERMINISTIC = settings(derandomize=True, max_examples=150, deadline=None)


def _burglary(current: float, *, year: int = 2025, significant: bool = True, **overrides: Any) -> Progress:
    """Burglary rate: 100 in 2020, target 80 in 2030, lower is better."""
    arguments: dict[str, Any] = {
        "baseline_value": 100.0,
        "baseline_year": 2020,
        "current_value": current,
        "current_year": year,
        "target_value": 80.0,
        "target_year": 2030,
        "polarity": Polarity.LOWER_IS_BETTER,
        "change_significant": significant,
    }
    arguments.update(overrides)
    return objective_progress(**arguments)


def test_exact_required_pace_gives_ratio_one_and_on_track() -> None:
    progress = _burglary(100 * 0.8**0.5)
    assert progress.ratio == pytest.approx(1.0)
    assert progress.status is ProgressStatus.ON_TRACK and progress.method is RatioMethod.CAGR


def test_ratio_follows_cagr_formula() -> None:
    progress = _burglary(91.5)
    observed = (91.5 / 100) ** (1 / 5) - 1
    required = (80 / 100) ** (1 / 10) - 1
    assert progress.ratio == pytest.approx(-observed / abs(required))


def test_moderate_band() -> None:
    progress = _burglary(91.5)
    assert 0.6 <= progress.ratio < 0.95
    assert progress.status is ProgressStatus.MODERATE


def test_limited_band() -> None:
    progress = _burglary(97.0)
    assert 0 <= progress.ratio < 0.6
    assert progress.status is ProgressStatus.LIMITED


def test_deteriorating_band() -> None:
    progress = _burglary(105.0)
    assert progress.ratio < 0
    assert progress.status is ProgressStatus.DETERIORATING


def test_target_met_is_achieved() -> None:
    assert _burglary(79.0).status is ProgressStatus.ACHIEVED


def test_target_met_is_achieved_even_without_significant_change() -> None:
    assert _burglary(79.0, significant=False).status is ProgressStatus.ACHIEVED


def test_change_not_beyond_chance_is_too_early() -> None:
    progress = _burglary(90.0, significant=False)
    assert progress.status is ProgressStatus.TOO_EARLY and math.isnan(progress.ratio)


def test_current_year_equal_to_baseline_year_is_too_early() -> None:
    assert _burglary(95.0, year=2020).status is ProgressStatus.TOO_EARLY


def test_missing_current_value_is_too_early() -> None:
    assert _burglary(math.nan).status is ProgressStatus.TOO_EARLY


def test_expected_now_is_straight_line_to_target() -> None:
    assert _burglary(89.0).expected_now == pytest.approx(90.0)


def test_share_done_is_fraction_of_the_way() -> None:
    assert _burglary(89.0).share_done == pytest.approx(0.55)


def test_share_done_is_clipped_to_zero_and_one() -> None:
    assert _burglary(105.0).share_done == 0.0
    assert _burglary(70.0).share_done == 1.0


def test_higher_is_better_on_track() -> None:
    progress = _burglary(120.0, target_value=130.0, polarity=Polarity.HIGHER_IS_BETTER, baseline_value=100.0)
    assert progress.status is ProgressStatus.ON_TRACK


def test_neutral_polarity_takes_direction_from_target() -> None:
    progress = _burglary(91.5, polarity=Polarity.NEUTRAL)
    assert progress.status is ProgressStatus.MODERATE


def test_zero_baseline_falls_back_to_linear_ratio() -> None:
    progress = objective_progress(
        baseline_value=0.0,
        baseline_year=2020,
        current_value=5.0,
        current_year=2025,
        target_value=10.0,
        target_year=2030,
        polarity="higher_is_better",
        change_significant=True,
    )
    assert progress.method is RatioMethod.LINEAR
    assert progress.ratio == pytest.approx(1.0) and progress.status is ProgressStatus.ON_TRACK


def test_target_equal_to_baseline_and_missed_is_deteriorating() -> None:
    progress = _burglary(110.0, target_value=100.0)
    assert progress.status is ProgressStatus.DETERIORATING and math.isnan(progress.share_done)


def test_target_year_not_after_baseline_raises() -> None:
    with pytest.raises(ValueError, match="target year"):
        _burglary(90.0, target_year=2020)


@DETERMINISTIC
@given(
    current=st.floats(min_value=1, max_value=1000),
    baseline=st.floats(min_value=1, max_value=1000),
    target=st.floats(min_value=1, max_value=1000),
    elapsed=st.integers(min_value=1, max_value=10),
)
def test_share_done_always_between_zero_and_one(
    current: float, baseline: float, target: float, elapsed: int
) -> None:
    progress = objective_progress(
        baseline_value=baseline,
        baseline_year=2020,
        current_value=current,
        current_year=2020 + elapsed,
        target_value=target,
        target_year=2030,
        polarity=Polarity.LOWER_IS_BETTER,
        change_significant=True,
    )
    assert math.isnan(progress.share_done) or 0 <= progress.share_done <= 1
    assert isinstance(progress.status, ProgressStatus)
