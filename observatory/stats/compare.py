"""Comparisons: an area against a reference, a period against an earlier one (DESIGN §4)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import beta as beta_dist
from statsmodels.stats.proportion import confint_proportions_2indep

from observatory.domain import Polarity
from observatory.stats._arrays import as_float_array, template_of, z_value


class Benchmark(StrEnum):
    """Outcome of comparing an interval with a reference value."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    LOWER = "lower"
    HIGHER = "higher"
    NOT_COMPARED = "not_compared"


class Direction(StrEnum):
    """Direction of the point estimate of a change, significant or not."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    NOT_COMPUTABLE = "not_computable"


class Measure(StrEnum):
    """What a Change's estimate measures."""

    RATE_RATIO = "rate_ratio"
    DIFFERENCE = "difference"


#: Every key :func:`verdict` can return, for the translation catalogues.
VERDICT_KEYS = (
    "not_computable",
    "not_tested",
    "no_significant_change",
    "up_significant",
    "down_significant",
    "up_significant_better",
    "up_significant_worse",
    "down_significant_better",
    "down_significant_worse",
)


@dataclass(frozen=True, slots=True)
class Change:
    """A change between two periods with its confidence interval.

    Attributes:
        estimate: Rate ratio (later / earlier) or difference in percentage points (later − earlier).
        lower: Lower confidence limit of the estimate (NaN when not computable).
        upper: Upper confidence limit of the estimate (NaN when not computable).
        significant: True when the interval excludes "no change" (1 for a ratio, 0 for a difference).
        direction: Direction of the point estimate.
        measure: Which of the two the estimate is.
        tested: False when no test of chance applies to the unit (an amount, an index): the
            estimate is a plain difference and the change is never called significant.
    """

    estimate: float
    lower: float
    upper: float
    significant: bool
    direction: Direction
    measure: Measure = Measure.RATE_RATIO
    tested: bool = True

    @property
    def ratio(self) -> float:
        """The rate ratio; NaN when the change is a difference of proportions."""
        return self.estimate if self.measure is Measure.RATE_RATIO else math.nan


def _direction_for(polarity: Polarity | str) -> dict[str, Benchmark]:
    polarity = Polarity(polarity)
    if polarity is Polarity.LOWER_IS_BETTER:
        return {"lower": Benchmark.BETTER, "higher": Benchmark.WORSE}
    if polarity is Polarity.HIGHER_IS_BETTER:
        return {"lower": Benchmark.WORSE, "higher": Benchmark.BETTER}
    return {"lower": Benchmark.LOWER, "higher": Benchmark.HIGHER}


def benchmark(lower: float, upper: float, reference: float, polarity: Polarity | str) -> Benchmark:
    """Compare a value's confidence interval with a reference (the city, the country …).

    Method: interval against the reference value, as England's public-health profiles do:
    upper limit below the reference → lower; lower limit above it → higher; otherwise similar.
    Polarity turns lower/higher into better/worse; neutral indicators keep lower/higher.

    Args:
        lower: Lower confidence limit of the area's value.
        upper: Upper confidence limit of the area's value.
        reference: The reference value (point estimate).
        polarity: Which direction is an improvement.

    Returns:
        A Benchmark; NOT_COMPARED when a limit or the reference is missing.
    """
    if any(pd.isna(x) for x in (lower, upper, reference)):
        return Benchmark.NOT_COMPARED
    words = _direction_for(polarity)
    if upper < reference:
        return words["lower"]
    if lower > reference:
        return words["higher"]
    return Benchmark.SIMILAR


def benchmark_many(
    lower: Any, upper: Any, reference: Any, polarity: Polarity | str, *, reference_upper: Any = None
) -> pd.Series:
    """Vectorised :func:`benchmark` (same method) over arrays or Series of limits.

    Args:
        lower: Lower confidence limits.
        upper: Upper confidence limits.
        reference: One reference for all, or one per row.
        polarity: Which direction is an improvement (one for all rows).
        reference_upper: When the reference is only known within bounds (a city total with withheld
            districts), its upper bound; ``reference`` is then the lower bound. An area is lower only
            below the lower bound and higher only above the upper bound.

    Returns:
        A Series of Benchmark values (index of the first Series given, else 0..n−1).
    """
    low = np.atleast_1d(as_float_array(lower))
    high = np.atleast_1d(as_float_array(upper))
    ref = np.broadcast_to(as_float_array(reference), low.shape)
    ref_high = ref if reference_upper is None else np.broadcast_to(as_float_array(reference_upper), low.shape)
    words = _direction_for(polarity)
    missing = np.isnan(low) | np.isnan(high) | np.isnan(ref) | np.isnan(ref_high)
    choice = np.select(
        [missing, high < ref, low > ref_high],
        [Benchmark.NOT_COMPARED, words["lower"], words["higher"]],
        default=Benchmark.SIMILAR,
    )
    template = template_of(lower, upper, reference)
    index = template.index if isinstance(template, pd.Series) else None
    return pd.Series([Benchmark(v) for v in choice], index=index, dtype=object)


