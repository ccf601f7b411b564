"""The one city-total rule: own figure, complete sum, bounded, at least."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.domain import TotalBasis
from observatory.stats import totals

JAN, FEB = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")


def _parts(rows):
    return pd.DataFrame(rows, columns=["period_start", "area_code", "known", "withheld_parts", "complete"])


def test_a_complete_sum_is_exact():
    parts = _parts([(JAN, "a", 10, 0, True), (JAN, "b", 5, 0, True)])
    row = totals.area_total(parts, areas=2, withheld_max=4).iloc[0]
    assert (row["basis"], row["value"], row["lower"], row["upper"]) == (TotalBasis.SUM, 15, 15, 15)


def test_withheld_parts_give_bounds_from_the_threshold():
    parts = _parts([(JAN, "a", 1204, 0, True), (JAN, "b", 0, 2, True), (JAN, "c", 31, 1, True)])
    row = totals.area_total(parts, areas=3, withheld_max=4).iloc[0]
    assert row["basis"] == TotalBasis.BOUNDED
    assert math.isnan(row["value"])
    assert (row["lower"], row["upper"]) == (1235, 1235 + 3 * 4)


def test_a_missing_district_leaves_only_a_lower_bound():
    parts = _parts([(JAN, "a", 10, 0, True)])
    row = totals.area_total(parts, areas=2, withheld_max=4).iloc[0]
    assert row["basis"] == TotalBasis.AT_LEAST
    assert row["lower"] == 10 and math.isinf(row["upper"])


def test_an_incomplete_district_counts_as_missing():
    parts = _parts([(JAN, "a", 10, 0, False), (JAN, "b", 3, 0, True)])
    assert totals.area_total(parts, areas=2, withheld_max=4).iloc[0]["basis"] == TotalBasis.AT_LEAST


def test_withheld_cells_with_no_known_limit_give_only_a_lower_bound():
    parts = _parts([(JAN, "a", 10, 1, True)])
    row = totals.area_total(parts, areas=1, withheld_max=math.inf).iloc[0]
    assert row["basis"] == TotalBasis.AT_LEAST


def test_the_citys_own_figure_wins_where_it_is_published():
    parts = _parts([(JAN, "a", 10, 1, True), (FEB, "a", 7, 0, True)])
    own = pd.DataFrame({"period_start": [JAN], "value": [42.0], "complete": [True], "withheld": [False]})
    found = totals.area_total(parts, areas=1, withheld_max=4, own=own).set_index("period_start")
    assert found.loc[JAN, "basis"] == TotalBasis.OWN and found.loc[JAN, "value"] == 42
    assert found.loc[FEB, "basis"] == TotalBasis.SUM and found.loc[FEB, "value"] == 7


def test_adding_periods_adds_bounds_and_keeps_the_worst_basis():
    parts = _parts([(JAN, "a", 10, 0, True), (FEB, "a", 5, 1, True)])
    found = totals.area_total(parts, areas=1, withheld_max=4)
    summed = totals.add_up(found, periods=2)
    assert summed["basis"] == TotalBasis.BOUNDED
    assert (summed["lower"], summed["upper"]) == (15, 19)
    short = totals.add_up(found.iloc[:1], periods=2)
    assert short["basis"] == TotalBasis.AT_LEAST


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 500), st.booleans(), st.integers(0, 4)), min_size=1, max_size=30),
    st.integers(2, 11),
)
def test_the_true_total_always_lies_within_the_bounds(cells, threshold):
    """Whatever the withheld cells hold (0 … threshold − 1), the true total is between the bounds."""
    rows, true_total = [], 0
    for i, (value, withheld, hidden) in enumerate(cells):
        hidden = min(hidden, threshold - 1)
        true_total += hidden if withheld else value
        rows.append((JAN, str(i), 0 if withheld else value, int(withheld), True))
    row = totals.area_total(_parts(rows), areas=len(cells), withheld_max=threshold - 1).iloc[0]
    assert row["lower"] <= true_total <= row["upper"]
    if not any(w for _, w, _ in cells):
        assert row["value"] == true_total


@pytest.mark.parametrize("basis", list(TotalBasis))
def test_exact_means_own_or_sum(basis):
    assert basis.exact is (basis in (TotalBasis.OWN, TotalBasis.SUM))
