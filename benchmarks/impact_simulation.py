"""Simulation study of the impact estimators (observatory.stats.impact): coverage, bias, false positives, MDE.

Synthetic district panels with a known effect: 20 districts of very different sizes (log-normal
residents, median 15,000), monthly counts over six years with a winter peak, a common slow trend,
district effects, gamma overdispersion (about 20 % beyond Poisson), and an action in four districts
(or the whole city) starting after four years. Scenarios:

* ``did_effect``: the action cuts the rate by 20 % in its districts;
* ``did_null``: no effect (false-positive rate of "beyond chance");
* ``did_pretrend``: no effect, but the target districts' rate rose 10 % a year more than the others'
  before the start (how often the credibility check fires);
* ``its_effect`` / ``its_null``: a city-wide action, 10 % fall or none, by interrupted time series.

``PYTHONPATH=. python -m benchmarks.impact_simulation [PANELS]`` writes one JSON line per scenario to
benchmarks/results/impact_simulation.jsonl and prints the table. tests/stats/test_impact_simulation.py
runs the same code on fewer panels.
"""

from __future__ import annotations

import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.stats import impact

RESULTS = Path(__file__).parent / "results" / "impact_simulation.jsonl"
START_MONTH, MONTHS, DISTRICTS, TARGETS = 48, 72, 20, 4


@dataclass(frozen=True)
class Scenario:
    """A simulation scenario: the true rate ratio, the targets' extra yearly pre-trend, the design."""

    name: str
    effect: float
    pretrend: float = 0.0
    method: str = "did"


SCENARIOS = (
    Scenario("did_effect", 0.80),
    Scenario("did_null", 1.0),
    Scenario("did_pretrend", 1.0, pretrend=0.10),
    Scenario("its_effect", 0.90, method="its"),
    Scenario("its_null", 1.0, method="its"),
)


def panel(
    rng: np.random.Generator, effect: float, *, pretrend: float = 0.0, months: int = MONTHS
) -> tuple[pd.DataFrame, set[str], pd.Timestamp]:
    """One synthetic district panel: (area, period, count, exposure), the target areas, the start."""
    areas = [f"{i + 1:02d}" for i in range(DISTRICTS)]
    periods = pd.date_range("2018-01-01", periods=months, freq="MS")
    size = rng.lognormal(math.log(15000), 0.6, DISTRICTS)
    level = 9 / 1000 / 12 * size * rng.lognormal(0, 0.2, DISTRICTS)
    t = np.arange(months) / 12
    season = 1 + 0.2 * np.cos(2 * np.pi * (periods.month.to_numpy() - 12) / 12)
    mu = level[:, None] * season[None, :] * np.exp(-0.02 * t)[None, :]
    target = np.arange(DISTRICTS) < TARGETS
    start = min(START_MONTH, months - 1)
    trend = np.exp(pretrend * np.minimum(t, t[start]))
    mu[target] *= trend[None, :]
    mu[np.ix_(target, np.arange(months) >= start)] *= effect
    counts = rng.poisson(mu * rng.gamma(20.0, 1 / 20.0, mu.shape))
    frame = pd.DataFrame(
        {
            "area": np.repeat(areas, months),
            "period": np.tile(periods, DISTRICTS),
            "count": counts.ravel().astype(float),
            "exposure": np.repeat(size, months),
        }
    )
    return frame, set(areas[:TARGETS]), periods[start]


def city_series(rng: np.random.Generator, effect: float) -> tuple[pd.DataFrame, pd.Timestamp]:
    """A city-wide series: every district acted on, summed (period, count, exposure)."""
    frame, _, start = panel(rng, 1.0)
    frame.loc[frame["period"] >= start, "count"] = rng.poisson(
        frame.loc[frame["period"] >= start, "count"].to_numpy() * effect
    )
    # Thinning a Poisson count by ``effect`` keeps it Poisson (an exact fall by that factor, in mean).
    return frame.groupby("period", as_index=False)[["count", "exposure"]].sum(), start


def estimate(rng: np.random.Generator, scenario: Scenario) -> impact.Estimate:
    """One panel of a scenario, estimated."""
    if scenario.method == "its":
        series, start = city_series(rng, scenario.effect)
        return impact.its(series, start=start)
    frame, targets, start = panel(rng, scenario.effect, pretrend=scenario.pretrend)
    return impact.did(frame, targets=targets, start=start)


def run(scenario: Scenario, panels: int, *, seed: int = 42) -> dict[str, float | int | str]:
    """Coverage, bias, false-positive and credibility-check rates and median MDE over ``panels`` panels."""
    rng = np.random.default_rng(seed)
    rows = []
    began = time.perf_counter()
    for _ in range(panels):
        e = estimate(rng, scenario)
        rows.append((e.effect.ratio, e.effect.low, e.effect.high, e.mde, e.verdict))
    ratio, low, high, mdes, verdicts = (np.array(c) for c in zip(*rows, strict=True))
    truth = math.log(scenario.effect)
    bias = float(np.mean(np.log(ratio)) - truth)
    return {
        "scenario": scenario.name,
        "panels": panels,
        "true_ratio": scenario.effect,
        "coverage": float(np.mean((low <= scenario.effect) & (scenario.effect <= high))),
        "bias_log": bias,
        "bias_share_of_effect": abs(bias / truth) if truth else math.nan,
        "beyond_chance": float(np.mean(verdicts == impact.Verdict.BEYOND_CHANCE)),
        "not_credible": float(np.mean(verdicts == impact.Verdict.NOT_CREDIBLE)),
        "median_mde": float(np.median(mdes)),
        "seconds_per_panel": (time.perf_counter() - began) / panels,
    }


def power_at(effect: float, panels: int, *, seed: int = 7) -> float:
    """Share of DiD panels with a true ``effect`` where the fall is found beyond chance."""
    rng = np.random.default_rng(seed)
    found = 0
    for _ in range(panels):
        frame, targets, start = panel(rng, effect)
        e = impact.did(frame, targets=targets, start=start)
        found += e.effect.high < 1
    return found / panels


def main(panels: int = 500) -> None:
    """Run every scenario and append the table to the results file."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        for scenario in SCENARIOS:
            record = run(scenario, panels)
            out.write(json.dumps(record) + "\n")
            print(json.dumps(record))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
