"""The only package room that imports Streamlit: resources, cached reads, widgets, page pieces."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_app() -> None:
    """Make sure this page runs inside dashboard.py's navigation; every page calls it first.

    Streamlit treats a ``pages/`` folder next to the entry script as its old multipage mode until
    the entry script calls ``st.navigation``. A page opened first on a fresh server (or by
    ``AppTest.switch_page``) would run alone, without dashboard.py: no language, no sign-in, and every
    page routable. Switching the mode off and rerunning sends the run through dashboard.py, which
    registers only the pages the visitor's role may use.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
