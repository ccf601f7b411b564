"""Progress of a strategy objective towards its target (DESIGN §4)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from observatory.domain import Polarity

#: Lower bounds of the bands of the progress ratio R (Open SDG / Statistics Canada).
ON_TRACK_FROM = 0.95
MODERATE_FROM = 0.6
LIMITED_FROM = 0.0


class ProgressStatus(StrEnum):
    """Where an objective stands."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    MODERATE = "moderate"
    LIMITED = "limited"
    DETERIORATING = "deteriorating"
    TOO_EARLY = "too_early"


class RatioMethod(StrEnum):
    """How the progress ratio was computed."""

    CAGR = "cagr"
    LINEAR = "linear"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Progress:
    """Progress of an objective.

    Attributes:
        status: The band, ACHIEVED, or TOO_EARLY.
        ratio: Progress ratio R (1 = exactly the pace needed; NaN when not computed).
        expected_now: Where a straight line from baseline to target stands in the current year.
        share_done: (current − baseline) / (target − baseline), clipped to [0, 1]; NaN when the
            target equals the baseline.
        method: CAGR, LINEAR (fallback when a value is ≤ 0) or NONE (ratio not computed).
    """

    status: ProgressStatus
    ratio: float
    expected_now: float
    share_done: float
    method: RatioMethod = RatioMethod.NONE


def _desired_sign(polarity: Polarity, baseline: float, target: float) -> float:
    """+1 when the value should rise, −1 when it should fall (from the target if neutral)."""
    if polarity is Polarity.LOWER_IS_BETTER:
        return -1.0
    if polarity is Polarity.HIGHER_IS_BETTER:
        return 1.0
    return 1.0 if target >= baseline else -1.0


def _ratio(
    baseline: float, current: float, target: float, elapsed: float, horizon: float, sign: float
) -> tuple[float, RatioMethod]:
    """Progress ratio R = d·CAGR_observed / |CAGR_required|; linear pace when CAGR is undefined."""
    if target == baseline:
        return math.nan, RatioMethod.NONE
    if min(baseline, current, target) > 0:
        observed = (current / baseline) ** (1.0 / elapsed) - 1.0
        required = (target / baseline) ** (1.0 / horizon) - 1.0
        return sign * observed / abs(required), RatioMethod.CAGR
    # Growth rates need positive values; with a 0 or a negative value the yearly change in
    # absolute terms is the honest stand-in.
    observed = (current - baseline) / elapsed
    required = (target - baseline) / horizon
    return sign * observed / abs(required), RatioMethod.LINEAR


def _band(ratio: float) -> ProgressStatus:
    if ratio >= ON_TRACK_FROM:
        return ProgressStatus.ON_TRACK
    if ratio >= MODERATE_FROM:
        return ProgressStatus.MODERATE
    if ratio >= LIMITED_FROM:
        return ProgressStatus.LIMITED
    return ProgressStatus.DETERIORATING


def objective_progress(
    *,
    baseline_value: float,
    baseline_year: int,
    current_value: float,
    current_year: int,
    target_value: float,
    target_year: int,
    polarity: Polarity | str,
    change_significant: bool,
) -> Progress:
    """Status of an objective from its baseline, latest value and target.

    Method: the compound-annual-growth-rate ratio of Open SDG / Statistics Canada's Sustainable
    Development Goals data hub: ``CAGR_o = (y_t/y_0)^(1/(t−t0)) − 1``, ``CAGR_r = (y_T/y_0)^(1/(T−t0)) − 1``,
    ``R = d·CAGR_o/|CAGR_r|`` with d = −1 when lower is better (for a neutral indicator d
    follows the target's direction). Bands: R ≥ 0.95 on track, 0.6 ≤ R < 0.95 moderate,
    0 ≤ R < 0.6 limited, R < 0 deteriorating. When a value is ≤ 0 the CAGR is undefined and
    the linear pace ``(y_t − y_0)/(t − t0)`` against ``(y_T − y_0)/(T − t0)`` is used instead.

    Order of the decisions: a met target is ACHIEVED whatever the significance (the target is a
    value and the value is there); otherwise TOO_EARLY when a value is missing, when no year has
    passed since the baseline, or when the change since baseline is not beyond chance; a target
    equal to the baseline that is not met is DETERIORATING; else the band of R.

    Args:
        baseline_value: Value in the baseline year.
        baseline_year: Baseline year t0.
        current_value: Latest value.
        current_year: Year of the latest value t.
        target_value: Target value.
        target_year: Target year T (after t0).
        polarity: Which direction is an improvement.
        change_significant: Whether the change from baseline to now is beyond chance (e.g. a
            significant rate ratio or proportion change).

    Returns:
        A Progress.

    Raises:
        ValueError: If the target year is not after the baseline year.
    """
    if target_year <= baseline_year:
        raise ValueError(f"target year {target_year} must come after baseline year {baseline_year}")
    polarity = Polarity(polarity)
    horizon = float(target_year - baseline_year)
    elapsed = float(current_year - baseline_year)
    span = target_value - baseline_value
    expected_now = baseline_value + span * elapsed / horizon
    share_done = min(max((current_value - baseline_value) / span, 0.0), 1.0) if span != 0 else math.nan
    sign = _desired_sign(polarity, baseline_value, target_value)

    def result(
        status: ProgressStatus, ratio: float = math.nan, method: RatioMethod = RatioMethod.NONE
    ) -> Progress:
        return Progress(status, ratio, expected_now, share_done, method)

    if any(math.isnan(v) for v in (baseline_value, current_value, target_value)):
        return result(ProgressStatus.TOO_EARLY)
    if sign * (current_value - target_value) >= 0:
        return result(ProgressStatus.ACHIEVED)
    if elapsed <= 0 or not change_significant:
        return result(ProgressStatus.TOO_EARLY)
    ratio, method = _ratio(baseline_value, current_value, target_value, elapsed, horizon, sign)
    if method is RatioMethod.NONE:
        return result(ProgressStatus.DETERIORATING)
    return result(_band(ratio), ratio, method)
