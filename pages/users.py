"""Users (admins): the accounts, adding one, changing a role, disabling or enabling, resetting a password."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import session, users

ui.through_app()
actor = session.require("manage_users")

st.title(t("users.title"))
st.caption(t("users.intro"))
users.start()
users.policy()
list_tab, add_tab, change_tab = st.tabs([t("users.tab_list"), t("users.tab_add"), t("users.tab_change")])
with list_tab:
    found = users.account_list(actor)
with add_tab:
    users.add_account(actor)
with change_tab:
    users.change_account(actor, found)
