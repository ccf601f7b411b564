"""Read an uploaded district boundary file into checked EPSG:4326 polygons."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj.exceptions import CRSError, ProjError
from shapely.geometry.base import BaseGeometry

from observatory.domain import Issue, Severity
from observatory.geo import limits
from observatory.geo.checks import (
    GEOMETRY_COLUMN,
    check_codes,
    check_geometries,
    codes_as_text,
    names_as_text,
)
from observatory.geo.crs import CrsChoice, resolve_crs
from observatory.geo.errors import BoundarySourceError, SourceError
from observatory.geo.select import NOT_MATCHING, OUTSIDE, AreaFilter, inside, matching
from observatory.geo.source import READ_ERRORS, Source, open_source

WGS84 = "EPSG:4326"
# World cylindrical equal-area (NSIDC EASE-Grid 2.0): areas are true everywhere the city can be.
EQUAL_AREA_CRS = "EPSG:6933"
COLUMNS = ["code", "name", GEOMETRY_COLUMN, "area_km2"]


def _no_drops() -> pd.DataFrame:
    return pd.DataFrame({"code": [], "name": [], "reason": []}, dtype=object)


@dataclass(frozen=True)
class Boundaries:
    """Districts read from a boundary file, with what was found on the way.

    Attributes:
        frame: Columns code (str), name (str), geometry (EPSG:4326), area_km2 (float), in file order.
        source_crs: The CRS the file was read in (``EPSG:3763``), as found or as named by the uploader.
        issues: Errors (the frame must then not be stored) and warnings (repaired geometries …).
        dropped: Features a filter left out: code, name, reason (file order).
    """

    frame: gpd.GeoDataFrame
    source_crs: str
    issues: list[Issue]
    dropped: pd.DataFrame = dataclass_field(default_factory=lambda: _no_drops())

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


def describe(data: bytes, filename: str, *, time_limit: float | None = None) -> LayerInfo:
    """Attribute fields and declared CRS of a boundary file's layer.

    Args:
        data: The uploaded bytes (GeoJSON, GeoPackage or zipped Shapefile).
        filename: The uploaded file's name; its extension tells the format.
        time_limit: Seconds after which the read is stopped (it then runs in a child process,
            :mod:`observatory.geo.limits`); None reads here, without a limit.

    Raises:
        BoundarySourceError: The file cannot be opened, or the read passed its time limit; its
            ``issue`` says why.
    """
    try:
        return limits.run_limited(time_limit, _describe, data, filename)
    except SourceError as exc:
        raise BoundarySourceError(dataclasses.replace(exc.issue(), file=filename)) from exc


def _describe(data: bytes, filename: str) -> LayerInfo:
    try:
        with open_source(data, filename) as source:
            info = _info(source)
    except SourceError as exc:
        raise BoundarySourceError(dataclasses.replace(exc.issue(), file=filename)) from exc
    crs = info.get("crs")
    return LayerInfo([str(name) for name in info["fields"]], str(crs) if crs else None)


def list_fields(data: bytes, filename: str, *, time_limit: float | None = None) -> list[str]:
    """Attribute fields of a boundary file's layer, for the upload form to offer.

    Args:
        data: The uploaded bytes (GeoJSON, GeoPackage or zipped Shapefile).
        filename: The uploaded file's name; its extension tells the format.
        time_limit: Seconds after which the read is stopped (see :func:`describe`).

    Raises:
        BoundarySourceError: The file cannot be opened, or the read passed its time limit.
    """
    try:
        return limits.run_limited(time_limit, _list_fields, data, filename)
    except SourceError as exc:
        raise BoundarySourceError(dataclasses.replace(exc.issue(), file=filename)) from exc


def _list_fields(data: bytes, filename: str) -> list[str]:
    try:
        with open_source(data, filename) as source:
            return _fields(source)
    except SourceError as exc:
        raise BoundarySourceError(dataclasses.replace(exc.issue(), file=filename)) from exc


@dataclass(frozen=True)
class Selection:
    """Which features of a file to keep: a filter, and the city's outline when it keeps what is inside."""

    keep: AreaFilter
    outline: BaseGeometry | None = None


