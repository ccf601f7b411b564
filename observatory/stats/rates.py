"""Rates and their confidence intervals (DESIGN §4).

Every function takes a scalar, a numpy array or a pandas Series and returns the same form.
Missing inputs (NaN, None) give NaN outputs: a withheld value never becomes a number here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy.stats import chi2
from statsmodels.stats.proportion import proportion_confint

from observatory.domain import Unit
from observatory.stats._arrays import FloatArray, Values, as_float_array, shape_like, template_of, z_value

#: Below this many events the exact interval is used; Byar's approximation from here up.
BYAR_MIN_COUNT = 10


class RateEstimate(NamedTuple):
    """A value with its confidence interval; lower and upper are NaN when no honest interval exists."""

    rate: Values
    lower: Values
    upper: Values


def rate(count: Any, denominator: Any, multiplier: float = 1000.0) -> Values:
    """Crude rate ``count / denominator × multiplier`` (DESIGN §4).

    Args:
        count: Observed events O.
        denominator: Population at risk N (residents, dwellings …); N ≤ 0 gives NaN.
        multiplier: Rate per this many (1000 for a rate per thousand).

    Returns:
        The rate, NaN where the count or the denominator is missing or N ≤ 0.
    """
    observed = as_float_array(count)
    population = as_float_array(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(population > 0, observed / population * multiplier, np.nan)
    return shape_like(template_of(count, denominator), result)


def _byar(observed: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the Poisson interval (Breslow & Day 1987, vol. II)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = observed * (1.0 - 1.0 / (9.0 * observed) - z / (3.0 * np.sqrt(observed))) ** 3
        shifted = observed + 1.0
        upper = shifted * (1.0 - 1.0 / (9.0 * shifted) + z / (3.0 * np.sqrt(shifted))) ** 3
    return lower, upper


def _exact(observed: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson interval from the chi-square distribution (Garwood 1936)."""
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore"):
        # chi2.ppf with 0 degrees of freedom is NaN; the exact lower limit for O = 0 is 0.
        lower = np.where(observed > 0, chi2.ppf(alpha / 2.0, 2.0 * observed) / 2.0, 0.0)
        # Fractional counts close to 0 make chi2.ppf return NaN; its limit there is 0.
        lower = np.where(
            np.isnan(lower) & ~np.isnan(observed), 0.0, np.where(np.isnan(observed), np.nan, lower)
        )
        upper = chi2.ppf(1.0 - alpha / 2.0, 2.0 * observed + 2.0) / 2.0
    return lower, upper


def poisson_ci(count: Any, *, confidence: float = 0.95, method: str = "auto") -> tuple[Values, Values]:
    """Confidence interval for an observed count of events.

    Method: exact Poisson limits ``χ²(α/2; 2O)/2`` and ``χ²(1−α/2; 2O+2)/2`` for O < 10
    (lower limit 0 when O = 0), Byar's approximation for O ≥ 10 (Breslow & Day 1987, as used
    by England's public-health profiles and DESIGN §4). Check: O = 65 → [50.163, 82.849].

    Args:
        count: Observed events O (≥ 0); negative or missing counts give NaN limits.
        confidence: Two-sided confidence level.
        method: ``"auto"`` (exact below 10 events, Byar from 10 up), ``"exact"`` or ``"byar"`` for
            every count (funnel limits draw each method on its own).

    Returns:
        ``(lower, upper)`` on the count scale.

    Raises:
        ValueError: If the method is none of those.
    """
    if method not in ("auto", "exact", "byar"):
        raise ValueError(f"method is auto, exact or byar, not {method!r}")
    observed = as_float_array(count)
    observed = np.where(observed >= 0, observed, np.nan)
    if method != "auto":
        lower, upper = (
            _exact(observed, confidence) if method == "exact" else _byar(observed, z_value(confidence))
        )
        return shape_like(template_of(count), lower), shape_like(template_of(count), upper)
    # Byar is only evaluated where it is used, so tiny counts raise no overflow warnings.
    byar_lower, byar_upper = _byar(
        np.where(observed >= BYAR_MIN_COUNT, observed, np.nan), z_value(confidence)
    )
    exact_lower, exact_upper = _exact(observed, confidence)
    use_byar = observed >= BYAR_MIN_COUNT
    lower = np.where(use_byar, byar_lower, exact_lower)
    upper = np.where(use_byar, byar_upper, exact_upper)
    template = template_of(count)
    return shape_like(template, lower), shape_like(template, upper)


