"""Sign in: staff and officials with a local account, or through the city's identity provider."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import session

ui.through_app()

st.title(t("signin.title"))
session.notice()
if session.sso_enabled():
    if st.button(t("signin.sso_button"), key="sso-login", type="primary"):
        st.login()
    st.caption(t("signin.sso_or_local"))
with st.form("sign-in", clear_on_submit=False):
    name = st.text_input(t("signin.name"), key="signin-name", autocomplete="username", max_chars=64)
    password = st.text_input(t("signin.password"), type="password", key="signin-password", max_chars=1024)
    submitted = st.form_submit_button(t("signin.submit"))
if submitted:
    if session.sign_in(name.strip(), password):
        # The menu is built anew for the signed-in role; this page is not in it, so the default opens.
        st.rerun()
    st.error(t("signin.refused"))
st.caption(t("signin.help"))