def read_boundaries(
    data: bytes,
    filename: str,
    *,
    code_field: str,
    name_field: str,
    crs: str | None = None,
    select: Selection | None = None,
    time_limit: float | None = None,
) -> Boundaries:
    """Read, check and reproject a district boundary file, keeping only the features selected.

    Never raises for a bad file: every problem is an Issue in the result. Features a filter leaves
    out are not checked (a national file's far-away problems are not ours) and are listed in
    ``dropped``; issues keep the feature numbers of the file.

    Args:
        data: The uploaded bytes (GeoJSON, GeoPackage or zipped Shapefile).
        filename: The uploaded file's name; its extension tells the format.
        code_field: Field holding each district's code (read as text).
        name_field: Field holding each district's name.
        crs: The CRS the uploader names, used when the file has none (``EPSG:3763``).
        select: Keep only the areas inside an outline (EPSG:4326) or matching an attribute.
        time_limit: Seconds after which the read is stopped and the file refused with a
            ``source-error`` issue (the read then runs in a child process, :mod:`observatory.geo.limits`);
            None reads here, without a limit.
    """
    try:
        return limits.run_limited(
            time_limit,
            _read_boundaries,
            data,
            filename,
            code_field=code_field,
            name_field=name_field,
            crs=crs,
            select=select,
        )
    except SourceError as exc:
        issue = dataclasses.replace(exc.issue(), file=filename)
        frame = gpd.GeoDataFrame({column: [] for column in COLUMNS}, geometry=GEOMETRY_COLUMN, crs=WGS84)
        return Boundaries(frame, "", [issue], _no_drops())


def _read_boundaries(
    data: bytes,
    filename: str,
    *,
    code_field: str,
    name_field: str,
    crs: str | None,
    select: Selection | None,
) -> Boundaries:
    fields = (code_field, name_field, *((select.keep.field,) if select and select.keep.field else ()))
    try:
        with open_source(data, filename) as source:
            raw, issues = _read_layer(source, fields)
    except SourceError as exc:
        raw, issues = None, [exc.issue()]
    choice = resolve_crs(raw.crs, crs) if raw is not None else CrsChoice(None, crs or "")
    issues += choice.issues
    dropped = _no_drops()
    if raw is None or choice.crs is None:
        frame = gpd.GeoDataFrame({column: [] for column in COLUMNS}, geometry=GEOMETRY_COLUMN, crs=WGS84)
    else:
        frame, dropped = _build(raw, choice, (code_field, name_field), issues, select)
    issues = [dataclasses.replace(issue, file=filename) for issue in issues]
    return Boundaries(frame, choice.label, issues, dropped)


def _info(source: Source) -> dict:
    """pyogrio's description of the source's layer (fields, crs …)."""
    try:
        return dict(pyogrio.read_info(source.path, layer=source.layer))
    except READ_ERRORS as exc:
        raise SourceError(f"The layer {source.layer} cannot be read ({exc}).") from exc


def _fields(source: Source) -> list[str]:
    """Attribute field names of the source's layer."""
    return [str(name) for name in _info(source)["fields"]]


def _read_layer(source: Source, wanted: tuple[str, ...]) -> tuple[gpd.GeoDataFrame | None, list[Issue]]:
    """The layer's wanted fields (code, name, a filter's field) and geometry, or None with issues."""
    issues = list(source.notes)
    fields = _fields(source)
    missing = [field for field in dict.fromkeys(wanted) if field not in fields]
    for field in missing:
        message = f'The file has no field "{field}". Its fields are: {", ".join(fields) or "none"}.'
        issues.append(Issue("missing-label", Severity.ERROR, message, column=field))
    if missing:
        return None, issues
    try:
        raw = pyogrio.read_dataframe(
            source.path,
            layer=source.layer,
            columns=list(dict.fromkeys(wanted)),
            force_2d=True,  # heights are not drawn and would only inflate the stored text
            on_invalid="ignore",  # unparseable geometries come back as None and are reported per feature
        )
    except READ_ERRORS as exc:
        raise SourceError(f"The layer {source.layer} cannot be read ({exc}).") from exc
    if not isinstance(raw, gpd.GeoDataFrame) or raw.empty:
        issues.append(Issue("source-error", Severity.ERROR, f"The layer {source.layer} holds no boundaries."))
        return None, issues
    return raw, issues


def _reproject(
    raw: gpd.GeoDataFrame, choice: CrsChoice, issues: list[Issue], wanted: np.ndarray
) -> gpd.GeoSeries:
    """The wanted features' geometries in EPSG:4326 (None for the others, which are not converted)."""
    out = gpd.GeoSeries([None] * len(raw), index=raw.index, crs=WGS84)
    try:
        out[wanted] = raw.geometry[wanted].set_crs(choice.crs, allow_override=True).to_crs(WGS84)
    except (CRSError, ProjError) as exc:
        message = f"The boundaries cannot be converted from {choice.label} to {WGS84} ({exc})."
        issues.append(Issue("crs-invalid", Severity.ERROR, message, value=choice.label))
    return out


