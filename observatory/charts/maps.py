"""District maps: a classed choropleth and a categorical (benchmark) map.

Both draw on plotly's ``geo`` map (``go.Choropleth``) with no base map, fitted to the districts: polygons
on white, no tiles, and the district names drawn as SVG text in the browser's own fonts (a MapLibre
map, ``go.Choroplethmap``, would fetch glyph fonts from the network for any text). Nothing is fetched
from a third party. Each class or category is its own trace, which gives a legend entry with words for
every colour, and each trace carries only its own features, so every district's polygon is in the
figure exactly once.

The names are the first trace, a ``go.Scattergeo`` of text placed by :func:`_geo.label_points`
(decluttered: a name is drawn where it fits inside its district). Plotly fetches its world outlines
(topojson, from a CDN) for a ``geo`` map whose first trace is located by ``locations``; the name trace
is located by longitude and latitude, so it is first even when no name fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from observatory.charts import _geo, _style
from observatory.charts.classes import class_breaks, class_of
from observatory.i18n import format_number

# Colour index only (the trace has one colour and its hover shows the word). Negative, so that nobody
# reading the figure's data can take it for a count: 0 would read as "none", 1 as a small count.
_WITHHELD_Z = -1.0
#: Height of a map figure in pixels: its title and source above, its legend below.
MAP_HEIGHT = 540


def _range_text(low: float, high: float, decimals: int, unit_label: str) -> str:
    text = f"{format_number(low, decimals=decimals)} – {format_number(high, decimals=decimals)}"
    return f"{text} {unit_label}".rstrip()


def _trace(
    geojson: Mapping[str, Any], part: pd.DataFrame, *, code_col: str, featureidkey: str, **style: Any
) -> go.Choropleth:
    """One polygon trace: its own features, a single colour, a legend entry."""
    codes = part[code_col].astype(str).tolist()
    colour = style.pop("colour")
    return go.Choropleth(
        geojson=_geo.rewound(_geo.subset(geojson, codes, featureidkey)),
        featureidkey=featureidkey,
        locations=codes,
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        showlegend=True,
        marker={"line": style.pop("line", {"color": _style.BORDER, "width": 1}), "opacity": 0.9},
        **style,
    )


def _hover(
    frame: pd.DataFrame, first: list[list[str]], hover_cols: Mapping[str, str], decimals: int
) -> list[list[str]]:
    """Customdata rows: the district name, one headline text, then the hover columns as text."""
    extra = _style.text_columns(frame, list(hover_cols), decimals)
    return [[*head, *rest] for head, rest in zip(first, extra, strict=True)]


def _withheld_trace(geojson: Mapping[str, Any], part: pd.DataFrame, options: dict[str, Any]) -> go.Choropleth:
    # Each district's own reason when the frame says it ("fewer than 5"), else the legend's word.
    reasons = part["withheld_text"] if "withheld_text" in part else [options["withheld_label"]] * len(part)
    heads = [[str(name), str(why)] for name, why in zip(part[options["label_col"]], reasons, strict=True)]
    return _trace(
        geojson,
        part,
        code_col=options["code_col"],
        featureidkey=options["featureidkey"],
        colour=_style.WITHHELD_FILL,
        line={"color": _style.WITHHELD_LINE, "width": 2},
        z=[_WITHHELD_Z] * len(part),
        name=options["withheld_label"],
        customdata=_hover(part, heads, options["hover_cols"], options["decimals"]),
        hovertemplate=options["template"],
    )


def label_trace(
    geojson: Mapping[str, Any], frame: pd.DataFrame, *, code_col: str, label_col: str, featureidkey: str
) -> go.Scattergeo:
    """The district names that fit on the map, as text with a white halo (legible on every fill).

    Not in the legend, no hover of its own: a hover or tap on a name reaches the district under it.
    """
    names = {str(code): str(name) for code, name in zip(frame[code_col], frame[label_col], strict=True)}
    points = _geo.label_points(geojson, names, featureidkey)
    return go.Scattergeo(
        lon=[lon for _, lon, _ in points],
        lat=[lat for _, _, lat in points],
        text=[_style.escape(names[code], template=False) for code, _, _ in points],
        ids=[code for code, _, _ in points],
        mode="text",
        textfont={"size": _geo.LABEL_PX, "color": _style.LABEL_INK, "shadow": _style.LABEL_HALO},
        # A tapped district dims the others; their names stay readable.
        unselected={"textfont": {"color": _style.LABEL_INK}},
        hoverinfo="skip",
        showlegend=False,
        name="labels",
    )


def _map_layout(fig: go.Figure, geojson: Mapping[str, Any], legend_title: str) -> go.Figure:
    fig.update_layout(
        **_style.base_layout(
            # The view is the districts' bounding box: the map's frame takes the city's shape and fills
            # the panel's width or height (plotly's ``fitbounds`` keeps a square frame).
            geo={**_geo.view_ranges(geojson), "visible": False, "projection": {"type": "mercator"}},
            height=MAP_HEIGHT,
            # Below the map, never over districts; a phone's width wraps its entries.
            legend={
                "title": {"text": _style.escape(legend_title, template=False), "side": "top"},
                "orientation": "h",
                "x": 0,
                "y": -0.02,
                "yanchor": "top",
            },
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
        )
    )
    return fig


def _split(frame: pd.DataFrame, value_col: str, code_col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Valued rows and withheld rows; a missing value is withheld too, so it is never drawn as 0."""
    frame = frame.drop_duplicates(subset=code_col)
    withheld = frame["withheld"].fillna(True).astype(bool) if "withheld" in frame else False
    hidden = withheld | frame[value_col].isna()
    return frame[~hidden], frame[hidden]


