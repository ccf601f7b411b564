"""What the app says when its data cannot be served: a sentence in the visitor's language, never a
traceback, and never Streamlit's list of page files (shown whenever a run ends before
``st.navigation``)."""

from __future__ import annotations

import streamlit as st

from observatory.i18n import t
from observatory.store import StoreError
from observatory.store.integrity import DatabaseDamaged, SchemaTooNew
from observatory.ui.resources import settings, store


def problem_text(exc: StoreError) -> str:
    """The sentence for a database that cannot be opened, in the run's language."""
    if isinstance(exc, DatabaseDamaged):
        return t("startup.database_damaged", path=exc.path, detail=exc.detail)
    if isinstance(exc, SchemaTooNew):
        return t("startup.schema_newer", path=exc.path, found=exc.found, known=exc.known)
    return t("startup.database_unopenable", path=settings().db_path)


def check_database() -> None:
    """Open the staff database (site mode); when it cannot be served, say why and end the run."""
    if settings().public_mode:
        return
    try:
        store()
    except StoreError as exc:
        halt(problem_text(exc))


def halt(message: str) -> None:
    """Show *message* as the only page and end the run (the navigation is set, so no page list shows)."""

    def unavailable() -> None:
        st.title(t("startup.title"))
        st.error(message, icon=":material/error:")

    st.navigation([st.Page(unavailable, title=t("startup.title"))], position="hidden").run()
    st.stop()
