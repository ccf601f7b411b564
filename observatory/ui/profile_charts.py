"""Figures of the district profile: spine charts, small-multiple trends, crime beside felt insecurity.

Each panel of a small-multiple figure is drawn by :func:`observatory.charts.trend` and its traces are
placed in a grid, so bands, colours and dates are those of every other trend in the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from observatory import charts
from observatory.i18n import t

#: Benchmark words and colours; neutral indicators say lower/higher, in colours that judge nothing.
CATEGORY_COLOURS = {**charts.BENCHMARK_COLOURS, "lower": "#b2abd2", "higher": "#5e3c99"}
#: The district in the first series colour, the city in dark grey, in every panel alike.
AREA_COLOURS = {"district": charts.SERIES_COLOURS[0], "city": "#555555"}


def benchmark_categories() -> dict[str, tuple[str, str]]:
    """Benchmark value → (translated words, colour), for the spine chart's legend and hover."""
    return {key: (t(f"benchmark.{key}"), colour) for key, colour in CATEGORY_COLOURS.items()}


def spine_figure(table: pd.DataFrame, *, district: str) -> go.Figure:
    """The spine chart of the comparable rows of a profile table (district vs city and district range)."""
    frame = table.assign(label=table["name"] + " (" + table["theme"] + ")")
    figure = charts.spine(
        frame,
        label_col="label",
        value_col="shown",
        city_col="city",
        min_col="district_min",
        max_col="district_max",
        category_col="benchmark",
        categories=benchmark_categories(),
        value_label=district,
        city_label=t("common.city"),
        range_label=t("common.range_across_districts"),
        other_label=t("profile.not_compared"),
        decimals=1,
    )
    figure.update_layout(height=120 + 42 * len(frame))
    return figure


def _yearly(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Years as 1 January dates and the area key as its translated series name."""
    return frame.assign(
        period=[date(int(y), 1, 1) for y in frame["year"]],
        series=frame["area"].map(labels),
    )


def _translucent(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},0.2)"


def _recolour(trace: go.Scatter, labels: dict[str, str]) -> None:
    """Give a trace its area's colour: charts.trend colours series by order, which may differ per panel."""
    for area, label in labels.items():
        if str(trace.name).startswith(label):
            colour = AREA_COLOURS[area]
            if trace.fill:
                trace.update(fillcolor=_translucent(colour))
            else:
                trace.update(line_color=colour)
            return


def small_multiples(
    panels: Sequence[tuple[str, pd.DataFrame, str]],
    *,
    labels: dict[str, str],
    columns: int = 3,
    panel_height: int = 230,
) -> go.Figure:
    """One trend panel per (title, frame, unit), in a grid, with one shared legend.

    The unit is written under each panel's title rather than along its y axis, where it would run
    into the neighbouring panel.

    Args:
        panels: (title, frame, unit); frames with year, area (``district`` / ``city``), value, lower
            and upper columns.
        labels: Translated series names for ``district`` and ``city``.
        columns: Panels per row.
        panel_height: Height of one row, in pixels.
    """
    rows = max(1, -(-len(panels) // columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[f"{title}<br><sup>{unit}</sup>" for title, _, unit in panels],
        vertical_spacing=0.5 / rows,
        horizontal_spacing=0.06,
    )
    for i, (_, frame, y_title) in enumerate(panels):
        single = charts.trend(
            _yearly(frame, labels),
            x="period",
            y="value",
            series="series",
            lower="lower",
            upper="upper",
            y_title=y_title,
            band_label=t("footnote.ci"),
        )
        row, col = divmod(i, columns)
        for trace in single.data:
            _recolour(trace, labels)
            trace.update(legendgroup=trace.name, showlegend=i == 0 and trace.showlegend is not False)
            figure.add_trace(trace, row=row + 1, col=col + 1)
    figure.update_annotations(font_size=12)
    figure.update_layout(
        template="plotly_white",
        height=80 + panel_height * rows,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0 + 0.25 / rows, "x": 0},
        hovermode="x unified",
    )
    return figure
