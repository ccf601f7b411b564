"""Fixtures shared by every test folder."""

import pytest

from observatory.config import load_settings
from observatory.services.demo import load_demo
from observatory.store import connect


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo city loaded once through the import path; copy it before writing to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = connect(path)
    load_demo(store, load_settings().demo_dir)
    store.close()
    return path
