"""Fixtures for the app tests: a demo database built once, copied fresh for each test."""

import shutil

import pytest
import streamlit as st


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
def demo_app(app_env, demo_file, tmp_path):
    """A copy of the demo database, ready for the app."""
    return app_env(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
