"""What the pages should show, computed from a generated city's own frames, without the app's code.

Rules (DESIGN §4 and docs/architecture.md): a count or amount of a district for a year is the sum of
its periods of that year, known only when every period is there and none is withheld; the city's
figure is its own rows when it has any, else the sum of every district, known only when each one
is; a rate is value / denominator × multiplier with the denominator of that year or else the latest
earlier one; values that are not counts or amounts (percent, rate, index) are read as given.
"""

from __future__ import annotations

import math

import pandas as pd

from tests.shapes.generator import CITY, City

PERIODS_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}


def granularity(period: str) -> str:
    """year, quarter or month of a period label."""
    if len(period) == 4:
        return "year"
    return "quarter" if "Q" in period else "month"


_MEMO: dict[tuple[int, str, str | None], pd.DataFrame] = {}


def rows(city: City, code: str, area: str | None = None) -> pd.DataFrame:
    """One indicator's observations (of one area when given), with granularity and year."""
    key = (id(city), code, area)
    if key not in _MEMO:
        frame = city.observations[city.observations["indicator"] == code]
        if area is not None:
            frame = frame[frame["area"] == area]
        _MEMO[key] = frame.assign(
            granularity=frame["period"].map(granularity), year=frame["period"].str[:4].astype(int)
        )
    return _MEMO[key]


def stored(city: City, code: str) -> str:
    """The granularity the districts' rows of an indicator are stored in."""
    grains = set(rows(city, code)["granularity"])
    return next(g for g in ("month", "quarter", "year") if g in grains)


def _known(values: pd.Series, statuses: pd.Series) -> bool:
    return bool(len(values)) and values.notna().all() and not (statuses == "ndiff").any()


_YEARS: dict[tuple[int, str], dict[tuple[str, int], float | None]] = {}


def _area_years(city: City, code: str) -> dict[tuple[str, int], float | None]:
    """Every (area, year) with rows: its value, None when incomplete or withheld."""
    key = (id(city), code)
    if key not in _YEARS:
        part = rows(city, code)
        if not city.indicator(code).additive:
            part = part[part["granularity"] == "year"]
        needed = PERIODS_PER_YEAR[stored(city, code)] if city.indicator(code).additive else 1
        found: dict[tuple[str, int], float | None] = {}
        for (area, year), group in part.groupby(["area", "year"]):
            ok = len(group) == needed and _known(group["value"], group["status"])
            found[(str(area), int(year))] = float(group["value"].sum()) if ok else None
        _YEARS[key] = found
    return _YEARS[key]


def area_year(city: City, code: str, area: str, year: int) -> float | None:
    """An area's value for a calendar year; None when incomplete or withheld."""
    return _area_years(city, code).get((area, year))


def has_city_rows(city: City, code: str) -> bool:
    return bool((rows(city, code)["area"] == CITY).any())


def city_periods(city: City, code: str) -> dict[str, float]:
    """The city's value per stored period: its own rows, else (additive) the sum of every district."""
    if has_city_rows(city, code):
        own = rows(city, code, CITY)
        own = own[own["value"].notna() & (own["status"] != "ndiff")]
        return dict(zip(own["period"], own["value"].astype(float), strict=True))
    if not city.indicator(code).additive:
        return {}
    part = rows(city, code)
    found = {}
    for period, group in part.groupby("period"):
        if len(group) == len(city.codes) and _known(group["value"], group["status"]):
            found[str(period)] = float(group["value"].sum())
    return found


def city_year(city: City, code: str, year: int) -> float | None:
    """The city's value for a calendar year; None when it cannot be known."""
    periods = {p: v for p, v in city_periods(city, code).items() if p.startswith(str(year))}
    if not city.indicator(code).additive:
        return periods.get(str(year))
    if len(periods) != PERIODS_PER_YEAR[stored(city, code)]:
        return None
    return sum(periods.values())


def years(city: City, code: str) -> list[int]:
    """Every calendar year the indicator has rows in, oldest first."""
    return sorted(set(rows(city, code)["year"]))


def latest_window(city: City, code: str) -> tuple[float, str] | None:
    """The city's latest figure and the last period it covers: the latest 12 months (4 quarters,
    1 year) with every period known; with less than a year of data, the latest period."""
    periods = city_periods(city, code)
    if not periods:
        return None
    ordered = sorted(periods)
    grain = stored(city, code)
    n = PERIODS_PER_YEAR[grain]
    every = sorted(set(rows(city, code)["period"]))
    if not city.indicator(code).additive or len(every) < n:
        return periods[ordered[-1]], ordered[-1]
    for end in range(len(every) - 1, n - 2, -1):
        window = every[end - n + 1 : end + 1]
        if _consecutive(window, grain) and all(p in periods for p in window):
            return sum(periods[p] for p in window), window[-1]
    return None


