"""Fixtures shared by every test folder."""

import shutil
from datetime import datetime

import pytest

from observatory.config import load_settings
from observatory.services import publish
from observatory.services.demo import DEMO_ACTOR, load_demo
from observatory.store import connect

#: When the demo's first release is said to have been published, in tests.
RELEASE_TIME = datetime(2026, 1, 15, 9, 30)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo city loaded once through the import path; copy it before writing to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = connect(path)
    load_demo(store, load_settings().demo_dir)
    store.close()
    return path


@pytest.fixture(scope="session")
def demo_release(demo_file, tmp_path_factory):
    """The demo city's public release (a snapshot file), published once; copy it before replacing it."""
    folder = tmp_path_factory.mktemp("release")
    path = folder / "public.duckdb"
    # Published from a copy: publishing writes an audit line, and demo_file stays as loaded.
    store = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    try:
        publish.publish(store, actor=DEMO_ACTOR, snapshot_path=path, now=RELEASE_TIME)
    finally:
        store.close()
    return path
