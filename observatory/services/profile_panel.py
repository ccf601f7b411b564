"""Yearly panels behind the district profile: every district and the city, every year, one indicator.

A panel row carries the value, its denominator (with the year it comes from), the measure that is
compared across places (``shown``: a rate per 1,000 for counts with a denominator, else the value) and
its 95% interval. Withheld or incomplete years keep their row with NaN values, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.domain import Indicator, IndicatorKind, NotFound, Unit
from observatory.services import totals, views
from observatory.stats import rates
from observatory.store import Store, queries

PANEL_COLUMNS = [
    "area_code",
    "is_city",
    "year",
    "value",
    "sample_size",
    "withheld",
    "complete",
    "denominator",
    "denominator_year",
    "shown",
    "lower",
    "upper",
    "shown_low",
    "shown_high",
]

# Anti-social behaviour is not crime: an indicator named so must never enter an offences total.
# "anti-social", "antisocial", Portuguese "antissocial(is)", French "antisociaux": names may be translated.
_ANTI_SOCIAL = re.compile(r"anti[\s_-]?s?soci|\basb\b|incivilit", re.IGNORECASE)


def is_anti_social(*texts: str) -> bool:
    """True when any of the texts (code, theme, name) says anti-social behaviour."""
    return any(_ANTI_SOCIAL.search(text or "") for text in texts)


def is_offence(info: Indicator) -> bool:
    """True for a recorded-offence indicator: a result count that is not anti-social behaviour."""
    return (
        info.kind == IndicatorKind.RESULT.value
        and info.unit == Unit.COUNT.value
        and not is_anti_social(info.code, info.theme, info.name)
    )


def _bounds_shown(info: Indicator, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The bounds of each row on the shown scale (the rate when there is a denominator)."""
    low = frame["bound_lower"].to_numpy(dtype=float)
    high = frame["bound_upper"].to_numpy(dtype=float)
    if info.has_rate:
        den = frame["denominator"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return low / den * info.multiplier, high / den * info.multiplier
    return low, high


def _districts(store: Store, info: Indicator) -> pd.DataFrame:
    frame = views.yearly_values(store, info, level=1).assign(is_city=False)
    if info.has_rate:
        return views.as_of(frame, queries.denominators(store, str(info.denominator_kind)))
    return frame.assign(denominator=np.nan, denominator_year=np.nan)


def sum_if_all(frame: pd.DataFrame, by: str | list[str], column: str, size: int) -> pd.Series:
    """Sum of ``column`` per group, NaN where fewer than ``size`` values are present (nothing becomes 0)."""
    grouped = frame.groupby(by)[column]
    sums, present = grouped.sum(), grouped.count()
    return sums.where(present == size)


def _city_denominators(store: Store, info: Indicator, city_code: str, years: pd.Series) -> pd.DataFrame:
    """year, denominator, denominator_year of the city (:func:`totals.city_denominators`)."""
    frame = pd.DataFrame({"area_code": city_code, "year": years.astype("int64")})
    if not info.has_rate:
        return frame.assign(denominator=np.nan, denominator_year=np.nan)
    return views.as_of(frame, totals.city_denominators(store, str(info.denominator_kind), city_code))


def _city(store: Store, info: Indicator, city_code: str) -> pd.DataFrame:
    """The city's years by the one city-total rule, with the bounds of a bounded total."""
    rows = totals.city_rows(store, info, "year")
    frame = rows.drop(columns=["period_start", "basis", "ci_lower", "ci_upper"]).assign(
        area_code=city_code, is_city=True, year=pd.to_datetime(rows["period_start"]).dt.year.astype("int64")
    )
    den = _city_denominators(store, info, city_code, frame["year"])
    return frame.merge(den[["year", "denominator", "denominator_year"]], on="year", how="left")


def panel(store: Store, info: Indicator, city_code: str) -> pd.DataFrame:
    """Every district's and the city's yearly value, rate and 95% interval for one indicator.

    Method: yearly values from :func:`views.yearly_values`; the city by the one city-total rule
    (:func:`totals.city_totals`: its own rows, the complete sum, or bounds with ``shown_low`` and
    ``shown_high`` on the shown scale); intervals by :func:`stats.rates.ci_for` (Byar or
    exact Poisson for counts, Wilson for survey shares, none for values that arrive as rates or shares
    without a sample size). The city's ``shown`` is NaN for a count without a denominator, because a
    district's count and a city total are not comparable.

    Returns:
        The columns of :data:`PANEL_COLUMNS`; empty when no district has the indicator.
    """
    districts = _districts(store, info)
    if districts.empty:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    districts = districts.assign(bound_lower=districts["value"], bound_upper=districts["value"])
    frame = pd.concat([districts, _city(store, info, city_code)], ignore_index=True)
    frame["year"] = frame["year"].astype("int64")
    estimate = rates.ci_for(
        info.unit,
        frame["value"].to_numpy(dtype=float),
        denominator=frame["denominator"].to_numpy(dtype=float) if info.has_rate else None,
        sample_size=frame["sample_size"].to_numpy(dtype=float),
        multiplier=info.multiplier,
    )
    frame["shown"], frame["lower"], frame["upper"] = estimate.rate, estimate.lower, estimate.upper
    frame["shown_low"], frame["shown_high"] = _bounds_shown(info, frame)
    if not info.comparable_with_city:
        frame.loc[frame["is_city"], ["shown", "lower", "upper", "shown_low", "shown_high"]] = np.nan
    return frame[PANEL_COLUMNS].sort_values(["is_city", "area_code", "year"]).reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class AreaIndex:
    """Every panel's rows in one frame sorted by area, so that one area's rows are one slice.

    Attributes:
        rows: The :data:`PANEL_COLUMNS` of every panel plus ``code`` (the indicator), sorted by area,
            then indicator, then year.
        bounds: Area code → (first row, end row) of its slice.
        ranges: (indicator, year) → (lowest, highest) ``shown`` value among the districts.
    """

    rows: pd.DataFrame
    bounds: Mapping[str, tuple[int, int]]
    ranges: Mapping[tuple[str, int], tuple[float, float]]

    @classmethod
    def of(cls, panels: Mapping[str, pd.DataFrame]) -> AreaIndex:
        """Index the panels (indicator code → panel)."""
        if not panels:
            return cls(pd.DataFrame(columns=[*PANEL_COLUMNS, "code"]), {}, {})
        rows = pd.concat([frame.assign(code=code) for code, frame in panels.items()], ignore_index=True)
        rows = rows.sort_values(["area_code", "code", "year"], kind="stable").reset_index(drop=True)
        areas, starts, counts = np.unique(
            rows["area_code"].to_numpy(dtype=str), return_index=True, return_counts=True
        )
        bounds = {str(a): (int(s), int(s + n)) for a, s, n in zip(areas, starts, counts, strict=True)}
        spread = rows[~rows["is_city"]].groupby(["code", "year"])["shown"].agg(["min", "max"])
        ranges = {
            (str(code), int(year)): (float(low), float(high))
            for (code, year), low, high in zip(spread.index, spread["min"], spread["max"], strict=True)
        }
        return cls(rows, bounds, ranges)

    def area(self, code: str) -> pd.DataFrame:
        """The rows of one area (every indicator and year), or none."""
        start, stop = self.bounds.get(code, (0, 0))
        return self.rows.iloc[start:stop]


@dataclass(frozen=True, slots=True)
class ProfileData:
    """Everything the district profile reads from the store, loaded once and then only sliced.

    Attributes:
        city_code: Code of the city (the level-0 area).
        areas: code, name, level, area_km2 of the city and its districts.
        indicators: Indicators with district data, in catalogue order.
        panels: Indicator code → its :func:`panel`.
        residents: area_code, year, value of the residents denominator.
        dwellings: area_code, year, value of the dwellings denominator.
        offence_codes: The indicators summed into recorded offences (see :func:`is_offence`).
        offences: Yearly offences totals and rates of every district and the city
            (see :func:`offence_totals`).
        by_area: The same panels indexed by area (see :class:`AreaIndex`): a district's profile is
            read from its own slice instead of filtering every indicator's panel.
    """

    city_code: str
    areas: pd.DataFrame
    indicators: tuple[Indicator, ...]
    panels: Mapping[str, pd.DataFrame]
    residents: pd.DataFrame
    dwellings: pd.DataFrame
    offence_codes: tuple[str, ...]
    offences: pd.DataFrame
    by_area: AreaIndex

    def district_codes(self) -> list[str]:
        """Codes of the districts, in code order."""
        return self.areas.loc[self.areas["level"] == 1, "code"].astype(str).tolist()


def load(store: Store) -> ProfileData:
    """Read the catalogue, areas, denominators and one panel per indicator with district data.

    Raises:
        NotFound: If the store holds no city area (nothing imported yet).
    """
    areas = queries.areas(store)
    cities = areas.loc[areas["level"] == 0, "code"]
    if cities.empty:
        raise NotFound("no city area")
    city_code = str(cities.iloc[0])
    infos, panels = [], {}
    for code in queries.indicators(store)["code"]:
        info = views.indicator(store, str(code))
        frame = panel(store, info, city_code)
        if not frame.empty:
            infos.append(info)
            panels[info.code] = frame
    residents = queries.denominators(store, "residents")
    codes = tuple(info.code for info in infos if is_offence(info))
    return ProfileData(
        city_code=city_code,
        areas=areas[["code", "name", "level", "area_km2"]].reset_index(drop=True),
        indicators=tuple(infos),
        panels=panels,
        residents=residents,
        dwellings=queries.denominators(store, "dwellings"),
        offence_codes=codes,
        offences=offence_totals(panels, codes, residents, city_code),
        by_area=AreaIndex.of(panels),
    )


def offence_totals(
    panels: Mapping[str, pd.DataFrame], codes: tuple[str, ...], residents: pd.DataFrame, city_code: str
) -> pd.DataFrame:
    """Every district's and the city's yearly recorded-offences total and rate per 1,000 residents.

    Method: sum of the yearly counts of the offence indicators (a year is missing when any of them is
    withheld or incomplete there), for each district and for the city (its figure in each indicator's
    panel: its own rows, else the sum of its districts); residents of that year or the latest earlier
    one (for the city without its own, the sum of the districts'); 95% interval by
    :func:`stats.rates.rate_ci` (exact Poisson / Byar).

    Returns:
        area_code, year, count, denominator, rate, lower, upper.
    """
    columns = ["area_code", "year", "count", "denominator", "rate", "lower", "upper"]
    if not codes:
        return pd.DataFrame(columns=columns)
    long = pd.concat([panels[c][["area_code", "year", "value"]] for c in codes])
    frame = sum_if_all(long, ["area_code", "year"], "value", len(codes)).rename("count").reset_index()
    frame = views.as_of(frame, residents)
    districts = frame[frame["area_code"] != city_code]
    summed = sum_if_all(districts, "year", "denominator", districts["area_code"].nunique())
    is_city = frame["area_code"] == city_code
    frame.loc[is_city, "denominator"] = frame.loc[is_city, "denominator"].fillna(
        frame.loc[is_city, "year"].map(summed)
    )
    estimate = rates.rate_ci(frame["count"].to_numpy(float), frame["denominator"].to_numpy(float))
    frame["rate"], frame["lower"], frame["upper"] = estimate
    return frame[columns]
