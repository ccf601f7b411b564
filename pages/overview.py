"""Overview: what changed in the city, whether it is beyond chance, where, and the strategy at a glance."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import components, documents, overview

ui.through_app()

st.title(t("overview.title"))
cards = overview.result_headlines()
if not cards:
    st.info(t("map.no_data"))
    st.stop()
st.caption(overview.period_note(cards))
documents.city_button()
overview.headline_grid(cards)
st.caption(t("overview.method_note"))

st.page_link("pages/where.py", label=t("where.link"), icon=":material/grid_on:")

st.header(t("overview.strategy_heading"))
overview.strategy_at_a_glance()

st.header(t("overview.movers_heading"))
code = components.indicator_picker(kinds=("result",), units=("count",))
overview.movers_table(overview.movers(code), f"movers-{code}.csv")
