"""Read use cases behind the pages: the numbers a page shows, with their denominators and intervals."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from observatory.config import load_settings
from observatory.domain import CONTENT_LOCALES, INDICATOR_TEXTS, Indicator
from observatory.i18n import get_locale
from observatory.stats import rates
from observatory.store import Store, queries, snapshot


def catalogue(store: Store, *, locale: str | None = None) -> pd.DataFrame:
    """The indicator catalogue as a frame, its names, themes and descriptions in the reader's language.

    Every page, document and download reads indicator texts through here (or :func:`indicator`), so
    they all show the same words (see :func:`localized`).

    Args:
        store: The store read.
        locale: The reader's language (default: the language of this run).
    """
    return localized(queries.indicators(store), locale or get_locale(), _original_locale())


def _original_locale() -> str:
    """The language the original texts are written in: the site's first language (``default_locale``)."""
    return load_settings().default_locale


def localized(frame: pd.DataFrame, locale: str, original: str) -> pd.DataFrame:
    """Indicator texts in ``locale``: the version given for it, else the original with a small marker.

    The marker names the language of the text shown (``Burglary of dwellings [en]``) and is left out
    where the reader reads the original's own language. A row keeps its original texts in
    ``<field>_original``; the per-language columns (``name_pt`` …) are kept as they are.
    """
    out = frame.copy()
    for field in INDICATOR_TEXTS:
        given = out.get(f"{field}_{locale}") if locale in CONTENT_LOCALES else None
        first = out[field]
        out[f"{field}_original"] = first
        marked = first if locale == original else first.map(lambda text: _marked(text, original))
        out[field] = marked if given is None else given.where(given.notna() & (given != ""), marked)
    return out


def _marked(text: object, original: str) -> object:
    """The original text with the language it is written in ("" and missing texts stay as they are)."""
    if not isinstance(text, str) or not text:
        return text
    return f"{text} [{original}]"


def indicator(store: Store, code: str) -> Indicator:
    """One indicator's entry, with its rules (:class:`observatory.domain.Indicator`).

    An indicator whose denominator kind has no stored figure is read without it
    (:meth:`Indicator.without_denominator`), so no page offers a rate it cannot compute.

    Raises:
        KeyError: If the code is unknown.
    """
    frame = catalogue(store)
    row = frame[frame["code"] == code]
    if row.empty:
        raise KeyError(code)
    return _entry(row.iloc[0].to_dict(), queries.denominator_kinds(store))


def indicators(store: Store) -> list[Indicator]:
    """Every indicator's entry (as :func:`indicator` gives it), in catalogue order, from one read."""
    kinds = queries.denominator_kinds(store)
    return [_entry(record, kinds) for record in catalogue(store).to_dict("records")]


def _entry(record: dict[str, Any], denominator_kinds: list[str]) -> Indicator:
    info = Indicator.from_record(record)
    if info.has_rate and info.denominator_kind not in denominator_kinds:
        # A rate needs its denominator: with none stored, counts are shown as counts (pages say why).
        return info.without_denominator()
    return info


