"""What changed, where, and is it real: every indicator × the city and every district on one screen."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import overview

ui.through_app()

st.title(t("where.heading"))
st.markdown(t("where.intro"))
overview.where_section()
