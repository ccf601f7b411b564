"""Tests of observatory.charts.classes: class edges for choropleths."""

from __future__ import annotations

import numpy as np
import pytest

from observatory import charts


@pytest.mark.parametrize("scheme", ["quantiles", "fisher_jenks", "equal_interval"])
def test_class_breaks_are_monotone_and_cover_min_to_max(scheme: str) -> None:
    values = np.random.default_rng(42).lognormal(2, 1, 50)
    edges = charts.class_breaks(values, scheme=scheme, n_classes=5)
    assert edges == sorted(edges)
    assert edges[0] <= values.min() and edges[-1] >= values.max()
    assert len(edges) == 6


def test_class_breaks_with_ties_lower_the_class_count() -> None:
    edges = charts.class_breaks([1.0, 1.0, 1.0, 2.0], n_classes=5)
    assert edges == sorted(edges) and edges[0] == 1.0 and edges[-1] == 2.0


def test_class_breaks_single_value_is_one_class() -> None:
    assert charts.class_breaks([7.0, 7.0]) == [7.0, 7.0]


def test_class_breaks_fixed_bounds_grow_to_the_maximum() -> None:
    assert charts.class_breaks([1.0, 5.0, 12.0], classes=[4, 8]) == [1.0, 4.0, 8.0, 12.0]


def test_class_breaks_ignores_nan() -> None:
    assert charts.class_breaks([1.0, np.nan, 3.0], n_classes=2)[-1] == 3.0


def test_class_breaks_rejects_no_values() -> None:
    with pytest.raises(ValueError, match="no finite value"):
        charts.class_breaks([np.nan])


def test_class_breaks_rejects_unknown_scheme() -> None:
    with pytest.raises(ValueError, match="unknown classification scheme"):
        charts.class_breaks([1.0, 2.0], scheme="jenks-ish")
