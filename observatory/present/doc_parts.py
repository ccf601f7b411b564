"""What every council document shares: who may read it, its mark, dates and sources, and its figures.

A document made from the staff database is "internal — not for publication" on every page; one made from
the published release says so, with the release's date and its disclosure rule (the release itself is
already disclosure-controlled, so the document cannot show more than the public site).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from observatory.charts.palette import STATE_COLOURS
from observatory.domain import Indicator
from observatory.i18n import format_date, format_number, format_percent, t
from observatory.present import headline_text, svg
from observatory.present.document import Audience, Block, Document, Figure, KeyFigure, Legend
from observatory.services import headlines, views
from observatory.store import Store

#: Document kinds, in the order the documents page offers them.
KINDS = ("district", "city", "evaluation", "diagnosis")
#: File formats a document is written in.
FORMATS = ("pdf", "html")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a document's figures come from and how it is marked."""

    audience: Audience
    mark: str
    made: str
    source: str
    created: datetime
    city_name: str


def context(store: Store, *, now: datetime | None = None) -> Context:
    """The audience, mark, date and source line of a document made from ``store``."""
    created = now or datetime.now(UTC)
    made = t("doc.made", date=format_date(created))
    release = views.release_info(store)
    city = views.city_name(store)
    if release is None:
        return Context(
            "internal", t("doc.mark_internal"), made, t("doc.source_internal", city=city), created, city
        )
    published = format_date(pd.Timestamp(release["published_at"]).to_pydatetime())
    return Context(
        "public",
        t("doc.mark_public", date=published),
        made,
        t("doc.source_public", city=city, date=published),
        created,
        city,
    )


def value_text(info: Indicator, value: float, *, rate: bool = False) -> str:
    """A value as the pages show it: a percent with one decimal, a rate with two, a count whole."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return format_number(None)
    if info.unit == "percent":
        return format_percent(float(value), decimals=1)
    if rate:
        return format_number(float(value), decimals=2)
    return format_number(float(value), decimals=0 if info.unit == "count" else 1)


def interval_text(info: Indicator, lower: float, upper: float, *, rate: bool = False) -> str:
    """ "a – b", or a dash when there is no interval."""
    if any(x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))) for x in (lower, upper)):
        return format_number(None)
    return f"{value_text(info, lower, rate=rate)} – {value_text(info, upper, rate=rate)}"


def state_legend() -> Legend:
    """The grid's colours with their words."""
    return Legend(tuple((state, t(f"where.state.{state}")) for state in STATE_COLOURS))


def district_map(
    store: Store,
    *,
    fills: Mapping[str, str],
    highlight: str | None,
    title: str,
    unit: str,
    period: str,
    ctx: Context,
    width: float = 0.8,
    outline: Mapping | None = None,
    around: str | None = None,
) -> Figure | None:
    """The districts with their names on the map (the chosen one outlined); None without boundaries.

    ``outline``: a GeoJSON feature drawn over the districts, unfilled, as the highlighted shape (an area
    grouping's union: ``highlight`` is then its id). With ``around`` and many districts, the map shows
    that district and its neighbours, with the city in an inset (svg.district_map).
    """
    geojson = views.district_geojson(store)
    if not geojson["features"]:
        return None
    labels = {str(f["id"]): str(f["properties"]["name"]) for f in geojson["features"]}
    cropped = svg.crops(geojson, around)
    if outline is not None:
        geojson = {**geojson, "features": [*geojson["features"], outline]}
        fills = {**fills, str(outline["id"]): "none"}
    drawn = svg.district_map(
        geojson, fills=fills, labels=labels, highlight=highlight, alt=title, around=around
    )
    if cropped:
        # A cropped map is wider than tall: printed wider, its labels stay legible and it is still shorter.
        width = max(width, CROPPED_WIDTH)
    return Figure(drawn, title, unit, ctx.source, period, ctx.made, alt=title, width=width)


#: Share of the text width a cropped district map takes (svg.CROP_ASPECT wide: 0.44 of it tall).
CROPPED_WIDTH = 0.7


def headline_cards(store: Store, codes: Iterable[str], *, rate: bool = True) -> list[KeyFigure]:
    """The overview's headline cards of these indicators (those with a city figure), in its own words."""
    cards = []
    for code in codes:
        h = headlines.city_headline(store, str(code))
        if h is None:
            continue
        parts = (headline_text.rate_text(h) if rate else "", headline_text.change_text(h))
        lines = [*(x for x in parts if x)]
        if headline_text.basis_text(h):
            lines.append(headline_text.basis_text(h))
        lines.append(headline_text.window_text(h.window))
        cards.append(KeyFigure(h.name, headline_text.value_text(h), tuple(lines)))
    return cards


def codes_of(store: Store, *, kind: str, unit: str | None = None) -> list[str]:
    """The catalogue's indicators of one kind (and unit), in catalogue order."""
    catalogue = views.catalogue(store)
    chosen = catalogue["kind"] == kind
    if unit is not None:
        chosen &= catalogue["unit"] == unit
    return [str(c) for c in catalogue.loc[chosen, "code"]]


def document(
    kind: str, title: str, period: object, lang: str, ctx: Context, blocks: Iterable[Block]
) -> Document:
    """A document with the context's audience, mark, date and source; subtitled "<city> — <period>"."""
    return Document(
        kind,
        title,
        f"{ctx.city_name} — {period}",
        lang,
        ctx.audience,
        ctx.mark,
        ctx.made,
        ctx.source,
        tuple(blocks),
        ctx.created,
    )
