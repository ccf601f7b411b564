"""Comparisons across places: the district spine chart and ranked bars with intervals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from observatory.charts import _style

# Marker shapes per benchmark category, so the category reads without colour too.
_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "cross")


def _spine_positions(frame: pd.DataFrame, cols: Mapping[str, str]) -> pd.DataFrame:
    """Place every value on a 0..1 scale per indicator with the city at 0.5.

    The half-width is the largest distance from the city to either end of the district range, so the
    city line is always in the middle and every district fits (the Fingertips spine layout).
    """
    city = frame[cols["city"]].astype(float)
    half = np.maximum((frame[cols["max"]] - city).abs(), (city - frame[cols["min"]]).abs())
    half = half.replace(0, np.nan)

    def place(column: str) -> pd.Series:
        return (0.5 + (frame[column].astype(float) - city) / (2 * half)).fillna(0.5)

    return pd.DataFrame(
        {"low": place(cols["min"]), "high": place(cols["max"]), "value": place(cols["value"])}
    )


def spine(
    frame: pd.DataFrame,
    *,
    label_col: str,
    value_col: str,
    city_col: str,
    min_col: str,
    max_col: str,
    category_col: str,
    categories: Mapping[str, tuple[str, str]],
    value_label: str,
    city_label: str,
    range_label: str,
    other_label: str = "",
    decimals: int = 1,
) -> go.Figure:
    """Spine chart: one row per indicator, the district against the city and the range of districts.

    Each row is rescaled so the city value sits on the centre line; the grey bar spans the lowest to
    the highest district and the marker is the district, coloured and shaped by its benchmark category
    (``categories``: value → (translated label, colour)). Left is lower, right is higher. The hover
    shows the real values in the current locale.
    """
    cols = {"city": city_col, "min": min_col, "max": max_col, "value": value_col}
    pos = _spine_positions(frame, cols)
    labels = frame[label_col].astype(str).tolist()
    texts = _style.text_columns(frame, [min_col, max_col, value_col, city_col], decimals)
    bar = {
        "type": "bar",
        "y": labels,
        "x": (pos["high"] - pos["low"]).tolist(),
        "base": pos["low"].tolist(),
        "orientation": "h",
        "name": range_label,
        "marker": {"color": "#d9d9d9"},
        "customdata": texts,
        "hovertemplate": f"{_style.escape(range_label)}: %{{customdata[0]}} – %{{customdata[1]}}"
        "<extra></extra>",
    }
    cols.update(label=label_col, category=category_col)
    markers = _spine_markers(frame, pos["value"], texts, cols, categories, other_label)
    for trace in markers:
        trace["hovertemplate"] = _spine_template(value_label, city_label)
    layout = _style.base_layout(
        shapes=[_centre_line()],
        xaxis={"range": [-0.02, 1.02], "showticklabels": False, "showgrid": False, "zeroline": False},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": labels},
        barmode="overlay",
        annotations=[_centre_label(city_label)],
    )
    # One specification of this module's own constant shape: plotly's per-property validation (most
    # of the time of a 60-row spine) is skipped; tests/charts/test_bars.py validates the same one.
    return go.Figure({"data": [bar, *markers], "layout": layout}, _validate=False)


def _spine_markers(
    frame: pd.DataFrame,
    position: pd.Series,
    texts: list[list[str]],
    cols: Mapping[str, str],
    categories: Mapping[str, tuple[str, str]],
    other_label: str,
) -> list[dict[str, Any]]:
    """One marker trace per benchmark category, each with its own colour, shape and word."""
    category = frame[cols["category"]]
    groups = [(category == key, label, colour) for key, (label, colour) in categories.items()]
    # A district outside every category (no interval, say) still gets a neutral open marker.
    groups.append((~category.isin(list(categories)), other_label, _style.WITHHELD_LINE))
    traces = []
    for i, (in_group, label, colour) in enumerate(groups):
        mask = (in_group & frame[cols["value"]].notna()).to_numpy()
        if not mask.any():
            continue
        symbol = _SYMBOLS[i % len(_SYMBOLS)] if i < len(categories) else "circle-open"
        traces.append(
            {
                "type": "scatter",
                "x": position[mask].tolist(),
                "y": frame[cols["label"]][mask].astype(str).tolist(),
                "mode": "markers",
                "name": label,
                "marker": {"color": colour, "size": 13, "symbol": symbol, "line": {"width": 1}},
                "customdata": [[*row, label] for row, keep in zip(texts, mask, strict=True) if keep],
            }
        )
    return traces


def _spine_template(value_label: str, city_label: str) -> str:
    return (
        f"<b>%{{y}}</b><br>{_style.escape(value_label)}: %{{customdata[2]}} (%{{customdata[4]}})"
        f"<br>{_style.escape(city_label)}: %{{customdata[3]}}<extra></extra>"
    )


def _centre_line() -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": 0.5,
        "x1": 0.5,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#333333", "width": 2},
    }


def _centre_label(text: str) -> dict[str, Any]:
    return {
        "x": 0.5,
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "yanchor": "bottom",
    }


def _error_bars(frame: pd.DataFrame, value_col: str, lower: str | None, upper: str | None) -> dict | None:
    if lower is None or upper is None:
        return None
    value = frame[value_col].astype(float)
    return {
        "type": "data",
        "symmetric": False,
        "array": (frame[upper].astype(float) - value).tolist(),
        "arrayminus": (value - frame[lower].astype(float)).tolist(),
        "color": "#333333",
        "thickness": 1.5,
    }


def bar_ranked(
    frame: pd.DataFrame,
    *,
    value_col: str,
    label_col: str,
    lower: str | None = None,
    upper: str | None = None,
    reference: float | None = None,
    reference_label: str = "",
    category_col: str | None = None,
    categories: Mapping[str, tuple[str, str]] | None = None,
    withheld_label: str = "",
    x_title: str = "",
    decimals: int = 1,
) -> go.Figure:
    """Horizontal bars ranked from highest to lowest, with CI whiskers and a reference line.

    Rows without a value (withheld) keep their place at the bottom with ``withheld_label`` written
    beside the axis instead of a bar, so they are never read as 0. Bars take the colour of their
    category (``categories``: value → (translated label, colour)) when given.
    """
    ranked = frame.sort_values(value_col, ascending=False, na_position="last")
    shown = ranked[ranked[value_col].notna()]
    order = ranked[label_col].astype(str).tolist()
    colours: Any = _style.series_colour(0)
    if category_col and categories:
        colours = [categories.get(c, ("", _style.WITHHELD_LINE))[1] for c in shown[category_col]]
    fig = go.Figure(
        go.Bar(
            x=shown[value_col].astype(float).tolist(),
            y=shown[label_col].astype(str).tolist(),
            orientation="h",
            marker={"color": colours},
            error_x=_error_bars(shown, value_col, lower, upper),
            customdata=_style.text_columns(shown, [value_col], decimals),
            hovertemplate="<b>%{y}</b><br>%{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    shapes, annotations = _reference(reference, reference_label)
    annotations += _withheld_notes(ranked[ranked[value_col].isna()][label_col], withheld_label)
    fig.update_layout(
        **_style.base_layout(
            shapes=shapes,
            annotations=annotations,
            xaxis={"title": {"text": x_title}},
            yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": order},
        )
    )
    return fig


def _withheld_notes(labels: pd.Series, text: str) -> list[dict[str, Any]]:
    """The withheld word at the start of each withheld row, where its bar would be."""
    return [
        {
            "x": 0,
            "xref": "paper",
            "y": label,
            "yref": "y",
            "text": text,
            "showarrow": False,
            "xanchor": "left",
            "font": {"color": _style.WITHHELD_LINE},
        }
        for label in labels.astype(str)
    ]


def _reference(reference: float | None, label: str) -> tuple[list[dict], list[dict]]:
    if reference is None:
        return [], []
    line = {**_centre_line(), "x0": float(reference), "x1": float(reference), "line": {"dash": "dash"}}
    return [line], [{**_centre_label(label), "x": float(reference)}]
