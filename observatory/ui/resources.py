"""Process-wide resources: the settings and the one store connection (st.cache_resource)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from observatory.config import Settings, load_settings
from observatory.services.demo import ensure_demo
from observatory.store import Store, connect

# Served by the app itself: a named Material icon would be fetched from a third-party host.
ICON = str(Path(__file__).parent / "assets" / "icon.png")


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """Settings built once per process."""
    return load_settings()


@st.cache_resource(show_spinner="Preparing the observatory…")
def store() -> Store:
    """The process's only database connection; on an empty database, the demo city is loaded once."""
    conf = settings()
    opened = connect(conf.db_path, memory_limit=conf.memory_limit, threads=conf.threads)
    if conf.load_demo:
        ensure_demo(opened, conf.demo_dir)
    return opened
