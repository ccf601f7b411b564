"""Turn uploaded bytes into a readable file in a temporary directory that is always deleted."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath

import pyogrio
import pyogrio.errors

from observatory.domain import Issue, Severity
from observatory.geo.archive import extract_zip
from observatory.geo.errors import SourceError

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".zip": "zipped Shapefile"}
# GDAL raises these for unreadable data; OSError/ValueError cover the file system and odd encodings.
READ_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError)


@dataclass(frozen=True)
class Source:
    """An uploaded boundary file, ready for pyogrio.

    Attributes:
        path: The file (or the ``.shp`` of a Shapefile) inside the temporary directory.
        layer: The layer to read.
        notes: Warnings about what was chosen (first of several layers or Shapefiles).
    """

    path: Path
    layer: str
    notes: tuple[Issue, ...]


@contextmanager
def open_source(data: bytes, filename: str) -> Iterator[Source]:
    """Write an upload to a fresh temporary directory and yield it as a :class:`Source`.

    The directory and everything in it are removed when the block ends, whatever happens.

    Raises:
        SourceError: Unknown format, unsafe or unreadable archive, or no layer GDAL can read.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        accepted = ", ".join(sorted(FORMATS))
        raise SourceError(f'"{filename}" is not a boundary file this app reads (accepted: {accepted}).')
    with tempfile.TemporaryDirectory(prefix="observatory-geo-") as tmp:
        root = Path(tmp)
        notes: list[Issue] = []
        if suffix == ".zip":
            path = _shapefile_in_zip(data, root, notes)
        else:
            path = root / f"upload{suffix}"
            path.write_bytes(data)
        layer = _first_layer(path, filename, notes)
        if suffix == ".gpkg":
            _refuse_views(path, filename)
        yield Source(path, layer, tuple(notes))


def _refuse_views(path: Path, filename: str) -> None:
    """Refuse a GeoPackage with a view among its layers: a view is a query that runs when it is read.

    A recursive view never ends (GDAL kept a thread at 90 % of a core until restart), and district
    boundaries are stored data, never a query. The file's own schema is read with SQLite, which
    runs none of its views (nor does listing the layers); what SQLite cannot open is left for GDAL to
    refuse in its own words. Views that are not layers (helpers some tools add) are left alone.
    """
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            views = [str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
            layers = {str(name) for name, _type in pyogrio.list_layers(path)}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return
    views = [view for view in views if view in layers]
    if views:
        shown = ", ".join(views[:5])
        raise SourceError(
            f'"{filename}" holds views ({shown}): queries run when the file is read, which this app does '
            "not do. Export the districts as a plain layer (a table) and upload that."
        )


def _shapefile_in_zip(data: bytes, root: Path, notes: list[Issue]) -> Path:
    """Extract the archive and pick its Shapefile (the first, with a warning if there are more)."""
    unpacked = root / "unpacked"
    unpacked.mkdir()
    files = extract_zip(data, unpacked)
    shapefiles = [path for path in files if path.suffix.lower() == ".shp"]
    if not shapefiles:
        raise SourceError("The zip file holds no Shapefile (.shp with its .shx and .dbf).")
    if len(shapefiles) > 1:
        names = ", ".join(path.name for path in shapefiles)
        notes.append(
            Issue(
                "multiple-layers",
                Severity.WARNING,
                f"The zip holds several Shapefiles ({names}); {shapefiles[0].name} was read.",
                value=shapefiles[0].name,
            )
        )
    return shapefiles[0]


def _first_layer(path: Path, filename: str, notes: list[Issue]) -> str:
    """Name of the first layer; a warning lists the others when there are several."""
    try:
        layers = [str(name) for name, _geometry_type in pyogrio.list_layers(path)]
    except READ_ERRORS as exc:
        raise SourceError(
            f'"{filename}" cannot be read as {FORMATS[PurePath(filename).suffix.lower()]} ({exc}).'
        ) from exc
    if not layers:
        raise SourceError(f'"{filename}" holds no layer.')
    if len(layers) > 1:
        notes.append(
            Issue(
                "multiple-layers",
                Severity.WARNING,
                f"The file holds several layers ({', '.join(layers)}); the first, {layers[0]}, was read.",
                value=layers[0],
            )
        )
    return layers[0]
