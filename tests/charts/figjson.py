"""Read a plotly figure's JSON as plain Python: plotly 7 writes numeric arrays as base64 blocks."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import plotly.graph_objects as go


def decode(node: Any) -> Any:
    """Replace every ``{"dtype", "bdata"[, "shape"]}`` block by a list of numbers, recursively."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            if "shape" in node:
                shape = [int(n) for n in str(node["shape"]).split(",")]
                array = array.reshape(shape)
            return array.tolist()
        return {key: decode(value) for key, value in node.items()}
    if isinstance(node, list):
        return [decode(item) for item in node]
    return node


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """The figure as the browser receives it, with numeric arrays decoded."""
    return decode(json.loads(fig.to_json()))


def traces(fig: go.Figure, kind: str | None = None) -> list[dict[str, Any]]:
    """Decoded traces, optionally only those of one plotly type (``choroplethmap``, ``scatter`` …)."""
    data = figure_json(fig)["data"]
    return [t for t in data if kind is None or t.get("type") == kind]