def rate_ci(
    count: Any, denominator: Any, multiplier: float = 1000.0, *, confidence: float = 0.95
) -> RateEstimate:
    """Crude rate with its confidence interval.

    Method: the Poisson interval of :func:`poisson_ci` on the count (exact below 10 events,
    Byar from 10 up), with both limits divided by the denominator and scaled (DESIGN §4).

    Args:
        count: Observed events O.
        denominator: Population at risk N; N ≤ 0 or missing gives NaN everywhere.
        multiplier: Rate per this many.
        confidence: Two-sided confidence level.

    Returns:
        RateEstimate(rate, lower, upper).
    """
    population = as_float_array(denominator)
    lower, upper = poisson_ci(as_float_array(count), confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(population > 0, multiplier / population, np.nan)
    template = template_of(count, denominator)
    return RateEstimate(
        rate(count, denominator, multiplier),
        shape_like(template, np.asarray(lower) * scale),
        shape_like(template, np.asarray(upper) * scale),
    )


def wilson_ci(percent: Any, n: Any, *, confidence: float = 0.95) -> tuple[Values, Values]:
    """Confidence interval for a survey percentage from n respondents, in percent.

    Method: Wilson score interval (Wilson 1927), computed by statsmodels
    ``proportion_confint(method="wilson")``. Check: 10 % of 100 → [5.52, 17.44] %.

    Args:
        percent: Observed percentage (0–100).
        n: Number of respondents; n ≤ 0, a missing n or a percentage outside 0–100 gives NaN.
        confidence: Two-sided confidence level.

    Returns:
        ``(lower, upper)`` in percent.
    """
    share = as_float_array(percent) / 100.0
    respondents = as_float_array(n)
    valid = (respondents > 0) & (share >= 0) & (share <= 1)
    safe_n = np.where(valid, respondents, 1.0)
    safe_share = np.where(valid, share, 0.5)
    lower, upper = proportion_confint(safe_share * safe_n, safe_n, alpha=1.0 - confidence, method="wilson")
    template = template_of(percent, n)
    return (
        # At 0 % and 100 % the exact limit is 0 / 100; this removes floating-point dust such as 7e-16.
        shape_like(template, np.where(valid, np.where(share == 0, 0.0, np.asarray(lower) * 100.0), np.nan)),
        shape_like(template, np.where(valid, np.where(share == 1, 100.0, np.asarray(upper) * 100.0), np.nan)),
    )


def shown_for(unit: Unit | str, value: Any, *, denominator: Any = None, multiplier: float = 1000.0) -> Values:
    """The figure :func:`ci_for` reports for an observed value, without computing its interval.

    A count or an amount with a denominator is shown as its rate (:func:`rate`); anything else as the
    value itself. For pages that compare many places but show the interval of a few.
    """
    if Unit(unit) in (Unit.COUNT, Unit.AMOUNT) and denominator is not None:
        return rate(value, denominator, multiplier)
    return shape_like(template_of(value), as_float_array(value))


def ci_for(
    unit: Unit | str,
    value: Any,
    *,
    denominator: Any = None,
    sample_size: Any = None,
    multiplier: float = 1000.0,
    confidence: float = 0.95,
) -> RateEstimate:
    """The honest interval for an observed value, chosen by its unit.

    Method: counts get the Poisson interval of :func:`poisson_ci` (on the count itself without a
    denominator; as a rate with one, see :func:`rate_ci`); percentages with a sample size get
    the Wilson interval of :func:`wilson_ci`. Percentages without a sample size and values that
    arrive already as rates, indices or amounts carry no information about their precision, so
    no interval is invented: lower and upper are NaN.

    Args:
        unit: The indicator's unit.
        value: Observed value(s).
        denominator: For counts: population at risk; when given, the estimate is a rate.
        sample_size: For percentages: number of respondents.
        multiplier: Rate per this many (counts with a denominator only).
        confidence: Two-sided confidence level.

    Returns:
        RateEstimate(rate, lower, upper); ``rate`` is the value itself except for a count or an amount
        with a denominator, where it is the rate (amounts get no interval).
    """
    unit = Unit(unit)
    if unit is Unit.COUNT and denominator is not None:
        return rate_ci(value, denominator, multiplier, confidence=confidence)
    if unit is Unit.COUNT:
        lower, upper = poisson_ci(value, confidence=confidence)
        return RateEstimate(shape_like(template_of(value), as_float_array(value)), lower, upper)
    if unit is Unit.AMOUNT and denominator is not None:
        # An amount per resident (a budget, a cost): divided like a count, with no interval.
        template = template_of(value, denominator)
        missing = shape_like(template, np.full(np.shape(as_float_array(value)), np.nan))
        return RateEstimate(shape_like(template, rate(value, denominator, multiplier)), missing, missing)
    if unit is Unit.PERCENT and sample_size is not None:
        lower, upper = wilson_ci(value, sample_size, confidence=confidence)
        return RateEstimate(shape_like(template_of(value, sample_size), as_float_array(value)), lower, upper)
    template = template_of(value)
    values = as_float_array(value)
    missing = shape_like(template, np.full(np.shape(values), np.nan))
    return RateEstimate(shape_like(template, values), missing, missing)
