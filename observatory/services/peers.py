"""Similar districts: the context the neighbours are computed on, and the neighbours themselves.

The context of a district is its population density (residents per km², when the store has residents
and district areas) and the value of every context indicator (``kind = context``, e.g. unemployment,
the share of young people), each at the chosen year or the latest earlier year the district has.
The method (standardised weighted Euclidean distance) is :mod:`observatory.stats.peers`. A benchmark
"similar districts" is the district's neighbours taken as a group of areas (:mod:`services.groups`),
so their figure follows the one total rule.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from observatory.domain import Indicator, IndicatorKind
from observatory.services import mapview, views
from observatory.stats import compare
from observatory.stats import peers as stats_peers
from observatory.store import Store, queries

#: The variable name of population density in the context frame.
DENSITY = "density"
RESIDENTS = "residents"


def variables(store: Store) -> list[str]:
    """The context variables available: density (when computable), then context indicators by code."""
    found = [DENSITY] if _has_density(store) else []
    catalogue = queries.indicators(store)
    return found + sorted(catalogue.loc[catalogue["kind"] == IndicatorKind.CONTEXT.value, "code"].astype(str))


def _has_density(store: Store) -> bool:
    districts = queries.areas(store, level=1)
    return RESIDENTS in queries.denominator_kinds(store) and bool(districts["area_km2"].notna().any())


def context(store: Store, *, year: int | None = None, chosen: list[str] | None = None) -> pd.DataFrame:
    """One row per district (index: area code), one column per context variable.

    Args:
        store: The store (staff or a release).
        year: Values of this year or the latest earlier one each district has; None: the latest.
        chosen: Variables to include (default: :func:`variables`).

    Returns:
        Floats; NaN where a district has no value up to ``year``.
    """
    districts = queries.areas(store, level=1).set_index("code")
    names = chosen if chosen is not None else variables(store)
    frame = pd.DataFrame(index=pd.Index(districts.index.astype(str), name="area_code"))
    for name in names:
        if name == DENSITY:
            residents = _latest(queries.denominators(store, RESIDENTS), year)
            area = districts["area_km2"].astype(float)
            frame[DENSITY] = residents.reindex(frame.index) / area.where(area > 0).reindex(frame.index)
        else:
            info = views.indicator(store, name)
            values = views.yearly_values(store, info, level=1)
            frame[name] = _latest(values, year).reindex(frame.index)
    return frame.astype(float)


def _latest(frame: pd.DataFrame, year: int | None) -> pd.Series:
    """Per area, the value of ``year`` or the latest earlier year with a value."""
    rows = frame[frame["value"].notna()]
    if year is not None:
        rows = rows[rows["year"] <= year]
    rows = rows.sort_values(["area_code", "year"])
    return rows.groupby("area_code")["value"].last().astype(float)


def nearest(
    store: Store,
    *,
    year: int | None = None,
    weights: Mapping[str, float] | None = None,
    count: int = stats_peers.DEFAULT_COUNT,
) -> stats_peers.Peers:
    """Every district's similar districts on the context (all variables, or those with a weight > 0).

    Args:
        store: The store.
        year: The context's year (see :func:`context`).
        weights: Weight per variable; variables absent from it get weight 1, a weight of 0 drops one.
        count: Neighbours per district.
    """
    frame = context(store, year=year)
    if weights is not None:
        frame = frame[[c for c in frame.columns if float(weights.get(c, 1.0)) > 0]]
    return stats_peers.nearest(frame, weights, count=count)


def neighbour_codes(found: stats_peers.Peers, area: str) -> list[str]:
    """The codes of one district's neighbours, nearest first (empty when it has none)."""
    return [str(c) for c in found.of(area)["neighbour"]]


def summary(found: stats_peers.Peers) -> dict[str, float]:
    """Figures for a closing note or a check: districts with neighbours, neighbours found, warnings."""
    frame = found.neighbours
    with_any = frame["area_code"].nunique() if len(frame) else 0
    return {
        "districts_with_neighbours": float(with_any),
        "neighbour_links": float(len(frame)),
        "not_close": float(len(found.not_close)),
        "incomplete": float(len(found.incomplete)),
        "median_rms": float(np.median(frame.loc[frame["rank"] == 1, "rms"])) if len(frame) else float("nan"),
    }


def versus_peers(
    store: Store, info: Indicator, period: mapview.MapPeriod, found: stats_peers.Peers
) -> pd.DataFrame:
    """:func:`mapview.district_table` with each district benchmarked against its similar districts.

    The reference of a district is its neighbours taken together (their counts and denominators summed,
    the rate on the sums: :func:`mapview.area_figure`, the one total rule), so a district is "higher than
    similar districts" only when its interval lies above the neighbours' figure (beyond both bounds when a
    neighbour is withheld). A district without neighbours is not compared. ``reference_basis`` and the
    ``peers`` column (neighbour codes, nearest first) say what each reference is made of.
    """
    frame = mapview.district_table(store, info, period)
    sets = {code: neighbour_codes(found, code) for code in frame["code"].astype(str)}
    figures = mapview.area_figures(store, info, period, {c: m for c, m in sets.items() if m})
    refs = []
    for code, near in sets.items():
        figure = figures.get(code)
        refs.append(
            {
                "reference": figure.reference if figure else np.nan,
                "reference_low": figure.low if figure else np.nan,
                "reference_high": figure.high if figure else np.nan,
                "reference_basis": str(figure.basis) if figure else "unknown",
                "peers": near,
            }
        )
    refs_frame = pd.DataFrame(refs, index=frame.index)
    frame[refs_frame.columns] = refs_frame
    basis = "rate" if info.has_rate else "value"
    frame["benchmark"] = compare.benchmark_many(
        frame[f"{basis}_lower"],
        frame[f"{basis}_upper"],
        frame["reference_low"] if info.comparable_with_city else np.nan,
        info.polarity,
        reference_upper=frame["reference_high"],
    ).map(str)
    return frame
