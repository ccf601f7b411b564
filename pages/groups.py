"""Staff page: area groupings (wards, priority neighbourhoods, police sectors) by picker, CSV or boundary;
deleting one."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import groups_editing, session

ui.through_app()
session.require("edit_strategy")

st.title(t("groups.title"))
st.caption(t("groups.intro"))
groups_editing.flash()
groups_editing.listing()
groups_editing.form()
groups_editing.csv_upload()
groups_editing.boundary_upload()
groups_editing.delete()
