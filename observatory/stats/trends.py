"""Trends over time: rolling 12-month sums and the 5-point recent-trend test (DESIGN §4)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd

from observatory.stats._arrays import FloatArray, as_float_array, z_value
from observatory.stats.rates import poisson_ci

#: χ² with 1 degree of freedom at 99.8 % confidence, the significance bar of the recent-trend test.
TREND_CHI2_THRESHOLD = 9.5495
#: The recent-trend test looks at exactly this many most recent points.
TREND_POINTS = 5


class TrendResult(StrEnum):
    """Outcome of the recent-trend test."""

    INCREASING = "increasing"
    DECREASING = "decreasing"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


@dataclass(frozen=True, slots=True)
class Trend:
    """Recent trend of a series.

    Attributes:
        result: Increasing, decreasing, no significant change or cannot be calculated.
        chi2: Test statistic (NaN when it cannot be calculated).
        slope: Direction statistic: weighted slope of the value (counts, rates) or slope of the
            log-odds (proportions) per period; NaN when it cannot be calculated.
        reason: Short key saying why: ``significant``, ``not_significant``, ``unstable`` (a
            point left out reverses the direction), ``fewer_than_five_points``, ``missing_values``,
            ``invalid_values``, ``no_events`` or ``proportion_at_bound``.
    """

    result: TrendResult
    chi2: float
    slope: float
    reason: str


def _cannot(reason: str) -> Trend:
    return Trend(TrendResult.CANNOT_BE_CALCULATED, math.nan, math.nan, reason)


def _weighted_slope(values: FloatArray, sigma2: FloatArray, times: FloatArray) -> tuple[float, float]:
    """Inverse-variance weighted least-squares slope and its χ² = β² / Var(β)."""
    weights = 1.0 / sigma2
    s, st, sy = weights.sum(), (weights * times).sum(), (weights * values).sum()
    stt, sty = (weights * times**2).sum(), (weights * values * times).sum()
    determinant = s * stt - st**2
    slope = (s * sty - st * sy) / determinant
    return float(slope), float(slope**2 / (s / determinant))


def _count_trend(counts: FloatArray, denominators: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Values (count or rate) and their variances from the Poisson interval of each count."""
    lower, upper = poisson_ci(counts)
    sigma2 = ((np.asarray(upper) - np.asarray(lower)) / (2.0 * z_value(0.95))) ** 2
    return counts / denominators, sigma2 / denominators**2


def _proportion_chi2(numerators: FloatArray, totals: FloatArray, times: FloatArray) -> float:
    """Chi-square test for linear trend in proportions (Armitage 1955; PHE trend markers)."""
    sum_d, sum_c = totals.sum(), numerators.sum()
    sum_ct, sum_dt = (numerators * times).sum(), (totals * times).sum()
    sum_dtt = (totals * times**2).sum()
    numerator = sum_d * (sum_d * sum_ct - sum_c * sum_dt) ** 2
    return float(numerator / (sum_c * (sum_d - sum_c) * (sum_d * sum_dtt - sum_dt**2)))


def _logit_slope(numerators: FloatArray, totals: FloatArray, times: FloatArray) -> float:
    """Ordinary least-squares slope of the log-odds, the direction used for proportions."""
    share = numerators / totals
    return float(np.polyfit(times, np.log(share / (1.0 - share)), 1)[0])


def _last_points(values: Any) -> FloatArray | None:
    if values is None:
        return None
    return np.atleast_1d(as_float_array(values))[-TREND_POINTS:]


def _check(counts: FloatArray, totals: FloatArray, kind: str) -> str:
    """Return why the test cannot be run on these five points, or "" when it can."""
    if np.isnan(counts).any() or np.isnan(totals).any():
        return "missing_values"
    if (counts < 0).any() or (totals <= 0).any():
        return "invalid_values"
    if kind == "count":
        return "no_events" if counts.sum() == 0 else ""
    if (counts > totals).any():
        return "invalid_values"
    # The log-odds of 0 % or 100 % is infinite, so the direction would be undefined.
    return "proportion_at_bound" if ((counts == 0) | (counts == totals)).any() else ""


def _sign(slope: float, scale: float) -> int:
    # Rounding leaves a flat series with a slope of ±1e-15, which must count as flat, not as a sign.
    return 0 if abs(slope) <= 1e-9 * scale else int(np.sign(slope))


def _decide(chi2: float, slope: float, leave_one_out: list[float], scale: float) -> Trend:
    if not chi2 > TREND_CHI2_THRESHOLD:
        return Trend(TrendResult.NO_SIGNIFICANT_CHANGE, chi2, slope, "not_significant")
    if any(_sign(other, scale) != _sign(slope, scale) for other in leave_one_out):
        return Trend(TrendResult.NO_SIGNIFICANT_CHANGE, chi2, slope, "unstable")
    result = TrendResult.INCREASING if slope > 0 else TrendResult.DECREASING
    return Trend(result, chi2, slope, "significant")


