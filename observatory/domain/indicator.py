"""An indicator as a typed value whose rules are its own members.

Every page, the headlines, the strategy, the documents and publishing ask these members the same
questions — does it add up over areas and months, can a district be set against the city, which test
tells a change from chance, how is its rate labelled — so each question has one answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from observatory.domain import IndicatorKind, Polarity, Unit

#: Code of the city as a whole (the level-0 area) when neither the settings nor the store name one.
DEFAULT_CITY_CODE = "000"

#: Units whose values add up over areas and periods.
ADDITIVE_UNITS = frozenset({Unit.COUNT, Unit.AMOUNT})


def shown_decimals(unit: Unit | str, *, rate: bool = False, change: bool = False) -> int:
    """Decimals a figure is written with, on every page, document and download: two for a rate per
    its multiplier, none for a value that adds up (a count, an amount), one otherwise (a percentage,
    an index, a rate as received); a change written as a percentage of the earlier figure (``change``:
    "+12%", its interval) is whole, whatever the unit."""
    if change:
        return 0
    if rate:
        return 2
    return 0 if Unit(str(unit)) in ADDITIVE_UNITS else 1


class ChangeTest(StrEnum):
    """How a change between two periods is told from chance."""

    RATE_RATIO = "rate_ratio"  # counts: Poisson rate ratio with its log interval
    PROPORTION = "proportion_change"  # survey shares: difference of proportions (Newcombe)
    NONE = "none"  # rates, indices and amounts as received carry no measure of their precision


class IntervalMethod(StrEnum):
    """How an interval is put around one value."""

    POISSON = "poisson"  # counts and their rates: exact below 10, Byar from 10
    WILSON = "wilson"  # survey shares with their number of respondents
    NONE = "none"  # nothing known of the value's precision


class Measure(StrEnum):
    """What a map, a table or a chart shows of an indicator."""

    COUNT = "count"
    RATE = "rate"
    VALUE = "value"
    BENCHMARK = "benchmark"


class View(StrEnum):
    """The periods a series is shown in: calendar periods or rolling 12-month sums of months."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    ROLLING12 = "rolling12"


#: Months in a rolling window (DESIGN §4: monthly data compares rolling 12 months with the 12 before).
ROLLING_MONTHS = 12


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the catalogue, with the rules that follow from its unit and denominator.

    Attributes:
        code: Stable code.
        name: Name as stored (the locale of the catalogue).
        theme: Theme it is grouped under.
        kind: Context, activity or result.
        unit: What a value measures.
        polarity: Which direction is an improvement.
        denominator_kind: The population at risk (``residents``, ``dwellings`` …), or None.
        multiplier: A rate is value / denominator × multiplier (1,000, 10,000, 100,000 …).
        disclosure_threshold: Counts 1…threshold−1 are not published.
        description: Free text.
        source: Where the figures come from.
        unavailable_denominator: The declared denominator when the store holds none of it (see
            :meth:`without_denominator`): counts are then shown as counts, and pages say why.
    """

    code: str
    name: str
    theme: str
    kind: IndicatorKind
    unit: Unit
    polarity: Polarity
    denominator_kind: str | None
    multiplier: float
    disclosure_threshold: int
    description: str = ""
    source: str = ""
    unavailable_denominator: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Indicator:
        """Build from one row of the ``indicators`` table (missing texts become "")."""
        denominator = _text(record.get("denominator_kind")) or None
        multiplier = record.get("multiplier")
        threshold = record.get("disclosure_threshold")
        return cls(
            code=str(record["code"]),
            name=_text(record.get("name")) or str(record["code"]),
            theme=_text(record.get("theme")),
            kind=IndicatorKind(str(record["kind"])),
            unit=Unit(str(record["unit"])),
            polarity=Polarity(str(record["polarity"])),
            denominator_kind=denominator,
            multiplier=1000.0 if multiplier is None or _missing(multiplier) else float(multiplier),
            disclosure_threshold=5 if threshold is None or _missing(threshold) else int(threshold),
            description=_text(record.get("description")),
            source=_text(record.get("source")),
        )

    def without_denominator(self) -> Indicator:
        """The same indicator read as having no denominator, because none of its kind is stored."""
        if self.denominator_kind is None:
            return self
        return replace(self, denominator_kind=None, unavailable_denominator=self.denominator_kind)

    @property
    def additive(self) -> bool:
        """Counts and amounts add up over areas and periods; rates, shares and indices do not."""
        return self.unit in ADDITIVE_UNITS

    @property
    def has_rate(self) -> bool:
        """True when a rate is computed: a count or amount divided by its denominator, times the multiplier.

        A value that arrives as a rate, a share or an index is never divided again; its denominator only
        says what it is per (see :attr:`per_label`).
        """
        return self.denominator_kind is not None and self.additive

    @property
    def per_label(self) -> bool:
        """True when the value itself is labelled as a rate of its denominator (a rate as received)."""
        return self.denominator_kind is not None and self.unit is Unit.RATE

    @property
    def interval_method(self) -> IntervalMethod:
        """Poisson for counts (and their rates), Wilson for survey shares, none otherwise."""
        if self.unit is Unit.COUNT:
            return IntervalMethod.POISSON
        if self.unit is Unit.PERCENT:
            return IntervalMethod.WILSON
        return IntervalMethod.NONE

    @property
    def change_test(self) -> ChangeTest:
        """Counts: rate ratio; survey shares: difference of proportions; other units: no test.

        An amount (money) going from 100 to 160 is not a Poisson count: no test of chance applies, so
        its change is shown as a plain difference and never called "beyond chance".
        """
        if self.unit is Unit.COUNT:
            return ChangeTest.RATE_RATIO
        if self.unit is Unit.PERCENT:
            return ChangeTest.PROPORTION
        return ChangeTest.NONE

    @property
    def comparable_with_city(self) -> bool:
        """True when a district's figure can be set beside the city's.

        A count or an amount without a denominator measures the district's size as much as its risk,
        so it is never compared with the city's total; everything else is (a rate, a share, an index).
        """
        return self.has_rate or not self.additive

    @property
    def benchmark_measure(self) -> Measure:
        """What is compared with the city: the rate when there is a denominator, else the value."""
        return Measure.RATE if self.has_rate else Measure.VALUE

    @property
    def withheld_max(self) -> float:
        """The largest value a withheld count can hide (threshold − 1); unbounded for other units."""
        if self.unit is Unit.COUNT:
            return float(max(self.disclosure_threshold - 1, 0))
        return math.inf

    def measures(self, *, has_sample_sizes: bool = False) -> list[Measure]:
        """What a map or table of the indicator can show, the most comparable first.

        Counts with a denominator: the rate, the count and the benchmark; other units with one: the rate
        and the value; survey shares with respondents: the value and the benchmark; counts without a
        denominator: the count; anything else: the value.
        """
        first = Measure.COUNT if self.unit is Unit.COUNT else Measure.VALUE
        if self.has_rate:
            return (
                [Measure.RATE, first, Measure.BENCHMARK] if self.unit is Unit.COUNT else [Measure.RATE, first]
            )
        if self.unit is Unit.PERCENT and has_sample_sizes:
            return [Measure.VALUE, Measure.BENCHMARK]
        return [first]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
