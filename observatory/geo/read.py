"""Read an uploaded district boundary file into checked EPSG:4326 polygons."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj.exceptions import CRSError, ProjError

from observatory.domain import Issue, Severity
from observatory.geo.checks import (
    GEOMETRY_COLUMN,
    check_codes,
    check_geometries,
    codes_as_text,
    names_as_text,
)
from observatory.geo.crs import CrsChoice, resolve_crs
from observatory.geo.errors import BoundarySourceError, SourceError
from observatory.geo.source import READ_ERRORS, Source, open_source

WGS84 = "EPSG:4326"
# World cylindrical equal-area (NSIDC EASE-Grid 2.0): areas are true everywhere the city can be.
EQUAL_AREA_CRS = "EPSG:6933"
COLUMNS = ["code", "name", GEOMETRY_COLUMN, "area_km2"]


@dataclass(frozen=True)
class Boundaries:
    """Districts read from a boundary file, with what was found on the way.

    Attributes:
        frame: Columns code (str), name (str), geometry (EPSG:4326), area_km2 (float), in file order.
        source_crs: The CRS the file was read in (``EPSG:3763``), as found or as named by the uploader.
        issues: Errors (the frame must then not be stored) and warnings (repaired geometries …).
    """

    frame: gpd.GeoDataFrame
    source_crs: str
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        """True when no issue is an ERROR."""
        return not any(issue.severity is Severity.ERROR for issue in self.issues)


@dataclass(frozen=True)
class LayerInfo:
    """What an upload form needs to know about a boundary file before reading it.

    Attributes:
        fields: Attribute field names of its layer, in file order.
        crs: The CRS the file declares (``EPSG:3763``), or None when it declares none.
    """

    fields: list[str]
    crs: str | None


def describe(data: bytes, filename: str) -> LayerInfo:
    """Attribute fields and declared CRS of a boundary file's layer.

    Args:
        data: The uploaded bytes (GeoJSON, GeoPackage or zipped Shapefile).
        filename: The uploaded file's name; its extension tells the format.

    Raises:
        BoundarySourceError: The file cannot be opened; its ``issue`` says why.
    """
    try:
        with open_source(data, filename) as source:
            info = _info(source)
    except SourceError as exc:
        raise BoundarySourceError(dataclasses.replace(exc.issue(), file=filename)) from exc
    crs = info.get("crs")
    return LayerInfo([str(name) for name in info["fields"]], str(crs) if crs else None)


def list_fields(data: bytes, filename: str) -> list[str]:
    """Attribute fields of a boundary file's layer, for the upload form to offer.

    Args:
        data: The uploaded bytes (GeoJSON, GeoPackage or zipped Shapefile).
        filename: The uploaded file's name; its extension tells the format.

    Raises:
        BoundarySourceError: The file cannot be opened; its ``issue`` says why.
    """
    try:
        with open_source(data, filename) as source:
            return _fields(source)
    except SourceError as exc:
        raise BoundarySourceError(dataclasses.replace(exc.issue(), file=filename)) from exc


def read_boundaries(
    data: bytes, filename: str, *, code_field: str, name_field: str, crs: str | None = None
) -> Boundaries:
    """Read, check and reproject a district boundary file.

    Never raises for a bad file: every problem is an Issue in the result.

    Args:
        data: The uploaded bytes (GeoJSON, GeoPackage or zipped Shapefile).
        filename: The uploaded file's name; its extension tells the format.
        code_field: Field holding each district's code (read as text).
        name_field: Field holding each district's name.
        crs: The CRS the uploader names, used when the file has none (``EPSG:3763``).
    """
    try:
        with open_source(data, filename) as source:
            raw, issues = _read_layer(source, code_field, name_field)
    except SourceError as exc:
        raw, issues = None, [exc.issue()]
    choice = resolve_crs(raw.crs, crs) if raw is not None else CrsChoice(None, crs or "")
    issues += choice.issues
    if raw is None or choice.crs is None:
        frame = gpd.GeoDataFrame({column: [] for column in COLUMNS}, geometry=GEOMETRY_COLUMN, crs=WGS84)
    else:
        frame = _build(raw, choice, code_field, name_field, issues)
    return Boundaries(frame, choice.label, [dataclasses.replace(issue, file=filename) for issue in issues])


def _info(source: Source) -> dict:
    """pyogrio's description of the source's layer (fields, crs …)."""
    try:
        return dict(pyogrio.read_info(source.path, layer=source.layer))
    except READ_ERRORS as exc:
        raise SourceError(f"The layer {source.layer} cannot be read ({exc}).") from exc


def _fields(source: Source) -> list[str]:
    """Attribute field names of the source's layer."""
    return [str(name) for name in _info(source)["fields"]]


def _read_layer(
    source: Source, code_field: str, name_field: str
) -> tuple[gpd.GeoDataFrame | None, list[Issue]]:
    """The layer's code, name and geometry, or None with issues saying why not."""
    issues = list(source.notes)
    fields = _fields(source)
    missing = [field for field in dict.fromkeys((code_field, name_field)) if field not in fields]
    for field in missing:
        message = f'The file has no field "{field}". Its fields are: {", ".join(fields) or "none"}.'
        issues.append(Issue("missing-label", Severity.ERROR, message, column=field))
    if missing:
        return None, issues
    try:
        raw = pyogrio.read_dataframe(
            source.path,
            layer=source.layer,
            columns=list(dict.fromkeys((code_field, name_field))),
            force_2d=True,  # heights are not drawn and would only inflate the stored text
            on_invalid="ignore",  # unparseable geometries come back as None and are reported per feature
        )
    except READ_ERRORS as exc:
        raise SourceError(f"The layer {source.layer} cannot be read ({exc}).") from exc
    if not isinstance(raw, gpd.GeoDataFrame) or raw.empty:
        issues.append(Issue("source-error", Severity.ERROR, f"The layer {source.layer} holds no boundaries."))
        return None, issues
    return raw, issues


def _build(
    raw: gpd.GeoDataFrame, choice: CrsChoice, code_field: str, name_field: str, issues: list[Issue]
) -> gpd.GeoDataFrame:
    """Apply every check and assemble the output frame, appending to ``issues``."""
    codes, code_issues = codes_as_text(raw[code_field], code_field)
    issues += code_issues + check_codes(codes, code_field)
    names, name_issues = names_as_text(raw[name_field], codes, name_field)
    issues += name_issues
    try:
        reprojected = raw.geometry.set_crs(choice.crs, allow_override=True).to_crs(WGS84)
    except (CRSError, ProjError) as exc:
        message = f"The boundaries cannot be converted from {choice.label} to {WGS84} ({exc})."
        issues.append(Issue("crs-invalid", Severity.ERROR, message, value=choice.label))
        reprojected = gpd.GeoSeries([None] * len(raw), crs=WGS84)
    kept, geometry_issues = check_geometries(list(reprojected), choice.label)
    issues += geometry_issues
    geometry = gpd.GeoSeries(kept, crs=WGS84)
    frame = gpd.GeoDataFrame({"code": codes, "name": names}, geometry=geometry)
    frame["area_km2"] = pd.Series(geometry.to_crs(EQUAL_AREA_CRS).area / 1e6, dtype="float64")
    return frame[COLUMNS]
