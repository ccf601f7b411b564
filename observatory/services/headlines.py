"""What changed: headline figures for the city and the districts that moved most.

The comparison period is the latest 12 months against the 12 before for indicators stored monthly
(DESIGN §4), and the latest year against the year before otherwise. A change is called a change only
when its interval excludes no-change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from observatory.services import views
from observatory.services.views import IndicatorInfo, indicator, latest_at
from observatory.stats import compare, rates
from observatory.store import Store, queries


@dataclass(frozen=True, slots=True)
class Window:
    """Two comparable periods: the latest and the one before, each [start, end)."""

    label: str
    start: date
    end: date
    previous_start: date
    months: int


@dataclass(frozen=True, slots=True)
class Headline:
    """One indicator's city figure for the latest period and its change."""

    code: str
    name: str
    unit: str
    polarity: str
    window: Window
    value: float
    previous: float
    rate: float
    rate_lower: float
    rate_upper: float
    denominator_kind: str | None
    denominator_year: int | None
    change: compare.Change
    verdict: str


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def latest_window(store: Store, info: IndicatorInfo) -> Window | None:
    """Rolling 12 months to the latest month every district has, or the latest year; None if no data."""
    stored = queries.granularities(store, info.code)
    if not stored:
        return None
    granularity = stored[0] if info.additive else ("year" if "year" in stored else stored[-1])
    last = queries.latest_complete_period(store, info.code, granularity)
    if last is None:
        return None
    step = {"month": 1, "quarter": 3, "year": 12}[granularity]
    end = _add_months(last, step)
    start = _add_months(end, -12)
    label = f"{start.isoformat()[:7]}..{last.isoformat()[:7]}" if granularity != "year" else str(last.year)
    return Window(label, start, end, _add_months(start, -12), 12)


def _change(info: IndicatorInfo, sums: pd.DataFrame, n1: float, n2: float) -> compare.Change:
    previous, latest = sums.iloc[0], sums.iloc[1]
    if info.additive:
        pop1 = None if math.isnan(n1) or math.isnan(n2) else n1
        pop2 = None if pop1 is None else n2
        return compare.rate_ratio(previous["value"], latest["value"], n1=pop1, n2=pop2)
    if info.unit == "percent":
        return compare.proportion_change(
            previous["value"], previous["sample_size"], latest["value"], latest["sample_size"]
        )
    return compare.Change(math.nan, math.nan, math.nan, False, compare.Direction.NOT_COMPUTABLE)


def city_headline(store: Store, code: str, city_code: str) -> Headline | None:
    """The city's latest-period figure for one indicator, its rate with interval, and its change."""
    info = indicator(store, code)
    window = latest_window(store, info)
    if window is None:
        return None
    starts = [window.previous_start, window.start]
    level = 1 if views.sums_districts(store, info) else 0
    sums = queries.window_totals(store, info.code, starts, window.end, level=level)
    if len(sums) != 2 or sums["withheld"].any() or not sums["complete"].all():
        return None
    year = _add_months(window.end, -1).year
    n1 = n2 = math.nan
    den_year: int | None = None
    if info.denominator_kind:
        dens = queries.denominators(store, info.denominator_kind)
        n2, den_year = latest_at(dens, city_code, year)
        n1, _ = latest_at(dens, city_code, year - 1)
    latest = float(sums["value"].iloc[1])
    estimate = rates.ci_for(
        info.unit,
        latest,
        denominator=n2 if info.denominator_kind else None,
        sample_size=sums["sample_size"].iloc[1],
        multiplier=info.multiplier,
    )
    change = _change(info, sums, n1, n2)
    return Headline(
        code=info.code,
        name=info.name,
        unit=info.unit,
        polarity=info.polarity,
        window=window,
        value=latest,
        previous=float(sums["value"].iloc[0]),
        rate=float(estimate.rate) if info.denominator_kind else math.nan,
        rate_lower=float(estimate.lower),
        rate_upper=float(estimate.upper),
        denominator_kind=info.denominator_kind,
        denominator_year=den_year,
        change=change,
        verdict=compare.verdict(change, info.polarity),
    )


def movers(store: Store, code: str, *, limit: int = 5) -> pd.DataFrame:
    """Districts whose latest period differs from the one before beyond chance, largest moves first.

    Returns:
        code, name, previous, latest, ratio, lower, upper, verdict — significant moves only.
    """
    info = indicator(store, code)
    window = latest_window(store, info)
    columns = ["code", "name", "previous", "latest", "ratio", "lower", "upper", "verdict"]
    if window is None or not info.additive:
        return pd.DataFrame(columns=columns)
    frame = queries.window_totals_by_area(store, info.code, [window.previous_start, window.start], window.end)
    names = queries.areas(store, level=1).set_index("code")["name"]
    rows = []
    for area, part in frame.groupby("area_code"):
        if len(part) != 2 or part["withheld"].any() or not part["complete"].all():
            continue
        change = compare.rate_ratio(part["value"].iloc[0], part["value"].iloc[1])
        if change.significant:
            rows.append(
                [
                    area,
                    names.get(area, area),
                    part["value"].iloc[0],
                    part["value"].iloc[1],
                    change.estimate,
                    change.lower,
                    change.upper,
                    compare.verdict(change, info.polarity),
                ]
            )
    moved = pd.DataFrame(rows, columns=columns)
    if moved.empty:
        return moved
    moved["size"] = np.abs(np.log(moved["ratio"].astype(float)))
    return moved.sort_values("size", ascending=False).drop(columns="size").head(limit).reset_index(drop=True)
