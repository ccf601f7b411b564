"""The "what changed, where" grid as a plotly heatmap: indicators down, areas across, one state per cell.

States are categories, so the heatmap's ``z`` is the state's position in :data:`palette.STATE_COLOURS`
and the colour scale is a step function over them; each cell also prints the state's symbol, so a cell
never speaks by colour alone. A cell's hover lines (value, interval, the three verdicts) travel as
``customdata`` after the row and column ids, and the project's own template joins them: user text stays
data, escaped where every chart is shown, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from observatory.charts.palette import STATE_COLOURS, STATE_SYMBOLS

STATES = tuple(STATE_COLOURS)


def _scale() -> list[list[object]]:
    """A colour scale with one flat step per state over z = 0 … n-1."""
    n = len(STATES)
    scale: list[list[object]] = []
    for i, state in enumerate(STATES):
        scale.append([i / n, STATE_COLOURS[state]])
        scale.append([(i + 1) / n, STATE_COLOURS[state]])
    return scale


def state_grid(
    rows: Sequence[str],
    columns: Sequence[str],
    states: Sequence[Sequence[str]],
    hovers: Sequence[Sequence[Sequence[str]]],
    *,
    row_ids: Sequence[str],
    column_ids: Sequence[str],
    title: str,
) -> go.Figure:
    """The heatmap; ``customdata`` of each cell is [row id, column id, hover lines…] for click-through."""
    z = [[STATES.index(state) + 0.5 for state in row] for row in states]
    text = [[STATE_SYMBOLS[state] for state in row] for row in states]
    width = max((len(cell) for row in hovers for cell in row), default=0)
    custom = [
        [[r, c, *cell, *([""] * (width - len(cell)))] for c, cell in zip(column_ids, cells, strict=True)]
        for r, cells in zip(row_ids, hovers, strict=True)
    ]
    template = "<br>".join(f"%{{customdata[{2 + i}]}}" for i in range(width))
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=list(columns),
            y=list(rows),
            text=text,
            texttemplate="%{text}",
            hovertemplate=template + "<extra></extra>",
            customdata=custom,
            colorscale=_scale(),
            zmin=0,
            zmax=len(STATES),
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    figure.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=max(220, 28 * len(rows) + 140),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        xaxis={"side": "top", "tickangle": -45, "fixedrange": True},
        yaxis={"autorange": "reversed", "fixedrange": True},
        plot_bgcolor="#FFFFFF",
    )
    return figure
