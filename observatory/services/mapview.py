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

from observatory.domain import Granularity, Indicator, Period, Unit
from observatory.services import views
from observatory.stats import compare, rates
from observatory.store import Store, queries

COUNT = "count"
RATE = "rate"
VALUE = "value"
BENCHMARK = "benchmark"
SCHEMES = ("quantiles", "fisher_jenks", "equal_interval")
RESPONDENTS = "respondents"

_VALUES = ["area_code", "value", "sample_size", "complete", "withheld"]


@dataclass(frozen=True, slots=True)
class MapPeriod:
    """A calendar year, or the 12 months ending at a month (a rolling year)."""

    year: int
    month: int = 12
    rolling: bool = False

    @classmethod
    def parse(cls, text: str) -> MapPeriod:
        """Read ``"2024"`` (the calendar year) or ``"2025-06"`` (12 months to June 2025).

        Raises:
            ValueError: If the text is neither a year nor a month.
        """
        period = Period.parse(text)
        if period.granularity is Granularity.YEAR:
            return cls(period.year)
        if period.granularity is Granularity.MONTH:
            return cls(period.year, period.start.month, rolling=True)
        raise ValueError(f"a map period is a year or a month, not {text!r}")

    @property
    def label(self) -> str:
        """The text :meth:`parse` reads back."""
        return f"{self.year}-{self.month:02d}" if self.rolling else str(self.year)

    @property
    def last_month(self) -> pd.Timestamp:
        """First day of the period's last month."""
        return pd.Timestamp(year=self.year, month=self.month, day=1)

    @property
    def first_month(self) -> pd.Timestamp:
        """First day of the period's first month."""
        return self.last_month - pd.DateOffset(months=11)


@dataclass(frozen=True, slots=True)
class PeriodOptions:
    """Periods a map can show, newest first: calendar years and the end months of rolling years."""

    years: tuple[str, ...]
    months: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CityFigure:
    """The city's value for the period, its denominator, and the reference districts are compared with."""

    value: float
    denominator: float
    reference: float


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
    first_end = pd.Timestamp(months[0]) + pd.DateOffset(months=11)
    ends = [pd.Timestamp(m) for m in months if pd.Timestamp(m) >= first_end]
    return PeriodOptions(years, tuple(f"{m.year}-{m.month:02d}" for m in reversed(ends)))


def comparable(info: Indicator) -> bool:
    """True when districts can be set against the city: a rate, or a value that is not a plain sum."""
    return bool(info.denominator_kind) or not info.additive


def measures(store: Store, info: Indicator) -> list[str]:
    """What a map of the indicator can show, the most comparable first.

    Counts with a denominator: a rate, the count and the benchmark; counts without one: the count; survey
    percents with respondents: the percent and the benchmark; anything else: its value.
    """
    first = COUNT if info.unit == Unit.COUNT.value else VALUE
    if info.denominator_kind:
        return [RATE, first, BENCHMARK] if info.unit == Unit.COUNT.value else [RATE, first]
    if info.unit == Unit.PERCENT.value:
        sizes = views.yearly_values(store, info, level=1)["sample_size"]
        if sizes.notna().any():
            return [VALUE, BENCHMARK]
    return [first]


def _rolling(frame: pd.DataFrame, period: MapPeriod) -> pd.DataFrame:
    """Sum the 12 months of the period per area; complete only with 12 published months."""
    inside = frame[frame["period_start"].between(period.first_month, period.last_month)]
    if inside.empty:
        return pd.DataFrame(columns=_VALUES)
    grouped = inside.groupby("area_code", as_index=False).agg(
        value=("value", lambda v: v.sum(min_count=1)),
        sample_size=("sample_size", lambda v: v.sum(min_count=1)),
        published=("value", "count"),
        withheld=("withheld", "any"),
    )
    grouped["complete"] = grouped["published"] == 12
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
    if info.denominator_kind:
        den = _denominators(store, info.denominator_kind, period.year)
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
    if info.denominator_kind and info.unit == Unit.COUNT.value:
        rated = rates.rate_ci(value, denominator, info.multiplier)
        frame["rate"], frame["rate_lower"], frame["rate_upper"] = rated.rate, rated.lower, rated.upper
    elif info.denominator_kind:
        frame["rate"] = rates.rate(value, denominator, info.multiplier)
        frame["rate_lower"] = frame["rate_upper"] = np.nan
    else:
        frame["rate"] = frame["rate_lower"] = frame["rate_upper"] = np.nan
    return frame


def _first_published(values: pd.DataFrame) -> float:
    usable = values[values["complete"].astype(bool) & ~values["withheld"].astype(bool)]
    return float(usable["value"].iloc[0]) if len(usable) else float("nan")


def city_figure(store: Store, info: Indicator, period: MapPeriod, districts: pd.DataFrame) -> CityFigure:
    """The city's value: its own row when published, else (counts) the sum of every district.

    The sum is only taken when no district is withheld or incomplete, since a partial sum would be
    read as the city total. The denominator is the city's own for the year (or the latest earlier
    one), else the sum of the districts'. The reference is the rate when there is a denominator.
    """
    value = _first_published(period_values(store, info, period, level=0))
    if np.isnan(value) and info.additive and len(districts) and not districts["withheld"].any():
        value = float(districts["value"].sum(min_count=1))
    if not info.denominator_kind:
        return CityFigure(value, float("nan"), value)
    city_codes = set(queries.areas(store, level=0)["code"])
    own = _denominators(store, info.denominator_kind, period.year)
    own = own[own["code"].isin(city_codes)]
    if len(own):
        denominator = float(own["denominator"].iloc[0])
    elif districts["denominator"].notna().all():
        denominator = float(districts["denominator"].sum())
    else:
        denominator = float("nan")
    return CityFigure(value, denominator, float(rates.rate(value, denominator, info.multiplier)))


def district_table(store: Store, info: Indicator, period: MapPeriod) -> pd.DataFrame:
    """Every district's value, interval, base, rate and benchmark against the city for one period.

    Method: Poisson intervals for counts (exact below 10, Byar from 10) and their rates, Wilson for
    survey percents (stats.rates.ci_for); benchmark of the district's 95% interval against the city
    value with the indicator's polarity (stats.compare.benchmark_many).

    Returns:
        code, name, value, value_lower, value_upper, denominator, denominator_kind, denominator_year,
        rate, rate_lower, rate_upper, complete, withheld, benchmark, reference (the city's value or rate).
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
    city = city_figure(store, info, period, frame)
    basis = "rate" if info.denominator_kind else "value"
    # A district's count against the city's total compares sizes, not risks: no benchmark without a rate.
    reference = city.reference if comparable(info) else float("nan")
    frame["benchmark"] = compare.benchmark_many(
        frame[f"{basis}_lower"], frame[f"{basis}_upper"], reference, info.polarity
    ).map(str)
    frame["reference"] = city.reference
    return frame.drop(columns="sample_size")


def shown_columns(info: Indicator, measure: str) -> tuple[str, str, str]:
    """The value and interval columns of :func:`district_table` a measure shows.

    A benchmark map compares the rate when the indicator has a denominator, else the value itself.
    """
    if measure == RATE or (measure == BENCHMARK and info.denominator_kind):
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