def _near(raw: gpd.GeoDataFrame, choice: CrsChoice, outline: BaseGeometry) -> np.ndarray:
    """Features whose box meets the outline's box, compared in the file's CRS before any conversion.

    A national file is mostly far away: only the features near the city are converted and measured.
    A feature without a geometry, or a CRS the outline cannot be converted to, counts as near.
    """
    try:
        box = gpd.GeoSeries([outline], crs=WGS84).to_crs(choice.crs).total_bounds
    except (CRSError, ProjError, ValueError):
        return np.ones(len(raw), dtype=bool)
    pad_x, pad_y = 0.01 * (box[2] - box[0]), 0.01 * (box[3] - box[1])  # edges bow when projected
    bounds = shapely.bounds(np.asarray(raw.geometry, dtype=object))
    apart = (bounds[:, 2] < box[0] - pad_x) | (bounds[:, 0] > box[2] + pad_x)
    apart |= (bounds[:, 3] < box[1] - pad_y) | (bounds[:, 1] > box[3] + pad_y)
    return np.isnan(bounds[:, 0]) | ~apart


def _selected(
    raw: gpd.GeoDataFrame, choice: CrsChoice, select: Selection | None, issues: list[Issue]
) -> tuple[np.ndarray, np.ndarray, gpd.GeoSeries]:
    """Which features match the attribute filter, which of those lie inside the outline, and the
    geometries in EPSG:4326 of the features that were measured (None for those left out early)."""
    everything = np.ones(len(raw), dtype=bool)
    if select is None:
        return everything, everything, _reproject(raw, choice, issues, everything)
    keep = select.keep
    matched = matching(raw[keep.field], keep) if keep.field and keep.values else everything
    if not (keep.inside and select.outline is not None):
        return matched, everything, _reproject(raw, choice, issues, matched)
    near = matched & _near(raw, choice, select.outline)
    geometry = _reproject(raw, choice, issues, near)
    within = ~matched | near
    within[near] = inside(list(geometry[near]), select.outline)
    return matched, within, geometry


def _dropped(codes: list[str], names: pd.Series, matched: np.ndarray, within: np.ndarray) -> pd.DataFrame:
    out = ~(matched & within)
    reasons = np.where(~matched, NOT_MATCHING, OUTSIDE)
    texts = ["" if pd.isna(n) else str(n).strip() for n in names]
    return pd.DataFrame(
        {
            "code": [c for c, o in zip(codes, out, strict=True) if o],
            "name": [n for n, o in zip(texts, out, strict=True) if o],
            "reason": reasons[out],
        }
    )


def _build(
    raw: gpd.GeoDataFrame,
    choice: CrsChoice,
    fields: tuple[str, str],
    issues: list[Issue],
    select: Selection | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Select the features, apply every check to those kept and assemble the output frame.

    Appends to ``issues``; returns the frame and the features left out.
    """
    code_field, name_field = fields
    codes, code_issues = codes_as_text(raw[code_field], code_field)
    issues += code_issues
    matched, within, reprojected = _selected(raw, choice, select, issues)
    kept = np.flatnonzero(matched & within)
    dropped = _dropped(codes, raw[name_field], matched, within)
    if len(kept) == 0:
        message = (
            f"No area of the file is kept: {len(dropped)} left out by the filter (check it, and the CRS)."
        )
        issues.append(Issue("source-error", Severity.ERROR, message))
    rows = [int(i) + 1 for i in kept]
    kept_codes = [codes[i] for i in kept]
    issues += check_codes(kept_codes, code_field, rows)
    names, name_issues = names_as_text(raw[name_field].iloc[kept], kept_codes, name_field, rows)
    issues += name_issues
    checked, geometry_issues = check_geometries(list(reprojected.iloc[kept]), choice.label, rows)
    issues += geometry_issues
    geometry = gpd.GeoSeries(checked, crs=WGS84)
    frame = gpd.GeoDataFrame({"code": kept_codes, "name": names}, geometry=geometry)
    frame["area_km2"] = pd.Series(geometry.to_crs(EQUAL_AREA_CRS).area / 1e6, dtype="float64")
    return frame[COLUMNS], dropped
