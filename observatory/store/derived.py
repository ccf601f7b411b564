"""Reads for derived indicators: which indicators are sums of others, and the stored figures they sum."""

from __future__ import annotations

import pandas as pd

from observatory.store.connection import Store

_STORED_AT_KEYS = (
    "SELECT o.indicator_code, o.area_code, o.granularity, o.period_start, o.value, o.sample_size, o.status "
    "FROM observations o JOIN (SELECT unnest(?::VARCHAR[]) AS area_code, "
    "unnest(?::VARCHAR[]) AS granularity, unnest(?::DATE[]) AS period_start) k "
    "ON o.area_code = k.area_code AND o.granularity = k.granularity AND o.period_start = k.period_start "
    "WHERE list_contains(?::VARCHAR[], o.indicator_code)"
)


def components(store: Store) -> dict[str, tuple[str, ...]]:
    """Derived indicator code → its component codes (sorted), as declared in ``derived_components``."""
    rows = store.rows(
        "SELECT indicator_code, list(component_code ORDER BY component_code) "
        "FROM derived_components GROUP BY indicator_code ORDER BY indicator_code"
    )
    return {str(code): tuple(str(c) for c in parts) for code, parts in rows}


def stored_figures(store: Store, indicators: list[str], keys: pd.DataFrame) -> pd.DataFrame:
    """Stored observations of some indicators at some (area, granularity, period) keys.

    Args:
        store: The staff store.
        indicators: Indicator codes to read.
        keys: Columns area_code, granularity, period_start (each key once).

    Returns:
        The observations' canonical columns (indicator_code … status), in no particular order.
    """
    starts = [pd.Timestamp(p).date() for p in keys["period_start"]]
    return store.frame(
        _STORED_AT_KEYS,
        [list(keys["area_code"].astype(str)), list(keys["granularity"].astype(str)), starts, indicators],
    )


def component_keys(store: Store, indicators: list[str]) -> pd.DataFrame:
    """Every (area, granularity, period) at which any of the indicators has a stored figure."""
    return store.frame(
        "SELECT DISTINCT area_code, granularity, period_start FROM observations "
        "WHERE list_contains(?::VARCHAR[], indicator_code)",
        [indicators],
    )