def choropleth(
    frame: pd.DataFrame,
    geojson: Mapping[str, Any],
    *,
    value_col: str,
    label_col: str,
    hover_cols: Mapping[str, str],
    classes: list[float] | None = None,
    n_classes: int = 5,
    scheme: str = "quantiles",
    legend_title: str,
    withheld_label: str,
    unit_label: str = "",
    decimals: int = 1,
    code_col: str = "code",
    featureidkey: str = "id",
) -> go.Figure:
    """Classed choropleth of one value per district.

    Values are classed by :func:`class_breaks` (mapclassify) and each class drawn in a Viridis colour
    with its range and unit in the legend. Withheld districts (``withheld`` true, or no value) are a
    separate light-grey trace with a dark outline, named ``withheld_label`` in legend and hover, never
    drawn as 0. Plotly's map polygons cannot be hatched, so the grey fill and heavy outline stand in
    for hatching. District names are drawn where they fit (:func:`label_trace`).

    Args:
        frame: One row per district: ``code_col``, ``label_col``, ``value_col``, ``withheld`` and the
            ``hover_cols`` (numbers are shown in the current locale, text as given).
        geojson: FeatureCollection in EPSG:4326 whose ids (``featureidkey``) are the district codes.
        hover_cols: Column → translated label, e.g. CI and denominator, shown in the hover.
        classes: Fixed class upper bounds; otherwise ``scheme`` with ``n_classes``.
        legend_title: Translated legend title (the measure).
        withheld_label: Translated word for withheld districts ("not published").
        unit_label: Translated unit appended to each class range ("per 1,000 residents").
    """
    shown, hidden = _split(frame, value_col, code_col)
    options = _options(
        legend_title,
        hover_cols,
        code_col=code_col,
        featureidkey=featureidkey,
        label_col=label_col,
        decimals=decimals,
        withheld_label=withheld_label,
    )
    fig = go.Figure(
        label_trace(geojson, frame, code_col=code_col, label_col=label_col, featureidkey=featureidkey)
    )
    if not shown.empty:
        edges = class_breaks(shown[value_col], scheme=scheme, n_classes=n_classes, classes=classes)
        for trace in _class_traces(geojson, shown, edges, value_col, unit_label, options):
            fig.add_trace(trace)
    if not hidden.empty:
        fig.add_trace(_withheld_trace(geojson, hidden, options))
    return _map_layout(fig, geojson, legend_title)


def _options(legend_title: str, hover_cols: Mapping[str, str], **shared: Any) -> dict[str, Any]:
    """Bundle the options every trace of one map shares, with its hover template."""
    lines = [(legend_title, 1), *((label, i + 2) for i, label in enumerate(hover_cols.values()))]
    return {**shared, "hover_cols": hover_cols, "template": _style.hover_template(0, lines)}


