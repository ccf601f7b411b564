"""The one change test between two periods: the indicator's own rule, over exact or bounded figures.

Which test applies is the indicator's (:attr:`observatory.domain.Indicator.change_test`): a rate ratio
for counts, a difference of proportions for survey shares, no test of chance for rates, indices and
amounts as received (their change is the plain difference, never called "beyond chance"). A bounded
total (parts withheld) is tested at both ends of its bounds: the change is beyond chance only when the
union of the two extreme intervals excludes no-change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from observatory.domain import ChangeTest, Indicator
from observatory.stats.compare import Change, Direction, Measure, proportion_change, rate_ratio


@dataclass(frozen=True, slots=True)
class Figure:
    """A period's value, or its bounds when parts are withheld, with what a test needs beside it.

    Attributes:
        lower: The value, or the least it can be.
        upper: The value, or the most it can be (inf when unbounded).
        denominator: Population at risk (NaN when the indicator has none).
        sample_size: Respondents of a survey share (NaN otherwise).
    """

    lower: float
    upper: float
    denominator: float = math.nan
    sample_size: float = math.nan

    @classmethod
    def exact(cls, value: float, *, denominator: float = math.nan, sample_size: float = math.nan) -> Figure:
        """A figure known exactly."""
        return cls(float(value), float(value), float(denominator), float(sample_size))

    @property
    def is_exact(self) -> bool:
        """True when lower and upper are the same number."""
        return self.lower == self.upper

    @property
    def known(self) -> bool:
        """True when both bounds are finite numbers."""
        return not (math.isnan(self.lower) or math.isnan(self.upper) or math.isinf(self.upper))


def _none() -> Change:
    return Change(math.nan, math.nan, math.nan, False, Direction.NOT_COMPUTABLE)


def _one(info: Indicator, earlier: float, later: float, e: Figure, lt: Figure) -> Change:
    test = info.change_test
    if test is ChangeTest.RATE_RATIO:
        with_rate = info.has_rate and not (math.isnan(e.denominator) or math.isnan(lt.denominator))
        n1, n2 = (e.denominator, lt.denominator) if with_rate else (None, None)
        return rate_ratio(earlier, later, n1=n1, n2=n2)
    if test is ChangeTest.PROPORTION:
        return proportion_change(earlier, e.sample_size, later, lt.sample_size)
    return untested(earlier, later)


def untested(earlier: float, later: float) -> Change:
    """The plain difference of two values that carry no measure of their precision: no interval, no test."""
    if math.isnan(earlier) or math.isnan(later):
        return _none()
    difference = float(later) - float(earlier)
    direction = Direction.UP if difference > 0 else Direction.DOWN if difference < 0 else Direction.FLAT
    return Change(difference, math.nan, math.nan, False, direction, Measure.DIFFERENCE, tested=False)


def change(info: Indicator, earlier: Figure, later: Figure) -> Change:
    """The change from ``earlier`` to ``later`` by the indicator's test (module docstring).

    Returns:
        A Change; not computable when either figure is unknown or only bounded from below.
    """
    if not (earlier.known and later.known):
        return _none()
    if earlier.is_exact and later.is_exact:
        return _one(info, earlier.lower, later.lower, earlier, later)
    if info.change_test is not ChangeTest.RATE_RATIO:
        return _none()
    rising = _one(info, earlier.lower, later.upper, earlier, later)
    falling = _one(info, earlier.upper, later.lower, earlier, later)
    if Direction.NOT_COMPUTABLE in (rising.direction, falling.direction):
        return _none()
    lower, upper = min(rising.lower, falling.lower), max(rising.upper, falling.upper)
    mid = _one(info, (earlier.lower + earlier.upper) / 2, (later.lower + later.upper) / 2, earlier, later)
    significant = bool(lower > 1.0 or upper < 1.0)
    return Change(mid.estimate, lower, upper, significant, mid.direction)
