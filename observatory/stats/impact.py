"""Did an action work? Impact estimators on a panel of counts, with their checks and a plain verdict.

Two designs, both Poisson count regressions (log link, the denominator as exposure, i.e.
``log(denominator)`` as offset); the time series by statsmodels' GLM, the difference-in-differences by
the same likelihood with its area effects absorbed (:func:`_two_way_poisson`, statsmodels' GLM with
dummies where that solver declines and for cluster-robust errors):

* **Difference-in-differences** (area-targeted actions): ``log E[y_at] = log N_at + α_a + γ_t + δ·D_at``
  with one effect per area (α) and per period (γ; for monthly data the period effects absorb the
  seasonality common to all areas) and D = 1 for target areas during the action. ``exp(δ)`` is the
  rate ratio attributable to the action: target areas against comparison areas, after against before.
  Reference: Wing, Simon & Bello-Gomez (2018), "Designing difference in difference studies", Annu.
  Rev. Public Health 39:453–469; Cameron & Trivedi (2013), *Regression Analysis of Count Data*, §3.
* **Interrupted time series** (city-wide actions): ``log E[y_t] = log N_t + β0 + β1·t + month_t + δ·D_t``
  (trend, calendar-month seasonality, a level change at the start); the counterfactual is the fit with
  D = 0. Reference: Bernal, Cummins & Gasparrini (2017), "Interrupted time series regression for the
  evaluation of public health interventions: a tutorial", Int. J. Epidemiol. 46(1):348–355.

Errors are overdispersion-corrected (quasi-Poisson: the scale is Pearson's χ²/df, McCullagh & Nelder
1989 §6.2) or, on request, cluster-robust by area (Cameron & Miller 2015), which needs many areas.
The checks: a pre-period test of parallel trends (a differential linear trend of the target areas,
Wald test), a placebo start half-way through the pre-period, the minimum detectable effect of the
design at 5 % significance and 80 % power (Bloom 1995, "Minimum detectable effects", Eval. Rev.
19(5):547–556: ``MDE = 1 − exp(−(z₀.₉₇₅ + z₀.₈)·SE)``), and spillover: the neighbours of the target
areas get their own term, so displacement is measured rather than hidden in the comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import linalg
from scipy import stats as sps
from threadpoolctl import threadpool_limits

#: Two-sided significance level and power of the minimum detectable effect.
ALPHA, POWER = 0.05, 0.80
#: Periods needed before the start, by granularity (a year of months, two of quarters, three years).
MIN_BEFORE = {"month": 12, "quarter": 8, "year": 3}
#: An interrupted time series needs more: trend and seasonality are both estimated from before.
MIN_BEFORE_ITS = {"month": 24, "quarter": 12, "year": 5}
#: A pre-period trend difference with a p-value below this makes the comparison not credible.
PRETREND_P = 0.05


class Method(StrEnum):
    """Which design an estimate used."""

    DID = "did"
    ITS = "its"


class Verdict(StrEnum):
    """What the estimate lets one say, from the strongest claim to none."""

    BEYOND_CHANCE = "beyond_chance"
    NO_EFFECT_DETECTED = "no_effect_detected"
    NOT_CREDIBLE = "not_credible"
    NOT_ENOUGH_BEFORE = "not_enough_before"
    TOO_EARLY = "too_early"


@dataclass(frozen=True, slots=True)
class Effect:
    """A rate ratio with its 95 % interval and two-sided p-value (NaN when not estimable)."""

    ratio: float
    low: float
    high: float
    p_value: float
    se: float

    @classmethod
    def from_log(cls, coef: float, se: float) -> Effect:
        """Build from a log-scale coefficient and its standard error (normal approximation)."""
        if not (math.isfinite(coef) and math.isfinite(se) and se > 0):
            return NO_EFFECT
        z = sps.norm.ppf(1 - ALPHA / 2)
        p = float(2 * sps.norm.sf(abs(coef / se)))
        return cls(math.exp(coef), math.exp(coef - z * se), math.exp(coef + z * se), p, se)

    @property
    def beyond_chance(self) -> bool:
        """True when the interval excludes a ratio of 1."""
        return self.low > 1 or self.high < 1

    @property
    def known(self) -> bool:
        """True when estimated."""
        return math.isfinite(self.ratio)


NO_EFFECT = Effect(math.nan, math.nan, math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class Estimate:
    """One impact estimate with its checks.

    Attributes:
        method: Difference-in-differences or interrupted time series.
        verdict: What may be said (:func:`verdict`).
        effect: Rate ratio attributable to the action (0.82 = 18 % lower than without it).
        mde: Smallest relative change this design would detect with 80 % power (0.3 = 30 %).
        pretrend: Ratio per year of the target areas' trend to the comparison's before the start.
        placebo: The same estimate at a false start half-way through the pre-period.
        spillover: The neighbours' ratio (displacement when above 1 for a fall), NO_EFFECT if none.
        n_before, n_after: Periods before the start and during the action.
        picture: period_start, observed, counterfactual (the target areas' or the city's rate per
            unit of exposure), comparison (the comparison areas' rate, DiD only).
    """

    method: Method
    verdict: Verdict
    effect: Effect = NO_EFFECT
    mde: float = math.nan
    pretrend: Effect = NO_EFFECT
    placebo: Effect = NO_EFFECT
    spillover: Effect = NO_EFFECT
    n_before: int = 0
    n_after: int = 0
    picture: pd.DataFrame = field(default_factory=pd.DataFrame)


def mde(se: float, *, alpha: float = ALPHA, power: float = POWER) -> float:
    """Minimum detectable relative reduction for a log-scale standard error (Bloom 1995).

    ``1 − exp(−(z_{1−α/2} + z_{power})·SE)``: the smallest fall the design detects with ``power``.
    """
    if not (math.isfinite(se) and se > 0):
        return math.nan
    return 1 - math.exp(-(sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(power)) * se)


def _dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    """Indicator columns for every level but the first (the first is in the intercept)."""
    return pd.get_dummies(values.astype(str), prefix=prefix, drop_first=True, dtype=float)


def _fit(y: np.ndarray, x: pd.DataFrame, offset: np.ndarray, groups: np.ndarray | None) -> object:
    # One BLAS thread: the matrices are small (a few thousand rows by ~150 columns), and threads cost
    # more than they save; a 1,440 x 90 fit took 2.2 s with two busy threads, 0.09 s with one.
    with threadpool_limits(1):
        model = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset)
        if groups is not None:
            return model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        return model.fit(scale="X2")


def _term(result: object, name: str) -> Effect:
    params, bse = result.params, result.bse  # type: ignore[attr-defined]
    if name not in params.index:
        return NO_EFFECT
    return Effect.from_log(float(params[name]), float(bse[name]))


def _design(panel: pd.DataFrame, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    x = pd.concat([_dummies(panel["area"], "a"), _dummies(panel["period"], "t")], axis=1)
    x.insert(0, "const", 1.0)
    for name, values in columns.items():
        x[name] = values.astype(float)
    return x


@dataclass(frozen=True)
class Fit:
    """A fitted two-way Poisson model: the terms' effects, the fitted counts and the terms' share of them.

    Attributes:
        effects: One rate ratio per term (``did``, ``spill``), quasi-Poisson or cluster-robust.
        fitted: Fitted count of every row.
        terms: The terms' part of each row's linear predictor (``fitted · exp(−terms)`` is the fit
            without the action: the counterfactual).
    """

    effects: dict[str, Effect]
    fitted: np.ndarray
    terms: np.ndarray


class _NoFastFit(Exception):
    """The two-way solver cannot vouch for this panel; the general GLM fit takes over."""


def _two_way_poisson(
    y: np.ndarray, offset: np.ndarray, area: np.ndarray, period: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Poisson MLE of ``log μ = offset + α_area + γ_period + z·β`` with the area effects absorbed.

    The same model and estimates as the GLM with one dummy per area and period, without building its
    design: Newton steps on the profile of the period and term parameters (the area block of the
    Hessian is diagonal, so it is eliminated by its Schur complement), costing O(rows·k + (T+k)³) per
    step instead of O(rows·(A+T)²). Quasi-Poisson scale: Pearson χ² over rows − (A + T − 1 + k).

    Returns:
        β, the unscaled covariance of β (the inverse Hessian's term block), μ, and the scale.

    Raises:
        _NoFastFit: An area or period without any count (its effect is −∞), a singular Hessian (a term
            confounded with the effects) or no convergence: the caller falls back to statsmodels.
    """
    n_a, n_t, k = int(area.max()) + 1, int(period.max()) + 1, z.shape[1]
    if (np.bincount(area, y, n_a) <= 0).any() or (np.bincount(period, y, n_t) <= 0).any():
        raise _NoFastFit
    cell = area * n_t + period
    alpha = np.log(np.bincount(area, y, n_a) / np.bincount(area, np.exp(offset), n_a))
    rest = np.zeros(n_t - 1 + k)  # γ_1.. γ_{T-1} (γ_0 = 0), then β

    def predictor(alpha: np.ndarray, rest: np.ndarray) -> np.ndarray:
        gamma = np.concatenate([[0.0], rest[: n_t - 1]])
        return offset + alpha[area] + gamma[period] + z @ rest[n_t - 1 :]

    def loglik(eta: np.ndarray) -> float:
        return float(np.sum(y * eta - np.exp(eta)))

    eta = predictor(alpha, rest)
    current = loglik(eta)
    for _ in range(100):
        mu = np.exp(eta)
        resid = y - mu
        d = np.bincount(area, mu, n_a)
        g_a = np.bincount(area, resid, n_a)
        # The other parameters' columns: period dummies (first dropped) and the terms.
        cross = np.bincount(cell, mu, n_a * n_t).reshape(n_a, n_t)[:, 1:]
        b = np.hstack([cross, np.column_stack([np.bincount(area, mu * c, n_a) for c in z.T])])
        c_tt = np.diag(np.bincount(period, mu, n_t)[1:])
        c_tz = np.column_stack([np.bincount(period, mu * c, n_t)[1:] for c in z.T])
        c_zz = z.T @ (mu[:, None] * z)
        c = np.block([[c_tt, c_tz], [c_tz.T, c_zz]])
        g_r = np.concatenate([np.bincount(period, resid, n_t)[1:], z.T @ resid])
        schur = c - b.T @ (b / d[:, None])
        try:
            factor = linalg.cho_factor(schur)
        except linalg.LinAlgError as exc:
            raise _NoFastFit from exc
        step_r = linalg.cho_solve(factor, g_r - b.T @ (g_a / d))
        step_a = (g_a - b @ step_r) / d
        size = 1.0
        while True:  # Step halving: Newton on a log-likelihood that must not fall.
            trial_a, trial_r = alpha + size * step_a, rest + size * step_r
            eta_new = predictor(trial_a, trial_r)
            value = loglik(eta_new)
            if value >= current - 1e-12 * abs(current) or size < 1e-6:
                break
            size /= 2
        alpha, rest, eta, before, current = trial_a, trial_r, eta_new, current, value
        if max(np.abs(step_a).max(), np.abs(step_r).max()) * size < 1e-11 or abs(
            current - before
        ) < 1e-13 * abs(current):
            break
    else:
        raise _NoFastFit
    mu = np.exp(eta)
    if not np.isfinite(mu).all():
        raise _NoFastFit
    inverse = linalg.cho_solve(factor, np.eye(len(rest)))[n_t - 1 :, n_t - 1 :]
    df = len(y) - (n_a + n_t - 1 + k)
    scale = float(np.sum((y - mu) ** 2 / mu) / df) if df > 0 else math.nan
    return rest[n_t - 1 :], inverse, mu, scale


def did_fit(
    panel: pd.DataFrame, treated: np.ndarray, *, spill: np.ndarray | None = None, cluster: bool = False
) -> Fit:
    """Fit the difference-in-differences Poisson model on a panel (area, period, count, exposure).

    The quasi-Poisson fit absorbs the area and period effects (:func:`_two_way_poisson`); cluster-
    robust errors, and panels that solver declines, are fitted by statsmodels' GLM with one dummy per
    area and period. Both give the same estimates (tests/stats/test_impact.py, to 1e-6).

    Args:
        panel: One row per area and period with ``count`` and ``exposure`` (> 0).
        treated: 1 where the action is on (target area, period during the action), else 0.
        spill: 1 for neighbours of the target areas during the action (their own term), or None.
        cluster: Cluster-robust errors by area instead of the quasi-Poisson scale.

    Returns:
        The fit: effects ``did`` (the action) and ``spill`` (NO_EFFECT without neighbours), fitted
        counts and the terms' part of the linear predictor.
    """
    columns = {"did": treated}
    if spill is not None and spill.any():
        columns["spill"] = spill
    y = panel["count"].to_numpy(float)
    offset = np.log(panel["exposure"].to_numpy(float))
    z = np.column_stack([v.astype(float) for v in columns.values()])
    if not cluster:
        try:
            with threadpool_limits(1):  # small matrices: threads cost more than they save (see _fit)
                beta, inverse, mu, scale = _two_way_poisson(
                    y, offset, pd.factorize(panel["area"])[0], pd.factorize(panel["period"])[0], z
                )
        except _NoFastFit:
            pass
        else:
            se = np.sqrt(np.diag(inverse) * scale)
            effects = {name: Effect.from_log(float(beta[i]), float(se[i])) for i, name in enumerate(columns)}
            return Fit({"spill": NO_EFFECT, **effects}, mu, z @ beta)
    x = _design(panel, columns)
    groups = pd.factorize(panel["area"])[0] if cluster else None
    result = _fit(y, x, offset, groups)
    params = result.params  # type: ignore[attr-defined]
    effects = {name: _term(result, name) for name in ("did", "spill")}
    fitted = np.exp(x.to_numpy(float) @ params.to_numpy(float) + offset)
    return Fit(effects, fitted, z @ params[list(columns)].to_numpy(float))


def pretrend(panel: pd.DataFrame, target: np.ndarray) -> Effect:
    """Parallel-trends test on the pre-period: the target areas' extra log-linear trend per year.

    A ratio per year different from 1 beyond chance says the comparison areas did not move like the
    target areas before the start, so they cannot stand for what the target areas would have done.
    """
    years = (panel["period"] - panel["period"].min()).dt.days.to_numpy(float) / 365.25
    try:
        return did_fit(panel, target * (years - years.mean())).effects["did"]
    except (ValueError, np.linalg.LinAlgError):
        return NO_EFFECT


def _picture_did(panel: pd.DataFrame, fit: Fit, target: np.ndarray) -> pd.DataFrame:
    counterfactual = fit.fitted * np.exp(-fit.terms)
    frame = panel.assign(target=target.astype(bool), cf=counterfactual)
    tg = frame[frame["target"]].groupby("period")[["count", "cf", "exposure"]].sum()
    cmp = frame[~frame["target"]].groupby("period")[["count", "exposure"]].sum()
    out = pd.DataFrame(
        {
            "observed": tg["count"] / tg["exposure"],
            "counterfactual": tg["cf"] / tg["exposure"],
            "comparison": cmp["count"] / cmp["exposure"],
        }
    )
    return out.rename_axis("period_start").reset_index()


def _split(panel: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp | None) -> pd.DataFrame:
    """Keep periods before the start and during the action; mark ``post``."""
    frame = panel[panel["exposure"] > 0].dropna(subset=["count", "exposure"])
    if end is not None:
        frame = frame[frame["period"] <= end]
    return frame.assign(post=(frame["period"] >= start)).reset_index(drop=True)


def did(
    panel: pd.DataFrame,
    *,
    targets: set[str],
    start: pd.Timestamp,
    end: pd.Timestamp | None = None,
    comparison: set[str] | None = None,
    neighbours: set[str] | None = None,
    granularity: str = "month",
    cluster: bool = False,
) -> Estimate:
    """Difference-in-differences estimate of an area-targeted action, with its checks and verdict.

    Args:
        panel: area, period (Timestamp), count, exposure (the denominator; 1 for counts without one).
        targets: Areas the action works in.
        start, end: When the action works (periods after ``end`` are left out).
        comparison: Areas to compare with (staff's choice); every other area when None.
        neighbours: Areas next to the targets; they get their own term (spillover) when at least two
            comparison areas remain without them.
        granularity: month, quarter or year (how many periods before the start are enough).
        cluster: Cluster-robust errors by area instead of quasi-Poisson.
    """
    comparison = set(panel["area"]) - targets if comparison is None else set(comparison) - targets
    neighbours = (set(neighbours or ()) & comparison) if neighbours else set()
    if len(comparison - neighbours) < 2:
        neighbours = set()
    frame = _split(panel[panel["area"].isin(targets | comparison)], start, end)
    before = frame.loc[~frame["post"], "period"].nunique()
    after = frame.loc[frame["post"], "period"].nunique()
    if before < MIN_BEFORE[granularity] or not comparison or not (frame["area"].isin(targets)).any():
        return Estimate(Method.DID, Verdict.NOT_ENOUGH_BEFORE, n_before=before, n_after=after)
    if after == 0:
        return Estimate(Method.DID, Verdict.TOO_EARLY, n_before=before, n_after=0)
    target = frame["area"].isin(targets).to_numpy()
    post = frame["post"].to_numpy()
    spill = (frame["area"].isin(neighbours).to_numpy() & post) if neighbours else None
    fit = did_fit(frame, target & post, spill=spill, cluster=cluster)
    effect, spilled = fit.effects["did"], fit.effects["spill"]
    pre = frame[~frame["post"]].reset_index(drop=True)
    pre_target = pre["area"].isin(targets).to_numpy()
    trend = pretrend(pre, pre_target.astype(float))
    placebo = _placebo(pre, pre_target)
    return Estimate(
        Method.DID,
        verdict(effect, trend),
        effect,
        mde(effect.se),
        trend,
        placebo,
        spilled,
        before,
        after,
        _picture_did(frame, fit, target),
    )


def _placebo(pre: pd.DataFrame, target: np.ndarray) -> Effect:
    periods = np.sort(pre["period"].unique())
    if len(periods) < 4:
        return NO_EFFECT
    fake = pre["period"].to_numpy() >= periods[len(periods) // 2]
    try:
        return did_fit(pre, target & fake).effects["did"]
    except (ValueError, np.linalg.LinAlgError):
        return NO_EFFECT


def verdict(effect: Effect, trend: Effect = NO_EFFECT) -> Verdict:
    """The plain verdict: not credible when pre-trends differed, beyond chance, or no effect detected."""
    if trend.known and trend.p_value < PRETREND_P:
        return Verdict.NOT_CREDIBLE
    if not effect.known:
        return Verdict.NOT_ENOUGH_BEFORE
    return Verdict.BEYOND_CHANCE if effect.beyond_chance else Verdict.NO_EFFECT_DETECTED


def _its_design(frame: pd.DataFrame, granularity: str, step: np.ndarray) -> pd.DataFrame:
    years = (frame["period"] - frame["period"].min()).dt.days.to_numpy(float) / 365.25
    x = pd.DataFrame({"const": 1.0, "trend": years}, index=frame.index)
    if granularity in ("month", "quarter"):
        season = frame["period"].dt.month if granularity == "month" else frame["period"].dt.quarter
        x = pd.concat([x, _dummies(season, "m")], axis=1)
    x["step"] = step.astype(float)
    return x


def its_fit(frame: pd.DataFrame, step: np.ndarray, granularity: str) -> tuple[Effect, object, pd.DataFrame]:
    """Fit the interrupted-time-series Poisson model (trend, seasonality, level change ``step``)."""
    x = _its_design(frame, granularity, step)
    result = _fit(frame["count"].to_numpy(float), x, np.log(frame["exposure"].to_numpy(float)), None)
    return _term(result, "step"), result, x


def its(
    series: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp | None = None,
    granularity: str = "month",
) -> Estimate:
    """Interrupted time series of a city-wide action: the level change at the start, trend and season kept.

    Args:
        series: period (Timestamp), count, exposure for the one area the action covers (the city).
        start, end: When the action works (periods after ``end`` are left out).
        granularity: month, quarter or year.
    """
    frame = _split(series, start, end)
    before, after = int((~frame["post"]).sum()), int(frame["post"].sum())
    if before < MIN_BEFORE_ITS[granularity]:
        return Estimate(Method.ITS, Verdict.NOT_ENOUGH_BEFORE, n_before=before, n_after=after)
    if after == 0:
        return Estimate(Method.ITS, Verdict.TOO_EARLY, n_before=before, n_after=0)
    effect, result, x = its_fit(frame, frame["post"].to_numpy(), granularity)
    pre = frame[~frame["post"]].reset_index(drop=True)
    fake = pre["period"].to_numpy() >= np.sort(pre["period"].unique())[len(pre) // 2]
    placebo = its_fit(pre, fake, granularity)[0] if len(pre) >= 2 * MIN_BEFORE[granularity] else NO_EFFECT
    params = result.params.to_numpy(float)  # type: ignore[attr-defined]
    offset = np.log(frame["exposure"].to_numpy(float))
    without = x.assign(step=0.0)
    picture = pd.DataFrame(
        {
            "period_start": frame["period"],
            "observed": frame["count"] / frame["exposure"],
            "counterfactual": np.exp(without.to_numpy(float) @ params + offset) / frame["exposure"],
            "comparison": np.nan,
        }
    )
    return Estimate(
        Method.ITS,
        verdict(effect),
        effect,
        mde(effect.se),
        NO_EFFECT,
        placebo,
        NO_EFFECT,
        before,
        after,
        picture,
    )
