"""Overview: what changed in the city, whether it is beyond chance, where, and the strategy at a glance."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import components, overview

ui.through_app()

st.title(t("overview.title"))
cards = overview.result_headlines()
if not cards:
    st.info(t("map.no_data"))
    st.stop()
st.caption(t("overview.period_note", window=overview.window_text(overview.main_window(cards))))
overview.headline_grid(cards)
st.caption(t("overview.method_note"))

st.header(t("overview.strategy_heading"))
overview.strategy_at_a_glance()

st.header(t("overview.movers_heading"))
code = components.indicator_picker(kinds=("result",), units=("count",))
overview.movers_table(overview.movers(code), f"movers-{code}.csv")
