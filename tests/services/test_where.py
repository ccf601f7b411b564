""" "What changed, where": the grid's verdicts are the map's and the trends page's own, for every cell.

The grid calls the pages' services; these tests recompute each verdict the way each page does
(the map's district table for the grid's period, the trends page's five-year test and its change
table) and compare cell by cell, on the demo, its release, and data shapes that broke pages before.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from observatory.domain import ChangeTest
from observatory.services import mapview, trend_checks, trends, views, where
from observatory.store import connect, open_snapshot
from tests.shapes.generator import SHAPES, build

pytestmark = pytest.mark.xdist_group("where")


@pytest.fixture(scope="module")
def demo(demo_file):
    store = connect(demo_file, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def release(demo_release, tmp_path_factory):
    store = open_snapshot(shutil.copy(demo_release, tmp_path_factory.mktemp("where") / "public.duckdb"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo_grid(demo):
    return where.grid(demo)


def _pages_verdicts(store, code: str, period_label: str) -> pd.DataFrame:
    """Each area's benchmark (map page), five-year trend and short-term change (trends page)."""
    info = views.indicator(store, code)
    measure = "rate" if info.has_rate else trends.measures(info)[0]
    available = trends.available_views(store, info)
    yearly = trends.panel(store, info, "year") if "year" in available else None
    frames = []
    if period_label:
        table = mapview.district_table(store, info, mapview.MapPeriod.parse(period_label))
        frames.append(
            table[["code", "benchmark"]].rename(columns={"code": "area_code"}).set_index("area_code")
        )
    if yearly is not None:
        verdicts = trend_checks.trend_verdicts(yearly, info, measure, trends.series_breaks(store, info))
        frames.append(verdicts.set_index("area_code")[["verdict"]].rename(columns={"verdict": "trend"}))
    if "month" in available and info.change_test is ChangeTest.RATE_RATIO:
        changes = trend_checks.month_changes(trends.panel(store, info, "month"), info, measure)
        changes = changes[changes["comparison"] == "rolling12"]
    elif yearly is not None:
        changes = trend_checks.year_changes(yearly, info, measure)
    else:
        changes = pd.DataFrame(columns=["area_code", "verdict"])
    frames.append(changes.set_index("area_code")[["verdict"]].rename(columns={"verdict": "change"}))
    return pd.concat(frames, axis=1)


def test_every_cell_says_what_the_map_and_the_trends_page_say(demo, demo_grid):
    cells = demo_grid.cells
    assert len(cells) == cells["indicator"].nunique() * cells["area_code"].nunique()
    compared = 0
    for code, part in cells.groupby("indicator"):
        pages = _pages_verdicts(demo, str(code), str(part["period"].iloc[0]))
        for cell in part.itertuples():
            seen = pages.loc[cell.area_code] if cell.area_code in pages.index else None
            if seen is None:
                continue
            if cell.level == 1 and "benchmark" in seen:
                assert cell.benchmark == seen["benchmark"], (code, cell.area_code)
            if "trend" in seen and pd.notna(seen["trend"]):
                assert cell.trend == seen["trend"], (code, cell.area_code)
            if pd.notna(seen["change"]):
                assert cell.change_verdict == seen["change"], (code, cell.area_code)
            compared += 1
    assert compared == len(cells)


def test_a_monthly_count_is_compared_over_the_rolling_year_the_map_offers(demo, demo_grid):
    violence = demo_grid.cells[demo_grid.cells["indicator"] == "violence"]
    period = str(violence["period"].iloc[0])
    info = views.indicator(demo, "violence")
    assert period in mapview.period_options(demo, info).months
    assert set(violence["change_comparison"].dropna()) == {"rolling12"}


def test_the_significant_rows_come_first(demo_grid):
    moved = ("better", "worse", "higher", "lower")
    counts = (
        demo_grid.cells.assign(
            moved=sum(demo_grid.cells[f"{lens}_state"].isin(moved).astype(int) for lens in where.LENSES)
        )
        .groupby("indicator", sort=False)["moved"]
        .sum()
    )
    assert list(counts) == sorted(counts, reverse=True)
    assert counts.iloc[0] > 0


def test_a_city_whose_change_and_trend_disagree_gets_one_sentence(demo_grid):
    city = demo_grid.cells[demo_grid.cells["level"] == 0].set_index("indicator")
    said = {d.indicator for d in demo_grid.disagreements}
    for code, cell in city.iterrows():
        assert (code in said) == where.disagree(cell["change_verdict"], cell["trend"]), code
    assert said, "the demo has indicators whose year and five years disagree"


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("no_significant_change", "increasing_worse", True),
        ("down_significant_better", "increasing_worse", True),
        ("up_significant_worse", "increasing_worse", False),
        ("no_significant_change", "no_change", False),
        ("not_computable", "increasing_worse", False),
        ("not_tested", "decreasing", False),
    ],
)
def test_disagreement(short, long, expected):
    assert where.disagree(short, long) is expected


def test_the_release_grid_never_shows_a_withheld_cell_as_a_verdict(release):
    grid = where.grid(release)
    hidden = grid.cells[grid.cells["withheld"] & grid.cells["value"].isna()]
    assert len(hidden), "the demo release withholds cells"
    assert set(hidden["benchmark_state"]) <= {"withheld", "not_comparable"}
    assert not hidden["benchmark"].isin(["better", "worse", "similar", "higher", "lower"]).any()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_gets_a_grid_with_the_city_first(shape, tmp_path):
    city = SHAPES[shape]()
    store = connect(build(city, tmp_path / "staff.duckdb"), read_only=True)
    try:
        grid = where.grid(store)
    finally:
        store.close()
    if grid.cells.empty:
        return
    first = grid.cells.groupby("indicator", sort=False).head(1)
    assert (first["level"] == 0).all()
    assert set(grid.cells["change_state"]) <= set(where.STATES)
    assert set(grid.cells["benchmark_state"]) <= set(where.STATES)
