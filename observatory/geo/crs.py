"""Decide which coordinate reference system an uploaded file is in."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyproj import CRS
from pyproj.exceptions import CRSError

from observatory.domain import Issue, Severity


@dataclass(frozen=True)
class CrsChoice:
    """The CRS to read a file in, or why there is none.

    Attributes:
        crs: The CRS to use; None when an error issue says why.
        label: Its short name (``EPSG:3763``), or the text given, for the record.
        issues: What the choice reported.
    """

    crs: CRS | None
    label: str
    issues: list[Issue] = field(default_factory=list)


def crs_label(crs: CRS) -> str:
    """``AUTHORITY:CODE`` when the CRS can be identified, else its WKT."""
    authority = crs.to_authority(min_confidence=90)
    return f"{authority[0]}:{authority[1]}" if authority else crs.to_wkt()


def resolve_crs(file_crs: CRS | None, given: str | None) -> CrsChoice:
    """Choose between the CRS stored in the file and the one the uploader names.

    The file's own CRS wins (with a warning when the uploader named another); the uploader's is used
    only when the file has none. A file without either is refused (``crs-missing``).
    """
    given_crs: CRS | None = None
    if given is not None and given.strip():
        try:
            given_crs = CRS.from_user_input(given.strip())
        except CRSError:
            message = f'"{given}" is not a coordinate reference system; name one like EPSG:3763.'
            return CrsChoice(None, given, [Issue("crs-invalid", Severity.ERROR, message, value=given)])
    if file_crs is None:
        if given_crs is None:
            message = (
                "The file does not say which coordinate reference system it uses (a Shapefile needs "
                "its .prj). Name it, for example EPSG:3763 for Portugal TM06."
            )
            return CrsChoice(None, "", [Issue("crs-missing", Severity.ERROR, message)])
        return CrsChoice(given_crs, crs_label(given_crs))
    choice = CrsChoice(file_crs, crs_label(file_crs))
    if given_crs is not None and not _same(file_crs, given_crs):
        message = (
            f"The file says it is in {choice.label}, but {crs_label(given_crs)} was named; "
            f"the file's own {choice.label} was used."
        )
        choice.issues.append(Issue("crs-mismatch", Severity.WARNING, message, value=given))
    return choice


def _same(left: CRS, right: CRS) -> bool:
    """Equal CRSs, also when one came from an ESRI .prj and the other from an EPSG code."""
    if left.equals(right, ignore_axis_order=True):
        return True
    code = left.to_epsg(min_confidence=90)
    return code is not None and code == right.to_epsg(min_confidence=90)