def district_geojson(store: Store) -> dict:
    """FeatureCollection of the districts' display geometries, feature id = area code."""
    shapes = queries.area_shapes(store, level=1, display=True)
    features = [
        {
            "type": "Feature",
            "id": row.code,
            "properties": {"code": row.code, "name": row.name},
            "geometry": json.loads(row.geometry),
        }
        for row in shapes.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


def yearly_values(store: Store, info: Indicator, *, level: int) -> pd.DataFrame:
    """One value per area and calendar year: summed from months/quarters for additive units.

    A year withheld (any part withheld) or incomplete (a part missing) has no value: NaN, never 0.

    Returns:
        area_code, year, value, sample_size, complete, withheld.
    """
    stored = queries.granularities(store, info.code, level=level)
    if not stored:
        return pd.DataFrame(columns=["area_code", "year", "value", "sample_size", "complete", "withheld"])
    finest = stored[0] if info.additive else ("year" if "year" in stored else stored[-1])
    frame = queries.aggregated(store, info.code, stored=finest, target="year", level=level)
    frame["year"] = pd.to_datetime(frame["period_start"]).dt.year
    frame["withheld"] = frame["withheld"].fillna(False).astype(bool)
    frame["complete"] = frame["complete"].fillna(False).astype(bool)
    frame["value"] = frame["value"].astype(float).where(~frame["withheld"] & frame["complete"])
    return frame[["area_code", "year", "value", "sample_size", "complete", "withheld"]]


def as_of(frame: pd.DataFrame, denominators: pd.DataFrame) -> pd.DataFrame:
    """Attach to each (area_code, year) row the denominator of that year or else the latest earlier one.

    Args:
        frame: Rows with area_code and year.
        denominators: area_code, year, value of one denominator kind (queries.denominators).

    Returns:
        The frame (sorted by year) with float denominator and denominator_year columns added.
    """
    # Codes as one text dtype on both sides: an empty part of a frame can leave them as plain objects.
    left = frame.assign(year=frame["year"].astype("int64"), area_code=frame["area_code"].astype(str))
    left = left.sort_values("year", kind="stable")
    if denominators.empty or left.empty:
        return left.assign(denominator=np.nan, denominator_year=np.nan)
    right = (
        denominators.rename(columns={"value": "denominator", "year": "denominator_year"})
        .assign(
            denominator_year=lambda d: d["denominator_year"].astype("int64"),
            area_code=lambda d: d["area_code"].astype(str),
        )
        .sort_values("denominator_year", kind="stable")
    )
    merged = pd.merge_asof(
        left,
        right[["area_code", "denominator_year", "denominator"]],
        left_on="year",
        right_on="denominator_year",
        by="area_code",
        direction="backward",
    )
    return merged.assign(
        denominator=merged["denominator"].astype(float),
        denominator_year=merged["denominator_year"].astype(float),
    )


def latest_at(denominators: pd.DataFrame, area_code: str, year: int) -> tuple[float, int | None]:
    """One area's value of that year or else the latest earlier one, and its year; NaN and None if none."""
    rows = denominators[(denominators["area_code"] == area_code) & (denominators["year"] <= year)]
    if rows.empty:
        return math.nan, None
    row = rows.sort_values("year").iloc[-1]
    return float(row["value"]), int(row["year"])


def denominators_at(store: Store, kind: str | None, year: int) -> pd.DataFrame:
    """area_code, denominator, denominator_year of every area, that year or else the latest earlier one."""
    if not kind:
        return pd.DataFrame(columns=["area_code", "denominator", "denominator_year"])
    frame = queries.denominators(store, kind)
    frame = frame[frame["year"] <= year].sort_values("year").groupby("area_code").tail(1)
    return frame.rename(columns={"value": "denominator", "year": "denominator_year"})[
        ["area_code", "denominator", "denominator_year"]
    ]


def district_year(store: Store, info: Indicator, year: int) -> pd.DataFrame:
    """Every district's value for one year, with denominator, rate and 95% interval.

    Withheld or incomplete years carry NaN values and the flag that says why; nothing becomes 0.

    Returns:
        code, name, value, withheld, complete, sample_size, denominator, denominator_year, rate, lower,
        upper (lower/upper are for the rate when there is a denominator, else for the value).
    """
    names = queries.areas(store, level=1)[["code", "name"]]
    values = yearly_values(store, info, level=1)
    values = values[values["year"] == year].rename(columns={"area_code": "code"})
    frame = names.merge(values.drop(columns="year"), on="code", how="left")
    frame["withheld"] = frame["withheld"].fillna(False).astype(bool)
    frame["complete"] = frame["complete"].fillna(False).astype(bool)
    frame.loc[frame["withheld"] | ~frame["complete"], "value"] = np.nan
    den = denominators_at(store, info.denominator_kind, year).rename(columns={"area_code": "code"})
    frame = (
        frame.merge(den, on="code", how="left")
        if len(den)
        else frame.assign(denominator=np.nan, denominator_year=np.nan)
    )
    estimate = rates.ci_for(
        info.unit,
        frame["value"].to_numpy(dtype=float),
        denominator=frame["denominator"].to_numpy(dtype=float) if info.has_rate else None,
        sample_size=frame["sample_size"].to_numpy(dtype=float),
        multiplier=info.multiplier,
    )
    frame["rate"] = estimate.rate if info.has_rate else np.nan
    frame["lower"], frame["upper"] = estimate.lower, estimate.upper
    return frame


def years(store: Store, info: Indicator) -> list[int]:
    """Calendar years with a complete value for at least one district or the city, newest first.

    A series too short for a complete year (one month of a new source) has no years: empty, never an
    error; :func:`observatory.services.headlines.latest_window` then offers the months there are.
    """
    found: set[int] = set()
    for level in (1, 0):
        values = yearly_values(store, info, level=level)
        if values.empty:
            continue
        done = values[values["complete"].astype(bool) & ~values["withheld"].astype(bool)]
        found |= {int(y) for y in done["year"]}
        if found:
            break
    return sorted(found, reverse=True)


def release_info(store: Store) -> dict[str, Any] | None:
    """The release row (published_at, counts) when ``store`` is a published release, else None."""
    _, _, is_release = queries.city_facts(store)
    return snapshot.read_release(store) if is_release else None


def city_name(store: Store) -> str:
    """The city's name (its level-0 area), or its code when it has no name; "" with no city."""
    cities = queries.areas(store, level=0)
    if cities.empty:
        return ""
    row = cities.iloc[0]
    return str(row["name"]) if pd.notna(row["name"]) and str(row["name"]) else str(row["code"])
