"""The group-wise change checks give the very frames the per-area ones gave, on the demo and every shape.

The reference is the former per-area implementation (tests/services/trend_checks_per_area.py). Every
indicator, every measure the trends page offers, with its series breaks (the yearly checks on the
yearly panel, the monthly one on every panel), for all areas (and on the demo for a few).
"""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.domain import ChangeTest
from observatory.services import trend_checks, trends, views
from observatory.store import connect
from tests.services import trend_checks_per_area as per_area
from tests.shapes.generator import SHAPES, build


def _compare(store, *, subsets: bool = False) -> int:
    """Every check of every indicator, new against old; returns how many frames were compared."""
    compared = 0
    for code in views.catalogue(store)["code"]:
        info = views.indicator(store, str(code))
        available = trends.available_views(store, info)
        breaks = trends.series_breaks(store, info)
        for measure in trends.measures(info):
            for view in available:
                panel = trends.panel(store, info, view)
                codes = list(pd.unique(panel["area_code"]))
                for areas in (None, codes[1:4], codes[::-3]) if subsets else (None,):
                    pairs = [
                        (
                            trend_checks.month_changes(panel, info, measure, areas=areas),
                            per_area.month_changes(panel, info, measure, areas=areas),
                        )
                    ]
                    if view == "year":
                        pairs += [
                            (
                                trend_checks.trend_verdicts(panel, info, measure, breaks, areas=areas),
                                per_area.trend_verdicts(panel, info, measure, breaks, areas=areas),
                            ),
                            (
                                trend_checks.year_changes(panel, info, measure, areas=areas),
                                per_area.year_changes(panel, info, measure, areas=areas),
                            ),
                        ]
                    for new, old in pairs:
                        pd.testing.assert_frame_equal(
                            new, old, check_exact=True, obj=f"{code} {view} {measure}"
                        )
                        compared += 1
    return compared


def test_the_demo_gets_identical_frames(demo_file):
    store = connect(demo_file, read_only=True)
    try:
        assert _compare(store, subsets=True) > 100
    finally:
        store.close()


def _shape(shape: str, folder) -> int:
    store = connect(build(SHAPES[shape](), folder / "staff.duckdb"), read_only=True)
    try:
        return _compare(store)
    finally:
        store.close()


@pytest.mark.parametrize("shape", sorted(set(SHAPES) - {"thousands"}))
def test_every_shape_gets_identical_frames(shape, tmp_path):
    assert _shape(shape, tmp_path) > 0


@pytest.mark.slow
def test_thousands_of_districts_get_identical_frames(tmp_path):
    assert _shape("thousands", tmp_path) > 0


def test_a_month_given_out_of_order_with_gaps_and_withheld_months(demo_file):
    """Rows shuffled, a month missing inside a window, a withheld month, an area that starts late."""
    store = connect(demo_file, read_only=True)
    try:
        info = views.indicator(store, "violence")
        monthly = trends.panel(store, info, "month")
    finally:
        store.close()
    assert info.change_test is ChangeTest.RATE_RATIO
    codes = list(pd.unique(monthly["area_code"]))
    month = trend_checks.reference_month(monthly)
    gap = monthly[
        ~((monthly["area_code"] == codes[1]) & (monthly["period_start"] == month - pd.DateOffset(months=3)))
    ]
    hidden = gap.copy()
    hide = (hidden["area_code"] == codes[2]) & (hidden["period_start"] == month - pd.DateOffset(months=15))
    hidden.loc[hide, ["value", "withheld"]] = [float("nan"), True]
    late = hidden[
        ~((hidden["area_code"] == codes[3]) & (hidden["period_start"] < month - pd.DateOffset(months=20)))
    ]
    shuffled = late.sample(frac=1.0, random_state=42)
    for measure in ("count", "rate"):
        new = trend_checks.month_changes(shuffled, info, measure).set_index(["area_code", "comparison"])
        old = per_area.month_changes(shuffled, info, measure).set_index(["area_code", "comparison"])
        pd.testing.assert_frame_equal(new.sort_index(), old.sort_index(), check_exact=True)
        assert new.loc[(codes[1], "rolling12"), "later"] != new.loc[(codes[1], "rolling12"), "later"]  # NaN
        assert bool(new.loc[(codes[2], "rolling12"), "earlier_withheld"])
        assert new.loc[(codes[3], "rolling12"), "earlier"] != new.loc[(codes[3], "rolling12"), "earlier"]
