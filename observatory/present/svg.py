"""Static charts and maps as SVG for the documents: no browser, no font download, no system package.

Small, deterministic builders: horizontal bars with 95% intervals and a reference line, lines with an
interval band and a target, and a district map with labels. Every text is XML-escaped; numbers arrive
already formatted by the caller (in the reader's language). Sizes are in SVG user units (≈ points).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as _xml

from observatory.charts.palette import STATE_COLOURS

FONT = "Libertinus Serif, New Computer Modern, serif"
INK = "#1A1A1A"
GRID = "#D0D0D0"
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def text(value: object) -> str:
    """Text for SVG content or an attribute: XML-escaped, quotes included."""
    return _xml(str(value), {'"': "&quot;", "'": "&apos;"})


def _attr(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else text(value)


def _el(tag: str, content: object = None, **attrs: object) -> str:
    """One SVG element; ``stroke_width`` is written ``stroke-width``; text content is escaped."""
    written = " ".join(f'{name.replace("_", "-")}="{_attr(v)}"' for name, v in attrs.items())
    if content is None:
        return f"<{tag} {written}/>"
    return f"<{tag} {written}>{text(content)}</{tag}>"


def _svg(width: float, height: float, body: list[str], alt: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{text(alt)}" '
        f'font-family="{FONT}" font-size="9" fill="{INK}">'
        f"<title>{text(alt)}</title>" + "".join(body) + "</svg>"
    )


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else [0.0]
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * step:
            step *= factor
            break
    first = math.floor(low / step) * step
    return [first + i * step for i in range(math.ceil((high - first) / step) + 1)]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, value, interval (NaN for none), state colour and the value as shown."""

    label: str
    value: float
    lower: float
    upper: float
    state: str
    shown: str


def _short(label: str, size: int) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def bars(
    items: Sequence[Bar],
    *,
    reference: float = math.nan,
    reference_label: str = "",
    tick: Callable[[float], str] = lambda v: f"{v:g}",
    alt: str,
    width: float = 480,
) -> str:
    """Horizontal bars with their 95% intervals and a dashed reference line (the city, a target)."""
    row, left, right, top = 16.0, 150.0, 60.0, 8.0
    height = top + row * max(len(items), 1) + 28
    known = [v for b in items for v in (b.value, b.upper) if math.isfinite(v)]
    if math.isfinite(reference):
        known.append(reference)
    high = max(known) * 1.05 if known else 1.0
    ticks = _ticks(0.0, high)
    high = max(high, ticks[-1])
    plot = width - left - right

    def x(v: float) -> float:
        return left + plot * (v / high if high else 0.0)

    body = []
    bottom = top + row * len(items)
    for value in ticks:
        body.append(_el("line", x1=x(value), y1=top, x2=x(value), y2=bottom, stroke=GRID, stroke_width=0.5))
        body.append(_el("text", tick(value), x=x(value), y=bottom + 11, text_anchor="middle", font_size=8))
    for i, item in enumerate(items):
        y = top + i * row
        body.append(_el("text", _short(item.label, 32), x=left - 6, y=y + 11, text_anchor="end"))
        if math.isfinite(item.value):
            fill = STATE_COLOURS.get(item.state, SERIES[0]) if item.state else SERIES[0]
            size = max(x(item.value) - left, 0.5)
            box = {"width": size, "height": row - 6, "fill": fill, "stroke": "#555", "stroke_width": 0.4}
            body.append(_el("rect", x=left, y=y + 3, **box))
            if math.isfinite(item.lower) and math.isfinite(item.upper):
                middle = y + row / 2
                body.append(_el("line", x1=x(item.lower), y1=middle, x2=x(item.upper), y2=middle, stroke=INK))
        body.append(_el("text", item.shown, x=width - right + 4, y=y + 11))
    if math.isfinite(reference):
        at = x(reference)
        body.append(_el("line", x1=at, y1=top - 4, x2=at, y2=bottom, stroke=INK, stroke_dasharray="3 2"))
        body.append(_el("text", reference_label, x=at, y=bottom + 22, text_anchor="middle", font_size=8))
    return _svg(width, height, body, alt)


@dataclass(frozen=True, slots=True)
class Series:
    """One line: name and points (year, value, lower, upper); NaN where missing or without interval."""

    name: str
    points: tuple[tuple[int, float, float, float], ...]


