"""Named reads of the outcome-based contracts (migration 008)."""

from __future__ import annotations

import pandas as pd

from observatory.store.connection import Store


def contracts(store: Store) -> pd.DataFrame:
    """code, title, indicator_code, comparison_areas, baseline_start, start_date, end_date."""
    return store.frame(
        "SELECT code, title, indicator_code, comparison_areas, baseline_start, start_date, end_date "
        "FROM contracts ORDER BY code"
    )


def cohorts(store: Store) -> pd.DataFrame:
    """contract_code, cohort, areas, threshold, payment, due_date."""
    return store.frame(
        "SELECT contract_code, cohort, areas, threshold, payment, due_date FROM contract_cohorts "
        "ORDER BY contract_code, cohort"
    )


def parties(store: Store) -> pd.DataFrame:
    """contract_code, partner_code, name, sector (public, private, community), role."""
    return store.frame(
        "SELECT c.contract_code, c.partner_code, coalesce(p.name, c.partner_code) AS name, p.sector, c.role "
        "FROM contract_partners c LEFT JOIN partners p ON p.code = c.partner_code "
        "ORDER BY c.contract_code, c.role, c.partner_code"
    )
