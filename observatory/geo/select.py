"""Keep only some areas of a boundary file: those inside the city, or those whose attribute matches.

A national file (every LSOA of England, every commune of a région) can then be imported as it is
published, without a GIS tool. An area is inside the city when at least half of its surface lies
within the city's outline (:data:`INSIDE_SHARE`): areas that share the city's boundary (LSOAs nest
in local authorities, communes tile a département) are kept whole, and neighbours that only touch
the outline, or overlap it by a sliver because the two files were drawn at different scales, are
dropped. A representative point would be cheaper but can fall in a thin part of an odd-shaped area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from observatory.geo.display import geometry_from_text

#: Smallest share of an area's surface that must lie within the outline for it to be inside.
INSIDE_SHARE = 0.5
OUTSIDE = "outside the city"
NOT_MATCHING = "not matching the filter"


@dataclass(frozen=True)
class AreaFilter:
    """Which areas of a boundary file to keep (all of them when nothing is set).

    Attributes:
        inside: Keep the areas inside the city's outline (at least :data:`INSIDE_SHARE` of their
            surface within it).
        field: An attribute field to match ("" for none), e.g. a département or force code.
        values: Values of ``field`` to keep (case and surrounding spaces ignored).
        prefix: The values are prefixes: ``69`` keeps ``69001`` … ``69391``.
    """

    inside: bool = False
    field: str = ""
    values: tuple[str, ...] = ()
    prefix: bool = False

    @property
    def active(self) -> bool:
        """True when the filter leaves anything out."""
        return self.inside or bool(self.field and self.values)


def outline(texts: Sequence[str]) -> BaseGeometry:
    """One outline from stored GeoJSON geometry texts (the union of the areas)."""
    return shapely.union_all(np.asarray([geometry_from_text(text) for text in texts], dtype=object))


def parse_values(text: str) -> tuple[str, ...]:
    """Values typed as one text, separated by commas, semicolons or line breaks ("69, 01" → ("69", "01"))."""
    parts = text.replace(";", ",").replace("\n", ",").split(",")
    return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))


def matching(values: pd.Series, keep: AreaFilter) -> np.ndarray:
    """True for each attribute value the filter keeps (every value when it names no field)."""
    if not (keep.field and keep.values):
        return np.ones(len(values), dtype=bool)
    text = pd.Series(["" if pd.isna(v) else _text(v) for v in values], index=values.index, dtype=object)
    wanted = tuple(v.strip().casefold() for v in keep.values)
    if keep.prefix:
        return np.array([t.startswith(wanted) for t in text], dtype=bool)
    return text.isin(set(wanted)).to_numpy(dtype=bool)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().casefold()


def inside_shares(geometries: Sequence[BaseGeometry | None], outline: BaseGeometry) -> np.ndarray:
    """The share of each area's surface that lies within the outline (NaN when it cannot be told).

    Both in longitude/latitude: a share is a ratio within one small area, where the scale of a
    degree barely changes. Areas wholly within are found first (a prepared outline), so only the
    areas crossing the outline are intersected.
    """
    geoms = np.asarray(list(geometries), dtype=object)
    shares = np.full(len(geoms), np.nan)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if not present.any():
        return shares
    shapely.prepare(outline)
    candidates = np.where(present)[0]
    fixed = np.asarray([g if g.is_valid else shapely.make_valid(g) for g in geoms[candidates]], dtype=object)
    touching = shapely.intersects(outline, fixed)
    within = touching & shapely.contains(outline, fixed)
    shares[candidates[~touching]] = 0.0
    shares[candidates[within]] = 1.0
    crossing = touching & ~within
    if crossing.any():
        parts = fixed[crossing]
        area = shapely.area(parts)
        common = shapely.area(shapely.intersection(parts, outline))
        shares[candidates[crossing]] = np.where(area > 0, common / np.where(area > 0, area, 1), np.nan)
    return shares


def inside(geometries: Sequence[BaseGeometry | None], outline: BaseGeometry) -> np.ndarray:
    """True for each area inside the outline; an area with no usable geometry is kept (and refused later)."""
    shares = inside_shares(geometries, outline)
    return np.isnan(shares) | (shares >= INSIDE_SHARE)
