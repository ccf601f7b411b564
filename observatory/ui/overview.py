"""Overview page: cached headline figures, movers and their rendering."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from observatory.i18n import format_number, format_percent, format_period, t
from observatory.services import headlines, views
from observatory.ui import strategy as strategy_ui
from observatory.ui.components import download
from observatory.ui.resources import cached, reader, settings
from observatory.ui.strategy_text import status_label

ARROWS = {"up": "▲", "down": "▼", "flat": "▶", "not_computable": "·"}


@cached()
def result_headlines() -> list[headlines.Headline]:
    """City headlines of every result indicator (those with comparable periods)."""
    catalogue = views.catalogue(reader())
    codes = catalogue.loc[catalogue["kind"] == "result", "code"]
    found = [headlines.city_headline(reader(), code, settings().city_code) for code in codes]
    return [h for h in found if h is not None]


@cached()
def movers(code: str) -> pd.DataFrame:
    """Districts that moved beyond chance for one indicator."""
    return headlines.movers(reader(), code, limit=6)


def window_text(window: headlines.Window) -> str:
    """ "the 12 months to December 2025" or "2025"."""
    if ".." not in window.label:
        return format_period(window.label)
    return t("overview.rolling_window", end=format_period(window.label.split("..")[1]))


def _value_text(h: headlines.Headline) -> str:
    if h.unit == "percent":
        return format_percent(h.value)
    return format_number(h.value, decimals=0 if h.unit == "count" else 1)


def _rate_text(h: headlines.Headline) -> str:
    if not h.denominator_kind or math.isnan(h.rate):
        if h.unit == "percent" and not math.isnan(h.rate_lower):
            return t("overview.interval", low=format_percent(h.rate_lower), high=format_percent(h.rate_upper))
        return ""
    return t(
        "overview.rate_line",
        rate=format_number(h.rate, decimals=2),
        low=format_number(h.rate_lower, decimals=2),
        high=format_number(h.rate_upper, decimals=2),
        denominator=t(f"denominator.{h.denominator_kind}"),
        year=h.denominator_year,
    )


def _change_text(h: headlines.Headline) -> str:
    change = h.change
    if math.isnan(change.estimate):
        return t("verdict.not_computable")
    if h.unit == "percent":
        size = t("overview.points", diff=format_number(change.estimate, decimals=1))
    else:
        size = format_percent((change.estimate - 1) * 100, decimals=0)
    arrow = ARROWS.get(change.direction.value, "")
    return f"{arrow} {size} · {t(f'verdict.{h.verdict}')}"


def headline_card(h: headlines.Headline) -> None:
    """One bordered card: value, rate with interval and denominator, and the change in words."""
    with st.container(border=True):
        st.markdown(f"**{h.name}**")
        st.markdown(f"### {_value_text(h)}")
        st.caption(_rate_text(h) or " ")
        st.markdown(_change_text(h))


def headline_grid(cards: list[headlines.Headline], *, columns: int = 3) -> None:
    """Cards in rows of ``columns``."""
    for start in range(0, len(cards), columns):
        for column, card in zip(st.columns(columns), cards[start : start + columns], strict=False):
            with column:
                headline_card(card)


def movers_table(frame: pd.DataFrame, filename: str) -> None:
    """Significant moves, with the words that say which way and whether it is better or worse."""
    if frame.empty:
        st.info(t("overview.no_movers"))
        return
    shown = pd.DataFrame(
        {
            t("common.district"): frame["name"],
            t("overview.col_previous"): frame["previous"].map(format_number),
            t("overview.col_latest"): frame["latest"].map(format_number),
            t("overview.col_change"): [format_percent((r - 1) * 100, decimals=0) for r in frame["ratio"]],
            t("footnote.ci"): [
                f"{format_percent((lo - 1) * 100, decimals=0)} – {format_percent((hi - 1) * 100, decimals=0)}"
                for lo, hi in zip(frame["lower"], frame["upper"], strict=True)
            ],
            t("overview.col_verdict"): [t(f"verdict.{v}") for v in frame["verdict"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    download(frame, filename, key="movers-csv")


def strategy_at_a_glance() -> None:
    """Objectives counted by status, then each objective's status in symbol and words."""
    table = strategy_ui.objectives()
    strategy_ui.status_overview(table)
    lines = [
        f"- {status_label(str(row.status))} — **{row.code}** {row.title}"
        for row in table.sort_values(["status", "code"]).itertuples()
    ]
    st.markdown("\n".join(lines))
    st.page_link("pages/strategy.py", label=t("overview.strategy_link"), icon=":material/flag:")
