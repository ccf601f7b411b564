"""Process-wide resources: the settings and the one store connection (st.cache_resource)."""

from __future__ import annotations

import streamlit as st

from observatory.config import Settings, load_settings
from observatory.services.demo import ensure_demo
from observatory.store import Store, connect


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
