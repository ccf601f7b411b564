"""Each shape built once and published once; each page visited once per shape and role, then read back.

A visit is one AppTest per (shape, role) that goes through every page in turn, selecting each
indicator where a page has a picker, and keeps what was drawn (:class:`Seen`). The tests of
test_pages.py only read these records, so a shape costs one build, one release and one tour per role.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
import streamlit as st
from streamlit import config

from observatory.services import publish
from observatory.store import connect
from tests.app.helpers import decode, start
from tests.shapes import expected
from tests.shapes.generator import ACTOR, SHAPES, City, build

RELEASE_TIME = datetime(2026, 1, 15, 9, 30)
DASHBOARD = ("overview", "map", "trends", "profile", "strategy", "methodology")
STAFF = ("indicators", "history", "publish", "strategy_editing", "upload")


@dataclass
class Built:
    """A shape's city, its staff database and its public release."""

    city: City
    db: Path
    snapshot: Path


@dataclass
class Seen:
    """What one run of a page drew, kept as plain values."""

    page: str
    step: str = ""
    exceptions: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)
    metrics: list[tuple[str, str]] = field(default_factory=list)
    widgets: dict[str, Any] = field(default_factory=dict)
    options: dict[str, list[Any]] = field(default_factory=dict)


def _exception_text(element: Any) -> str:
    """The exception's message and the innermost frame of the project's code that raised it."""
    frames = [line.strip() for line in element.stack_trace if 'File "' in line]
    ours = [line for line in frames if "/observatory/" in line or "/pages/" in line]
    where = (ours or frames or [""])[-1]
    return f"{element.message} [{where}]".strip()


