"""Tests for observatory.stats.disclosure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.stats.disclosure import (
    CONFIDENTIAL_MARK,
    aggregate_counts,
    primary_suppress,
    suppress_table,
    withhold_derived,
)

DETERMINISTIC = settings(derandomize=True, max_examples=120, deadline=None)
AREAS = ["A", "B", "C", "D"]


def _grid(values: list[float], periods: int) -> pd.DataFrame:
    """Districts × periods of one indicator, values filled row by row."""
    return pd.DataFrame(
        {
            "period": [f"202{p}" for p in range(periods) for _ in AREAS],
            "area": AREAS * periods,
            "n": values,
        }
    )


def test_primary_suppress_marks_one_to_k_minus_one_only() -> None:
    mask = primary_suppress(np.array([0, 1, 4, 5, 12, np.nan]), threshold=5)
    assert mask.tolist() == [False, True, True, False, False, False]


def test_primary_suppress_keeps_series_index() -> None:
    mask = primary_suppress(pd.Series([3, 7], index=["x", "y"]), threshold=5)
    assert isinstance(mask, pd.Series) and mask.to_dict() == {"x": True, "y": False}


def test_small_count_shows_as_less_than_k() -> None:
    table = suppress_table(_grid([3, 10, 12, 0], 1), value_col="n", group_cols=["period"], threshold=5)
    row = table.set_index("area").loc["A"]
    assert row["display"] == "< 5" and row["reason"] == "primary" and np.isnan(row["value_published"])


def test_zero_is_published() -> None:
    table = suppress_table(_grid([0, 10, 12, 20], 1), value_col="n", group_cols=["period"])
    assert not table["withheld"].any()
    assert table.loc[0, "display"] == "0" and table.loc[0, "value_published"] == 0.0


def test_one_withheld_cell_forces_the_smallest_other_nonzero_cell() -> None:
    table = suppress_table(_grid([3, 10, 12, 0], 1), value_col="n", group_cols=["period"])
    by_area = table.set_index("area")
    assert by_area.loc["B", "reason"] == "secondary" and by_area.loc["B", "display"] == CONFIDENTIAL_MARK
    assert not by_area.loc["C", "withheld"] and not by_area.loc["D", "withheld"]


def test_two_withheld_cells_need_no_secondary() -> None:
    table = suppress_table(_grid([3, 2, 12, 40], 1), value_col="n", group_cols=["period"])
    assert set(table["reason"]) == {"primary", ""}


def test_two_small_cells_at_their_least_sum_get_a_third_withheld() -> None:
    # Shown "< 5" and "< 5" with a total 2 above the published cells: both must be 1.
    table = suppress_table(_grid([1, 1, 12, 40], 1), value_col="n", group_cols=["period"])
    assert table.set_index("area")["reason"].to_dict() == {
        "A": "primary",
        "B": "primary",
        "C": "secondary",
        "D": "",
    }


def test_two_small_cells_at_their_greatest_sum_get_a_third_withheld() -> None:
    table = suppress_table(_grid([4, 4, 12, 40], 1), value_col="n", group_cols=["period"])
    assert table["withheld"].sum() == 3


def test_only_zeros_beside_withheld_cell_withholds_a_zero() -> None:
    table = suppress_table(_grid([3, 0, 0, 0], 1), value_col="n", group_cols=["period"])
    assert table["withheld"].sum() == 2


def test_missing_at_source_counts_as_withheld() -> None:
    table = suppress_table(_grid([np.nan, 10, 12, 30], 1), value_col="n", group_cols=["period"])
    assert table.loc[0, "reason"] == "not_published"
    assert table["withheld"].sum() == 2 and table.loc[1, "reason"] == "secondary"


def test_several_margins_iterate_until_stable() -> None:
    table = suppress_table(
        _grid([3, 10, 12, 0, 20, 30, 8, 9], 2), value_col="n", group_cols=[["period"], ["area"]]
    )
    for cols in (["period"], ["area"]):
        counts = table.groupby(cols)["withheld"].sum()
        assert ((counts == 0) | (counts >= 2)).all()


def test_custom_formatter_is_used_for_published_values() -> None:
    table = suppress_table(
        _grid([1234, 10, 12, 30], 1), value_col="n", group_cols=["period"], formatter=lambda v: f"{v:,.0f}"
    )
    assert table.loc[0, "display"] == "1,234"


def test_input_frame_is_not_changed() -> None:
    frame = _grid([3, 10, 12, 0], 1)
    before = frame.copy()
    suppress_table(frame, value_col="n", group_cols=["period"])
    pd.testing.assert_frame_equal(frame, before)


def test_withhold_derived_blanks_rates_of_withheld_counts() -> None:
    table = suppress_table(_grid([3, 10, 12, 0], 1), value_col="n", group_cols=["period"])
    rates = pd.Series([0.3, 1.0, 1.2, 0.0])
    assert withhold_derived(rates, table["withheld"]).isna().tolist() == [True, True, False, False]
    assert np.isnan(withhold_derived(np.array([1.0, 2.0]), [True, False])[0])


def test_aggregate_counts_sums_districts_into_city() -> None:
    totals = aggregate_counts(_grid([3, 10, 12, 0, 1, 1, 1, 1], 2), value_col="n", by=["period"])
    assert totals["n"].tolist() == [25.0, 4.0]


def test_aggregate_counts_missing_district_leaves_total_unknown() -> None:
    totals = aggregate_counts(_grid([3, np.nan, 12, 0], 1), value_col="n", by=["period"])
    assert np.isnan(totals.loc[0, "n"])


cells = st.one_of(st.integers(min_value=0, max_value=40).map(float), st.just(np.nan))


@DETERMINISTIC
@given(
    values=st.lists(cells, min_size=12, max_size=12),
    threshold=st.integers(min_value=2, max_value=11),
)
def test_suppression_never_reveals_a_small_count(values: list[float], threshold: int) -> None:
    table = suppress_table(
        _grid(values, 3), value_col="n", group_cols=[["period"], ["area"]], threshold=threshold
    )
    published = table["value_published"].dropna()
    assert not ((published > 0) & (published < threshold)).any()
    small = (table["n"] > 0) & (table["n"] < threshold)
    assert table.loc[small, "withheld"].all()
    assert (table.loc[small, "display"] == f"< {threshold}").all()


@DETERMINISTIC
@given(
    values=st.lists(cells, min_size=12, max_size=12),
    threshold=st.integers(min_value=2, max_value=11),
)
def test_every_group_has_zero_or_at_least_two_withheld_cells(values: list[float], threshold: int) -> None:
    table = suppress_table(
        _grid(values, 3), value_col="n", group_cols=[["period"], ["area"]], threshold=threshold
    )
    for cols in (["period"], ["area"]):
        withheld = table.groupby(cols)["withheld"].sum()
        assert ((withheld == 0) | (withheld >= 2)).all()


@DETERMINISTIC
@given(values=st.lists(st.integers(min_value=0, max_value=10_000), min_size=12, max_size=12))
def test_district_counts_sum_to_city_count(values: list[int]) -> None:
    frame = _grid([float(v) for v in values], 3)
    totals = aggregate_counts(frame, value_col="n", by=["period"]).set_index("period")["n"]
    for period, group in frame.groupby("period"):
        assert totals[period] == sum(group["n"])
    assert totals.sum() == sum(values)


def test_single_column_name_is_one_margin() -> None:
    table = suppress_table(_grid([3, 10, 12, 0], 1), value_col="n", group_cols="period")
    assert table["withheld"].sum() == 2