def _line(one: Series, colour: str, x: Callable[[int], float], y: Callable[[float], float]) -> list[str]:
    """A series' band, points and line, the line broken where a value is missing (withheld, not yet there)."""
    body: list[str] = []
    band = [(p[0], p[2], p[3]) for p in one.points if math.isfinite(p[2]) and math.isfinite(p[3])]
    if len(band) > 1:
        upper = " ".join(f"{x(a):.1f},{y(hi):.1f}" for a, _, hi in band)
        lower = " ".join(f"{x(a):.1f},{y(lo):.1f}" for a, lo, _ in reversed(band))
        body.append(_el("polygon", points=f"{upper} {lower}", fill=colour, fill_opacity=0.15, stroke="none"))
    run: list[str] = []
    for year, value, _, _ in (*one.points, (0, math.nan, math.nan, math.nan)):
        if math.isfinite(value):
            run.append(f"{x(year):.1f},{y(value):.1f}")
            body.append(_el("circle", cx=x(year), cy=y(value), r=1.8, fill=colour))
        elif run:
            body.append(_el("polyline", points=" ".join(run), fill="none", stroke=colour, stroke_width=1.5))
            run = []
    return body


def lines(
    series: Sequence[Series],
    *,
    target: tuple[int, float] | None = None,
    target_label: str = "",
    tick: Callable[[float], str] = lambda v: f"{v:g}",
    alt: str,
    width: float = 480,
    height: float = 170,
) -> str:
    """Lines over years with their interval bands, a legend, and a dashed target line ending at a ring."""
    left, right, top, bottom = 46.0, 12.0, 10.0, 40.0
    xs = sorted({p[0] for s in series for p in s.points} | ({target[0]} if target else set()))
    ys = [v for s in series for p in s.points for v in p[1:] if math.isfinite(v)]
    if target:
        ys.append(target[1])
    if not xs or not ys:
        return _svg(width, 40, [_el("text", alt, x=4, y=20)], alt)
    low, high = min(0.0, min(ys)), max(ys) * 1.08 or 1.0
    ticks = _ticks(low, high)
    high = max(high, ticks[-1])
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(year: int) -> float:
        return left + (plot_w * (xs.index(year) / (len(xs) - 1)) if len(xs) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    body = []
    for value in ticks:
        level = y(value)
        body.append(_el("line", x1=left, y1=level, x2=width - right, y2=level, stroke=GRID, stroke_width=0.5))
        body.append(_el("text", tick(value), x=left - 4, y=level + 3, text_anchor="end", font_size=8))
    step = max(1, math.ceil(len(xs) / 10))
    for i, year in enumerate(xs):
        if i % step == 0 or i == len(xs) - 1:
            body.append(_el("text", year, x=x(year), y=top + plot_h + 12, text_anchor="middle", font_size=8))
    for k, one in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        body += _line(one, colour, x, y)
        legend_x, legend_y = left + (k % 3) * (plot_w / 3), height - 14 + (k // 3) * 10
        body.append(_el("rect", x=legend_x, y=legend_y - 6, width=10, height=3, fill=colour))
        body.append(_el("text", _short(one.name, 38), x=legend_x + 14, y=legend_y, font_size=8))
    if target:
        tx, ty = x(target[0]), y(target[1])
        dashed = {"stroke": INK, "stroke_dasharray": "4 2", "stroke_width": 0.8}
        body.append(_el("line", x1=left, y1=ty, x2=width - right, y2=ty, **dashed))
        body.append(_el("circle", cx=tx, cy=ty, r=3, fill="none", stroke=INK, stroke_width=1.2))
        body.append(_el("text", target_label, x=width - right, y=ty - 3, text_anchor="end", font_size=8))
    return _svg(width, height, body, alt)


def _rings(geometry: Mapping) -> list[list[list[float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates", [])
    if kind == "Polygon":
        return [list(r) for r in coords]
    if kind == "MultiPolygon":
        return [list(r) for poly in coords for r in poly]
    return []


def _anchor(outer: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and vertex mean of a projected ring: where its label goes and how much room it has."""
    pairs = zip(outer, outer[1:] + outer[:1], strict=True)
    area = abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in pairs)) / 2
    return area, sum(p[0] for p in outer) / len(outer), sum(p[1] for p in outer) / len(outer)


def district_map(
    geojson: Mapping,
    *,
    fills: Mapping[str, str],
    labels: Mapping[str, str],
    highlight: str | None = None,
    alt: str,
    width: float = 480,
    max_labels: int = 40,
    around: str | None = None,
) -> str:
    """The districts drawn from GeoJSON (WGS84), filled by ``fills`` (code → colour), labelled by ``labels``.

    Longitudes are scaled by the cosine of the mean latitude (an equirectangular view, right for a city).
    With more than ``max_labels`` districts only the highlighted one and the largest are labelled, so
    labels do not pile up; and with ``around`` (a district's code) the map is cropped to that district and
    the districts touching it (:func:`_cropped_map`), every one labelled, with the city's outline in an
    inset for orientation.
    """
    features = [f for f in geojson.get("features", []) if f.get("geometry")]
    rings = {_code(f): _rings(f["geometry"]) for f in features}
    if crops(geojson, around, max_labels=max_labels):
        assert around is not None
        return _cropped_map(
            features,
            fills=fills,
            labels=labels,
            highlight=highlight,
            alt=alt,
            width=width,
            around=around,
            max_labels=max_labels,
        )
    points = [pt for rs in rings.values() for r in rs for pt in r]
    if not points:
        return _svg(width, 40, [_el("text", alt, x=4, y=20)], alt)
    # The extremes once: read again for every vertex, they made a 3,000-district map take minutes.
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    scale_x = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * scale_x or 1e-9, (north - south) or 1e-9
    pad = 6.0
    unit = (width - 2 * pad) / span_x
    height = min(span_y * unit + 2 * pad, width * 1.1)
    unit = min(unit, (height - 2 * pad) / span_y)

    def project(pt: Sequence[float]) -> tuple[float, float]:
        return pad + (pt[0] - west) * scale_x * unit, pad + (north - pt[1]) * unit

    body, anchors = [], []
    for code, rs in rings.items():
        body.append(_district_path(code, rs, project, fills, highlight))
        if rs:
            anchors.append((*_anchor([project(p) for p in rs[0]]), code))
    anchors.sort(reverse=True)
    if len(anchors) > max_labels:
        anchors = [a for a in anchors if a[3] == highlight] + anchors[:max_labels]
    # Labels stay legible however small the map is printed: about 7 pt at 0.55 of the text width.
    body += _labels(anchors, labels, highlight, size=9 if len(anchors) <= 25 else 7)
    return _svg(width, height, body, alt)


def crops(geojson: Mapping, around: str | None, *, max_labels: int = 40) -> bool:
    """Whether :func:`district_map` crops the map to ``around`` and its neighbours (many districts)."""
    features = [f for f in geojson.get("features", []) if f.get("geometry")]
    return around is not None and len(features) > max_labels and any(_code(f) == around for f in features)


def _code(feature: Mapping) -> str:
    return str(feature.get("id", feature.get("properties", {}).get("code")))


def _district_path(
    code: str,
    rings: list[list[list[float]]],
    project: Callable[[Sequence[float]], tuple[float, float]],
    fills: Mapping[str, str],
    highlight: str | None,
) -> str:
    path = " ".join(
        "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in map(project, ring)) + " Z" for ring in rings
    )
    stroke, weight = (INK, 1.6) if code == highlight else ("#666666", 0.5)
    fill = fills.get(code, "#F2F2F2")
    return _el("path", d=path, fill=fill, fill_rule="evenodd", stroke=stroke, stroke_width=weight)


def _labels(
    anchors: list[tuple[float, float, float, str]],
    labels: Mapping[str, str],
    highlight: str | None,
    *,
    size: int,
) -> list[str]:
    """One label per district (largest first), the highlighted one in bold, on a white halo."""
    seen, body = set(), []
    halo = {"stroke": "#FFFFFF", "stroke_width": 2, "paint_order": "stroke", "text_anchor": "middle"}
    for _, cx, cy, code in anchors:
        if code in seen or code not in labels:
            continue
        seen.add(code)
        bold = "bold" if code == highlight else "normal"
        body.append(_el("text", labels[code], x=cx, y=cy, font_size=size, font_weight=bold, **halo))
    return body


#: Width : height of a cropped district map (wider than tall: it leaves the page room for the tables).
CROP_ASPECT = 1.6
#: Share of a cropped map's width taken by the inset of the whole city.
INSET_SHARE = 0.24


def _cropped_map(
    features: list[Mapping],
    *,
    fills: Mapping[str, str],
    labels: Mapping[str, str],
    highlight: str | None,
    alt: str,
    width: float,
    around: str,
    max_labels: int,
) -> str:
    """The district ``around`` and the districts touching it, each labelled, and the city in an inset.

    The view is the bounding box of the district and its neighbours (districts within 2% of the
    district's size of it: neighbours share their edges), padded and widened to :data:`CROP_ASPECT`;
    districts reaching into the view are drawn and clipped at its edge, and those mostly in view are
    labelled at a point of their visible part. The inset draws the city's outline, the view a rectangle in it.
    """
    import numpy as np
    import shapely
    from shapely.geometry import shape

    codes = [_code(f) for f in features]
    geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
    tree = shapely.STRtree(geoms)
    target = geoms[codes.index(around)]
    x0, y0, x1, y1 = target.bounds
    touching = tree.query(target.buffer(0.02 * max(x1 - x0, y1 - y0, 1e-9)), predicate="intersects")
    x0, y0, x1, y1 = shapely.total_bounds(geoms[touching])
    scale_x = math.cos(math.radians((y0 + y1) / 2))
    span_x, span_y = max((x1 - x0) * scale_x, 1e-9) * 1.12, max(y1 - y0, 1e-9) * 1.12
    span_x, span_y = max(span_x, span_y * CROP_ASPECT), max(span_y, span_x / CROP_ASPECT)
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    left, top = mid_x - span_x / 2 / scale_x, mid_y + span_y / 2
    view = shapely.box(left, top - span_y, left + span_x / scale_x, top)
    height = width / CROP_ASPECT
    unit = width / span_x

    def project(pt: Sequence[float]) -> tuple[float, float]:
        return (pt[0] - left) * scale_x * unit, (top - pt[1]) * unit

    shown = sorted(tree.query(view, predicate="intersects"))
    paths, anchors = [], []
    for index in shown:
        code = codes[index]
        paths.append(_district_path(code, _rings(features[index]["geometry"]), project, fills, highlight))
        visible = shapely.intersection(geoms[index], view)
        # A district cut by the edge is labelled only when most of it shows (its label would hang out).
        if visible.is_empty or (code != highlight and visible.area < 0.6 * geoms[index].area):
            continue
        spot = shapely.point_on_surface(visible)
        anchors.append((float(visible.area), *project((spot.x, spot.y)), code))
    anchors.sort(reverse=True)
    anchors = [a for a in anchors if a[3] == highlight] + anchors[:max_labels]
    inset, (ix0, _, ix1, iy1) = _inset(geoms, view, width * INSET_SHARE, width)
    # No label under the inset (but the district's own: the inset is drawn beneath it).
    anchors = [
        a for a in anchors if a[3] == highlight or not (ix0 - 30 <= a[1] <= ix1 + 30 and a[2] <= iy1 + 6)
    ]
    clip = f"crop-{zlib.crc32(around.encode()):08x}"
    body = [
        f'<clipPath id="{clip}"><rect x="0" y="0" width="{width:.1f}" height="{height:.1f}"/></clipPath>',
        f'<g clip-path="url(#{clip})">',
        *paths,
        "</g>",
        _el("rect", x=0.5, y=0.5, width=width - 1, height=height - 1, fill="none", stroke=GRID),
        *inset,
        *_labels(anchors, labels, highlight, size=10),
    ]
    return _svg(width, height, body, alt)


def _inset(geoms: Any, view: Any, size: float, width: float) -> tuple[list[str], tuple[float, ...]]:
    """The city's outline in a small box at the top right, with the cropped view as a rectangle; and the
    box (left, top, right, bottom)."""
    import shapely

    try:
        city = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:  # not a clean coverage: the plain union draws the outline
        city = shapely.union_all(geoms)
    x0, y0, x1, y1 = city.bounds
    city = shapely.simplify(city, max(x1 - x0, y1 - y0) / 150)
    scale_x = math.cos(math.radians((y0 + y1) / 2))
    span_x, span_y = max((x1 - x0) * scale_x, 1e-9), max(y1 - y0, 1e-9)
    pad = 4.0
    unit = (size - 2 * pad) / max(span_x, span_y)
    box_w, box_h = span_x * unit + 2 * pad, span_y * unit + 2 * pad
    origin_x, origin_y = width - box_w - 4, 4.0

    def project(pt: Sequence[float]) -> tuple[float, float]:
        return origin_x + pad + (pt[0] - x0) * scale_x * unit, origin_y + pad + (y1 - pt[1]) * unit

    outline = " ".join(
        "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in map(project, ring.coords)) + " Z"
        for polygon in getattr(city, "geoms", [city])
        for ring in [polygon.exterior]
    )
    vx0, vy0, vx1, vy1 = view.bounds
    (ax, ay), (bx, by) = project((vx0, vy1)), project((vx1, vy0))
    box = (origin_x, origin_y, origin_x + box_w, origin_y + box_h)
    return [
        _el("rect", x=origin_x, y=origin_y, width=box_w, height=box_h, fill="#FFFFFF", stroke=GRID),
        _el("path", d=outline, fill="#F2F2F2", stroke="#666666", stroke_width=0.6),
        _el(
            "rect",
            x=ax,
            y=ay,
            width=max(bx - ax, 2.0),
            height=max(by - ay, 2.0),
            fill="none",
            stroke=INK,
            stroke_width=1.2,
        ),
    ], box
