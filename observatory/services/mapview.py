"""Map use cases: one indicator over one period for every district, with its base and a city benchmark.

A period is a calendar year (``"2024"``) or, for counts stored by month, the 12 months ending at a month
(``"2025-06"``). Each district gets its value, the value's 95% interval, its own denominator (residents or
dwellings for a rate, respondents for a survey percent) with the denominator's year, a rate where there is
a denominator, and a benchmark against the city. A district whose period is incomplete or has any month
withheld carries ``withheld`` and NaN numbers: nothing becomes 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from observatory.domain import ROLLING_MONTHS, Granularity, Indicator, Measure, Period, TotalBasis, Unit
from observatory.services import totals, views
from observatory.stats import compare, rates
from observatory.store import Store, queries

COUNT = Measure.COUNT.value
RATE = Measure.RATE.value
VALUE = Measure.VALUE.value
BENCHMARK = Measure.BENCHMARK.value
SCHEMES = ("quantiles", "fisher_jenks", "equal_interval")
RESPONDENTS = "respondents"

_VALUES = ["area_code", "value", "sample_size", "complete", "withheld"]


@dataclass(frozen=True, slots=True)
class MapPeriod:
    """A calendar year, the 12 months ending at a month (a rolling year), or — while a monthly series is
    shorter than a year — the months there are (``months`` < 12)."""

    year: int
    month: int = 12
    rolling: bool = False
    months: int = ROLLING_MONTHS

    @classmethod
    def parse(cls, text: str) -> MapPeriod:
        """Read ``"2024"`` (the calendar year), ``"2025-06"`` (12 months to June 2025) or
        ``"2025-01..2025-03"`` (January to March 2025, the months available).

        Raises:
            ValueError: If the text is none of those.
        """
        if ".." in text:
            first, last = (Period.parse(part) for part in text.split("..", 1))
            if first.granularity is not Granularity.MONTH or last.granularity is not Granularity.MONTH:
                raise ValueError(f"a span of months is two months, not {text!r}")
            span = (last.year - first.year) * 12 + last.start.month - first.start.month + 1
            if not 1 <= span <= ROLLING_MONTHS:
                raise ValueError(f"a span of 1 to 12 months, not {text!r}")
            return cls(last.year, last.start.month, rolling=True, months=span)
        period = Period.parse(text)
        if period.granularity is Granularity.YEAR:
            return cls(period.year)
        if period.granularity is Granularity.MONTH:
            return cls(period.year, period.start.month, rolling=True)
        raise ValueError(f"a map period is a year or a month, not {text!r}")

    @property
    def label(self) -> str:
        """The text :meth:`parse` reads back."""
        if self.rolling and self.months < ROLLING_MONTHS:
            first = self.first_month
            return f"{first.year}-{first.month:02d}..{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}" if self.rolling else str(self.year)

    @property
    def last_month(self) -> pd.Timestamp:
        """First day of the period's last month."""
        return pd.Timestamp(year=self.year, month=self.month, day=1)

    @property
    def first_month(self) -> pd.Timestamp:
        """First day of the period's first month."""
        return self.last_month - pd.DateOffset(months=self.months - 1)


@dataclass(frozen=True, slots=True)
class PeriodOptions:
    """Periods a map can show, newest first: calendar years and the end months of rolling years."""

    years: tuple[str, ...]
    months: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CityFigure:
    """The city's value for the period, its denominator, and the reference districts are compared with.

    ``value`` and ``reference`` are NaN unless the city's figure is exact; ``low``/``high`` bound the
    reference (equal to it when exact) and ``basis`` says which kind of total it is.
    """

    value: float
    denominator: float
    reference: float
    low: float = float("nan")
    high: float = float("nan")
    basis: TotalBasis = TotalBasis.UNKNOWN


def monthly_counts(store: Store, info: Indicator) -> bool:
    """True when the indicator adds up and is stored by month, so rolling 12-month periods exist."""
    stored = queries.granularities(store, info.code, level=1)
    return info.additive and bool(stored) and stored[0] == Granularity.MONTH.value


def _monthly(store: Store, info: Indicator, level: int) -> pd.DataFrame:
    frame = queries.aggregated(store, info.code, stored="month", target="month", level=level)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


def period_options(store: Store, info: Indicator) -> PeriodOptions:
    """Calendar years with data, and the months a rolling 12-month period can end at (monthly counts)."""
    years = tuple(str(y) for y in views.years(store, info))
    if not monthly_counts(store, info):
        return PeriodOptions(years, ())
    months = sorted(_monthly(store, info, level=1)["period_start"].unique())
    if not months:
        return PeriodOptions(years, ())
    first, last = pd.Timestamp(months[0]), pd.Timestamp(months[-1])
    first_end = first + pd.DateOffset(months=ROLLING_MONTHS - 1)
    ends = [pd.Timestamp(m) for m in months if pd.Timestamp(m) >= first_end]
    if not ends:
        # A series shorter than a year: the months there are, as one period.
        return PeriodOptions(years, (f"{first.year}-{first.month:02d}..{last.year}-{last.month:02d}",))
    return PeriodOptions(years, tuple(f"{m.year}-{m.month:02d}" for m in reversed(ends)))


