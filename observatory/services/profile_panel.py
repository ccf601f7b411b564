"""Yearly panels behind the district profile: every district and the city, every year, one indicator.

A panel row carries the value, its denominator (with the year it comes from), the measure that is
compared across places (``shown``: a rate per 1,000 for counts with a denominator, else the value) and
its 95% interval. Withheld or incomplete years keep their row with NaN values, never 0.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

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


#: A panel before its intervals (:func:`with_intervals`): what comparing every district needs.
BASE_COLUMNS = [c for c in PANEL_COLUMNS if c not in ("lower", "upper")]


class Denominators:
    """Each denominator kind read once, for the districts and for the city (many panels share them)."""

    def __init__(self, store: Store, city_code: str) -> None:
        self._store, self._city = store, city_code
        self._districts: dict[str, pd.DataFrame] = {}
        self._cities: dict[str, pd.DataFrame] = {}

    def districts(self, kind: str) -> pd.DataFrame:
        """area_code, year, value of one kind (:func:`queries.denominators`)."""
        if kind not in self._districts:
            self._districts[kind] = queries.denominators(self._store, kind)
        return self._districts[kind]

    def city(self, kind: str) -> pd.DataFrame:
        """The city's figures of one kind (:func:`totals.city_denominators`)."""
        if kind not in self._cities:
            self._cities[kind] = totals.city_denominators(
                self._store, kind, self._city, stored=self.districts(kind)
            )
        return self._cities[kind]


def _districts(store: Store, info: Indicator, dens: Denominators) -> pd.DataFrame:
    frame = views.yearly_values(store, info, level=1).assign(is_city=False)
    if info.has_rate:
        return views.as_of(frame, dens.districts(str(info.denominator_kind)))
    return frame.assign(denominator=np.nan, denominator_year=np.nan)


def sum_if_all(frame: pd.DataFrame, by: str | list[str], column: str, size: int) -> pd.Series:
    """Sum of ``column`` per group, NaN where fewer than ``size`` values are present (nothing becomes 0)."""
    grouped = frame.groupby(by)[column]
    sums, present = grouped.sum(), grouped.count()
    return sums.where(present == size)


def _city_denominators(info: Indicator, city_code: str, years: pd.Series, dens: Denominators) -> pd.DataFrame:
    """year, denominator, denominator_year of the city (:func:`totals.city_denominators`)."""
    frame = pd.DataFrame({"area_code": city_code, "year": years.astype("int64")})
    if not info.has_rate:
        return frame.assign(denominator=np.nan, denominator_year=np.nan)
    return views.as_of(frame, dens.city(str(info.denominator_kind)))


def _city(store: Store, info: Indicator, city_code: str, dens: Denominators) -> pd.DataFrame:
    """The city's years by the one city-total rule, with the bounds of a bounded total."""
    rows = totals.city_rows(store, info, "year")
    frame = rows.drop(columns=["period_start", "basis", "ci_lower", "ci_upper"]).assign(
        area_code=city_code, is_city=True, year=pd.to_datetime(rows["period_start"]).dt.year.astype("int64")
    )
    den = _city_denominators(info, city_code, frame["year"], dens)
    return frame.merge(den[["year", "denominator", "denominator_year"]], on="year", how="left")


def panel(store: Store, info: Indicator, city_code: str, *, dens: Denominators | None = None) -> pd.DataFrame:
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
    return with_intervals(info, base_panel(store, info, city_code, dens=dens))


