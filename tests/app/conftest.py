"""Fixtures for the app tests: a demo database and its public release built once, copied for each test."""

import shutil
from datetime import datetime

import pytest
import streamlit as st

from observatory.domain import Actor, Role
from observatory.services import groups, publish
from observatory.store import connect

#: The grouping the fair-comparison tests define: districts 01–04.
CENTRE = ["01", "02", "03", "04"]


def _clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """Point the app at a temporary database and snapshot; caches are cleared before and after."""

    def use(path, snapshot=None):
        monkeypatch.setenv("OBSERVATORY_DB", str(path))
        monkeypatch.setenv("OBSERVATORY_SNAPSHOT", str(snapshot or tmp_path / "public.duckdb"))
        return path

    monkeypatch.setenv("OBSERVATORY_SNAPSHOT", str(tmp_path / "public.duckdb"))
    _clear_streamlit_caches()
    yield use
    _clear_streamlit_caches()


@pytest.fixture
def demo_app(app_env, demo_file, demo_release, tmp_path):
    """A copy of the demo database and of its first public release, ready for the app."""
    snapshot = shutil.copy(demo_release, tmp_path / "public.duckdb")
    return app_env(shutil.copy(demo_file, tmp_path / "demo.duckdb"), snapshot)


@pytest.fixture
def grouped_app(app_env, demo_file, tmp_path):
    """The demo with a grouping "centre" (districts 01–04, a name with markup in it), published."""
    db = shutil.copy(demo_file, tmp_path / "demo.duckdb")
    store = connect(db)
    try:
        admin = Actor("test-setup", Role.ADMIN)
        assert groups.save_group(store, "centre", "City centre <b>", CENTRE, actor=admin).ok
        publish.publish(
            store, actor=admin, snapshot_path=tmp_path / "public.duckdb", now=datetime(2026, 1, 15)
        )
    finally:
        store.close()
    return app_env(db, tmp_path / "public.duckdb")


@pytest.fixture
def buttons(monkeypatch):
    """Let AppTest press buttons: keep Streamlit's old pages-folder mode off between runs, as a server does.

    A server turns that mode off once, at the first ``st.navigation`` call, and it stays off. AppTest
    turns it back on before every run, so every run would start with ``ui.through_app()``'s rerun,
    and a rerun forgets which button was pressed.
    """
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import app_test

    class ServerLike(pages_manager.PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", ServerLike)


@pytest.fixture
def deferred_downloads(monkeypatch):
    """The callables of every deferred download button rendered (built only when pressed), by file name."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return found


@pytest.fixture
def downloads(monkeypatch):
    """Bytes of every download button rendered, by its file name.

    A download made when its button is pressed (a callable, as every product download is) is made here
    as soon as the button is drawn, as a press would make it.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    found: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            found[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    deferred = MediaFileManager.add_deferred

    def made_now(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        if file_name:
            made = data_callable()
            found[file_name] = made.encode() if isinstance(made, str) else made
        return deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", made_now)
    return found
