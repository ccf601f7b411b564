"""Audit log (admins): who did what and when, newest first, filtered, a page at a time, as CSV."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import audit, session

ui.through_app()
actor = session.require("manage_users")

st.title(t("audit.title"))
st.caption(t("audit.intro"))
where = audit.filters(actor)
audit.lines(actor, where)
audit.download(actor, where)
