"""District profile: every indicator of one district against the city, its trends and its context.

Counts are compared as rates per 1,000 of the indicator's denominator, never as raw counts; survey
shares with their Wilson interval; a change is called a change only when it is beyond chance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from observatory.domain import Indicator, IndicatorKind, NotFound, Unit
from observatory.services import views
from observatory.services.profile_crime import CrimeAndFeeling, crime_and_feeling
from observatory.services.profile_panel import ProfileData, load
from observatory.stats import changes, compare
from observatory.stats.changes import Figure

__all__ = ["Context", "DistrictProfile", "ProfileData", "district_profile", "districts", "load", "years"]

#: Kinds in the order the profile shows them.
KIND_ORDER = (IndicatorKind.CONTEXT.value, IndicatorKind.ACTIVITY.value, IndicatorKind.RESULT.value)
#: Years shown in the small trend charts.
TREND_YEARS = 10


@dataclass(frozen=True, slots=True)
class Context:
    """Who and what the district holds: residents, dwellings, area and density (residents per km²)."""

    residents: float
    residents_year: int | None
    dwellings: float
    dwellings_year: int | None
    area_km2: float
    density: float


@dataclass(frozen=True, slots=True)
class DistrictProfile:
    """One district in one year.

    Attributes:
        code: District code.
        name: District name.
        year: The profile's year.
        context: Residents, dwellings, area and density.
        table: One row per indicator (see :func:`profile_table`).
        trends: Yearly district and city values of the result indicators (see :func:`trend_frame`).
        crime: Recorded offences and felt insecurity side by side.
    """

    code: str
    name: str
    year: int
    context: Context
    table: pd.DataFrame
    trends: pd.DataFrame
    crime: CrimeAndFeeling


def districts(data: ProfileData) -> pd.DataFrame:
    """code and name of the districts, in code order."""
    frame = data.areas[data.areas["level"] == 1]
    return frame[["code", "name"]].reset_index(drop=True)


def years(data: ProfileData) -> tuple[list[int], int | None]:
    """Years with a complete district value for some indicator (newest first), and the default year.

    The default is the latest year complete for every indicator that has any complete year, so the
    profile opens on a year where nothing is missing merely because it is not over yet.
    """
    latest: list[int] = []
    found: set[int] = set()
    for frame in data.bases.values():
        done = frame.loc[~frame["is_city"] & frame["complete"], "year"]
        if len(done):
            found.update(int(y) for y in done)
            latest.append(int(done.max()))
    options = sorted(found, reverse=True)
    return options, (min(latest) if latest else None)


def context(data: ProfileData, district: str, year: int) -> Context:
    """Residents and dwellings of that year (or the latest earlier one), area and density."""
    residents, residents_year = views.latest_at(data.residents, district, year)
    dwellings, dwellings_year = views.latest_at(data.dwellings, district, year)
    area = data.areas.loc[data.areas["code"] == district, "area_km2"]
    km2 = float(area.iloc[0]) if len(area) and pd.notna(area.iloc[0]) else math.nan
    density = residents / km2 if km2 and not math.isnan(km2) else math.nan
    return Context(residents, residents_year, dwellings, dwellings_year, km2, density)


def year_change(
    info: Indicator, earlier: Mapping[str, Any] | None, later: Mapping[str, Any] | None
) -> compare.Change:
    """Change from one year to the next, by the indicator's unit.

    Method: the indicator's own test (:func:`stats.changes.change`): counts — rate ratio of the rates
    (same denominator kind) with its log interval, exact when one count is 0; survey percentages —
    Newcombe's interval for a difference of proportions; other units carry no information about their
    precision, so their change is the plain difference, not tested against chance.
    """
    none = compare.Change(math.nan, math.nan, math.nan, False, compare.Direction.NOT_COMPUTABLE)
    if earlier is None or later is None:
        return none

    def figure(row: Mapping[str, Any]) -> Figure:
        return Figure.exact(row["value"], denominator=row["denominator"], sample_size=row["sample_size"])

    return changes.change(info, figure(earlier), figure(later))


def _change_fields(
    info: Indicator,
    change: compare.Change,
    earlier: Mapping[str, Any] | None,
    later: Mapping[str, Any] | None,
) -> dict[str, Any]:
    estimate = change.estimate
    if math.isnan(estimate) and info.unit == Unit.PERCENT.value and earlier is not None and later is not None:
        # Shares without a sample size: the difference is shown, but no verdict is invented for it.
        estimate = float(later["value"]) - float(earlier["value"])
    return {
        "change_measure": "rate_ratio" if change.measure is compare.Measure.RATE_RATIO else "difference",
        "change": estimate,
        "change_lower": change.lower,
        "change_upper": change.upper,
        "change_significant": change.significant,
        "verdict": compare.verdict(change, info.polarity),
    }


_FROM_DISTRICT = ("value", "shown", "lower", "upper", "sample_size", "denominator", "denominator_year")
_NO_RANGE = (math.nan, math.nan)


def _by_code_year(rows: pd.DataFrame) -> dict[tuple[str, int], dict[str, Any]]:
    """Plain records keyed by (indicator, year): a few hundred dict lookups beat as many pandas filters."""
    return {(str(r["code"]), int(r["year"])): r for r in rows.to_dict("records")}


def indicator_row(
    info: Indicator,
    mine: Mapping[tuple[str, int], Mapping[str, Any]],
    city: Mapping[tuple[str, int], Mapping[str, Any]],
    spread: tuple[float, float],
    year: int,
) -> dict[str, Any]:
    """One indicator of one district and year against the city, the range of districts and last year.

    Args:
        info: The indicator.
        mine: The district's panel records by (indicator, year).
        city: The city's panel records by (indicator, year).
        spread: Lowest and highest ``shown`` value among the districts that year.
        year: The profile's year.
    """
    this, earlier, whole = (
        mine.get((info.code, year)),
        mine.get((info.code, year - 1)),
        city.get((info.code, year)),
    )
    row: dict[str, Any] = {
        "code": info.code,
        "name": info.name,
        "theme": info.theme,
        "kind": info.kind,
        "unit": info.unit,
        "polarity": info.polarity,
        "denominator_kind": info.denominator_kind,
        "multiplier": info.multiplier,
        "comparable": info.comparable_with_city,
        "year": year,
        **{col: (this[col] if this is not None else math.nan) for col in _FROM_DISTRICT},
        "withheld": bool(this["withheld"]) if this is not None else False,
        "city": whole["shown"] if whole is not None else math.nan,
        # The city's figure within bounds when districts are withheld (equal to "city" when exact).
        "city_low": whole["shown_low"] if whole is not None else math.nan,
        "city_high": whole["shown_high"] if whole is not None else math.nan,
        "district_min": spread[0],
        "district_max": spread[1],
        "source": info.source,
    }
    change = year_change(info, earlier, this)
    return {**row, **_change_fields(info, change, earlier, this)}


def _years(rows: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    return rows[rows["year"].between(first, last)]


def profile_table(data: ProfileData, district: str, year: int) -> pd.DataFrame:
    """Every indicator of the district in one year, by kind then theme, with its benchmark vs the city.

    Method: benchmark by :func:`stats.compare.benchmark_many` — the district's 95% interval against the
    city's value (or its bounds, when districts are withheld), turned into better / similar / worse by
    the indicator's polarity.
    """
    mine = _by_code_year(_years(data.by_area.area(district), year - 1, year))
    city = _by_code_year(_years(data.by_area.area(data.city_code), year, year))
    ranges = data.by_area.ranges
    rows = [
        indicator_row(info, mine, city, ranges.get((info.code, year), _NO_RANGE), year)
        for info in data.indicators
    ]
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["benchmark"] = compare.Benchmark.NOT_COMPARED.value
    for polarity, part in table.groupby("polarity"):
        words = compare.benchmark_many(
            part["lower"], part["upper"], part["city_low"], str(polarity), reference_upper=part["city_high"]
        )
        table.loc[part.index, "benchmark"] = [str(w.value) for w in words]
    table["kind_order"] = table["kind"].map({k: i for i, k in enumerate(KIND_ORDER)}).fillna(len(KIND_ORDER))
    table = table.sort_values(["kind_order", "theme", "name"], kind="stable").drop(columns="kind_order")
    return table.reset_index(drop=True)


def trend_frame(data: ProfileData, district: str, year: int, *, span: int = TREND_YEARS) -> pd.DataFrame:
    """Yearly district and city values of the result indicators over the ``span`` years up to ``year``.

    Returns:
        code, name, area (``district`` / ``city``), year, shown, lower, upper, withheld; by indicator
        in catalogue order, the district before the city, then by year.
    """
    columns = ["code", "name", "area", "year", "shown", "lower", "upper", "withheld"]
    results = [info for info in data.indicators if info.kind == IndicatorKind.RESULT.value]
    if not results:
        return pd.DataFrame(columns=columns)
    order = {info.code: i for i, info in enumerate(results)}
    names = {info.code: info.name for info in results}
    both = pd.concat([data.by_area.area(district), data.by_area.area(data.city_code)], ignore_index=True)
    frame = _years(both[both["code"].isin(order)], year - span + 1, year)
    frame = frame.assign(
        name=frame["code"].map(names),
        area=np.where(frame["is_city"], "city", "district"),
        _order=frame["code"].map(order),
    )
    frame = frame.sort_values(["_order", "is_city", "year"], kind="stable")
    return frame[columns].reset_index(drop=True)


def district_profile(data: ProfileData, district: str, year: int) -> DistrictProfile:
    """The whole profile of one district in one year.

    Raises:
        NotFound: If the district code is not a district.
    """
    names = districts(data)
    match = names[names["code"] == district]
    if match.empty:
        raise NotFound(f"district {district}")
    return DistrictProfile(
        code=district,
        name=str(match["name"].iloc[0]),
        year=year,
        context=context(data, district, year),
        table=profile_table(data, district, year),
        trends=trend_frame(data, district, year),
        crime=crime_and_feeling(data, district, year, span=TREND_YEARS),
    )
