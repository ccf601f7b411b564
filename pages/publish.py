"""Publish (admins): the current public release, what publishing now would hold, and publishing."""

import streamlit as st

from observatory import ui
from observatory.i18n import t
from observatory.ui import publish, session

ui.through_app()
actor = session.require("publish")

st.title(t("publish.title"))
st.caption(t("publish.intro"))
publish.outcome()
release = publish.current()
publish.release_heading(release)
figures, changes = publish.dry_run(actor)
publish.figures_table(release, figures)
publish.changes_table(changes)
publish.publish_button(actor)
