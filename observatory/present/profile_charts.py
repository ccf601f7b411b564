"""Figures of the district profile: spine charts, small-multiple trends, crime beside felt insecurity.

The small multiples are :func:`observatory.charts.small_multiples`, whose panels are drawn with the
same traces as :func:`observatory.charts.trend`, so bands, colours and dates are those of every other
trend in the app.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from observatory import charts
from observatory.i18n import t
from observatory.present import text

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


def small_multiples(
    frame: pd.DataFrame,
    panels: Sequence[tuple[str, str, str]],
    *,
    panel: str,
    labels: dict[str, str],
    columns: int = 3,
    panel_height: int = 230,
) -> go.Figure:
    """One trend panel per (key, title, unit), in a grid, with one shared legend.

    The unit is written under each panel's title rather than along its y axis, where it would run
    into the neighbouring panel. The district and the city keep their colours in every panel.

    Args:
        frame: Long frame with the ``panel`` column, year, area (``district`` / ``city``), value,
            lower and upper.
        panels: (value of the ``panel`` column, title, unit), in drawing order.
        panel: The column that tells the panels apart.
        labels: Translated series names for ``district`` and ``city``.
        columns: Panels per row.
        panel_height: Height of one row, in pixels.
    """
    years = frame["year"].astype(int)
    yearly = frame.assign(period=years.astype(str) + "-01-01", series=frame["area"].map(labels))
    return charts.small_multiples(
        yearly,
        panel=panel,
        titles=[
            (key, f"{text.plotly(title)}<br><sup>{text.plotly(unit)}</sup>") for key, title, unit in panels
        ],
        x="period",
        y="value",
        series="series",
        lower="lower",
        upper="upper",
        band_label=t("footnote.ci"),
        colours={labels[area]: colour for area, colour in AREA_COLOURS.items() if area in labels},
        columns=columns,
        panel_height=panel_height,
    )