def latest_city(city: City, code: str) -> float | None:
    """The city's latest figure (see :func:`latest_window`)."""
    found = latest_window(city, code)
    return None if found is None else found[0]


def latest_city_rate(city: City, code: str) -> float | None:
    """The city's latest count per its denominator of the window's last year × the multiplier."""
    info = city.indicator(code)
    found = latest_window(city, code)
    if found is None or not info.denominator or info.multiplier is None:
        return None
    base = denominator(city, info.denominator, CITY, int(found[1][:4]))
    return None if base is None else found[0] / base * info.multiplier


def _consecutive(window: list[str], grain: str) -> bool:
    freq = {"year": "Y", "quarter": "Q", "month": "M"}[grain]
    first = pd.Period(window[0].replace("-Q", "Q"), freq=freq)
    return [
        str(p).replace("Q", "-Q") for p in pd.period_range(first, periods=len(window), freq=freq)
    ] == window


def latest_district_year(city: City, code: str) -> int | None:
    """The latest calendar year with a known value for at least one district."""
    districts = set(city.codes)
    found = [y for (a, y), v in _area_years(city, code).items() if a in districts and v is not None]
    return max(found) if found else None


def latest_city_year(city: City, code: str) -> int | None:
    """The latest calendar year with a known city value."""
    found = [y for y in years(city, code) if city_year(city, code, y) is not None]
    return max(found) if found else None


_BASES: dict[tuple[int, str], dict[str, list[tuple[int, float]]]] = {}


def denominator(city: City, kind: str, area: str, year: int) -> float | None:
    """An area's denominator of that year or else the latest earlier one."""
    key = (id(city), kind)
    if key not in _BASES:
        by_area: dict[str, list[tuple[int, float]]] = {}
        for a, y, v in city.denominators[["area", "year", kind]].itertuples(index=False):
            by_area.setdefault(str(a), []).append((int(y), float(v)))
        _BASES[key] = {a: sorted(values) for a, values in by_area.items()}
    earlier = [v for y, v in _BASES[key].get(area, []) if y <= year]
    return earlier[-1] if earlier else None


def rate(city: City, code: str, area: str, year: int) -> float | None:
    """A count's rate for an area and year (value / denominator × multiplier); a rate indicator's value."""
    info = city.indicator(code)
    value = area_year(city, code, area, year)
    if value is None or not info.additive:
        return value
    base = denominator(city, info.denominator, area, year) if info.denominator else None
    if base is None or info.multiplier is None:
        return None
    return value / base * info.multiplier


def close(shown: float | None, wanted: float | None, *, decimals: int | None = None) -> bool:
    """Equal as numbers (both missing counts as equal); to the shown rounding when ``decimals`` is given."""
    if shown is None or wanted is None:
        return shown is None and wanted is None
    if decimals is None:
        return math.isclose(shown, wanted, rel_tol=1e-9, abs_tol=1e-9)
    return abs(shown - wanted) <= 0.5 * 10**-decimals + 1e-9


def latest_month(city: City, code: str) -> str | None:
    """The latest month the districts have rows for; None when the indicator is not stored by month."""
    part = rows(city, code)
    part = part[(part["area"] != CITY) & (part["granularity"] == "month")]
    return str(part["period"].max()) if len(part) else None


def rolling(city: City, code: str, area: str, end: str) -> float | None:
    """An area's sum over the 12 months ending at ``end``; None unless all 12 are there and known."""
    months = [str(p) for p in pd.period_range(end=pd.Period(end, freq="M"), periods=12, freq="M")]
    part = rows(city, code, area)
    part = part[part["period"].isin(months)]
    if len(part) != 12 or not _known(part["value"], part["status"]):
        return None
    return float(part["value"].sum())


def partial_latest_year(city: City, code: str) -> tuple[int, float, int] | None:
    """For a count whose city total cannot be known: the latest year, the sum of its published
    districts and the number withheld; None when the total is known or nothing is withheld."""
    if not city.indicator(code).additive or latest_city(city, code) is not None:
        return None
    last = max(years(city, code))
    values = [area_year(city, code, area, last) for area in city.codes]
    hidden = sum(v is None for v in values)
    return (last, sum(v for v in values if v is not None), hidden) if hidden else None