def capture(at: Any, page: str, step: str = "", problems: list[str] | None = None) -> Seen:
    """Everything the tests read from a run, decoded."""
    seen = Seen(page, step, exceptions=[_exception_text(e) for e in at.exception] + (problems or []))
    seen.markdown = [m.value for m in at.markdown]
    seen.captions = [c.value for c in at.caption]
    seen.infos = [i.value for i in at.info]
    seen.figures = [decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
    seen.frames = [frame.value for frame in at.dataframe]
    seen.metrics = [(m.label, m.value) for m in at.metric]
    for kind in ("selectbox", "radio", "multiselect"):
        for widget in getattr(at, kind):
            if widget.key:
                seen.widgets[widget.key] = widget.value
                seen.options[widget.key] = list(widget.options)
    return seen


class Visitor:
    """One AppTest going from page to page as one role; started again when AppTest's own state breaks.

    AppTest replays every widget's last value on each run; after an indicator change a stale value
    (a measure the new indicator does not offer) can make AppTest itself fail before the app runs.
    A browser would not send it, so the visitor then starts a fresh session and opens the page again.
    """

    def __init__(self, role: str | None) -> None:
        self.role = role
        self.page = ""
        self.at = start(role=role)

    def open(self, page: str) -> None:
        self.page = page
        try:
            self.at.switch_page(f"pages/{page}.py").run()
        except ValueError:
            self.at = start(role=self.role)
            self.at.switch_page(f"pages/{page}.py").run()

    def choose(self, kind: str, key: str, value: Any) -> str | None:
        """Select ``value`` in the widget ``key`` and rerun; a problem in words when that is impossible."""
        for attempt in range(2):
            found = [w for w in getattr(self.at, kind) if w.key == key]
            if not found:
                return f"no {kind} {key!r} on the page"
            widget = found[0]
            if widget.value == value:
                return None
            try:
                (widget.select(value) if kind == "selectbox" else widget.set_value(value)).run()
                return None
            except ValueError:
                if attempt:
                    raise
                self.at = start(role=self.role)
                self.open(self.page)
        return None

    def offers(self, key: str, value: Any, kind: str = "selectbox") -> bool:
        """True when the widget ``key`` has ``value`` among its options (AppTest lists them formatted)."""
        for widget in getattr(self.at, kind):
            if widget.key == key:
                try:
                    return str(widget.format_func(value)) in widget.options
                except Exception:  # a label function that cannot format it does not offer it
                    return False
        return False

    def seen(self, step: str = "", problems: list[str | None] | None = None) -> Seen:
        return capture(self.at, self.page, step, [p for p in problems or [] if p])


def _tour_map(visitor: Visitor, city: City) -> list[Seen]:
    seen = []
    visitor.open("map")
    for info in city.indicators:
        problem = visitor.choose("selectbox", "indicator", info.code)
        measures = [m for m in ("rate", "count", "value") if visitor.offers("measure", m)]
        if problem or not measures:
            seen.append(visitor.seen(info.code, [problem]))
            continue
        for measure in measures:
            problem = visitor.choose("selectbox", "measure", measure)
            visit = visitor.seen(f"{info.code}:{measure}", [problem])
            # A label shared by two measures (a "rate" without a denominator reads "count") selects the other.
            if problem or visit.widgets.get("measure") == measure:
                seen.append(visit)
    return seen + _tour_rolling(visitor, city)


def _tour_rolling(visitor: Visitor, city: City) -> list[Seen]:
    """The main indicator's count over the latest 12 months, where the map offers rolling years."""
    if visitor.choose("selectbox", "indicator", city.main) or not visitor.offers(
        "window", "rolling", "radio"
    ):
        return []
    problems = [visitor.choose("radio", "window", "rolling"), visitor.choose("selectbox", "measure", "count")]
    visit = visitor.seen(f"{city.main}:count:rolling", problems)
    visitor.choose("radio", "window", "year")
    return [visit]


def _tour_trends(visitor: Visitor, city: City) -> list[Seen]:
    seen = []
    visitor.open("trends")
    for info in city.indicators:
        problems = [visitor.choose("selectbox", "indicator", info.code)]
        view = expected.stored(city, info.code)
        if not visitor.offers("view", view, "radio"):
            problems.append(f"no {view} view")
        else:
            problems.append(visitor.choose("radio", "view", view))
        problems.append(_as_stored(visitor))
        seen.append(visitor.seen(info.code, problems))
    return seen + _tour_trend_years(visitor, city)


def _as_stored(visitor: Visitor) -> str | None:
    """Choose the measure that draws the value as stored: a count (or amount) summed, else as given."""
    for measure in ("count", "value"):
        if visitor.offers("measure", measure, "radio"):
            return visitor.choose("radio", "measure", measure)
    return None


def _tour_trend_years(visitor: Visitor, city: City) -> list[Seen]:
    """The main indicator by calendar year for the city and a few districts: the first, and 03 and 05
    (the districts the gaps shape leaves without a year and without a month)."""
    districts = sorted({city.codes[0], *(c for c in ("03", "05") if c in city.codes)})
    problems = [
        visitor.choose("selectbox", "indicator", city.main),
        visitor.choose("multiselect", "districts", districts),
        visitor.choose("radio", "view", "year")
        if visitor.offers("view", "year", "radio")
        else "no year view",
        _as_stored(visitor),
    ]
    return [visitor.seen(f"{city.main}:year", problems)]


def tour(built: Built, role: str | None, pages: tuple[str, ...]) -> dict[str, list[Seen]]:
    """Open every page of ``pages`` as ``role`` (None: the public) and keep what each drew."""
    env = {
        "OBSERVATORY_DB": str(built.db),
        "OBSERVATORY_SNAPSHOT": str(built.snapshot),
        "OBSERVATORY_LOAD_DEMO": "false",
        "OBSERVATORY_CITY_CODE": "000",
    }
    details = config.get_option("client.showErrorDetails")
    # The app hides error details from visitors; the report of a failing cell needs them.
    config.set_option("client.showErrorDetails", "full")
    try:
        with mock.patch.dict(os.environ, env):
            st.cache_data.clear()
            st.cache_resource.clear()
            return _tour(built, role, pages)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
        config.set_option("client.showErrorDetails", details)


def _tour(built: Built, role: str | None, pages: tuple[str, ...]) -> dict[str, list[Seen]]:
    visitor = Visitor(role)
    visits: dict[str, list[Seen]] = {}
    if "overview" in pages:
        visitor.page = "overview"
        visits["overview"] = [visitor.seen()]
    for page in pages:
        if page == "map":
            visits[page] = _tour_map(visitor, built.city)
        elif page == "trends":
            visits[page] = _tour_trends(visitor, built.city)
        elif page != "overview":
            visitor.open(page)
            visits[page] = [visitor.seen()]
    return visits


class Shapes:
    """Built shapes and page tours, each made once per session on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._built: dict[str, Built] = {}
        self._tours: dict[tuple[str, str], dict[str, list[Seen]]] = {}

    def built(self, shape: str) -> Built:
        if shape not in self._built:
            city = SHAPES[shape]()
            folder = self.folder / shape
            folder.mkdir()
            db = build(city, folder / "staff.duckdb")
            store = connect(db)
            try:
                publish.publish(store, actor=ACTOR, snapshot_path=folder / "public.duckdb", now=RELEASE_TIME)
            finally:
                store.close()
            self._built[shape] = Built(city, db, folder / "public.duckdb")
        return self._built[shape]

    def visits(self, shape: str, role: str) -> dict[str, list[Seen]]:
        """The pages a role sees on a shape: viewer and public the dashboard, admin the staff pages."""
        if (shape, role) not in self._tours:
            pages = STAFF if role == "admin" else DASHBOARD
            self._tours[(shape, role)] = tour(self.built(shape), None if role == "public" else role, pages)
        return self._tours[(shape, role)]


@pytest.fixture(scope="session")
def shapes(tmp_path_factory) -> Shapes:
    return Shapes(tmp_path_factory.mktemp("shapes"))
