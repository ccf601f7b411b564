"""The map's district panel: the district tapped on the map or found by name, its figure, its profile.

A tap on the map does not leave the page (on a phone the first tap would otherwise jump to the
profile before any name or figure was seen): it selects the district in the search box, and the
panel below shows its value, interval, base and benchmark, or why it is withheld, with a link to its
profile. The search box is a selectbox (type to filter), kept in the URL as ``district``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.domain import Indicator
from observatory.i18n import get_locale, t
from observatory.services import mapview
from observatory.ui import widgets
from observatory.ui.map import measure_text, shown_table
from observatory.ui.methodology import escape

PROFILE_PAGE = "pages/profile.py"
KEY = "district"
_LAST_TAP = "map-last-tap"


def choose(names: dict[str, str], tapped: str | None) -> str:
    """The search box; a new tap on the map chooses the tapped district. Returns "" for none.

    Args:
        names: District code → name, in the order offered.
        tapped: The district of the map's current selection (it lasts until the next tap).
    """
    if tapped and tapped in names and st.session_state.get(_LAST_TAP) != tapped:
        # Set before the search box is drawn in this run, so the box shows the tapped district.
        st.session_state[KEY] = tapped
        st.query_params[KEY] = tapped
    st.session_state[_LAST_TAP] = tapped
    return widgets.select(
        t("map.find_district"),
        ["", *names],
        key=KEY,
        format_func=lambda code: names.get(code, "—"),
    )


def _line(label: str, value: str) -> None:
    """One "label: value" line, with the language's spacing before the colon (French puts one)."""
    st.markdown(t("map.panel_line", label=escape(label), value=value))


def panel(info: Indicator, shown: pd.DataFrame, code: str, measure: str) -> None:
    """The chosen district's figure in a bordered box, or a hint when none is chosen.

    Args:
        info: The indicator.
        shown: The map's table as shown (ui.map.shown_table): texts already in the reader's language.
        code: The district's code ("" for none).
        measure: The measure on the map.
    """
    rows = shown[shown["code"].astype(str) == code]
    if not code or rows.empty:
        st.caption(t("map.no_district"))
        return
    row = rows.iloc[0]
    label = measure_text(info, mapview.RATE if measure == mapview.BENCHMARK else measure)
    with st.container(border=True):
        st.markdown(f"**{escape(row['name'])}**")
        _line(label, f"**{escape(row['shown_text'])}**")
        if not row["withheld"]:
            _line(t("footnote.ci"), escape(row["ci_text"]))
        if isinstance(row["denominator_kind"], str):
            _line(t("footnote.denominator_short"), escape(row["base_text"]))
        if info.comparable_with_city:
            _line(t("measure.benchmark"), escape(row["benchmark_text"]))
        st.page_link(
            PROFILE_PAGE,
            label=escape(t("map.open_profile", name=row["name"])),
            icon=":material/location_city:",
            query_params={"district": code, "lang": get_locale()},
        )


def show(info: Indicator, period_label: str, measure: str, tapped: str | None) -> None:
    """The search box and the panel of the district it holds (the tapped one after a tap)."""
    shown = shown_table(info.code, period_label, measure, get_locale())
    names = dict(zip(shown["code"].astype(str), shown["name"].astype(str), strict=True))
    names = dict(sorted(names.items(), key=lambda item: item[1].casefold()))
    panel(info, shown, choose(names, tapped), measure)
