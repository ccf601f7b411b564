"""Fixtures for the app tests: a demo database built once, copied fresh for each test."""

import shutil

import pytest
import streamlit as st

from observatory.config import load_settings
from observatory.services.demo import load_demo
from observatory.store import connect


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = connect(path)
    load_demo(store, load_settings().demo_dir)
    store.close()
    return path


def _clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """Point the app at a temporary database; caches are cleared before and after."""

    def use(path):
        monkeypatch.setenv("OBSERVATORY_DB", str(path))
        return path

    _clear_streamlit_caches()
    yield use
    _clear_streamlit_caches()


@pytest.fixture
def demo_app(app_env, demo_db_file, tmp_path):
    """A copy of the demo database, ready for the app."""
    return app_env(shutil.copy(demo_db_file, tmp_path / "demo.duckdb"))
