"""The only package room that imports Streamlit: resources, cached reads, widgets, page pieces.

Importing it also guards the app's navigation. Streamlit treats a ``pages/`` folder next to the
entry script as the old multipage mode until the entry script first calls ``st.navigation``; a
fresh server whose first request is ``/strategy`` would run ``pages/strategy.py`` directly, without
app.py (no language, no sign-in, and every page routable). Every page imports this package, so the
first such run switches the mode off and reruns through app.py, which registers only the pages the
visitor's role may use.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
