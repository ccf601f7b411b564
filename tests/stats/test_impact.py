"""The impact estimators: equal to statsmodels fitted directly, and each verdict on a panel made for it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from benchmarks.impact_simulation import city_series, panel
from observatory.stats import impact


@pytest.fixture
def did_panel() -> tuple[pd.DataFrame, set[str], pd.Timestamp]:
    return panel(np.random.default_rng(42), 0.8)


def _formula_fit(frame: pd.DataFrame, **fit: object) -> object:
    data = frame.assign(
        area_f=frame["area"], period_f=frame["period"].astype(str), log_n=np.log(frame["exposure"])
    )
    model = smf.glm(
        "count ~ C(area_f) + C(period_f) + did", data, family=sm.families.Poisson(), offset=data["log_n"]
    )
    return model.fit(**fit)


def test_did_equals_statsmodels_quasi_poisson(did_panel) -> None:
    frame, targets, start = did_panel
    got = impact.did(frame, targets=targets, start=start)
    frame = frame.assign(did=(frame["area"].isin(targets) & (frame["period"] >= start)).astype(float))
    ref = _formula_fit(frame, scale="X2")
    assert math.log(got.effect.ratio) == pytest.approx(ref.params["did"], abs=1e-6)
    assert got.effect.se == pytest.approx(ref.bse["did"], abs=1e-6)
    low, high = np.exp(ref.conf_int().loc["did"])
    assert (got.effect.low, got.effect.high) == pytest.approx((low, high), abs=1e-6)


def test_did_cluster_robust_equals_statsmodels(did_panel) -> None:
    frame, targets, start = did_panel
    got = impact.did(frame, targets=targets, start=start, cluster=True)
    frame = frame.assign(did=(frame["area"].isin(targets) & (frame["period"] >= start)).astype(float))
    groups = pd.factorize(frame["area"])[0]
    ref = _formula_fit(frame, cov_type="cluster", cov_kwds={"groups": groups})
    assert math.log(got.effect.ratio) == pytest.approx(ref.params["did"], abs=1e-6)
    assert got.effect.se == pytest.approx(ref.bse["did"], abs=1e-6)


def test_its_equals_statsmodels() -> None:
    series, start = city_series(np.random.default_rng(42), 0.9)
    got = impact.its(series, start=start)
    years = (series["period"] - series["period"].min()).dt.days / 365.25
    data = series.assign(
        t=years, month=series["period"].dt.month.astype(str), step=(series["period"] >= start).astype(float)
    )
    ref = smf.glm(
        "count ~ t + C(month) + step", data, family=sm.families.Poisson(), offset=np.log(data["exposure"])
    ).fit(scale="X2")
    assert math.log(got.effect.ratio) == pytest.approx(ref.params["step"], abs=1e-6)
    assert got.effect.se == pytest.approx(ref.bse["step"], abs=1e-6)
    # The counterfactual is the fit without the step: after the start it is the observed fit / ratio.
    after = got.picture[got.picture["period_start"] >= start]
    fitted = (
        ref.fittedvalues[series["period"] >= start].to_numpy()
        / series.loc[series["period"] >= start, "exposure"]
    )
    assert after["counterfactual"].to_numpy() == pytest.approx(fitted.to_numpy() / got.effect.ratio, rel=1e-6)


def test_a_known_fall_is_found_beyond_chance(did_panel) -> None:
    frame, targets, start = did_panel
    got = impact.did(frame, targets=targets, start=start)
    assert got.verdict is impact.Verdict.BEYOND_CHANCE
    assert got.effect.low < 0.8 < got.effect.high
    assert got.n_before == 48 and got.n_after == 24


def test_no_effect_states_what_could_have_been_detected() -> None:
    frame, targets, start = panel(np.random.default_rng(3), 1.0)
    got = impact.did(frame, targets=targets, start=start)
    assert got.verdict is impact.Verdict.NO_EFFECT_DETECTED
    assert got.mde == pytest.approx(1 - math.exp(-(1.959964 + 0.841621) * got.effect.se), rel=1e-5)
    assert 0.05 < got.mde < 0.5


def test_diverging_trends_before_the_start_make_the_comparison_not_credible() -> None:
    frame, targets, start = panel(np.random.default_rng(42), 1.0, pretrend=0.15)
    got = impact.did(frame, targets=targets, start=start)
    assert got.verdict is impact.Verdict.NOT_CREDIBLE
    assert got.pretrend.p_value < 0.05 and got.pretrend.ratio > 1


def test_too_few_periods_before_the_start() -> None:
    frame, targets, _ = panel(np.random.default_rng(42), 0.8)
    start = frame["period"].min() + pd.DateOffset(months=6)
    got = impact.did(frame, targets=targets, start=start)
    assert got.verdict is impact.Verdict.NOT_ENOUGH_BEFORE
    assert got.n_before == 6 and not got.effect.known


def test_an_action_starting_after_the_data_is_too_early() -> None:
    frame, targets, _ = panel(np.random.default_rng(42), 0.8)
    got = impact.did(frame, targets=targets, start=frame["period"].max() + pd.DateOffset(months=1))
    assert got.verdict is impact.Verdict.TOO_EARLY


def test_periods_after_the_end_are_left_out(did_panel) -> None:
    frame, targets, start = did_panel
    got = impact.did(frame, targets=targets, start=start, end=start + pd.DateOffset(months=11))
    assert got.n_after == 12


def test_spillover_gets_its_own_term_and_leaves_the_comparison_clean() -> None:
    rng = np.random.default_rng(42)
    frame, targets, start = panel(rng, 0.8)
    neighbours = {"05", "06"}
    # Displacement: crime moved next door rises 60 % after the start.
    moved = frame["area"].isin(neighbours) & (frame["period"] >= start)
    frame.loc[moved, "count"] = rng.poisson(frame.loc[moved, "count"] * 1.6)
    got = impact.did(frame, targets=targets, start=start, neighbours=neighbours)
    assert got.spillover.known and got.spillover.low > 1
    assert got.effect.low < 0.8 < got.effect.high
    alone = impact.did(frame, targets=targets, start=start)
    assert not alone.spillover.known


def test_placebo_at_a_false_start_finds_nothing(did_panel) -> None:
    frame, targets, start = did_panel
    got = impact.did(frame, targets=targets, start=start)
    assert got.placebo.known and got.placebo.low < 1 < got.placebo.high


def test_staff_comparison_areas_are_the_only_controls(did_panel) -> None:
    frame, targets, start = did_panel
    chosen = {"10", "11", "12", "13"}
    got = impact.did(frame, targets=targets, start=start, comparison=chosen)
    sub = frame[frame["area"].isin(targets | chosen)]
    ref = impact.did(sub, targets=targets, start=start)
    assert got.effect.ratio == pytest.approx(ref.effect.ratio, rel=1e-9)


def test_did_picture_counterfactual_is_target_fit_without_the_action(did_panel) -> None:
    frame, targets, start = did_panel
    got = impact.did(frame, targets=targets, start=start)
    pic = got.picture.set_index("period_start")
    before = pic.index < start
    # Before the start the counterfactual is the fit itself; after it the fit divided by the ratio.
    assert (pic.loc[~before, "counterfactual"] > 0).all()
    assert list(pic.columns) == ["observed", "counterfactual", "comparison"]
    assert len(pic) == frame["period"].nunique()


def test_yearly_panel_needs_three_years_before() -> None:
    frame, targets, _ = panel(np.random.default_rng(42), 0.8)
    yearly = frame.assign(period=frame["period"].dt.to_period("Y").dt.start_time)
    yearly = yearly.groupby(["area", "period"], as_index=False).agg(
        count=("count", "sum"), exposure=("exposure", "first")
    )
    got = impact.did(yearly, targets=targets, start=pd.Timestamp("2022-01-01"), granularity="year")
    assert got.verdict is impact.Verdict.BEYOND_CHANCE and got.n_before == 4
    short = impact.did(yearly, targets=targets, start=pd.Timestamp("2020-01-01"), granularity="year")
    assert short.verdict is impact.Verdict.NOT_ENOUGH_BEFORE


def test_mde_formula() -> None:
    assert impact.mde(0.1) == pytest.approx(1 - math.exp(-2.801585 * 0.1), rel=1e-6)
    assert math.isnan(impact.mde(float("nan")))


def _ragged(seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """A panel as cities send them: exposure changing by month, a few cells missing, neighbours."""
    rng = np.random.default_rng(seed)
    frame, targets, start = panel(rng, 0.85)
    frame = frame.assign(exposure=frame["exposure"] * np.exp(rng.normal(0, 0.05, len(frame))))
    frame = frame.drop(index=rng.choice(frame.index, 40, replace=False)).reset_index(drop=True)
    post = (frame["period"] >= start).to_numpy()
    treated = frame["area"].isin(targets).to_numpy() & post
    spill = frame["area"].isin({"05", "06"}).to_numpy() & post
    return frame, treated, spill


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_absorbed_effects_fit_equals_the_dummy_glm(seed: int) -> None:
    frame, treated, spill = _ragged(seed)
    got = impact.did_fit(frame, treated, spill=spill)
    data = frame.assign(
        did=treated.astype(float),
        spill=spill.astype(float),
        area_f=frame["area"],
        period_f=frame["period"].astype(str),
    )
    ref = smf.glm(
        "count ~ C(area_f) + C(period_f) + did + spill",
        data,
        family=sm.families.Poisson(),
        offset=np.log(data["exposure"]),
    ).fit(scale="X2")
    for name in ("did", "spill"):
        assert math.log(got.effects[name].ratio) == pytest.approx(ref.params[name], abs=1e-6)
        assert got.effects[name].se == pytest.approx(ref.bse[name], abs=1e-6)
    assert got.fitted == pytest.approx(ref.fittedvalues.to_numpy(), rel=1e-6)


def test_an_area_without_any_count_is_fitted_by_the_general_glm() -> None:
    frame, treated, _ = _ragged(4)
    frame.loc[frame["area"] == "20", "count"] = 0.0
    got = impact.did_fit(frame, treated)
    data = frame.assign(did=treated.astype(float), area_f=frame["area"], period_f=frame["period"].astype(str))
    ref = smf.glm(
        "count ~ C(area_f) + C(period_f) + did",
        data,
        family=sm.families.Poisson(),
        offset=np.log(data["exposure"]),
    ).fit(scale="X2")
    assert math.log(got.effects["did"].ratio) == pytest.approx(ref.params["did"], abs=1e-6)
    assert got.effects["did"].se == pytest.approx(ref.bse["did"], abs=1e-6)


def test_pretrend_equals_the_dummy_glm_on_the_pre_period(did_panel) -> None:
    frame, targets, start = did_panel
    pre = frame[frame["period"] < start].reset_index(drop=True)
    target = pre["area"].isin(targets).to_numpy(float)
    got = impact.pretrend(pre, target)
    years = (pre["period"] - pre["period"].min()).dt.days / 365.25
    data = pre.assign(
        trend=target * (years - years.mean()), area_f=pre["area"], period_f=pre["period"].astype(str)
    )
    ref = smf.glm(
        "count ~ C(area_f) + C(period_f) + trend",
        data,
        family=sm.families.Poisson(),
        offset=np.log(data["exposure"]),
    ).fit(scale="X2")
    assert math.log(got.ratio) == pytest.approx(ref.params["trend"], abs=1e-6)
    assert got.se == pytest.approx(ref.bse["trend"], abs=1e-6)
