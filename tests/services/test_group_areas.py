"""Area groupings behave as areas: a trends series, rows of the "what changed, where" grid, an action's or
an objective's area, a briefing; each summed by the one total rule."""

from __future__ import annotations

import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from observatory.auth import PermissionDenied
from observatory.domain import Actor, ImportKind, Role, TotalBasis
from observatory.services import (
    group_profile,
    groups,
    impact,
    imports,
    mapview,
    publish,
    strategy,
    totals,
    trend_checks,
    trends,
    views,
    where,
)
from observatory.store import connect, queries
from tests.shapes.generator import SHAPES, build

EDITOR = Actor("rita", Role.EDITOR)
ADMIN = Actor("ada", Role.ADMIN)
CENTRE = ["01", "02", "03"]


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    path = shutil.copy(demo_file, tmp_path_factory.mktemp("groups") / "db.duckdb")
    store = connect(path)
    assert groups.save_group(store, "centre", "City centre", CENTRE, actor=EDITOR).ok
    yield store
    store.close()


@pytest.fixture(scope="module")
def public(demo_file, tmp_path_factory):
    """A release published with the grouping "all" (every district) and "centre"."""
    folder = tmp_path_factory.mktemp("grouped")
    store = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    every = list(queries.areas(store, level=1)["code"])
    assert groups.save_group(store, "all", "Every district", every, actor=EDITOR).ok
    assert groups.save_group(store, "centre", "City centre", CENTRE, actor=EDITOR).ok
    publish.publish(store, actor=ADMIN, snapshot_path=folder / "public.duckdb", now=datetime(2026, 1, 15))
    store.close()
    opened = connect(folder / "public.duckdb", read_only=True)
    yield opened
    opened.close()


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
def test_every_shape_gives_a_group_of_every_district_the_city_series_and_grid_cells(shape, tmp_path):
    store = connect(build(SHAPES[shape](), tmp_path / "staff.duckdb"))
    try:
        every = list(queries.areas(store, level=1)["code"])
        city = trends.city_code(store)
        assert groups.save_group(store, "all", "Every district", every, actor=EDITOR).ok
        cells = where.grid(store, with_groups=True).cells
        if len(cells):
            assert set(cells["change_state"]) <= set(where.STATES)
            mine = cells[cells["area_code"] == "all"].set_index("indicator")
            theirs = cells[cells["level"] == 0].set_index("indicator")
            assert set(mine.index) == set(theirs.index)
            for code in mine.index:
                if (
                    queries.granularities(store, code, level=0)
                    or mine.at[code, "change_verdict"] == "not_computable"
                ):
                    continue  # the city's own rows win over the districts' sum; a rate is never summed
                assert mine.at[code, "change_verdict"] == theirs.at[code, "change_verdict"], (shape, code)
                assert mine.at[code, "trend"] == theirs.at[code, "trend"], (shape, code)
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


# -- the "what changed, where" grid ---------------------------------------------------------------------

VERDICTS = ["change_comparison", "change_estimate", "change_verdict", "trend", "change_state", "trend_state"]


@pytest.fixture(scope="module")
def grouped_grid(demo):
    every = list(queries.areas(demo, level=1)["code"])
    assert groups.save_group(demo, "all", "Every district", every, actor=EDITOR).ok
    yield where.grid(demo, with_groups=True)
    groups.delete_group(demo, "all", actor=EDITOR)


def test_a_group_of_every_district_gets_the_city_s_change_and_trend(grouped_grid):
    cells = grouped_grid.cells
    city = cells[cells["level"] == 0].set_index("indicator")
    mine = cells[cells["area_code"] == "all"].set_index("indicator")
    assert set(mine["level"]) == {where.GROUP_LEVEL}
    additive = [code for code in city.index if mine.at[code, "change_verdict"] != "not_computable"]
    assert len(additive) >= 8
    pd.testing.assert_frame_equal(city.loc[additive, VERDICTS], mine.loc[additive, VERDICTS])
    # Where the city is exact, the group's figure is the city's figure.
    exact = [code for code in additive if not city.at[code, "withheld"]]
    np.testing.assert_allclose(mine.loc[exact, "value"], city.loc[exact, "value"])


