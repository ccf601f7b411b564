"""Overview: what changed in the city, whether it is beyond chance, where, and the strategy at a glance."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import components, documents, embed, overview

ui.through_app()

# Embedded (?embed=true), the overview is its headline cards alone, with the release they come from.
embedded = embed.active()
heading = t("overview.title")
if embedded:
    st.header(heading)
else:
    st.title(heading)
cards = overview.result_headlines()
if not cards:
    st.info(t("map.no_data"))
    st.stop()
st.caption(overview.period_note(cards))
if not embedded:
    documents.city_button()
overview.headline_grid(cards)
st.caption(t("overview.method_note"))
if embedded:
    st.caption(embed.credit())
    st.stop()
embed.how_to("", heading)

st.page_link("pages/where.py", label=t("where.link"), icon=":material/grid_on:")

st.header(t("overview.strategy_heading"))
overview.strategy_at_a_glance()

st.header(t("overview.movers_heading"))
code = components.indicator_picker(kinds=("result",), units=("count",))
overview.movers_table(overview.movers(code), f"movers-{code}.csv")
