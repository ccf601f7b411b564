"""Staff editing of the indicator catalogue: names, units, denominators, disclosure thresholds."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import edit_forms, indicator_editing, session

ui.through_app()
session.require("edit_indicators")

st.title(t("indicators.title"))
st.caption(t("indicators.intro"))
edit_forms.flash()
indicator_editing.indicator_section()
