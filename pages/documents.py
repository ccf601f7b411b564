"""Documents: district and city briefings, the yearly evaluation and the security diagnosis (PDF or HTML)."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import documents

ui.through_app()

st.title(t("documents.title"))
st.markdown(t("documents.intro"))
documents.page()
