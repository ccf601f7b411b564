"""Fast (AppTest) companion of the browser corpus: every page, public and staff, on a city whose every
stored text holds Markdown/HTML payloads; nothing drawn as Markdown or plotly turns them into elements."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.app.helpers import decode, start
from tests.app.hostile import HOST, poison

ELEMENTS = re.compile(r"<(a|img|iframe|script|embed|object)\b", re.IGNORECASE)
_MD = MarkdownIt("commonmark").enable("table")
# Element kinds whose body Streamlit renders as Markdown.
MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "error",
    "warning",
    "info",
    "success",
)


@pytest.fixture
def hostile_app(app_env, demo_file, tmp_path):
    db = Path(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    return app_env(db, poison(db))


def _markdown_elements(at) -> list[str]:
    """Elements a payload could become, in every Markdown body the page drew."""
    found = []
    for kind in MARKDOWN_KINDS:
        for element in at.get(kind):
            body = str(getattr(element, "value", "") or getattr(element.proto, "body", ""))
            if HOST in body:
                found += [m.group(0) for m in ELEMENTS.finditer(_MD.render(body))]
    return found


def _nodes(node):
    yield node
    for child in (getattr(node, "children", None) or {}).values():
        yield from _nodes(child)


def _label_elements(at) -> list[str]:
    """Elements a payload could become in a widget's label or help, which Streamlit renders as Markdown."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        for field in ("label", "help"):
            body = getattr(proto, field, "") if proto is not None else ""
            if isinstance(body, str) and HOST in body:
                found += [f"{field}: {m.group(0)}" for m in ELEMENTS.finditer(_MD.render(body))]
    return found


# Never drawn: the map's boundaries (geojson properties) and legend-group ids. (Hover templates are
# checked: a label built into one from user text would be drawn.)
def _strings(value, skip=("geojson", "legendgroup")):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skip)
    elif isinstance(value, str):
        yield value


def _figure_tags(at) -> list[str]:
    """Tags plotly would draw, in every text of every figure (templates written by the project aside)."""
    found = []
    for chart in at.get("plotly_chart"):
        figure = decode(json.loads(chart.proto.spec))
        found += [s for s in _strings(figure) if HOST in s and ELEMENTS.search(s)]
    return found


PUBLIC = [
    None,
    "pages/map.py",
    "pages/trends.py",
    "pages/profile.py",
    "pages/strategy.py",
    "pages/methodology.py",
]
STAFF = [*PUBLIC, "pages/history.py", "pages/strategy_editing.py", "pages/indicators.py", "pages/audit.py"]


@pytest.mark.parametrize(("role", "page"), [(None, p) for p in PUBLIC] + [("admin", p) for p in STAFF])
def test_stored_text_never_becomes_an_element(hostile_app, role, page):
    at = start(page, role=role, query={"district": "05"} if page == "pages/profile.py" else None)
    assert not at.exception
    shown = [e for kind in MARKDOWN_KINDS for e in at.get(kind) if HOST in str(getattr(e, "value", ""))]
    assert shown or at.get("plotly_chart") or at.get("dataframe")  # the payloads reached the page
    assert _markdown_elements(at) == []
    assert _label_elements(at) == []
    assert _figure_tags(at) == []