def measures(store: Store, info: Indicator) -> list[str]:
    """What a map of the indicator can show, the most comparable first (:meth:`Indicator.measures`)."""
    sizes = (
        info.unit == Unit.PERCENT and views.yearly_values(store, info, level=1)["sample_size"].notna().any()
    )
    return [str(measure) for measure in info.measures(has_sample_sizes=bool(sizes))]


def _rolling(frame: pd.DataFrame, period: MapPeriod) -> pd.DataFrame:
    """Sum the 12 months of the period per area; complete only with 12 published months."""
    inside = frame[frame["period_start"].between(period.first_month, period.last_month)]
    if inside.empty:
        return pd.DataFrame(columns=_VALUES)
    grouped = inside.groupby("area_code", as_index=False).agg(
        value=("value", lambda v: v.sum(min_count=1)),
        sample_size=("sample_size", lambda v: v.sum(min_count=1)),
        published=("value", "count"),
        hidden=("withheld", "sum"),
        withheld=("withheld", "any"),
    )
    grouped["complete"] = grouped["published"] + grouped["hidden"] == period.months
    return grouped[_VALUES]


def period_values(store: Store, info: Indicator, period: MapPeriod, *, level: int) -> pd.DataFrame:
    """area_code, value, sample_size, complete, withheld of the areas of one level for the period."""
    if period.rolling:
        if not monthly_counts(store, info):
            return pd.DataFrame(columns=_VALUES)
        return _rolling(_monthly(store, info, level), period)
    values = views.yearly_values(store, info, level=level)
    return values[values["year"] == period.year][_VALUES]


def _denominators(store: Store, kind: str, year: int) -> pd.DataFrame:
    """code, denominator, denominator_year: the given year or else the latest earlier one."""
    return views.denominators_at(store, kind, year).rename(columns={"area_code": "code"})


def _attach_base(store: Store, info: Indicator, period: MapPeriod, frame: pd.DataFrame) -> pd.DataFrame:
    """Each district's denominator, its kind and year (respondents of the survey year for percents)."""
    if info.has_rate:
        den = _denominators(store, str(info.denominator_kind), period.year)
        frame = frame.merge(den, on="code", how="left")
        return frame.assign(denominator_kind=info.denominator_kind)
    if info.unit == Unit.PERCENT.value and frame["sample_size"].notna().any():
        year = np.where(frame["sample_size"].notna(), period.year, np.nan)
        return frame.assign(
            denominator=frame["sample_size"], denominator_kind=RESPONDENTS, denominator_year=year
        )
    return frame.assign(denominator=np.nan, denominator_kind=None, denominator_year=np.nan)


