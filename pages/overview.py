"""Overview: what changed in the city, whether it is beyond chance, where, and the strategy at a glance."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import data, overview, widgets

ui.through_app()

st.title(t("overview.title"))
cards = overview.result_headlines()
if not cards:
    st.info(t("map.no_data"))
    st.stop()
st.caption(t("overview.period_note", window=overview.window_text(cards[0].window)))
overview.headline_grid(cards)
st.caption(t("overview.method_note"))

st.subheader(t("overview.strategy_heading"))
overview.strategy_at_a_glance()

st.subheader(t("overview.movers_heading"))
catalogue = data.catalogue()
results = catalogue[(catalogue["kind"] == "result") & (catalogue["unit"] == "count")]
names = dict(zip(results["code"], results["name"], strict=True))
code = widgets.select(t("common.indicator"), list(names), key="indicator", format_func=names.get)
overview.movers_table(overview.movers(code), f"movers-{code}.csv")
