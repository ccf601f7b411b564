"""Import history: every batch newest first, its stored report, and rollback of a committed import."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import history, session

ui.through_app()
actor = session.require("import")

st.title(t("history.title"))
st.caption(t("history.intro"))
states, kinds = history.filters()
batches = history.batch_list(states, kinds)
if not batches.empty:
    history.batch_detail(actor, history.choose_batch(batches))
