"""Starting the app as a given role, and reading what AppTest rendered (plotly 7's base64 arrays decoded)."""

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from observatory import auth
from observatory.domain import Actor, Role
from observatory.services import accounts
from observatory.store import connect
from observatory.ui.session import SESSION_KEY

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
#: Password of the accounts the tests sign in with (one per role, named after it).
PASSWORD = "correct horse battery staple"
_ADMIN = Actor("test-setup", Role.ADMIN)


def ensure_account(role: str, *, db: str | None = None) -> str:
    """Make sure the test database has an account named after ``role``; returns its name."""
    store = connect(db or os.environ["OBSERVATORY_DB"])
    try:
        if not accounts.account_exists(store, role, actor=_ADMIN):
            accounts.create_account(store, role, Role(role), PASSWORD, actor=_ADMIN)
    finally:
        store.close()
    return role


def start(page: str | None = None, *, query: dict | None = None, role: str | None = None) -> AppTest:
    """Run dashboard.py (then switch to ``page``) as an anonymous visitor, or signed in as ``role``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if role:
        name = ensure_account(role)
        now = datetime.now(UTC).replace(tzinfo=None)
        at.session_state[SESSION_KEY] = auth.Session(name, Role(role), now, now)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def decode(value):
    """Turn {"dtype", "bdata"} arrays back into lists, recursively."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def figures(at: AppTest) -> list[dict]:
    return [decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def map_locations(figure: dict) -> list[str]:
    """Every district drawn on a map figure, across its traces."""
    return [
        loc
        for trace in figure["data"]
        if trace.get("type") == "choropleth"
        for loc in trace.get("locations", [])
    ]


def official(page: str | None = None, *, query: dict | None = None) -> AppTest:
    """The app as an elected official sees it: signed in as a viewer, data unsuppressed."""
    return start(page, query=query, role="viewer")
