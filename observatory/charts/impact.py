"""The picture of an impact estimate: what happened, what would have happened, and the comparison."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from observatory.charts import _style
from observatory.charts.lines import _iso


def counterfactual(
    picture: pd.DataFrame, *, start: date, y_title: str, labels: Mapping[str, str], scale: float = 1.0
) -> go.Figure:
    """Observed rate of the acted-on areas, its counterfactual (dashed) and the comparison (dotted).

    Before the start the two first lines show the fit of the model to the past (for a difference in
    differences, whether the target and comparison areas moved alike: the parallel-trends picture).

    Args:
        picture: period_start, observed, counterfactual, comparison (NaN for a time series).
        start: When the action started (a vertical line).
        y_title: The axis title (rate words, already translated).
        labels: Words for keys ``observed``, ``counterfactual``, ``comparison`` and ``start``.
        scale: Multiplier applied to every rate (e.g. 1,000 for "per 1,000").
    """
    xs = [_iso(v) for v in picture["period_start"]]
    traces = [
        go.Scatter(
            x=xs,
            y=(picture["observed"] * scale).tolist(),
            mode="lines",
            name=labels["observed"],
            line={"color": _style.series_colour(0), "width": 2},
        ),
        go.Scatter(
            x=xs,
            y=(picture["counterfactual"] * scale).tolist(),
            mode="lines",
            name=labels["counterfactual"],
            line={"color": "#333333", "dash": "dash", "width": 2},
        ),
    ]
    if picture["comparison"].notna().any():
        traces.append(
            go.Scatter(
                x=xs,
                y=(picture["comparison"] * scale).tolist(),
                mode="lines",
                name=labels["comparison"],
                line={"color": _style.series_colour(1), "dash": "dot", "width": 1.5},
            )
        )
    fig = go.Figure(traces)
    fig.add_vline(x=_iso(start), line={"color": "#777777", "width": 1})
    fig.add_annotation(
        x=_iso(start), y=1, yref="paper", text=labels["start"], showarrow=False, xanchor="left"
    )
    fig.update_layout(**_style.base_layout(yaxis={"title": {"text": y_title}}, hovermode="x unified"))
    return fig