def test_a_group_s_cells_are_its_summed_series_through_the_same_functions(demo, grouped_grid):
    cells = grouped_grid.cells.set_index(["indicator", "area_code"])
    info = views.indicator(demo, "burglary")
    monthly = trends.group_panel(demo, info, "month", {"centre": CENTRE})
    found = trend_checks.month_changes(
        pd.concat([trends.panel(demo, info, "month"), monthly]), info, "rate", areas=["centre"]
    )
    rolled = found[found["comparison"] == "rolling12"].iloc[0]
    cell = cells.loc[("burglary", "centre")]
    assert cell["change_verdict"] == rolled["verdict"]
    assert cell["change_estimate"] == pytest.approx(rolled["ratio"])
    # The benchmark is the group profile's: the rate on the sums against the city.
    period = mapview.MapPeriod.parse(str(cell["period"]))
    row = group_profile.figure_row(
        info,
        mapview.area_figure(demo, info, period, CENTRE, "centre"),
        mapview.city_figure(demo, info, period),
    )
    assert cell["benchmark"] == row["benchmark"]
    assert cell["value"] == pytest.approx(row["rate"])


def test_a_group_has_no_cell_for_a_rate_and_that_is_not_a_withheld_cell(grouped_grid):
    cells = grouped_grid.cells
    rated = cells[(cells["indicator"] == "unemployment") & (cells["area_code"] == "centre")].iloc[0]
    assert not rated["withheld"]
    assert rated["benchmark_state"] == "not_comparable"


def test_the_grid_holds_groups_only_when_asked(demo):
    cells = where.grid(demo, codes=["burglary"]).cells
    assert where.GROUP_LEVEL not in set(cells["level"])


def test_the_release_grid_of_a_group_with_a_withheld_member_shows_no_verdict_on_its_figure(public):
    cells = where.grid(public, codes=["vehicle_theft"], with_groups=True).cells
    assert cells[(cells["level"] == 1)]["withheld"].any(), (
        "the release withholds some districts' vehicle thefts in 2025"
    )
    mine = cells[cells["area_code"] == "all"].iloc[0]
    assert mine["withheld"] and np.isnan(mine["value"])
    assert mine["benchmark_state"] == "withheld"


# -- strategy: an action's areas and an objective's area may name a grouping -------------------------------

STRATEGY = ["01", "05", "12", "18"]  # the districts of the demo's home-security action (AC01)
ACTIONS = (
    "code,objective,title,lead_partner,partners,status,start,end,budget,areas,indicators,comparison_areas\n"
    "AC01,OB1,Free home-security visits for older residents,P02,P01|P09|P11,in_progress,2023-02-01,"
    "2026-12-31,48000,{areas},burglary,\n"
)
OBJECTIVES = (
    "code,axis,title,indicator,area,baseline_period,baseline_value,target_value,target_period\n"
    "OB9,AX4,Cut burglary in the strategy districts,burglary,{area},2022,{baseline},{target},2027\n"
)


@pytest.fixture
def staff(demo_file, tmp_path):
    store = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield store
    store.close()


def _import(store, kind, text, name):
    return imports.import_table(store, kind, text.encode(), name, actor=ADMIN)


def test_an_action_on_a_grouping_is_estimated_on_its_districts(staff):
    before = impact.estimates(staff, lang="en", actions=["AC01"]).iloc[0]
    assert groups.save_group(staff, "strategy", "Strategy districts", STRATEGY, actor=EDITOR).ok
    report = _import(staff, ImportKind.ACTIONS, ACTIONS.format(areas="strategy"), "actions.csv")
    assert report.ok, report.to_text()
    stored = queries.strategy(staff)["actions"].set_index("code")
    assert stored.at["AC01", "target_areas"] == "strategy"  # kept by code, resolved when estimated
    after = impact.estimates(staff, lang="en", actions=["AC01"]).iloc[0]
    for column in ("method", "verdict", "ratio", "low", "high", "p_value", "spillover_ratio"):
        assert after[column] == before[column] or after[column] == pytest.approx(before[column]), column
    # The grouping's members are read when estimating: a changed grouping changes the estimate.
    assert groups.save_group(staff, "strategy", "Strategy districts", ["01", "05"], actor=EDITOR).ok
    changed = impact.estimates(staff, lang="en", actions=["AC01"]).iloc[0]
    assert changed["ratio"] != pytest.approx(before["ratio"])


def test_an_unknown_area_in_an_actions_file_is_still_named_with_row_and_column(staff):
    report = _import(staff, ImportKind.ACTIONS, ACTIONS.format(areas="01|nowhere"), "actions.csv")
    assert not report.ok
    [issue] = [i for i in report.issues if i.column == "areas"]
    assert issue.row == 1 and "nowhere" in str(issue.value)


