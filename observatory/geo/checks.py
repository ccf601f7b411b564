"""Checks on the features of a boundary file: codes, names and geometries.

Each check returns what it kept and the Issues it found; none of them raises.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from observatory.domain import Issue, Severity

POLYGONAL = ("Polygon", "MultiPolygon")
GEOMETRY_COLUMN = "geometry"


def codes_as_text(values: pd.Series, column: str) -> tuple[list[str], list[Issue]]:
    """Codes as text with leading zeros kept; warn when a numeric field may have dropped them.

    A code field stored as numbers has already lost any leading zero ("0101" became 101). That
    cannot be undone, but when the codes come out with different widths it is likely, so say so.
    """
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return ["" if pd.isna(value) else str(value).strip() for value in values], []
    texts = [_number_text(value) for value in values]
    widths = sorted({len(text) for text in texts if text})
    if len(widths) <= 1:
        return texts, []
    shortest = next(text for text in texts if len(text) == widths[0])
    message = (
        f'The field "{column}" is stored as numbers, and its codes have {widths[0]} to {widths[-1]} '
        f"digits (e.g. {shortest}): leading zeros may have been lost. Store the codes as text."
    )
    return texts, [Issue("code-lost-leading-zero", Severity.WARNING, message, column=column, value=shortest)]


def _number_text(value: object) -> str:
    """``101`` for 101 or 101.0, blank for a missing number; other numbers as written."""
    if pd.isna(value):
        return ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _numbers(count: int, rows: Sequence[int] | None) -> Sequence[int]:
    """Feature numbers in the file: 1…n, or those given (the features kept by a filter)."""
    return range(1, count + 1) if rows is None else rows


def check_codes(codes: Sequence[str], column: str, rows: Sequence[int] | None = None) -> list[Issue]:
    """Every feature needs a code (``missing-cell``), and no two the same one (``primary-key``).

    ``rows`` numbers the features as in the file when only some of them are checked.
    """
    issues: list[Issue] = []
    first_row: dict[str, int] = {}
    for row, code in zip(_numbers(len(codes), rows), codes, strict=True):
        if not code:
            issues.append(
                Issue("missing-cell", Severity.ERROR, f"Feature {row} has no code.", row=row, column=column)
            )
        elif code in first_row:
            message = f'Features {first_row[code]} and {row} both have the code "{code}".'
            issues.append(Issue("primary-key", Severity.ERROR, message, row=row, column=column, value=code))
        else:
            first_row[code] = row
    return issues


def names_as_text(
    values: pd.Series, codes: Sequence[str], column: str, rows: Sequence[int] | None = None
) -> tuple[list[str], list[Issue]]:
    """Names as text; a blank name falls back to the code, with a warning."""
    names: list[str] = []
    issues: list[Issue] = []
    for row, value, code in zip(_numbers(len(codes), rows), values, codes, strict=True):
        name = "" if pd.isna(value) else str(value).strip()
        if not name:
            message = f'Feature {row} has no name; its code "{code}" is shown instead.'
            issues.append(Issue("missing-cell", Severity.WARNING, message, row=row, column=column))
            name = code
        names.append(name)
    return names, issues


def check_geometries(
    geometries: Sequence[BaseGeometry | None], source_crs: str, rows: Sequence[int] | None = None
) -> tuple[list[BaseGeometry | None], list[Issue]]:
    """Keep polygons in range, repair invalid ones; ``None`` stands for a refused feature.

    Args:
        geometries: The features' geometries, already in EPSG:4326.
        source_crs: The CRS they came from, named in messages about coordinates out of range.
        rows: The features' numbers in the file (default 1…n).
    """
    types = [None if geom is None else geom.geom_type for geom in geometries]
    if geometries and not any(kind in POLYGONAL for kind in types):
        kinds = ", ".join(sorted({kind for kind in types if kind})) or "no"
        message = f"The layer holds {kinds} geometries; district boundaries must be polygons."
        refusal = Issue("type-error", Severity.ERROR, message, column=GEOMETRY_COLUMN)
        return [None] * len(geometries), [refusal]
    kept: list[BaseGeometry | None] = []
    issues: list[Issue] = []
    for row, geom in zip(_numbers(len(geometries), rows), geometries, strict=True):
        checked, issue = _check_one(row, geom, source_crs)
        kept.append(checked)
        if issue is not None:
            issues.append(issue)
    return kept, issues


def _check_one(
    row: int, geom: BaseGeometry | None, source_crs: str
) -> tuple[BaseGeometry | None, Issue | None]:
    """One feature: present, polygonal, within longitude/latitude range, valid (or repaired)."""
    if geom is None or geom.is_empty:
        message = f"Feature {row} has no geometry."
        return None, Issue("missing-cell", Severity.ERROR, message, row=row, column=GEOMETRY_COLUMN)
    if geom.geom_type not in POLYGONAL:
        message = f"Feature {row} is a {geom.geom_type}; district boundaries must be polygons."
        return None, Issue(
            "type-error", Severity.ERROR, message, row=row, column=GEOMETRY_COLUMN, value=geom.geom_type
        )
    bounds = shapely.bounds(geom)
    if not _in_range(bounds):
        message = (
            f"Feature {row} falls outside longitudes −180…180 / latitudes −90…90 once read as "
            f"{source_crs}: the file is probably in another coordinate reference system."
        )
        value = ", ".join(f"{number:.6g}" for number in bounds)
        return None, Issue(
            "constraint-error", Severity.ERROR, message, row=row, column=GEOMETRY_COLUMN, value=value
        )
    if geom.is_valid:
        return geom, None
    return _repair(row, geom)


def _in_range(bounds: np.ndarray) -> bool:
    """Finite, with longitudes within ±180° and latitudes within ±90°."""
    min_x, min_y, max_x, max_y = (float(number) for number in bounds)
    finite = bool(np.isfinite(bounds).all())
    return finite and -180.0 <= min_x <= max_x <= 180.0 and -90.0 <= min_y <= max_y <= 90.0


def _repair(row: int, geom: BaseGeometry) -> tuple[BaseGeometry | None, Issue]:
    """Repair with ``make_valid`` and keep the polygonal part; a warning names the feature."""
    reason = shapely.is_valid_reason(geom)
    fixed = polygonal_part(shapely.make_valid(geom, method="structure", keep_collapsed=False))
    if fixed is None:
        message = f"Feature {row} has an invalid geometry ({reason}) that has no area once repaired."
        return None, Issue(
            "geometry-invalid", Severity.ERROR, message, row=row, column=GEOMETRY_COLUMN, value=reason
        )
    message = f"Feature {row} had an invalid geometry ({reason}); it was repaired. Check its outline."
    return fixed, Issue(
        "geometry-repaired", Severity.WARNING, message, row=row, column=GEOMETRY_COLUMN, value=reason
    )


def polygonal_part(geom: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The polygons inside any geometry (collections included), or None when there are none."""
    # make_valid returns at most a collection of multi-geometries, so two levels of parts suffice.
    parts = shapely.get_parts(shapely.get_parts(geom))
    polygons = [part for part in parts if isinstance(part, Polygon) and not part.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
