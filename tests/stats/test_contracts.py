"""Outcome-based contracts: an outcome generated just above and just below its threshold."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import norm

from observatory.stats import impact
from observatory.stats.contracts import ContractStatus, outcome


def _exact_panel(effect: float) -> tuple[pd.DataFrame, set[str], pd.Timestamp]:
    """Ten areas, 48 months, very large expected counts and no noise: the estimate is the effect itself."""
    periods = pd.date_range("2020-01-01", periods=48, freq="MS")
    rows = []
    for i in range(10):
        for j, period in enumerate(periods):
            mu = (
                1e6
                * (1 + 0.1 * i)
                * (1 + 0.2 * math.cos(2 * math.pi * period.month / 12))
                * math.exp(-0.01 * j)
            )
            if i < 3 and j >= 24:
                mu *= effect
            rows.append((f"{i:02d}", period, float(round(mu)), 1e6 * (1 + 0.1 * i)))
    frame = pd.DataFrame(rows, columns=["area", "period", "count", "exposure"])
    return frame, {"00", "01", "02"}, periods[24]


@pytest.mark.parametrize(
    ("effect", "status", "due"),
    [(0.924, ContractStatus.MET, 250_000.0), (0.926, ContractStatus.NOT_MET, 0.0)],
)
def test_just_above_and_just_below_the_threshold(effect, status, due) -> None:
    frame, targets, start = _exact_panel(effect)
    estimate = impact.did(frame, targets=targets, start=start)
    got = outcome(estimate.effect, threshold=0.075, payment=250_000.0)
    assert got.reduction == pytest.approx(1 - effect, abs=1e-4)
    assert got.status is status and got.payment_due == due
    # 0.1 point above the threshold with a tiny standard error: almost surely met; below, almost surely not.
    assert (got.probability > 0.99) == (status is ContractStatus.MET)


def test_a_reduction_within_chance_pays_nothing_however_large() -> None:
    effect = impact.Effect.from_log(math.log(0.85), 0.1)
    got = outcome(effect, threshold=0.075, payment=100.0)
    assert got.reduction == pytest.approx(0.15)
    assert got.status is ContractStatus.NOT_MET and got.payment_due == 0.0
    assert got.probability == pytest.approx(norm.cdf((math.log(0.925) - math.log(0.85)) / 0.1), rel=1e-9)
    assert 0.5 < got.probability < 1


def test_an_unmeasured_cohort_pays_nothing() -> None:
    got = outcome(impact.NO_EFFECT, threshold=0.1, payment=100.0)
    assert got.status is ContractStatus.NOT_MEASURED and got.payment_due == 0.0
