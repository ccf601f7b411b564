"""The strategy screen's outcome-based contracts: measured outcome, chance the threshold is met, payments."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.i18n import get_locale, t
from observatory.present.impact import contracts_table
from observatory.services import contracts
from observatory.ui.resources import cached, reader


@cached()
def _results() -> pd.DataFrame:
    return contracts.results(reader())


@cached()
def _parties() -> pd.DataFrame:
    return contracts.parties(reader())


def contracts_section() -> None:
    """Every contract's cohorts and parties (nothing when the strategy has no contract)."""
    results = _results()
    if results.empty:
        return
    st.header(t("contracts.heading"))
    st.caption(t("contracts.intro"))
    # Every cell is shown as text by st.dataframe (codes and names are staff text).
    st.dataframe(contracts_table(results), hide_index=True, key=f"contracts-{get_locale()}")
    parties = _parties()
    if not parties.empty:
        shown = pd.DataFrame(
            {
                t("contracts.col_contract"): parties["contract_code"],
                t("contracts.col_partner"): parties["name"],
                t("contracts.col_role"): [t(f"contracts.role.{r}") for r in parties["role"]],
                t("contracts.col_sector"): [
                    t(f"sector.{s}") if isinstance(s, str) else "" for s in parties["sector"]
                ],
            }
        )
        st.dataframe(shown, hide_index=True, key=f"contract-parties-{get_locale()}")
