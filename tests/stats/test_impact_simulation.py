"""Simulation study of the impact estimators (benchmarks/impact_simulation.py).

CI runs 60 panels per scenario with bounds wide enough for that many; OBSERVATORY_SIMULATION=full runs
500 and holds the issue's bounds: coverage 93-97 %, bias under 10 % of the effect, "beyond chance" in
at most 6 % of panels without an effect, the credibility check firing in most panels with diverging
pre-trends. The full table is in docs/impact.md.
"""

from __future__ import annotations

import math
import os

import pytest
from scipy import stats as sps

from benchmarks import impact_simulation as sim

FULL = os.environ.get("OBSERVATORY_SIMULATION") == "full"
PANELS = 500 if FULL else 60
BY_NAME = {s.name: s for s in sim.SCENARIOS}

pytestmark = pytest.mark.slow


def _coverage_bounds() -> tuple[float, float]:
    return (0.93, 0.97) if FULL else (0.85, 1.0)


@pytest.mark.parametrize("name", ["did_effect", "did_null", "its_effect", "its_null"])
def test_interval_covers_the_true_effect(name: str) -> None:
    record = sim.run(BY_NAME[name], PANELS)
    low, high = _coverage_bounds()
    assert low <= record["coverage"] <= high, record
    if BY_NAME[name].effect != 1.0:
        assert record["bias_share_of_effect"] < (0.10 if FULL else 0.25), record
    else:
        assert record["beyond_chance"] <= (0.06 if FULL else 0.12), record


def test_diverging_pretrends_are_caught() -> None:
    record = sim.run(BY_NAME["did_pretrend"], PANELS)
    assert record["not_credible"] >= 0.8, record


def test_mde_matches_simulated_power() -> None:
    """At an effect equal to the design's MDE the simulated power is near 80 %: the MDE implied by
    the simulated power (scaling by the z-values) is within 20 % of the formula's."""
    reference = sim.run(BY_NAME["did_null"], 20)
    mde = float(reference["median_mde"])
    power = sim.power_at(1 - mde, PANELS)
    z_alpha = sps.norm.ppf(0.975)
    implied = mde * (z_alpha + sps.norm.ppf(0.8)) / (z_alpha + sps.norm.ppf(min(max(power, 0.01), 0.99)))
    assert implied == pytest.approx(mde, rel=0.20), (power, mde, implied)
    assert not math.isnan(power)
