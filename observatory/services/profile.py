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

from observatory.domain import IndicatorKind, NotFound, Unit
from observatory.services import views
from observatory.services.profile_crime import CrimeAndFeeling, crime_and_feeling
from observatory.services.profile_panel import ProfileData, comparable, load
from observatory.services.views import IndicatorInfo
from observatory.stats import compare

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
    for frame in data.panels.values():
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
    info: IndicatorInfo, earlier: Mapping[str, Any] | None, later: Mapping[str, Any] | None
) -> compare.Change:
    """Change from one year to the next, by the indicator's unit.

    Method: counts — rate ratio of the rates (same denominator kind) with its log interval, exact when
    one count is 0 (:func:`stats.compare.rate_ratio`); survey percentages — Newcombe's interval for a
    difference of proportions (:func:`stats.compare.proportion_change`); other units carry no
    information about their precision, so the change is not computable.
    """
    none = compare.Change(math.nan, math.nan, math.nan, False, compare.Direction.NOT_COMPUTABLE)
    if earlier is None or later is None:
        return none
    if info.unit == Unit.COUNT.value:
        n1, n2 = (earlier["denominator"], later["denominator"]) if info.denominator_kind else (None, None)
        return compare.rate_ratio(earlier["value"], later["value"], n1=n1, n2=n2)
    if info.unit == Unit.PERCENT.value:
        return compare.proportion_change(
            earlier["value"], earlier["sample_size"], later["value"], later["sample_size"]
        )
    return none


def _change_fields(
    info: IndicatorInfo,
    change: compare.Change,
    earlier: Mapping[str, Any] | None,
    later: Mapping[str, Any] | None,
) -> dict[str, Any]:
    estimate = change.estimate
    if math.isnan(estimate) and info.unit == Unit.PERCENT.value and earlier is not None and later is not None:
        # Shares without a sample size: the difference is shown, but no verdict is invented for it.
        estimate = float(later["value"]) - float(earlier["value"])
    return {
        "change_measure": "rate_ratio" if info.unit == Unit.COUNT.value else "difference",
        "change": estimate,
        "change_lower": change.lower,
        "change_upper": change.upper,
        "change_significant": change.significant,
        "verdict": compare.verdict(change, info.polarity),
    }


def _find(records: list[dict[str, Any]], year: int, area: str | None) -> dict[str, Any] | None:
    """The record of one year for a district (``area``) or for the city (``area`` None)."""
    for record in records:
        if record["year"] == year and (record["is_city"] if area is None else record["area_code"] == area):
            return record
    return None


_FROM_DISTRICT = ("value", "shown", "lower", "upper", "sample_size", "denominator", "denominator_year")


def indicator_row(info: IndicatorInfo, panel: pd.DataFrame, district: str, year: int) -> dict[str, Any]:
    """One indicator of one district and year against the city, the range of districts and last year."""
    recent = panel[panel["year"].between(year - 1, year)]
    # Plain records of this district and the city only: a dozen lookups on them cost far less than as
    # many pandas filters, and converting every district's rows cost 60 ms an indicator at 100 districts.
    records = recent[(recent["area_code"] == district) | recent["is_city"]].to_dict("records")
    mine, city, earlier = (
        _find(records, year, district),
        _find(records, year, None),
        _find(records, year - 1, district),
    )
    ranged = recent.loc[(recent["year"] == year) & ~recent["is_city"], "shown"]
    row: dict[str, Any] = {
        "code": info.code,
        "name": info.name,
        "theme": info.theme,
        "kind": info.kind,
        "unit": info.unit,
        "polarity": info.polarity,
        "denominator_kind": info.denominator_kind,
        "multiplier": info.multiplier,
        "comparable": comparable(info),
        "year": year,
        **{col: (mine[col] if mine is not None else math.nan) for col in _FROM_DISTRICT},
        "withheld": bool(mine["withheld"]) if mine is not None else False,
        "city": city["shown"] if city is not None else math.nan,
        "district_min": ranged.min(),
        "district_max": ranged.max(),
        "source": info.source,
    }
    change = year_change(info, earlier, mine)
    return {**row, **_change_fields(info, change, earlier, mine)}


def profile_table(data: ProfileData, district: str, year: int) -> pd.DataFrame:
    """Every indicator of the district in one year, by kind then theme, with its benchmark vs the city.

    Method: benchmark by :func:`stats.compare.benchmark_many` — the district's 95% interval against the
    city's value, turned into better / similar / worse by the indicator's polarity.
    """
    rows = [indicator_row(info, data.panels[info.code], district, year) for info in data.indicators]
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["benchmark"] = compare.Benchmark.NOT_COMPARED.value
    for polarity, part in table.groupby("polarity"):
        words = compare.benchmark_many(part["lower"], part["upper"], part["city"], str(polarity))
        table.loc[part.index, "benchmark"] = [str(w.value) for w in words]
    table["kind_order"] = table["kind"].map({k: i for i, k in enumerate(KIND_ORDER)}).fillna(len(KIND_ORDER))
    table = table.sort_values(["kind_order", "theme", "name"], kind="stable").drop(columns="kind_order")
    return table.reset_index(drop=True)


def _trend_rows(panel: pd.DataFrame, district: str, year: int, span: int) -> pd.DataFrame:
    keep = panel["year"].between(year - span + 1, year) & (
        (panel["area_code"] == district) | panel["is_city"]
    )
    return panel[keep]


def trend_frame(data: ProfileData, district: str, year: int, *, span: int = TREND_YEARS) -> pd.DataFrame:
    """Yearly district and city values of the result indicators over the ``span`` years up to ``year``.

    Returns:
        code, name, area (``district`` / ``city``), year, shown, lower, upper, withheld.
    """
    columns = ["code", "name", "area", "year", "shown", "lower", "upper", "withheld"]
    results = [info for info in data.indicators if info.kind == IndicatorKind.RESULT.value]
    if not results:
        return pd.DataFrame(columns=columns)
    # Each panel is cut to this district and the city before joining: joining every district's rows
    # first cost a second a profile at 100 districts.
    frame = pd.concat(
        [
            _trend_rows(data.panels[info.code], district, year, span).assign(code=info.code, name=info.name)
            for info in results
        ],
        ignore_index=True,
    )
    frame = frame.assign(area=np.where(frame["is_city"], "city", "district"))
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
