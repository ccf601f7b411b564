"""Category → indicator mappings of the published formats: what a file holds, what was remembered.

For the upload form: show a file's categories with a suggested indicator each, let staff change them,
and pass the result as ``mapping`` to the import, which remembers it in the same batch.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from observatory.domain import IndicatorKind, Issue, Severity, SourceFormat, Unit
from observatory.ingest.formats import ssmsi
from observatory.ingest.formats.common import open_table, slug
from observatory.ingest.formats.detect import read_header
from observatory.ingest.formats.incidents import ANTI_SOCIAL, read_incidents
from observatory.services.profile_panel import is_anti_social
from observatory.store import Store, queries

__all__ = [
    "ANTI_SOCIAL",
    "anti_social_issues",
    "file_categories",
    "file_columns",
    "mapping_targets",
    "remembered_mapping",
    "suggested_mapping",
]


def remembered_mapping(store: Store, source: SourceFormat) -> dict[str, str | None]:
    """The category → indicator mapping saved by earlier imports of a format (None: not followed)."""
    frame = queries.category_mappings(store, str(source))
    return {
        str(row.category): (None if pd.isna(row.indicator_code) else str(row.indicator_code))
        for row in frame.itertuples()
    }


def mapping_targets(store: Store) -> dict[str, str]:
    """Indicators a category may be mapped to, code → name: the counts (incidents add up)."""
    frame = queries.indicators(store)
    counts = frame[frame["unit"] == Unit.COUNT.value].sort_values("code")
    return {str(code): str(name) for code, name in zip(counts["code"], counts["name"], strict=True)}


def file_categories(
    data: bytes, filename: str, source: SourceFormat, *, category_column: str | None = None
) -> dict[str, int]:
    """Categories (SSMSI classes, crime types, incident categories) in a file, with their row counts.

    For the upload form to offer a mapping before the import; empty when the file cannot be read.

    Args:
        category_column: Incident lists: the column chosen as category (None: the one recognised).
    """
    if source is SourceFormat.SSMSI:
        sheet = open_table(data, filename, source, ssmsi.COLUMNS, ssmsi.REQUIRED).sheet
    elif source in (SourceFormat.POLICE_UK, SourceFormat.INCIDENTS):
        sheet = read_incidents(data, filename, source, category_column=category_column).sheet
    else:
        return {}
    if sheet is None:
        return {}
    return {str(k): int(v) for k, v in sheet.text["category"].value_counts().sort_index().items()}


def suggested_mapping(
    store: Store, data: bytes, filename: str, source: SourceFormat, *, category_column: str | None = None
) -> dict[str, str | None]:
    """A starting mapping for the categories of a file, for the upload form to show and let staff edit.

    Each category gets its remembered indicator, else the known indicator whose code is its slug
    (``Burglary`` → ``burglary``), else None (not followed).
    """
    remembered = remembered_mapping(store, source)
    known = set(queries.indicators(store)["code"].astype(str))
    suggested: dict[str, str | None] = {}
    for category in file_categories(data, filename, source, category_column=category_column):
        if category in remembered:
            suggested[category] = remembered[category]
        else:
            suggested[category] = slug(category) if slug(category) in known else None
    return suggested


def file_columns(data: bytes) -> list[str]:
    """The columns of a CSV file as written, for the form to offer as category or area column."""
    return list(read_header(data))


def anti_social_issues(store: Store, categories: pd.Series, mapping: Mapping[str, str | None]) -> list[Issue]:
    """An error when anti-social behaviour is mapped into a recorded-crime indicator.

    Anti-social behaviour is not crime. The adapter already refuses it sharing an indicator with a
    crime type; this also refuses it alone in a crime indicator (a result count not named as
    anti-social behaviour), whose offence totals it would otherwise swell.

    Args:
        store: The store (for the indicator catalogue).
        categories: Category text per row of the file.
        mapping: The category → indicator mapping the import uses.
    """
    target = mapping.get(ANTI_SOCIAL)
    if not target or not (categories == ANTI_SOCIAL).any():
        return []
    catalogue = queries.indicators(store).set_index("code")
    if target not in catalogue.index:
        return []  # the adapter reports an unknown indicator itself
    row = catalogue.loc[target]
    crime = row["kind"] == IndicatorKind.RESULT.value and row["unit"] == Unit.COUNT.value
    if not crime or is_anti_social(str(target), str(row["theme"]), str(row["name"])):
        return []
    message = f"anti-social behaviour is not crime and may not be counted in the crime indicator {target!r}"
    return [Issue("constraint-error", Severity.ERROR, message, column="category", value=ANTI_SOCIAL)]
