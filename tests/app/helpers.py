"""Reading what AppTest rendered: plotly figure JSON with plotly 7's base64 arrays decoded."""

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start(page: str | None = None, *, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
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
        if trace.get("type") == "choroplethmap"
        for loc in trace.get("locations", [])
    ]
