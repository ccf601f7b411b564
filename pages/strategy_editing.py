"""Staff editing of the strategy: objectives and their targets, assessments, actions, axes and partners."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import contract_editing, edit_forms, session, strategy_editing

ui.through_app()
session.require("edit_strategy")

st.title(t("edit.title"))
st.caption(t("edit.intro"))
edit_forms.flash()
objectives_tab, actions_tab, axes_tab, partners_tab, contracts_tab = st.tabs(
    [
        t("edit.tab_objectives"),
        t("edit.tab_actions"),
        t("edit.tab_axes"),
        t("edit.tab_partners"),
        t("edit.tab_contracts"),
    ]
)
with objectives_tab:
    strategy_editing.objectives_section()
with actions_tab:
    strategy_editing.actions_section()
with axes_tab:
    strategy_editing.axes_section()
with partners_tab:
    strategy_editing.partners_section()
with contracts_tab:
    contract_editing.contracts_section()
