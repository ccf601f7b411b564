"""Boundary imports: the areas' rows (districts also define the city), and which areas a filter keeps.

A national boundary file can be imported as published: keep the areas inside the city (its stored
outline: the city area's own geometry, else the union of its districts) or those whose attribute
matches (a département's code, a code prefix). The report says how many were kept and left out,
with some names, before anything is committed.
"""

from __future__ import annotations

import pandas as pd
from shapely.geometry.base import BaseGeometry

from observatory import geo
from observatory.domain import Issue, Severity
from observatory.ingest.report import ValidationReport
from observatory.store import Store, queries

#: Names of areas left out that the report quotes.
DROPPED_SHOWN = 10
#: Which areas of a file to keep, and the values typed as one text (for the page and the command line).
AreaFilter = geo.AreaFilter
parse_values = geo.parse_values
INSIDE_SHARE = geo.INSIDE_SHARE


def city_outline(store: Store) -> BaseGeometry | None:
    """The stored city outline (EPSG:4326): the city area's geometry, else the union of its districts."""
    for level in (0, 1):
        shapes = queries.area_shapes(store, level=level, display=False)
        if not shapes.empty:
            return geo.outline(list(shapes["geometry"]))
    return None


def selection(store: Store, keep: geo.AreaFilter | None) -> tuple[geo.Selection | None, list[Issue]]:
    """What to hand to ``geo.read_boundaries``; an error when the city's outline is wanted but unknown."""
    if keep is None or not keep.active:
        return None, []
    if not keep.inside:
        return geo.Selection(keep), []
    outline = city_outline(store)
    if outline is None:
        message = (
            "No city outline is stored yet, so no area can be kept for lying inside it: import the "
            "city's districts first, or keep areas by an attribute."
        )
        return None, [Issue("constraint-error", Severity.ERROR, message, column="inside")]
    return geo.Selection(keep, outline), []


def note_dropped(report: ValidationReport, dropped: pd.DataFrame) -> None:
    """Count the areas left out by reason, and name some of them in a warning."""
    if dropped.empty:
        return
    for reason, count in dropped["reason"].value_counts().sort_index().items():
        report.ignore(str(reason), int(count))
    shown = [
        f"{name} ({code})" if name else str(code)
        for code, name in dropped[["code", "name"]].head(DROPPED_SHOWN).itertuples(index=False)
    ]
    more = len(dropped) - len(shown)
    examples = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    message = f"{len(dropped)} areas of the file left out by the filter, e.g. {examples}."
    report.issues.append(Issue("areas-left-out", Severity.WARNING, message, value=str(len(dropped))))


def area_rows(bounds: geo.Boundaries, *, level: int, city_code: str, city_name: str) -> pd.DataFrame:
    """The rows of ``areas`` for a boundary file; districts (level 1) also bring the city as their union."""
    frame = bounds.frame
    display = geo.display_geometries(frame)
    rows = pd.DataFrame(
        {
            "code": frame["code"].astype(str).to_numpy(),
            "name": frame["name"].astype(str).to_numpy(),
            "level": level,
            "parent_code": city_code if level == 1 else None,
            "geometry": [geo.geometry_to_text(g) for g in frame.geometry],
            "display_geometry": [geo.geometry_to_text(g) for g in display.geometry],
            "area_km2": frame["area_km2"].to_numpy(dtype=float),
        }
    )
    if level != 1:
        return rows
    outline = geo.union_outline(frame)
    city = pd.DataFrame(
        [
            {
                "code": city_code,
                "name": city_name,
                "level": 0,
                "parent_code": None,
                "geometry": geo.geometry_to_text(outline),
                "display_geometry": None,
                "area_km2": float(frame["area_km2"].sum()),
            }
        ]
    )
    return pd.concat([city, rows], ignore_index=True)
