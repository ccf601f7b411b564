"""Area groupings behave as areas: a trends series, rows of the "what changed, where" grid, an action's or
an objective's area, a briefing; each summed by the one total rule."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Actor, Role, TotalBasis
from observatory.services import groups, trends, views
from observatory.store import connect, queries
from tests.shapes.generator import SHAPES, build

EDITOR = Actor("rita", Role.EDITOR)
CENTRE = ["01", "02", "03"]


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    path = shutil.copy(demo_file, tmp_path_factory.mktemp("groups") / "db.duckdb")
    store = connect(path)
    assert groups.save_group(store, "centre", "City centre", CENTRE, actor=EDITOR).ok
    yield store
    store.close()


@pytest.fixture(scope="module")
def release(demo_release, tmp_path_factory):
    store = connect(
        shutil.copy(demo_release, tmp_path_factory.mktemp("pub") / "public.duckdb"), read_only=True
    )
    yield store
    store.close()


@pytest.mark.parametrize("code", ["burglary", "violence", "treatment_referrals"])
def test_a_group_of_every_district_is_the_city_in_every_view(demo, code):
    info = views.indicator(demo, code)
    every = list(queries.areas(demo, level=1)["code"])
    city = trends.city_code(demo)
    for view in trends.available_views(demo, info):
        mine = trends.group_panel(demo, info, view, {"all": every})
        theirs = trends.panel(demo, info, view)
        theirs = theirs[theirs["area_code"] == city].reset_index(drop=True)
        assert len(mine) == len(theirs) > 0, view
        for column in ("value", "bound_lower", "bound_upper", "denominator"):
            np.testing.assert_allclose(mine[column], theirs[column], err_msg=f"{view} {column}")
        assert list(mine["basis"]) == list(theirs["basis"])


def test_a_group_series_is_its_members_summed_and_its_rate_is_on_the_sums(demo):
    info = views.indicator(demo, "burglary")
    mine = trends.group_panel(demo, info, "year", {"centre": CENTRE})
    districts = trends.panel(demo, info, "year")
    districts = districts[districts["area_code"].isin(CENTRE)]
    summed = districts.groupby("period_start").agg(
        value=("value", "sum"), hidden=("withheld", "any"), denominator=("denominator", "sum")
    )
    exact = mine.set_index("period_start")
    assert len(exact) == len(summed)
    known = ~summed["hidden"]
    np.testing.assert_allclose(exact.loc[known, "value"], summed.loc[known, "value"])
    np.testing.assert_allclose(exact["denominator"], summed["denominator"])
    drawn = trends.measured(mine, info, "rate").set_index("period_start")
    np.testing.assert_allclose(
        drawn.loc[known, "shown"],
        summed.loc[known, "value"] / summed.loc[known, "denominator"] * info.multiplier,
    )


def test_a_withheld_member_makes_the_group_bounded_for_staff_and_at_least_in_a_release(demo, release):
    # The demo withholds a few small monthly counts of treatment referrals (districts 01, 07, 09).
    info = views.indicator(demo, "treatment_referrals")
    every = list(queries.areas(demo, level=1)["code"])
    staff = trends.group_panel(demo, info, "month", {"all": every})
    bounded = staff[staff["basis"] == TotalBasis.BOUNDED.value]
    assert len(bounded) and bounded["value"].isna().all()
    assert (bounded["bound_upper"] > bounded["bound_lower"]).all()
    drawn = trends.measured(bounded, info, "count")
    assert (drawn["lower"] <= bounded["bound_lower"]).all() and (
        drawn["upper"] >= bounded["bound_upper"]
    ).all()
    public_info = views.indicator(release, "robbery")  # small yearly counts are withheld in a release
    public = trends.group_panel(release, public_info, "year", {"all": every, "centre": CENTRE})
    hidden = public[public["withheld"]]
    assert len(hidden) and set(hidden["basis"]) == {TotalBasis.AT_LEAST.value}
    assert hidden["value"].isna().all()


def test_a_rate_received_as_a_rate_gives_a_group_no_series(demo):
    info = views.indicator(demo, "unemployment")
    assert trends.group_panel(demo, info, "year", {"centre": CENTRE}).empty


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_gives_a_group_of_every_district_the_city_series(shape, tmp_path):
    store = connect(build(SHAPES[shape](), tmp_path / "staff.duckdb"), read_only=True)
    try:
        every = list(queries.areas(store, level=1)["code"])
        city = trends.city_code(store)
        for code in map(str, views.catalogue(store)["code"]):
            info = views.indicator(store, code)
            for view in trends.available_views(store, info):
                mine = trends.group_panel(store, info, view, {"all": every})
                if not info.additive:
                    assert mine.empty
                    continue
                panel = trends.panel(store, info, view)
                if queries.granularities(store, code, level=0):
                    # The city's own rows win over the districts' sum; the group is the districts' sum.
                    districts = panel[panel["area_code"].isin(every)]
                    summed = districts.groupby("period_start")["value"].agg(
                        lambda v: v.sum(min_count=len(every))
                    )
                    counted = districts.groupby("period_start")["area_code"].nunique() == len(every)
                    theirs = summed.where(counted).reindex(mine["period_start"]).reset_index(drop=True)
                else:
                    theirs = panel.loc[panel["area_code"] == city, "value"].reset_index(drop=True)
                pd.testing.assert_series_equal(
                    mine["value"].reset_index(drop=True), theirs.astype(float), check_names=False
                )
    finally:
        store.close()
