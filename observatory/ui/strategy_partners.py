"""The strategy screen's partner view: who leads and joins which actions, filterable by sector."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.domain import ActionStatus, Sector
from observatory.i18n import format_date, get_locale, t
from observatory.services import strategy
from observatory.ui.components import download
from observatory.ui.resources import cached, reader

ALL = "all"
SECTORS = (ALL, *(s.value for s in Sector))


@cached()
def partners() -> pd.DataFrame:
    """Each partner with its counts of actions led and joined, and their statuses."""
    return strategy.partner_view(reader())


@cached()
def partner_actions() -> pd.DataFrame:
    """One row per partner and action, with the partner's role."""
    return strategy.partner_actions(reader())


def sector_label(sector: str) -> str:
    """Words for a sector choice ("all" included)."""
    return t("common.all") if sector == ALL else t(f"sector.{sector}")


def _of_sector(frame: pd.DataFrame, sector: str) -> pd.DataFrame:
    return frame if sector == ALL else frame[frame["sector"] == sector]


def partners_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Partners in words for display: name, sector, actions led and joined, actions per status."""
    shown = pd.DataFrame(
        {
            t("strategy.col_partner"): frame["name"],
            t("strategy.col_sector"): [t(f"sector.{s}") for s in frame["sector"]],
            t("strategy.col_led"): frame["actions_led"],
            t("strategy.col_led_codes"): frame["led_codes"],
            t("strategy.col_joined"): frame["actions_joined"],
            t("strategy.col_joined_codes"): frame["joined_codes"],
        }
    )
    for status in ActionStatus:
        shown[t(f"action_status.{status.value}")] = frame[status.value].to_numpy()
    return shown


def partner_actions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Each partner's actions in words: role, action, objective, status and dates."""
    return pd.DataFrame(
        {
            t("strategy.col_partner"): frame["partner_name"],
            t("strategy.col_sector"): [t(f"sector.{s}") for s in frame["sector"]],
            t("strategy.col_role"): [t(f"strategy.role_{r}") for r in frame["role"]],
            t("strategy.col_action"): frame["action_code"] + " · " + frame["action_title"],
            t("strategy.col_objective"): frame["objective_code"],
            t("strategy.col_status"): [t(f"action_status.{s}") for s in frame["status"]],
            t("strategy.col_start"): [format_date(d) if pd.notna(d) else "–" for d in frame["start_date"]],
            t("strategy.col_end"): [format_date(d) if pd.notna(d) else "–" for d in frame["end_date"]],
        }
    )


@cached()
def _in_words(sector: str, locale: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both partner tables of one sector in one language, built once."""
    return partners_table(_of_sector(partners(), sector)), partner_actions_table(
        _of_sector(partner_actions(), sector)
    )


def partner_section(sector: str) -> None:
    """The partners of one sector (or all) and the actions each leads or joins, with CSV downloads."""
    summary = _of_sector(partners(), sector)
    if summary.empty:
        st.info(t("strategy.no_partners"))
        return
    shown, detail_shown = _in_words(sector, get_locale())
    st.dataframe(shown, hide_index=True)
    # The files hold the tables as shown: sectors, roles and statuses in the reader's words.
    download(shown, "partners.csv", key="partners-csv")
    st.subheader(t("strategy.partner_actions_heading"))
    st.dataframe(detail_shown, hide_index=True)
    download(detail_shown, "partner-actions.csv", key="partner-actions-csv")
