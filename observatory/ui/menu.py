"""The site's menu and style: page links drawn by the app, not Streamlit's automatic page list.

Streamlit's own sidebar menu lists ``<li>`` items inside ``<div>``s (a list structure screen readers
cannot follow, an axe "serious" violation), and on a fresh server it shows the raw page files of
the pages/ folder until app.py has run (``client.showSidebarNavigation = false`` hides that one). So
the navigation is registered hidden and the menu is a column of ``st.page_link``s, drawn only after
the visitor's role is known: a visitor never sees a page they cannot open.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

_CSS = Path(__file__).parent / "assets" / "site.css"


def draw(slot: Any, sections: dict[str, list[Any]]) -> None:
    """Draw one link per page in ``slot`` (a sidebar container), under its section's name when there are two.

    Args:
        slot: The container the menu goes in (made before the language choice, so the menu is on top).
        sections: Translated section name → the ``st.Page`` objects registered with ``st.navigation``.
    """
    with slot:
        for title, pages in sections.items():
            if len(sections) > 1:
                st.markdown(f"**{title}**")
            for page in pages:
                st.page_link(page)


def style(locale: str) -> None:
    """Load the site's style rules and set the document's language (``<html lang>``) to ``locale``.

    Streamlit serves ``<html lang="en">`` whatever the page says, so a screen reader would read
    Portuguese and French pages with English pronunciation; a one-line script sets the attribute.
    ``locale`` is one of the app's own language codes, never visitor text. Caption contrast comes
    from the theme (.streamlit/config.toml).
    """
    script = f"<script>document.documentElement.lang = {json.dumps(locale)};</script>"
    css = _CSS.read_text(encoding="utf-8")
    st.html(f"<style>{css}</style>{script}", unsafe_allow_javascript=True)
