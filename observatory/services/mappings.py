"""Category → indicator mappings of the published formats: what a file holds, what was remembered.

For the upload form: show a file's categories with a suggested indicator each, let staff change them,
and pass the result as ``mapping`` to the import, which remembers it in the same batch.
"""

from __future__ import annotations

import pandas as pd

from observatory.domain import SourceFormat
from observatory.ingest.formats import ssmsi
from observatory.ingest.formats.common import open_table, slug
from observatory.ingest.formats.incidents import read_incidents
from observatory.store import Store, queries

__all__ = ["file_categories", "remembered_mapping", "suggested_mapping"]


def remembered_mapping(store: Store, source: SourceFormat) -> dict[str, str | None]:
    """The category → indicator mapping saved by earlier imports of a format (None: not followed)."""
    frame = queries.category_mappings(store, str(source))
    return {
        str(row.category): (None if pd.isna(row.indicator_code) else str(row.indicator_code))
        for row in frame.itertuples()
    }


def file_categories(data: bytes, filename: str, source: SourceFormat) -> dict[str, int]:
    """Categories (SSMSI classes, crime types, incident categories) in a file, with their row counts.

    For the upload form to offer a mapping before the import; empty when the file cannot be read.
    """
    if source is SourceFormat.SSMSI:
        sheet = open_table(data, filename, source, ssmsi.COLUMNS, ssmsi.REQUIRED).sheet
    elif source in (SourceFormat.POLICE_UK, SourceFormat.INCIDENTS):
        sheet = read_incidents(data, filename, source).sheet
    else:
        return {}
    if sheet is None:
        return {}
    return {str(k): int(v) for k, v in sheet.text["category"].value_counts().sort_index().items()}


def suggested_mapping(
    store: Store, data: bytes, filename: str, source: SourceFormat
) -> dict[str, str | None]:
    """A starting mapping for the categories of a file, for the upload form to show and let staff edit.

    Each category gets its remembered indicator, else the known indicator whose code is its slug
    (``Burglary`` → ``burglary``), else None (not followed).
    """
    remembered = remembered_mapping(store, source)
    known = set(queries.indicators(store)["code"].astype(str))
    suggested: dict[str, str | None] = {}
    for category in file_categories(data, filename, source):
        if category in remembered:
            suggested[category] = remembered[category]
        else:
            suggested[category] = slug(category) if slug(category) in known else None
    return suggested