def base_panel(
    store: Store, info: Indicator, city_code: str, *, dens: Denominators | None = None
) -> pd.DataFrame:
    """:func:`panel` without its intervals (:data:`BASE_COLUMNS`): the shown figure and bounds of every row.

    Comparing a district with every other needs each one's figure, not each one's interval: the
    intervals of the rows a page shows are added by :func:`with_intervals`.
    """
    dens = dens or Denominators(store, city_code)
    districts = _districts(store, info, dens)
    if districts.empty:
        return pd.DataFrame(columns=BASE_COLUMNS)
    districts = districts.assign(bound_lower=districts["value"], bound_upper=districts["value"])
    frame = pd.concat([districts, _city(store, info, city_code, dens)], ignore_index=True)
    frame["year"] = frame["year"].astype("int64")
    frame["shown"] = rates.shown_for(
        info.unit,
        frame["value"].to_numpy(dtype=float),
        denominator=frame["denominator"].to_numpy(dtype=float) if info.has_rate else None,
        multiplier=info.multiplier,
    )
    frame["shown_low"], frame["shown_high"] = _bounds_shown(info, frame)
    if not info.comparable_with_city:
        frame.loc[frame["is_city"], ["shown", "shown_low", "shown_high"]] = np.nan
    return frame[BASE_COLUMNS].sort_values(["is_city", "area_code", "year"]).reset_index(drop=True)


