"""Staff editing of the indicator catalogue: names, units, denominators, thresholds, series breaks."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import edit_forms, indicator_breaks, indicator_editing, indicator_starters, session

ui.through_app()
actor = session.require("edit_indicators")

st.title(t("indicators.title"))
st.caption(t("indicators.intro"))
edit_forms.flash()
code = indicator_editing.indicator_section()
if code != edit_forms.NEW:
    indicator_breaks.breaks_section(actor, code)
st.divider()
indicator_starters.starter_section()