def test_an_objective_on_a_grouping_is_measured_on_its_members_summed(staff):
    assert groups.save_group(staff, "strategy", "Strategy districts", STRATEGY, actor=EDITOR).ok
    info = views.indicator(staff, "burglary")
    yearly = totals.area_totals(staff, info, "year", STRATEGY)
    base = float(yearly.loc[yearly["period_start"].dt.year == 2022, "value"].iloc[0])
    text = OBJECTIVES.format(area="strategy", baseline=int(base), target=int(base * 0.8))
    report = _import(staff, ImportKind.OBJECTIVES, text, "objectives.csv")
    assert report.ok, report.to_text()
    row = strategy.objective_table(staff).set_index("code").loc["OB9"]
    assert row["area_name"] == "Strategy districts"
    # Independently: the members' yearly counts summed.
    districts = views.yearly_values(staff, info, level=1)
    latest = int(row["current_year"])
    mine = districts[(districts["year"] == latest) & districts["area_code"].isin(STRATEGY)]
    assert row["current_value"] == pytest.approx(mine["value"].sum())
    assert row["change_test"] == "rate_ratio" and row["change_denominator"] != ""
    assert row["change_estimate"] > 0
    path = strategy.objective_trajectory(staff, "OB9")
    assert path.set_index("year").at[latest, "value"] == pytest.approx(mine["value"].sum())


def test_a_grouping_in_use_is_not_deleted_and_one_unused_is_deleted_and_restored(staff):
    assert groups.save_group(staff, "strategy", "Strategy districts", STRATEGY, actor=EDITOR).ok
    assert _import(staff, ImportKind.ACTIONS, ACTIONS.format(areas="strategy"), "actions.csv").ok
    refused = groups.delete_group(staff, "strategy", actor=EDITOR)
    assert refused.batch_id == 0 and refused.used_by == (("action", "AC01"),)
    assert groups.members(staff, "strategy") == STRATEGY
    assert _import(staff, ImportKind.ACTIONS, ACTIONS.format(areas="01|05|12|18"), "actions.csv").ok
    before = {t: queries.table_contents(staff, t) for t in ("area_groups", "area_group_members")}
    done = groups.delete_group(staff, "strategy", actor=EDITOR)
    assert done.batch_id > 0 and groups.list_groups(staff).empty
    assert groups.delete_group(staff, "strategy", actor=EDITOR).unknown
    imports.rollback(staff, done.batch_id, actor=ADMIN)
    for table, frame in before.items():
        pd.testing.assert_frame_equal(queries.table_contents(staff, table), frame)


def test_a_viewer_may_not_delete_a_grouping(staff):
    assert groups.save_group(staff, "strategy", "Strategy districts", STRATEGY, actor=EDITOR).ok
    with pytest.raises(PermissionDenied):
        groups.delete_group(staff, "strategy", actor=Actor("vera", Role.VIEWER))


def test_a_grouping_may_not_take_an_area_s_code(staff):
    done = groups.save_group(staff, "12", "Lameira", ["12"], actor=EDITOR)
    assert not done.ok
    assert [(i.column, i.value) for i in done.issues] == [("group", "12")]


def test_a_public_objective_on_a_grouping_hides_a_baseline_with_a_withheld_member(staff, tmp_path):
    # Robbery in 2022: some districts' yearly counts are withheld in the release.
    assert groups.save_group(
        staff, "every", "Every district", list(queries.areas(staff, level=1)["code"]), actor=EDITOR
    ).ok
    text = OBJECTIVES.format(area="every", baseline=123, target=100).replace("burglary", "robbery")
    assert _import(staff, ImportKind.OBJECTIVES, text, "objectives.csv").ok
    publish.publish(staff, actor=ADMIN, snapshot_path=tmp_path / "public.duckdb", now=datetime(2026, 1, 15))
    public = connect(tmp_path / "public.duckdb", read_only=True)
    try:
        hidden = public.frame(
            "SELECT count(*) AS n FROM observations o JOIN areas a ON a.code = o.area_code "
            "WHERE a.level = 1 AND o.indicator_code = 'robbery' AND o.granularity = 'year' "
            "AND year(o.period_start) = 2022 AND o.value IS NULL"
        )
        objective = public.frame("SELECT baseline_value FROM objectives WHERE code = 'OB9'")
    finally:
        public.close()
    assert int(hidden["n"].iloc[0]) > 0
    assert objective["baseline_value"].isna().all()


def test_an_objective_on_a_grouping_must_be_a_count(staff):
    assert groups.save_group(staff, "strategy", "Strategy districts", STRATEGY, actor=EDITOR).ok
    text = OBJECTIVES.format(area="strategy", baseline=7, target=6).replace("burglary", "unemployment")
    report = _import(staff, ImportKind.OBJECTIVES, text, "objectives.csv")
    assert not report.ok
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (1, "area", "strategy")
    assert "never added up" in issue.message
