"""Derived indicators: figures that are the sum of other indicators' figures, kept in step by imports.

A derived indicator is declared once (``derived_components``: its component codes, e.g. all crime =
the thirteen police.uk crime types, anti-social behaviour left out). Every import that brings
observations of a component recomputes the derived figure of each area and period it touches, from
the stored figures with the file's rows laid over them, and adds the results to the same batch: one
transaction writes both, and a rollback undoes both.

Rules for one area and period: every component must have a figure, else there is no derived figure
(never a partial sum presented as the total); a component withheld at source (or without a value)
withholds the total; a provisional component makes the total provisional.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from observatory.domain import Issue, ObservationStatus, Severity
from observatory.store import Store
from observatory.store import derived as stored

KEY = ["area_code", "granularity", "period_start"]
_ROW_KEY = ["indicator_code", *KEY]
_COLUMNS = [*_ROW_KEY, "value", "sample_size", "status"]


def declared(store: Store, tables: Mapping[str, pd.DataFrame]) -> dict[str, tuple[str, ...]]:
    """Derived indicator → components: those stored, with any the batch itself declares laid over."""
    found = stored.components(store)
    new = tables.get("derived_components")
    if new is not None:
        for code, group in new.groupby("indicator_code"):
            found[str(code)] = tuple(sorted(group["component_code"].astype(str)))
    return found


def sums(figures: pd.DataFrame, parts: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """The derived figures of every key at which the components have figures (pure).

    Args:
        figures: Component observations, one row per indicator and key (canonical columns).
        parts: Derived indicator code → its component codes.

    Returns:
        Canonical observation rows of the derived indicators, only where every component has a row:
        the sum, or no value and status ``not_published`` when a component is withheld or has no value;
        status ``provisional`` when a component is provisional.
    """
    found = [_one_sum(figures, code, tuple(components)) for code, components in parts.items()]
    found = [frame for frame in found if not frame.empty]
    if not found:
        return _empty()
    return pd.concat(found, ignore_index=True)


def _one_sum(figures: pd.DataFrame, code: str, components: tuple[str, ...]) -> pd.DataFrame:
    rows = figures[figures["indicator_code"].isin(components)]
    if rows.empty:
        return _empty()
    rows = rows.assign(
        withheld=rows["value"].isna() | (rows["status"] == ObservationStatus.NOT_PUBLISHED),
        provisional=rows["status"] == ObservationStatus.PROVISIONAL,
    )
    grouped = rows.groupby(KEY, as_index=False, sort=True).agg(
        parts=("indicator_code", "nunique"),
        value=("value", "sum"),
        withheld=("withheld", "any"),
        provisional=("provisional", "any"),
    )
    complete = grouped[grouped["parts"] == len(set(components))]
    status = np.where(
        complete["withheld"],
        str(ObservationStatus.NOT_PUBLISHED),
        np.where(complete["provisional"], str(ObservationStatus.PROVISIONAL), str(ObservationStatus.OK)),
    )
    return pd.DataFrame(
        {
            "indicator_code": code,
            "area_code": complete["area_code"].astype(str).to_numpy(),
            "granularity": complete["granularity"].astype(str).to_numpy(),
            "period_start": pd.to_datetime(complete["period_start"]).to_numpy(),
            "value": complete["value"].where(~complete["withheld"]).astype("float64").to_numpy(),
            "sample_size": pd.array([pd.NA] * len(complete), dtype="Int64"),
            "status": status,
        }
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in _COLUMNS}).astype(
        {"period_start": "datetime64[ns]", "value": "float64", "sample_size": "Int64"}
    )


def _touched(
    store: Store, incoming: pd.DataFrame, parts: Mapping[str, tuple[str, ...]], new: set[str]
) -> dict[str, pd.DataFrame]:
    """Per derived indicator, the keys to recompute: those of its components' incoming rows, and every
    key of its components' stored rows when the batch declares it."""
    keys: dict[str, pd.DataFrame] = {}
    for code, components in parts.items():
        mine = incoming.loc[incoming["indicator_code"].isin(components), KEY]
        if code in new:
            mine = pd.concat([mine, stored.component_keys(store, list(components))], ignore_index=True)
        if not mine.empty:
            mine = mine.assign(period_start=pd.to_datetime(mine["period_start"]))
            keys[code] = mine.drop_duplicates(ignore_index=True)
    return keys


def _figures(store: Store, incoming: pd.DataFrame, components: list[str], keys: pd.DataFrame) -> pd.DataFrame:
    """Stored component figures at the keys, with the batch's own rows replacing them."""
    before = stored.stored_figures(store, components, keys)
    mine = incoming[incoming["indicator_code"].isin(components)]
    both = pd.concat([before[_COLUMNS], mine[_COLUMNS]], ignore_index=True)
    both["period_start"] = pd.to_datetime(both["period_start"])
    return both.drop_duplicates(_ROW_KEY, keep="last")


def with_derived(
    store: Store, tables: Mapping[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """The batch's tables with the derived figures its observations change added to its observations.

    Read the store under ``Store.writes_held()`` with the write that follows, so that no other import
    commits in between.

    Returns:
        The tables (unchanged when nothing derived is touched) and issues: an error for rows of a
        derived indicator in the file (its figures are computed, not imported); a warning saying how
        many derived figures were recomputed.
    """
    out = dict(tables)
    parts = declared(store, tables)
    if not parts:
        return out, []
    incoming = tables.get("observations", _empty())
    issues = _imported_derived(incoming, parts)
    new = set(tables["derived_components"]["indicator_code"]) if "derived_components" in tables else set()
    keys = _touched(store, incoming, parts, new)
    if issues or not keys:
        return out, issues
    components = sorted({c for code in keys for c in parts[code]})
    every_key = pd.concat(keys.values(), ignore_index=True).drop_duplicates(ignore_index=True)
    figures = _figures(store, incoming, components, every_key)
    computed = [_one_sum(figures.merge(keys[code], on=KEY), code, parts[code]) for code in sorted(keys)]
    result = pd.concat([_empty(), *[c for c in computed if not c.empty]], ignore_index=True)
    out["observations"] = pd.concat([incoming, result], ignore_index=True) if len(incoming) else result
    if len(result):
        issues.append(_recomputed(result))
    return out, issues


def _imported_derived(incoming: pd.DataFrame, parts: Mapping[str, tuple[str, ...]]) -> list[Issue]:
    issues = []
    for code in sorted(set(incoming["indicator_code"].astype(str)) & set(parts)):
        message = (
            f"{code} is a derived indicator (the sum of {', '.join(parts[code])}): its figures are "
            "computed from its components at every import, not imported"
        )
        issues.append(Issue("derived-indicator", Severity.ERROR, message, column="indicator", value=code))
    return issues


def _recomputed(result: pd.DataFrame) -> Issue:
    codes = ", ".join(sorted(set(result["indicator_code"])))
    withheld = int((result["status"] == ObservationStatus.NOT_PUBLISHED).sum())
    message = (
        f"{len(result)} figures of the derived indicator(s) {codes} recomputed from their components "
        f"for the areas and periods of this batch ({withheld} withheld because a component is)"
    )
    return Issue("derived-recomputed", Severity.WARNING, message, value=codes)
