"""Colours, number text and layout shared by the figure builders.

Every palette here is safe for the common forms of colour blindness: Viridis for ordered classes,
ColorBrewer RdYlBu end points for better / similar / worse, Okabe–Ito for series. Colour is never the
only carrier of meaning: each class or category also has a word in the legend and the hover.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from plotly.colors import sample_colorscale

from observatory.i18n import format_number

# Light grey fill and a darker outline: the nearest a map polygon gets to "hatched" in plotly.
WITHHELD_FILL = "#e0e0e0"
WITHHELD_LINE = "#6e6e6e"
BORDER = "#ffffff"
# District names on maps: near-black on a white halo, legible on every class colour (contrast ≥ 4.5:1).
LABEL_INK = "#1a1a1a"
LABEL_HALO = "-1px -1px 0 #ffffff, 1px -1px 0 #ffffff, -1px 1px 0 #ffffff, 1px 1px 0 #ffffff"

BENCHMARK_COLOURS: Mapping[str, str] = {"better": "#2c7bb6", "similar": "#fee090", "worse": "#d7191c"}

# Okabe & Ito (2008): distinguishable for deuteranopia, protanopia and tritanopia.
SERIES_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
    "#F0E442",
)


def sequential(n: int) -> list[str]:
    """Return ``n`` ordered colours from light (low) to dark (high), sampled from reversed Viridis."""
    if n <= 1:
        return sample_colorscale("Viridis_r", [0.5])
    return sample_colorscale("Viridis_r", [i / (n - 1) for i in range(n)])


def series_colour(i: int) -> str:
    """Return the colour of the i-th series (cycling through the Okabe–Ito palette)."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def translucent(colour: str, alpha: float = 0.2) -> str:
    """Turn ``#rrggbb`` into an ``rgba(...)`` string for CI bands."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def cell_text(value: Any, decimals: int) -> str:
    """Text of one hover cell: numbers in the current locale, missing as a dash, text unchanged."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return format_number(None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    # Whole counts (residents, offences) never get decimals; measured values do.
    return format_number(value, decimals=0 if isinstance(value, int) else decimals)


def text_columns(frame: pd.DataFrame, columns: list[str], decimals: int) -> list[list[str]]:
    """Return one row of hover texts per frame row, in column order."""
    # Column by column: a row would upcast integer counts to float.
    cells = [[cell_text(v, decimals) for v in frame[col].tolist()] for col in columns]
    return [list(row) for row in zip(*cells, strict=True)] if cells else [[] for _ in range(len(frame))]


def escape(text: object, *, template: bool = True) -> str:
    """Text made safe for plotly: shown as typed, never as markup or (in a template) a placeholder.

    Plotly draws a subset of HTML (``<a href>``, ``<b>``, ``<br>``, ``<span style>``) in every label,
    hover and title, and decodes entities after reading tags: ``&``, ``<`` and ``>`` become entities, line
    breaks spaces, and with ``template`` ``%{`` cannot open a placeholder. The one rule for plotly
    (:func:`observatory.present.text.plotly` is this function); the builders apply it to every label they
    put into a template or a legend title.
    """
    flat = html.escape(" ".join(str(text).splitlines()), quote=False)
    return flat.replace("%{", "%%{") if template else flat


def hover_template(title_index: int, lines: list[tuple[str, int]]) -> str:
    """Build a hover template: a bold title, then ``label: value`` lines taken from customdata."""
    body = "".join(f"<br>{escape(label)}: %{{customdata[{i}]}}" for label, i in lines)
    return f"<b>%{{customdata[{title_index}]}}</b>{body}<extra></extra>"


def base_layout(**extra: Any) -> dict[str, Any]:
    """Layout shared by all figures: white template, compact margins, horizontal legend on top."""
    layout: dict[str, Any] = {
        "template": "plotly_white",
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hoverlabel": {"namelength": -1},
    }
    layout.update(extra)
    return layout