def _attach_intervals(info: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Interval of the value (Poisson for counts, Wilson for percents) and the rate with its interval."""
    value = frame["value"].to_numpy(dtype=float)
    sizes = frame["sample_size"].to_numpy(dtype=float)
    own = rates.ci_for(info.unit, value, sample_size=sizes if info.unit == Unit.PERCENT.value else None)
    frame["value_lower"], frame["value_upper"] = own.lower, own.upper
    denominator = frame["denominator"].to_numpy(dtype=float)
    if info.has_rate and info.unit == Unit.COUNT.value:
        rated = rates.rate_ci(value, denominator, info.multiplier)
        frame["rate"], frame["rate_lower"], frame["rate_upper"] = rated.rate, rated.lower, rated.upper
    elif info.has_rate:
        frame["rate"] = rates.rate(value, denominator, info.multiplier)
        frame["rate_lower"] = frame["rate_upper"] = np.nan
    else:
        frame["rate"] = frame["rate_lower"] = frame["rate_upper"] = np.nan
    return frame


def _window(found: pd.DataFrame, period: MapPeriod) -> pd.Series:
    """One total over the map period from totals per month (rolling) or per year."""
    if period.rolling:
        end = period.last_month + pd.DateOffset(months=1)
        return totals.window_total(found, period.first_month, end, periods=period.months)
    start = pd.Timestamp(year=period.year, month=1, day=1)
    return totals.window_total(found, start, start + pd.DateOffset(years=1), periods=1)


def _target(period: MapPeriod) -> str:
    return Granularity.MONTH.value if period.rolling else Granularity.YEAR.value


def _figure(
    info: Indicator, total: pd.Series, denominators: pd.DataFrame, code: str, year: int
) -> CityFigure:
    """A total and the denominator of the year (or the latest earlier one) as a figure with its rate."""
    value = float(total["value"])
    low, high = float(total["lower"]), float(total["upper"])
    basis = TotalBasis(total["basis"])
    if not info.has_rate:
        return CityFigure(value, float("nan"), value, low, high, basis)
    denominator, _ = views.latest_at(denominators, code, year)

    def per(x: float) -> float:
        return float(rates.rate(x, denominator, info.multiplier))

    return CityFigure(value, denominator, per(value), per(low), per(high), basis)


def city_figure(store: Store, info: Indicator, period: MapPeriod) -> CityFigure:
    """The city's value by the one city-total rule, its denominator, and the reference for benchmarks.

    The denominator is the city's of the year or the latest earlier one (its own, else the sum of every
    district's: :func:`totals.city_denominators`). The reference is the rate when there is a
    denominator; with districts withheld it is known only within bounds, and a district is then higher
    or lower only beyond both.
    """
    total = _window(totals.city_totals(store, info, _target(period)), period)
    city = totals.city_code(store)
    kind = str(info.denominator_kind)
    denominators = totals.city_denominators(store, kind, city) if info.has_rate else pd.DataFrame()
    return _figure(info, total, denominators, city, period.year)


def area_figure(
    store: Store, info: Indicator, period: MapPeriod, members: Sequence[str], code: str
) -> CityFigure:
    """:func:`city_figure` for any set of districts (a group, a district's similar districts): the
    members' total by the same rule, their denominators summed in the years all of them have one."""
    return area_figures(store, info, period, {code: members})[code]


def area_figures(
    store: Store, info: Indicator, period: MapPeriod, sets: Mapping[str, Sequence[str]]
) -> dict[str, CityFigure]:
    """:func:`area_figure` of several sets of districts, from one read of the districts' values."""
    found = totals.area_totals_many(store, info, _target(period), sets)
    kind = str(info.denominator_kind)
    stored = queries.denominators(store, kind) if info.has_rate else None
    figures = {}
    for code, members in sets.items():
        denominators = (
            totals.area_denominators(store, kind, members, code, stored=stored)
            if info.has_rate
            else pd.DataFrame()
        )
        figures[code] = _figure(info, _window(found[code], period), denominators, code, period.year)
    return figures


def district_table(store: Store, info: Indicator, period: MapPeriod) -> pd.DataFrame:
    """Every district's value, interval, base, rate and benchmark against the city for one period.

    Method: Poisson intervals for counts (exact below 10, Byar from 10) and their rates, Wilson for
    survey percents (stats.rates.ci_for); benchmark of the district's 95% interval against the city
    value with the indicator's polarity (stats.compare.benchmark_many).

    Returns:
        code, name, value, value_lower, value_upper, denominator, denominator_kind, denominator_year,
        rate, rate_lower, rate_upper, complete, withheld, benchmark, reference (the city's value or rate,
        NaN unless exact), reference_low, reference_high (its bounds) and reference_basis.
        ``withheld`` is true for a district not published: withheld at source or incomplete.
    """
    names = queries.areas(store, level=1)[["code", "name"]]
    values = period_values(store, info, period, level=1).rename(columns={"area_code": "code"})
    frame = names.merge(values, on="code", how="left")
    frame["complete"] = frame["complete"].fillna(False).astype(bool)
    frame["withheld"] = frame["withheld"].fillna(False).astype(bool) | ~frame["complete"]
    frame["value"] = frame["value"].astype(float).where(~frame["withheld"])
    frame["sample_size"] = frame["sample_size"].astype(float)
    frame = _attach_intervals(info, _attach_base(store, info, period, frame))
    city = city_figure(store, info, period)
    basis = "rate" if info.has_rate else "value"
    # A district's count against the city's total compares sizes, not risks: no benchmark without a rate.
    low, high = (city.low, city.high) if info.comparable_with_city else (float("nan"), float("nan"))
    frame["benchmark"] = compare.benchmark_many(
        frame[f"{basis}_lower"], frame[f"{basis}_upper"], low, info.polarity, reference_upper=high
    ).map(str)
    frame["reference"] = city.reference
    frame["reference_low"], frame["reference_high"], frame["reference_basis"] = (
        city.low,
        city.high,
        str(city.basis),
    )
    return frame.drop(columns="sample_size")


def shown_columns(info: Indicator, measure: str) -> tuple[str, str, str]:
    """The value and interval columns of :func:`district_table` a measure shows.

    A benchmark map compares the rate when the indicator has a denominator, else the value itself.
    """
    if measure == RATE or (measure == BENCHMARK and info.has_rate):
        return "rate", "rate_lower", "rate_upper"
    return "value", "value_lower", "value_upper"


def selected_code(points: Sequence[Mapping[str, Any]], locations: Sequence[Sequence[str]]) -> str | None:
    """The district code of the first clicked map polygon, or None when nothing is selected.

    A selected point names its polygon by ``location``; failing that, by trace (``curve_number``) and
    position (``point_index``) in ``locations``, the figure's traces' location lists.
    """
    for point in points:
        location = point.get("location")
        if isinstance(location, str) and location:
            return location
        curve = point.get("curve_number")
        index = point.get("point_index", point.get("point_number"))
        if not isinstance(curve, int) or not isinstance(index, int):
            continue
        if 0 <= curve < len(locations) and 0 <= index < len(locations[curve]):
            return str(locations[curve][index])
    return None
