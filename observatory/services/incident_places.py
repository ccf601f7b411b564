"""Placing incidents in our districts: the points located by geo, and the ways a file offers.

For the import (:func:`located`) and for the upload form, which shows what each way of placing a
file's rows would do before the uploader chooses (:func:`place_choices`).
"""

from __future__ import annotations

import numpy as np

from observatory import geo
from observatory.domain import SourceFormat
from observatory.ingest.dates import DateOrder
from observatory.ingest.formats.incidents import Incidents, read_incidents
from observatory.ingest.formats.places import COORDINATES, Candidate, candidates
from observatory.services.imports import build_reference
from observatory.store import Store, queries

__all__ = ["COORDINATES", "Candidate", "DateOrder", "located", "place_choices"]


def located(store: Store, incidents: Incidents) -> tuple[np.ndarray | None, list[str]]:
    """District code of each incident (None when it has no place or falls outside), and the districts.

    Raises:
        ValueError: If the file's coordinate system is not one pyproj knows.
    """
    shapes = queries.area_shapes(store, level=1, display=False)
    codes = [str(c) for c in shapes["code"]]
    if not incidents.points:
        return None, codes
    polygons = [geo.geometry_from_text(text) for text in shapes["geometry"]]
    longitude, latitude = incidents.longitude, incidents.latitude
    if incidents.crs:
        longitude, latitude = geo.to_degrees(longitude, latitude, incidents.crs)
    return geo.locate_points(longitude, latitude, codes, polygons), codes


def place_choices(
    store: Store, data: bytes, filename: str, *, crs: str | None = None, category_column: str | None = None
) -> list[Candidate]:
    """The ways an incident list's rows can be placed, each with the rows and areas it would give.

    Coordinates first (when the file has them filled in), then each area-like column (``area``,
    ``District``, ``zone`` …); empty when the file cannot be read.
    """
    incidents = read_incidents(
        data, filename, SourceFormat.INCIDENTS, crs=crs, category_column=category_column
    )
    if incidents.sheet is None:
        return []
    unprojectable = incidents.mode.endswith("projected") and not incidents.crs
    try:
        points = None if unprojectable else located(store, incidents)[0]
    except ValueError:  # an unknown coordinate system: the check says so; the columns can still be shown
        points = None
    has_point = ~np.isnan(incidents.longitude) if points is not None else np.zeros(len(incidents.month), bool)
    return candidates(incidents.sheet, points, has_point, build_reference(store))
