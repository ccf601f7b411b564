"""The funnel plot: districts' rates against their population at risk, with control limits.

Pure: the points, the lines and every word arrive as arguments. Each point carries its district code in
``customdata`` so a selection names districts; highlighted districts (selected on the map) are drawn
larger with a black outline. Places are told by colour and by the word in the hover and the legend.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd
import plotly.graph_objects as go

from observatory.charts._style import BENCHMARK_COLOURS, base_layout, escape

#: Colour of each place: beyond 99.8% darker than beyond 95%; within the limits grey.
PLACE_COLOURS: Mapping[str, str] = {
    "high_998": "#a50f15",
    "high_95": BENCHMARK_COLOURS["worse"],
    "within": "#969696",
    "low_95": BENCHMARK_COLOURS["better"],
    "low_998": "#08306b",
}
_DASH = {0.95: "dash", 0.998: "solid"}


def funnel_plot(
    points: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    benchmark: float,
    place_labels: Mapping[str, str],
    level_labels: Mapping[float, str],
    benchmark_label: str,
    x_title: str,
    y_title: str,
    highlight: Collection[str] = (),
    multiplier: float = 1.0,
) -> go.Figure:
    """Points by place, the limit lines by level, the benchmark as a horizontal line.

    Args:
        points: code, name, population, rate, place (see ``services.funnelview``).
        lines: level, side, population, rate.
        benchmark: The centre rate.
        place_labels: Words of each place (legend and hover).
        level_labels: Words of each level ("95% limits").
        benchmark_label: Words of the centre line.
        x_title: Population axis title; y_title: rate axis title.
        highlight: District codes drawn larger with an outline.
        multiplier: The rate's multiplier, kept in ``layout.meta`` with ``chart = "funnel"`` so a reader
            of the figure (a disclosure check) can turn a point back into its count.
    """
    fig = go.Figure()
    for level, frame in lines.groupby("level", sort=True):
        for i, (_, side) in enumerate(frame.groupby("side")):
            fig.add_trace(
                go.Scatter(
                    x=side["population"],
                    y=side["rate"],
                    mode="lines",
                    line={"color": "#525252", "width": 1, "dash": _DASH.get(float(level), "dot")},
                    name=level_labels.get(float(level), str(level)),
                    legendgroup=f"level-{level}",
                    showlegend=i == 0,
                    hoverinfo="skip",
                )
            )
    if len(points):
        span = [float(points["population"].min()) * 0.8, float(points["population"].max()) * 1.2]
        fig.add_trace(
            go.Scatter(
                x=span,
                y=[benchmark, benchmark],
                mode="lines",
                line={"color": "#000000", "width": 1.5},
                name=benchmark_label,
                hoverinfo="skip",
            )
        )
    marked = set(highlight)
    for place, colour in PLACE_COLOURS.items():
        some = points[points["place"] == place]
        if some.empty:
            continue
        chosen = some["code"].isin(marked).to_numpy()
        fig.add_trace(
            go.Scatter(
                x=some["population"],
                y=some["rate"],
                mode="markers",
                name=place_labels.get(place, place),
                customdata=some[["code", "name"]].to_numpy(),
                marker={
                    "color": colour,
                    "size": [16 if c else 9 for c in chosen],
                    "line": {"color": "#000000", "width": [3 if c else 0.5 for c in chosen]},
                },
                hovertemplate="<b>%{customdata[1]}</b><br>"
                + f"{escape(y_title)}: %{{y:.2f}}<br>{escape(x_title)}: %{{x:,.0f}}<br>"
                + f"{escape(place_labels.get(place, place))}<extra></extra>",
            )
        )
    fig.update_layout(
        base_layout(
            xaxis={"title": {"text": x_title}, "rangemode": "tozero"},
            yaxis={"title": {"text": y_title}, "rangemode": "tozero"},
            height=440,
            dragmode="select",
            clickmode="event+select",
            meta={"chart": "funnel", "multiplier": multiplier},
        )
    )
    return fig


def selected_codes(points: list[Mapping[str, object]]) -> list[str]:
    """District codes of the points a selection event names (their ``customdata``), in order, once each."""
    found: list[str] = []
    for point in points:
        data = point.get("customdata")
        code = data[0] if isinstance(data, list | tuple) and data else data
        if isinstance(code, str) and code not in found:
            found.append(code)
    return found
