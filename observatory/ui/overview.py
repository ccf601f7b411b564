"""Overview page: cached headline figures, movers and their rendering."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from observatory.i18n import (
    denominator_words,
    format_number,
    format_percent,
    format_period,
    format_total,
    rate_words,
    t,
)
from observatory.present.text import markdown as escape
from observatory.services import headlines, totals, views
from observatory.ui import strategy as strategy_ui
from observatory.ui.components import download
from observatory.ui.resources import cached, reader, settings
from observatory.ui.strategy_text import status_label

ARROWS = {"up": "▲", "down": "▼", "flat": "▶", "not_computable": "·"}


@cached()
def result_headlines() -> list[headlines.Headline]:
    """City headlines of every result indicator (those with comparable periods)."""
    catalogue = views.catalogue(reader())
    results = catalogue.loc[catalogue["kind"] == "result", "code"]
    # A city that keeps no result indicator yet still gets its latest figures on the landing page.
    codes = results if len(results) else catalogue["code"]
    found = [headlines.city_headline(reader(), code, settings().city_code) for code in codes]
    return [h for h in found if h is not None]


@cached()
def movers(code: str) -> pd.DataFrame:
    """Districts that moved beyond chance for one indicator."""
    return headlines.movers(reader(), code, limit=6)


def window_text(window: headlines.Window) -> str:
    """ "2025", "the 12 months to December 2025", or "January 2025 to March 2025 (the months available)"."""
    if ".." not in window.label:
        return format_period(window.label)
    first, last = window.label.split("..")
    if window.short:
        return t("overview.months_window", start=format_period(first), end=format_period(last))
    return t("overview.rolling_window", end=format_period(last))


def main_window(cards: list[headlines.Headline]) -> headlines.Window:
    """The window most cards share (indicators of one source end together)."""
    labels = pd.Series([card.window.label for card in cards])
    common = labels.mode().iloc[0]
    return next(card.window for card in cards if card.window.label == common)


def _value_text(h: headlines.Headline) -> str:
    if h.unit == "percent":
        return format_percent(h.value)
    decimals = 0 if h.unit == "count" else 1
    return format_total(h.value, h.lower_bound, h.upper_bound, h.basis, decimals=decimals)


def _rate_text(h: headlines.Headline) -> str:
    if (
        h.denominator_kind
        and math.isnan(h.rate)
        and math.isfinite(h.rate_lower)
        and math.isfinite(h.rate_upper)
    ):
        # A bounded city total: its rate is known only within the interval over both bounds.
        low, high = format_number(h.rate_lower, decimals=2), format_number(h.rate_upper, decimals=2)
        return f"{rate_words(h.multiplier, h.denominator_kind)}: {t('overview.interval', low=low, high=high)}"
    if not h.denominator_kind or math.isnan(h.rate):
        if h.unit == "percent" and not math.isnan(h.rate_lower):
            return t("overview.interval", low=format_percent(h.rate_lower), high=format_percent(h.rate_upper))
        return ""
    return t(
        "overview.rate_line",
        rate=format_number(h.rate, decimals=2),
        low=format_number(h.rate_lower, decimals=2),
        high=format_number(h.rate_upper, decimals=2),
        multiplier=format_number(h.multiplier),
        denominator=denominator_words(h.denominator_kind),
        year=h.denominator_year,
    )


def basis_text(h: headlines.Headline) -> str:
    """Which kind of city figure a headline is, when it is not the city's own or a complete sum."""
    if h.basis.exact:
        return ""
    return t("overview.total_basis", basis=t(totals.describe(h.basis)))


def _change_text(h: headlines.Headline) -> str:
    change = h.change
    if math.isnan(change.estimate):
        return t("verdict.not_computable")
    if h.unit == "percent":
        size = t("overview.points", diff=format_number(change.estimate, decimals=1))
    elif not change.tested:
        # An amount or an index: the plain difference, in its own unit.
        sign = "+" if change.estimate > 0 else ""
        size = sign + format_number(change.estimate, decimals=0 if h.unit == "amount" else 1)
    else:
        size = format_percent((change.estimate - 1) * 100, decimals=0)
    arrow = ARROWS.get(change.direction.value, "")
    return f"{arrow} {size} · {t(f'verdict.{h.verdict}')}"


def headline_card(h: headlines.Headline, main: headlines.Window) -> None:
    """One bordered card: value, rate with interval and denominator, and the change in words; its own
    period when it is not the page's ``main`` one. The name is the catalogue's text, shown as text."""
    with st.container(border=True):
        st.markdown(f"**{escape(h.name)}**")
        st.markdown(f"### {_value_text(h)}")
        st.caption(_rate_text(h) or " ")
        st.markdown(_change_text(h))
        if basis_text(h):
            st.caption(basis_text(h))
        if h.window.label != main.label:
            # This indicator's latest period is not the page's (another source, another rhythm).
            st.caption(window_text(h.window))


def headline_grid(cards: list[headlines.Headline], *, columns: int = 3) -> None:
    """Cards in rows of ``columns``."""
    main = main_window(cards)
    for start in range(0, len(cards), columns):
        for column, card in zip(st.columns(columns), cards[start : start + columns], strict=False):
            with column:
                headline_card(card, main)


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
        f"- {status_label(str(row.status))} — **{escape(row.code)}** {escape(row.title)}"
        for row in table.sort_values(["status", "code"]).itertuples()
    ]
    st.markdown("\n".join(lines))
    st.page_link("pages/strategy.py", label=t("overview.strategy_link"), icon=":material/flag:")
