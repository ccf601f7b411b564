"""Fixtures for the tests on real public data: a store built once per dataset, and the app pointed at it.

Each dataset's module builds its store through the import services (as a new user would: boundaries,
then indicators or the format's own options, then the file), publishes a release, and hands the two
files to :func:`site`, which points the app at copies of them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from observatory.domain import Actor, Role
from observatory.services import publish
from observatory.store import Store, connect

DATA = Path(__file__).resolve().parents[1] / "data" / "real"
#: The person who sets up each observatory in these tests.
ADMIN = Actor("real-data-setup", Role.ADMIN)
#: When each release is said to have been published.
RELEASE_TIME = datetime(2026, 1, 15, 9, 30)
#: The pages every audience may open.
PUBLIC_PAGES = (
    "pages/overview.py",
    "pages/map.py",
    "pages/trends.py",
    "pages/profile.py",
    "pages/strategy.py",
    "pages/methodology.py",
)


@dataclass(frozen=True)
class Built:
    """A dataset loaded into a store file, with its published release and the city it is about."""

    db: Path
    snapshot: Path
    city_code: str
    city_name: str


def build(folder: Path, city_code: str, city_name: str, load: Callable[[Store], None]) -> Built:
    """Run ``load`` on a new store in ``folder``, publish a release, and close the store."""
    db, snapshot = folder / "staff.duckdb", folder / "public.duckdb"
    store = connect(db)
    try:
        load(store)
        publish.publish(store, actor=ADMIN, snapshot_path=snapshot, now=RELEASE_TIME)
    finally:
        store.close()
    return Built(db, snapshot, city_code, city_name)


def _clear_streamlit_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def site(monkeypatch, tmp_path) -> Iterator[Callable[[Built], Built]]:
    """Point the app at copies of a built dataset (no demo city); caches are cleared before and after."""

    def use(built: Built) -> Built:
        db = Path(shutil.copy(built.db, tmp_path / "staff.duckdb"))
        snapshot = Path(shutil.copy(built.snapshot, tmp_path / "public.duckdb"))
        monkeypatch.setenv("OBSERVATORY_DB", str(db))
        monkeypatch.setenv("OBSERVATORY_SNAPSHOT", str(snapshot))
        monkeypatch.setenv("OBSERVATORY_LOAD_DEMO", "false")
        monkeypatch.setenv("OBSERVATORY_CITY_CODE", built.city_code)
        monkeypatch.setenv("OBSERVATORY_CITY_NAME", built.city_name)
        return Built(db, snapshot, built.city_code, built.city_name)

    _clear_streamlit_caches()
    yield use
    _clear_streamlit_caches()


def _walk(audience: str, pages: tuple[str, ...]):
    """Yield (page, AppTest after the page ran) for each page, in one session as ``audience``."""
    from streamlit import config

    from tests.app.helpers import start

    # The deployed setting hides error details from visitors; these tests want the traceback's last
    # line, and put the setting back for the tests that run after them.
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    try:
        at = start(role="viewer" if audience == "viewer" else None)
        for page in pages:
            at.switch_page(page).run()
            yield page, at
    finally:
        config.set_option("client.showErrorDetails", shown)


def page_errors(audience: str, pages: tuple[str, ...] = PUBLIC_PAGES) -> dict[str, list[str]]:
    """Open every public page in one session as ``audience`` (``viewer`` signed in, or ``public``).

    Returns:
        Page → the exceptions it raised (type and message: the last line of the traceback); empty
        when every page opened cleanly.
    """
    return {
        page: [_last_line(e) for e in at.exception] for page, at in _walk(audience, pages) if at.exception
    }


def open_pages(audience: str, pages: tuple[str, ...] = PUBLIC_PAGES) -> dict[str, list[str]]:
    """The texts each page shows (headings, text, captions, notes, metrics, widget labels and options, chart
    titles and labels), for checks on wording such as the unit of a rate."""
    found: dict[str, list[str]] = {}
    for page, at in _walk(audience, pages):
        texts: list[str] = []
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
            texts += [str(e.value) for e in at.get(kind)]
        texts += [f"{m.label} {m.value}" for m in at.metric]
        for widget in (*at.selectbox, *at.radio, *at.multiselect):
            texts += [str(widget.label), *(str(o) for o in widget.options)]
        texts += [chart.proto.spec for chart in at.get("plotly_chart")]
        found[page] = texts
    return found


def _last_line(exception) -> str:
    """The exception as its traceback's last line says it (``KeyError: 'year'``)."""
    kind = exception.proto.type
    return f"{kind}: {exception.message}" if kind else str(exception.message)


def assert_same_counts(stored: pd.Series, expected: pd.Series) -> None:
    """Every stored value equals the independent count, with the same keys on both sides.

    The failure message names how many differ and the first few, rather than printing every key.
    """
    both = pd.concat({"stored": stored, "expected": expected}, axis=1)
    differ = both[~(both["stored"] == both["expected"])]
    shown = differ.head(5).to_string()
    assert differ.empty, f"{len(differ)} of {len(both)} values differ from the independent count:\n{shown}"
