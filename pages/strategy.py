"""The local safety strategy: axes, their objectives and where each stands, the actions and partners."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import (
    components,
    documents,
    embed,
    strategy,
    strategy_contracts,
    strategy_impact,
    strategy_partners,
    widgets,
)

ui.through_app()

# Embedded (?embed=true): the objectives and where each stands alone, the axis choice in a closed panel.
embedded = embed.active()
if embedded:
    st.header(t("strategy.title"))
else:
    st.title(t("strategy.title"))
    documents.evaluation_button()
st.caption(t("strategy.intro"))
if embedded:
    objectives_tab, partners_tab = st.container(), None
else:
    objectives_tab, partners_tab = st.tabs([t("strategy.tab_objectives"), t("strategy.tab_partners")])

with objectives_tab:
    axes = strategy.axes()
    titles = dict(zip(axes["code"], axes["title"], strict=True))
    with embed.controls():
        axis = widgets.select(
            t("strategy.axis"),
            [strategy.ALL, *titles],
            key="axis",
            format_func=lambda a: t("common.all") if a == strategy.ALL else f"{a} · {titles[a]}",
        )
        strategy_impact.impact_wanted()
    table = strategy.objectives()
    shown = table if axis == strategy.ALL else table[table["axis_code"] == axis]
    strategy.status_overview(shown)
    strategy.objectives_download(shown)
    for row in axes.itertuples():
        mine = shown[shown["axis_code"] == row.code]
        if mine.empty:
            continue
        st.header(f"{components.as_text(row.code)} · {components.as_text(row.title)}")
        if isinstance(row.description, str) and row.description:
            st.caption(components.as_text(row.description))
        strategy.objective_blocks(mine)
    st.caption(t("strategy.method_note"))
    if embedded:
        st.caption(embed.credit())
        st.stop()
    embed.how_to("strategy", t("strategy.title"))
    strategy_contracts.contracts_section()

if partners_tab is not None:
    with partners_tab:
        sector = widgets.select(
            t("strategy.sector"),
            strategy_partners.SECTORS,
            key="sector",
            format_func=strategy_partners.sector_label,
            radio=True,
            horizontal=True,
        )
        strategy_partners.partner_section(sector)
