"""Upload data: choose the kind of file, check it (nothing saved), review the changes, commit."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import session, upload

ui.through_app()
actor = session.require("import")

st.title(t("upload.title"))
st.caption(t("upload.intro"))
chosen = upload.kind_choice()
upload.template_download(chosen)
file = upload.file_input(chosen)
if file is not None:
    upload.workspace(actor, chosen, file)