def _exact_rate_ratio(o1: float, o2: float, n1: float, n2: float, confidence: float) -> Change:
    """Exact conditional interval for a rate ratio when one count is zero.

    Given O₁ + O₂ events, O₂ is binomial with π = n₂λ₂ / (n₁λ₁ + n₂λ₂); the Clopper–Pearson
    limits for π map to rate-ratio limits by RR = π / (1 − π) · n₁ / n₂ (Breslow & Day 1987).
    """
    total = o1 + o2
    alpha = 1.0 - confidence
    pi_low = 0.0 if o2 == 0 else float(beta_dist.ppf(alpha / 2.0, o2, total - o2 + 1.0))
    pi_high = 1.0 if o1 == 0 else float(beta_dist.ppf(1.0 - alpha / 2.0, o2 + 1.0, total - o2))
    scale = n1 / n2
    lower = pi_low / (1.0 - pi_low) * scale
    upper = math.inf if pi_high >= 1.0 else pi_high / (1.0 - pi_high) * scale
    ratio = math.inf if o1 == 0 else 0.0
    direction = Direction.UP if o1 == 0 else Direction.DOWN
    return Change(ratio, lower, upper, bool(lower > 1.0 or upper < 1.0), direction)


def rate_ratio(
    o1: float, o2: float, *, n1: float | None = None, n2: float | None = None, confidence: float = 0.95
) -> Change:
    """Rate ratio of a later period (2) to an earlier one (1), with its confidence interval.

    Method: RR = (O₂/n₂)/(O₁/n₁) with the log-normal interval ``exp(ln RR ± z√(1/O₁ + 1/O₂))``
    (DESIGN §4; Rothman & Greenland); significant when the interval excludes 1. When exactly one
    count is 0 the log interval does not exist, so the exact conditional (Clopper–Pearson)
    interval is used instead; with both counts 0, or missing inputs, nothing is computable.

    Args:
        o1: Events in the earlier period.
        o2: Events in the later period.
        n1: Population at risk in the earlier period; None when both periods have the same.
        n2: Population at risk in the later period; None when both periods have the same.
        confidence: Two-sided confidence level.

    Returns:
        A Change with measure RATE_RATIO.
    """
    pop1 = 1.0 if n1 is None else float(n1)
    pop2 = 1.0 if n2 is None else float(n2)
    values = (float(o1), float(o2), pop1, pop2)
    if any(math.isnan(v) for v in values) or min(values) < 0 or pop1 == 0 or pop2 == 0 or o1 == o2 == 0:
        return Change(math.nan, math.nan, math.nan, False, Direction.NOT_COMPUTABLE)
    if o1 == 0 or o2 == 0:
        return _exact_rate_ratio(float(o1), float(o2), pop1, pop2, confidence)
    ratio = (o2 / pop2) / (o1 / pop1)
    half_width = z_value(confidence) * math.sqrt(1.0 / o1 + 1.0 / o2)
    lower = math.exp(math.log(ratio) - half_width)
    upper = math.exp(math.log(ratio) + half_width)
    direction = Direction.UP if ratio > 1 else Direction.DOWN if ratio < 1 else Direction.FLAT
    return Change(ratio, lower, upper, bool(lower > 1.0 or upper < 1.0), direction)


def proportion_change(p1: float, n1: float, p2: float, n2: float, *, confidence: float = 0.95) -> Change:
    """Change in a survey percentage between two independent samples.

    Method: Newcombe's hybrid score interval for the difference of two proportions (Newcombe
    1998, method 10), computed by statsmodels ``confint_proportions_2indep(method="newcomb")``;
    significant when the interval excludes 0.

    Args:
        p1: Earlier percentage (0–100).
        n1: Respondents in the earlier survey.
        p2: Later percentage (0–100).
        n2: Respondents in the later survey.
        confidence: Two-sided confidence level.

    Returns:
        A Change with measure DIFFERENCE, in percentage points (later − earlier).
    """
    values = (float(p1), float(n1), float(p2), float(n2))
    if any(math.isnan(v) for v in values) or n1 <= 0 or n2 <= 0 or not (0 <= p1 <= 100 and 0 <= p2 <= 100):
        return Change(math.nan, math.nan, math.nan, False, Direction.NOT_COMPUTABLE, Measure.DIFFERENCE)
    # statsmodels compares its first sample with its second, so the later survey goes first.
    low, high = confint_proportions_2indep(
        p2 / 100.0 * n2, n2, p1 / 100.0 * n1, n1, method="newcomb", compare="diff", alpha=1.0 - confidence
    )
    difference = float(p2) - float(p1)
    direction = Direction.UP if difference > 0 else Direction.DOWN if difference < 0 else Direction.FLAT
    lower, upper = float(low) * 100.0, float(high) * 100.0
    return Change(difference, lower, upper, bool(lower > 0 or upper < 0), direction, Measure.DIFFERENCE)


def verdict(change: Change, polarity: Polarity | str) -> str:
    """Translation key summing up a change (method: the significance flag of the Change).

    Args:
        change: Output of :func:`rate_ratio` or :func:`proportion_change`.
        polarity: Which direction is an improvement.

    Returns:
        One of :data:`VERDICT_KEYS`: ``not_computable``, ``not_tested`` (no test of chance applies
        to the unit), ``no_significant_change``,
        ``up_significant`` / ``down_significant`` (neutral polarity) or the same followed by
        ``_better`` / ``_worse``.
    """
    if change.direction is Direction.NOT_COMPUTABLE:
        return "not_computable"
    if not change.tested:
        return "not_tested"
    if math.isnan(change.lower) or math.isnan(change.upper):
        return "not_computable"
    if not change.significant or change.direction is Direction.FLAT:
        return "no_significant_change"
    key = f"{change.direction.value}_significant"
    polarity = Polarity(polarity)
    if polarity is Polarity.NEUTRAL:
        return key
    improved = (change.direction is Direction.DOWN) == (polarity is Polarity.LOWER_IS_BETTER)
    return f"{key}_{'better' if improved else 'worse'}"