def with_intervals(info: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`base_panel` (one indicator) with their 95% interval: :data:`PANEL_COLUMNS`."""
    lower, upper = _intervals(info, frame)
    extra = [c for c in frame.columns if c not in PANEL_COLUMNS]
    return frame.assign(lower=lower, upper=upper)[[*PANEL_COLUMNS, *extra]]


def _intervals(info: Indicator, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """lower, upper of rows of one indicator by :func:`stats.rates.ci_for` (none for a city not
    comparable with the districts)."""
    estimate = rates.ci_for(
        info.unit,
        frame["value"].to_numpy(dtype=float),
        denominator=frame["denominator"].to_numpy(dtype=float) if info.has_rate else None,
        sample_size=frame["sample_size"].to_numpy(dtype=float),
        multiplier=info.multiplier,
    )
    lower, upper = np.asarray(estimate.lower, dtype=float), np.asarray(estimate.upper, dtype=float)
    if not info.comparable_with_city:
        city = frame["is_city"].to_numpy(dtype=bool)
        lower, upper = np.where(city, np.nan, lower), np.where(city, np.nan, upper)
    return lower, upper


def _rule(info: Indicator) -> tuple[str, bool, float, bool]:
    """What decides a row's interval: indicators alike in these get theirs in one computation."""
    return (str(info.unit), info.has_rate, float(info.multiplier), info.comparable_with_city)


def intervals_of_many(rows: pd.DataFrame, infos: Mapping[str, Indicator]) -> pd.DataFrame:
    """Rows of several indicators' :func:`base_panel` (with ``code``) and their intervals, as
    :func:`with_intervals` gives them, computed once per kind of interval rather than per indicator."""
    lower, upper = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    codes = rows["code"].astype(str).to_numpy()
    rules: dict[tuple[str, bool, float, bool], list[str]] = {}
    for code in dict.fromkeys(codes):
        rules.setdefault(_rule(infos[code]), []).append(code)
    for alike in rules.values():
        where = np.isin(codes, alike)
        lower[where], upper[where] = _intervals(infos[alike[0]], rows[where])
    return rows.assign(lower=lower, upper=upper)[[*PANEL_COLUMNS, "code"]]


class Panels(Mapping[str, pd.DataFrame]):
    """Indicator code → its :func:`panel`, each one's intervals computed when it is first asked for."""

    def __init__(self, bases: Mapping[str, pd.DataFrame], infos: Mapping[str, Indicator]) -> None:
        self._bases, self._infos = bases, infos
        self._done: dict[str, pd.DataFrame] = {}

    def __getitem__(self, code: str) -> pd.DataFrame:
        if code not in self._done:
            self._done[code] = with_intervals(self._infos[code], self._bases[code])
        return self._done[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bases)

    def __len__(self) -> int:
        return len(self._bases)


@dataclass(frozen=True, slots=True)
class AreaIndex:
    """Every panel's rows in one frame sorted by area, so that one area's rows are one slice.

    The rows carry no intervals: :meth:`area` adds them to the one area asked for (a profile shows
    one district and the city; computing every district's interval on a first visit was most of it).

    Attributes:
        rows: The :data:`BASE_COLUMNS` of every panel plus ``code`` (the indicator), sorted by area,
            then indicator, then year.
        bounds: Area code → (first row, end row) of its slice.
        ranges: (indicator, year) → (lowest, highest) ``shown`` value among the districts.
        infos: Indicator code → indicator, for the intervals.
    """

    rows: pd.DataFrame
    bounds: Mapping[str, tuple[int, int]]
    ranges: Mapping[tuple[str, int], tuple[float, float]]
    infos: Mapping[str, Indicator] = field(default_factory=dict)
    _areas: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def of(cls, panels: Mapping[str, pd.DataFrame], infos: Mapping[str, Indicator]) -> AreaIndex:
        """Index the panels (indicator code → :func:`base_panel`) of the indicators ``infos``."""
        if not panels:
            return cls(pd.DataFrame(columns=[*BASE_COLUMNS, "code"]), {}, {}, infos)
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
        return cls(rows, bounds, ranges, infos)

    def area(self, code: str) -> pd.DataFrame:
        """The rows of one area (every indicator and year) with their intervals (:data:`PANEL_COLUMNS`
        plus ``code``), or none; computed once per area."""
        with self._lock:
            found = self._areas.get(code)
        if found is not None:
            return found
        start, stop = self.bounds.get(code, (0, 0))
        found = intervals_of_many(self.rows.iloc[start:stop], self.infos)
        with self._lock:
            self._areas[code] = found
        return found


@dataclass(frozen=True, slots=True)
class ProfileData:
    """Everything the district profile reads from the store, loaded once and then only sliced.

    Attributes:
        city_code: Code of the city (the level-0 area).
        areas: code, name, level, area_km2 of the city and its districts.
        indicators: Indicators with district data, in catalogue order.
        panels: Indicator code → its :func:`panel` (intervals computed when a panel is first read).
        residents: area_code, year, value of the residents denominator.
        dwellings: area_code, year, value of the dwellings denominator.
        offence_codes: The indicators summed into recorded offences (see :func:`is_offence`).
        offences: Yearly offences totals and rates of every district and the city
            (see :func:`offence_totals`).
        by_area: The same panels indexed by area (see :class:`AreaIndex`): a district's profile is
            read from its own slice instead of filtering every indicator's panel.
        bases: Indicator code → its :func:`base_panel` (the panel without intervals).
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
    bases: Mapping[str, pd.DataFrame]

    def district_codes(self) -> list[str]:
        """Codes of the districts, in code order."""
        return self.areas.loc[self.areas["level"] == 1, "code"].astype(str).tolist()


def load(store: Store) -> ProfileData:
    """Read the catalogue, areas, denominators and one panel per indicator with district data.

    Each is read once: the catalogue in one statement, each denominator kind once for every panel.
    The panels' intervals are computed for the areas asked for (:meth:`AreaIndex.area`) or the panels
    read (:class:`Panels`), not for every district up front.

    Raises:
        NotFound: If the store holds no city area (nothing imported yet).
    """
    areas = queries.areas(store)
    cities = areas.loc[areas["level"] == 0, "code"]
    if cities.empty:
        raise NotFound("no city area")
    city_code = str(cities.iloc[0])
    dens = Denominators(store, city_code)
    queries.granularities_of_all(store)  # one statement for every indicator's stored granularities
    infos, bases = [], {}
    for info in views.indicators(store):
        frame = base_panel(store, info, city_code, dens=dens)
        if not frame.empty:
            infos.append(info)
            bases[info.code] = frame
    by_code = {info.code: info for info in infos}
    residents = dens.districts("residents")
    codes = tuple(info.code for info in infos if is_offence(info))
    return ProfileData(
        city_code=city_code,
        areas=areas[["code", "name", "level", "area_km2"]].reset_index(drop=True),
        indicators=tuple(infos),
        panels=Panels(bases, by_code),
        residents=residents,
        dwellings=dens.districts("dwellings"),
        offence_codes=codes,
        offences=offence_totals(bases, codes, residents, city_code),
        by_area=AreaIndex.of(bases, by_code),
        bases=bases,
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