def trend_test(
    counts: Any,
    denominators: Any = None,
    *,
    kind: Literal["count", "proportion"] = "count",
    sample_sizes: Any = None,
) -> Trend:
    """Recent trend over the last five points of a series, in time order.

    Method: the recent-trend markers of England's public-health profiles (Fingertips; OHID
    technical guidance "Trend markers", PHEindicatormethods ``assign_trend_markers``). Counts
    and rates: inverse-variance weighted regression of the value on time, with variances from
    the 95 % Poisson interval of each count, χ² = β² / Var(β). Proportions: chi-square test for
    linear trend (Armitage), direction from the slope of the log-odds. The trend is significant
    when χ² > 9.5495 (99.8 %), and reported only if leaving out each point in turn never
    changes the sign of the slope. Points must be equally spaced, non-overlapping periods
    (years, not rolling sums) with no break in the series; the caller makes sure of that.

    Args:
        counts: For ``kind="count"``: event counts. For ``kind="proportion"``: numerators (with
            ``denominators``) or percentages 0–100 (with ``sample_sizes``).
        denominators: Populations at risk (counts) or totals (proportions); None for raw counts.
        kind: ``"count"`` for counts and rates, ``"proportion"`` for proportions.
        sample_sizes: For survey percentages: respondents per point.

    Returns:
        A Trend; CANNOT_BE_CALCULATED with fewer than five points, any missing (withheld) point,
        no events at all, or a proportion at 0 % or 100 %.

    Raises:
        ValueError: If kind is neither "count" nor "proportion".
    """
    if kind not in ("count", "proportion"):
        raise ValueError(f"kind must be 'count' or 'proportion', got {kind!r}")
    from_percent = kind == "proportion" and sample_sizes is not None
    values = _last_points(counts)
    totals = _last_points(sample_sizes if from_percent else denominators)
    if totals is None:
        totals = np.ones(TREND_POINTS)
    if values is None or values.size < TREND_POINTS or totals.size < TREND_POINTS:
        return _cannot("fewer_than_five_points")
    if from_percent:
        values = values / 100.0 * totals
    reason = _check(values, totals, kind)
    if reason:
        return _cannot(reason)
    times = np.arange(TREND_POINTS, dtype=np.float64)
    keep = [np.arange(TREND_POINTS) != left_out for left_out in range(TREND_POINTS)]
    if kind == "proportion":
        chi2 = _proportion_chi2(values, totals, times)
        slopes = [_logit_slope(values[k], totals[k], times[k]) for k in keep]
        return _decide(chi2, _logit_slope(values, totals, times), slopes, 1.0)
    estimates, sigma2 = _count_trend(values, totals)
    slope, chi2 = _weighted_slope(estimates, sigma2, times)
    slopes = [_weighted_slope(estimates[k], sigma2[k], times[k])[0] for k in keep]
    return _decide(chi2, slope, slopes, float(np.abs(estimates).max()))


def _complete_months(series: pd.Series) -> pd.Series:
    """Reindex a series on a date or monthly period index so that absent months appear as NaN."""
    index = series.index
    if isinstance(index, pd.DatetimeIndex):
        monthly = series.copy()
        monthly.index = index.to_period("M")
        return _complete_months(monthly).rename_axis(index.name).to_timestamp()
    if isinstance(index, pd.PeriodIndex) and len(index) > 0:
        full = pd.period_range(index.min(), index.max(), freq=index.freq)
        return series.sort_index().reindex(full)
    return series


def rolling_sum(series: pd.Series, window: int = 12) -> pd.Series:
    """Rolling sum over the last *window* months (method: plain moving total, DESIGN §4).

    A sum exists only when all *window* months are present: it is NaN for the first
    ``window − 1`` months and for every window that contains a withheld (NaN) month, so a
    hidden month is never silently counted as 0. On a date or monthly period index, months
    absent from the index are added as NaN first.

    Args:
        series: Monthly values in time order.
        window: Number of months summed.

    Returns:
        The rolling sums, on the (completed) monthly index.
    """
    values = _complete_months(series).astype("float64")
    return values.rolling(window, min_periods=window).sum()


def same_period_last_year(series: pd.Series, periods_per_year: int = 12) -> pd.Series:
    """Value of the same month (or quarter) one year earlier, aligned with each period.

    Args:
        series: Monthly (or, with ``periods_per_year=4``, quarterly) values in time order.
        periods_per_year: 12 for months, 4 for quarters.

    Returns:
        The series shifted by one year on the (completed) index; NaN where no earlier value exists.
    """
    return _complete_months(series).astype("float64").shift(periods_per_year)


def last_two_windows(series: pd.Series, window: int = 12) -> tuple[float, float]:
    """Totals of the window before the last and of the last window, e.g. for :func:`rate_ratio`.

    Method: DESIGN §4 — monthly data compares the rolling 12 months with the 12 before.

    Args:
        series: Monthly values in time order.
        window: Months per window.

    Returns:
        ``(earlier, latest)`` totals; NaN when a window is incomplete or contains a withheld month.
    """
    sums = rolling_sum(series, window)
    if len(sums) < 2 * window:
        return math.nan, math.nan
    return float(sums.iloc[-1 - window]), float(sums.iloc[-1])
