"""Line charts over time: indicator trends with confidence bands, and progress towards a target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from observatory.charts import _style


def _iso(x: Any) -> str:
    """Dates as ISO text so the figure JSON does not depend on pandas' timestamp encoding."""
    if isinstance(x, datetime):  # pandas Timestamps included
        return x.date().isoformat()
    if isinstance(x, date):
        return x.isoformat()
    return str(x)


def _band(part: pd.DataFrame, x: str, lower: str, upper: str, colour: str, name: str) -> list[go.Scatter]:
    """Two traces forming a CI band: the lower edge, then the upper edge filled down to it."""
    part = part.dropna(subset=[lower, upper])
    xs = [_iso(v) for v in part[x]]
    edge = {"mode": "lines", "line": {"width": 0}, "hoverinfo": "skip", "legendgroup": name}
    return [
        go.Scatter(x=xs, y=part[lower].astype(float).tolist(), showlegend=False, name=name, **edge),
        go.Scatter(
            x=xs,
            y=part[upper].astype(float).tolist(),
            fill="tonexty",
            fillcolor=_style.translucent(colour),
            showlegend=False,
            name=name,
            **edge,
        ),
    ]


def _break_marks(breaks: Sequence[tuple[date, str]]) -> tuple[list[dict], list[dict]]:
    """Vertical dotted lines across the plot, each with its label at the top."""
    shapes, annotations = [], []
    for when, label in breaks:
        x = _iso(when)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#555555", "width": 1.5, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": x,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "text": label,
                "showarrow": False,
                "yanchor": "bottom",
            }
        )
    return shapes, annotations


def trend(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    lower: str | None = None,
    upper: str | None = None,
    breaks: Sequence[tuple[date, str]] = (),
    y_title: str,
    x_title: str = "",
    band_label: str = "",
) -> go.Figure:
    """Values over time, one line per series, with an optional confidence band and series breaks.

    Args:
        frame: Long frame with columns ``x`` (dates), ``y``, ``series`` and optionally ``lower`` and
            ``upper`` (CI limits; rows without both are left out of the band).
        breaks: ``(date, translated label)`` of series breaks, drawn as labelled vertical lines so that
            no one reads a trend across a change of definition.
        band_label: Translated name of the band ("95% confidence interval"), shown in its hover name.
    """
    fig = go.Figure()
    for i, (name, part) in enumerate(frame.sort_values(x).groupby(series, sort=False)):
        colour = _style.series_colour(i)
        if lower is not None and upper is not None:
            for trace in _band(part, x, lower, upper, colour, f"{name} – {band_label}".rstrip(" –")):
                fig.add_trace(trace)
        fig.add_trace(
            go.Scatter(
                x=[_iso(v) for v in part[x]],
                y=part[y].astype(float).tolist(),
                mode="lines+markers",
                name=str(name),
                line={"color": colour, "width": 2},
            )
        )
    shapes, annotations = _break_marks(breaks)
    fig.update_layout(
        **_style.base_layout(
            shapes=shapes,
            annotations=annotations,
            xaxis={"title": {"text": x_title}},
            yaxis={"title": {"text": y_title}},
            hovermode="x unified",
        )
    )
    return fig


def trajectory(
    actual: pd.DataFrame,
    *,
    baseline: tuple[date, float],
    target: tuple[date, float],
    y_title: str,
    labels: Mapping[str, str],
    x: str = "period",
    y: str = "value",
) -> go.Figure:
    """An objective's actual values against the straight line from its baseline to its target.

    Args:
        actual: Frame with columns ``x`` (dates) and ``y``.
        baseline: ``(date, value)`` the objective starts from.
        target: ``(date, value)`` the objective promises.
        labels: Translated words for keys ``actual``, ``baseline``, ``target`` and ``path``.
    """
    actual = actual.sort_values(x)
    path = go.Scatter(
        x=[_iso(baseline[0]), _iso(target[0])],
        y=[float(baseline[1]), float(target[1])],
        mode="lines",
        name=labels["path"],
        line={"color": "#777777", "dash": "dash", "width": 2},
    )
    observed = go.Scatter(
        x=[_iso(v) for v in actual[x]],
        y=actual[y].astype(float).tolist(),
        mode="lines+markers",
        name=labels["actual"],
        line={"color": _style.series_colour(0), "width": 3},
    )
    ends = [
        go.Scatter(
            x=[_iso(when)],
            y=[float(value)],
            mode="markers",
            name=labels[key],
            marker={"symbol": symbol, "size": 13, "color": colour},
        )
        for key, (when, value), symbol, colour in (
            ("baseline", baseline, "circle-open", "#333333"),
            ("target", target, "star", _style.series_colour(1)),
        )
    ]
    fig = go.Figure([path, observed, *ends])
    fig.update_layout(**_style.base_layout(yaxis={"title": {"text": y_title}}, hovermode="closest"))
    return fig
