"""Nearest neighbours against scipy's weighted Euclidean distance on z-scores, ties and missing values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import zscore

from observatory.stats import peers


def _context() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    return pd.DataFrame(
        {"density": rng.gamma(3, 2000, 12), "youth": rng.normal(14, 3, 12), "jobless": rng.normal(9, 2, 12)},
        index=[f"{i:02d}" for i in range(1, 13)],
    )


def independent(
    context: pd.DataFrame, weights: dict[str, float], count: int
) -> dict[str, list[tuple[str, float]]]:
    """scipy: z-scores (ddof 0), weighted Euclidean distance, nearest ``count`` by distance then code."""
    z = zscore(context.to_numpy(dtype=float), axis=0, ddof=0)
    w = np.array([weights[c] for c in context.columns])
    d = cdist(z, z, metric="euclidean", w=w)
    codes = list(context.index)
    out = {}
    for i, code in enumerate(codes):
        order = sorted((j for j in range(len(codes)) if j != i), key=lambda j: (d[i, j], codes[j]))
        out[code] = [(codes[j], d[i, j]) for j in order[:count]]
    return out


def test_neighbours_equal_scipy() -> None:
    context = _context()
    weights = {"density": 2.0, "youth": 1.0, "jobless": 0.5}
    found = peers.nearest(context, weights, count=4)
    expected = independent(context, weights, 4)
    for code, pairs in expected.items():
        mine = found.of(code)
        assert list(mine["neighbour"]) == [c for c, _ in pairs]
        assert mine["distance"].to_numpy() == pytest.approx([d for _, d in pairs])
        assert mine["rms"].to_numpy() == pytest.approx([d / math.sqrt(3.5) for _, d in pairs])
    assert list(found.variables["variable"]) == ["density", "youth", "jobless"]
    assert found.variables["sd"].to_numpy() == pytest.approx(context.std(ddof=0).to_numpy())


def test_ties_at_the_last_distance_are_all_kept_and_marked() -> None:
    # B, C, D and E are each one standard unit from A on one variable: with count 2, all four are kept,
    # in code order; B's neighbours are not all tied (A is nearest on its own).
    context = pd.DataFrame(
        {"x": [0.0, 1.0, -1.0, 0.0, 0.0], "y": [0.0, 0.0, 0.0, 1.0, -1.0]}, index=list("ABCDE")
    )
    found = peers.nearest(context, count=2)
    assert list(found.of("A")["neighbour"]) == ["B", "C", "D", "E"]
    assert found.of("A")["tied"].all()
    assert list(found.of("B")["neighbour"]) == ["A", "D", "E"]
    assert list(found.of("B")["tied"]) == [False, True, True]


def test_missing_values_compare_on_shared_variables_scaled_to_full_weight() -> None:
    context = _context()
    context.loc["03", "youth"] = np.nan
    found = peers.nearest(context, count=11)
    z = (context - context.mean()) / context.std(ddof=0)
    pair = found.of("03").set_index("neighbour").loc["05"]
    shared = ["density", "jobless"]
    direct = math.sqrt(((z.loc["03", shared] - z.loc["05", shared]) ** 2).sum() * 3 / 2)
    assert pair["distance"] == pytest.approx(direct)
    assert pair["compared"] == 2
    assert found.incomplete == ("03",)


def test_a_district_without_context_gets_no_neighbours_and_is_stated() -> None:
    context = _context()
    context.loc["07"] = np.nan
    found = peers.nearest(context)
    assert found.of("07").empty
    assert "07" in found.no_context and "07" in found.not_close
    assert "07" not in set(found.neighbours["neighbour"])


def test_a_variable_without_spread_is_dropped() -> None:
    context = _context().assign(flat=3.0)
    found = peers.nearest(context)
    assert found.dropped == ("flat",)
    assert "flat" not in set(found.variables["variable"])


def test_an_outlier_has_no_close_neighbours() -> None:
    context = _context()
    context.loc["99"] = [60_000.0, 40.0, 30.0]
    found = peers.nearest(context)
    assert "99" in found.not_close
    assert found.of("99")["rms"].iloc[0] > peers.CLOSE_RMS


def test_zero_weight_leaves_a_variable_out() -> None:
    context = _context()
    found = peers.nearest(context, {"density": 0.0}, count=3)
    expected = independent(context[["youth", "jobless"]], {"youth": 1.0, "jobless": 1.0}, 3)
    assert list(found.of("01")["neighbour"]) == [c for c, _ in expected["01"]]