def _class_traces(
    geojson: Mapping[str, Any],
    shown: pd.DataFrame,
    edges: list[float],
    value_col: str,
    unit_label: str,
    options: dict[str, Any],
) -> list[go.Choropleth]:
    colours = _style.sequential(len(edges) - 1)
    index = class_of(shown[value_col], edges)
    traces = []
    for k, colour in enumerate(colours):
        part = shown[index == k]
        if part.empty:
            continue
        values = part[value_col].astype(float)
        heads = [
            [str(name), _style.cell_text(v, options["decimals"])]
            for name, v in zip(part[options["label_col"]], values, strict=True)
        ]
        traces.append(
            _trace(
                geojson,
                part,
                code_col=options["code_col"],
                featureidkey=options["featureidkey"],
                colour=colour,
                z=values.tolist(),
                name=_range_text(edges[k], edges[k + 1], options["decimals"], unit_label),
                customdata=_hover(part, heads, options["hover_cols"], options["decimals"]),
                hovertemplate=options["template"],
            )
        )
    return traces


def category_map(
    frame: pd.DataFrame,
    geojson: Mapping[str, Any],
    *,
    category_col: str,
    categories: Mapping[str, tuple[str, str]],
    label_col: str = "name",
    hover_cols: Mapping[str, str] | None = None,
    legend_title: str,
    withheld_label: str,
    decimals: int = 1,
    code_col: str = "code",
    featureidkey: str = "id",
) -> go.Figure:
    """Categorical map, e.g. each district's benchmark against the city (better / similar / worse).

    Args:
        frame: One row per district with ``code_col``, ``label_col``, ``category_col``, optional
            ``withheld`` and the ``hover_cols``.
        categories: Category value → (translated label, colour), in legend order; the label names the
            colour in legend and hover. See ``BENCHMARK_COLOURS`` for a colour-blind-safe choice.
        withheld_label: Word for districts withheld or outside every category (light grey, outlined).
    """
    hover_cols = hover_cols or {}
    frame = frame.drop_duplicates(subset=code_col)
    withheld = frame["withheld"].fillna(True).astype(bool) if "withheld" in frame else False
    known = frame[category_col].isin(list(categories)) & ~withheld
    options = _options(
        legend_title,
        hover_cols,
        code_col=code_col,
        featureidkey=featureidkey,
        label_col=label_col,
        decimals=decimals,
        withheld_label=withheld_label,
    )
    fig = go.Figure(
        label_trace(geojson, frame, code_col=code_col, label_col=label_col, featureidkey=featureidkey)
    )
    for key, (label, colour) in categories.items():
        part = frame[known & (frame[category_col] == key)]
        if part.empty:
            continue
        heads = [[str(name), label] for name in part[label_col]]
        fig.add_trace(
            _trace(
                geojson,
                part,
                code_col=code_col,
                featureidkey=featureidkey,
                colour=colour,
                z=[1.0] * len(part),
                name=label,
                customdata=_hover(part, heads, hover_cols, decimals),
                hovertemplate=options["template"],
            )
        )
    if not frame[~known].empty:
        fig.add_trace(_withheld_trace(geojson, frame[~known], options))
    return _map_layout(fig, geojson, legend_title)


def outline_trace(
    features: list[Mapping[str, Any]], *, name: str, colour: str = "#000000", width: float = 3
) -> dict:
    """A layer of outlines over a map: the given GeoJSON features (ids as locations), no fill, a thick
    line, no hover or click (a click on a map names a district, never an outline). As a plain dict, to
    be appended to a built map's ``data``.
    """
    collection = {"type": "FeatureCollection", "features": list(features)}
    codes = [str(f["id"]) for f in features]
    trace = go.Choropleth(
        geojson=_geo.rewound(collection),
        featureidkey="id",
        locations=codes,
        z=[0.0] * len(codes),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        showlegend=True,
        name=name,
        marker={"line": {"color": colour, "width": width}},
        hoverinfo="skip",
    )
    return trace.to_plotly_json()
