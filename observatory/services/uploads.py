"""What staff can upload, declared as data: one entry per kind of file, with its template and its import.

The upload page offers exactly the entries of :data:`KINDS`. A published format read by an adapter
(French SSMSI communal files, police.uk street-level files, incident lists, wide tables) is added with
one more :class:`UploadKind` whose ``run`` calls its services function; the page needs no change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from observatory import geo
from observatory.domain import Actor, ImportKind
from observatory.ingest.report import ValidationReport
from observatory.services import imports
from observatory.store import Store

#: Rows of each change (created, updated) a dry run lists for review.
PREVIEW_ROWS = 200
__all__ = [
    "BOUNDARIES",
    "KINDS",
    "PREVIEW_ROWS",
    "Upload",
    "UploadKind",
    "ValidationReport",
    "accepted_extensions",
    "recognise",
    "run",
]

BOUNDARY_EXTENSIONS = (".geojson", ".json", ".gpkg", ".zip")
TABLE_EXTENSIONS = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class Upload:
    """One upload and how to read it.

    Attributes:
        data: The file's bytes as uploaded.
        filename: Its name.
        actor: Who uploads (every run checks the role again).
        dry_run: Validate and classify only; write nothing but the batch-log line.
        preview_rows: Created and updated rows to list in the report's ``changes``.
        code_field: Boundary files: the field holding each area's code.
        name_field: Boundary files: the field holding each area's name.
        crs: Boundary files: the CRS to assume when the file declares none.
        city_code: Boundary files: the code of the city as a whole (the districts' parent).
        city_name: Boundary files: the name of the city as a whole.
    """

    data: bytes
    filename: str
    actor: Actor
    dry_run: bool = True
    preview_rows: int = PREVIEW_ROWS
    code_field: str = ""
    name_field: str = ""
    crs: str | None = None
    city_code: str = "000"
    city_name: str = "City"


Run = Callable[[Store, Upload], ValidationReport]


@dataclass(frozen=True)
class UploadKind:
    """One kind of file the upload page accepts.

    Attributes:
        name: Identifier (the batch log's kind for the built-in ones).
        label: Catalogue key of its name on the page.
        run: Validates (and unless a dry run, commits) an upload of this kind.
        template: A filled-in example file to start from.
        template_name: File name of the template download.
        extensions: File name endings the uploader accepts.
        boundary: A boundary file: the page asks for the code and name fields and draws a map.
    """

    name: str
    label: str
    run: Run
    template: Callable[[], bytes]
    template_name: str
    extensions: tuple[str, ...] = TABLE_EXTENSIONS
    boundary: bool = False


def _table(kind: ImportKind) -> UploadKind:
    """The entry of a CSV contract of ingest/specs.py."""

    def run(store: Store, upload: Upload) -> ValidationReport:
        return imports.import_table(
            store,
            kind,
            upload.data,
            upload.filename,
            actor=upload.actor,
            dry_run=upload.dry_run,
            preview_rows=upload.preview_rows,
        )

    return UploadKind(
        kind.value, f"upload.kind_{kind.value}", run, lambda: imports.template(kind), f"{kind.value}.csv"
    )


def _boundaries(store: Store, upload: Upload) -> ValidationReport:
    return imports.import_boundaries(
        store,
        upload.data,
        upload.filename,
        code_field=upload.code_field,
        name_field=upload.name_field,
        crs=upload.crs or None,
        actor=upload.actor,
        city_code=upload.city_code,
        city_name=upload.city_name,
        dry_run=upload.dry_run,
        preview_rows=upload.preview_rows,
    )


BOUNDARIES = UploadKind(
    "boundaries",
    "upload.kind_boundaries",
    _boundaries,
    geo.template,
    "boundaries.geojson",
    extensions=BOUNDARY_EXTENSIONS,
    boundary=True,
)

# In the order staff usually load a city: observations first as the everyday case, then the rest.
KINDS: dict[str, UploadKind] = {
    entry.name: entry
    for entry in (
        _table(ImportKind.OBSERVATIONS),
        _table(ImportKind.INDICATORS),
        _table(ImportKind.DENOMINATORS),
        BOUNDARIES,
        _table(ImportKind.OBJECTIVES),
        _table(ImportKind.ACTIONS),
        _table(ImportKind.PARTNERS),
        _table(ImportKind.AXES),
    )
}


def accepted_extensions() -> list[str]:
    """Every file ending some kind accepts, without the dot (for the file uploader)."""
    found = {ext.lstrip(".") for entry in KINDS.values() for ext in entry.extensions}
    return sorted(found)


def recognise(data: bytes, filename: str) -> UploadKind | None:
    """The kind of an upload: a boundary file by its format, a CSV file by its header.

    Returns:
        The matching entry, or None when no contract fits.
    """
    if PurePath(filename).suffix.lower() in BOUNDARY_EXTENSIONS:
        return BOUNDARIES
    found = imports.detect_kind(data, filename)
    return KINDS.get(found.value) if found is not None else None


def run(kind: UploadKind, store: Store, upload: Upload) -> ValidationReport:
    """Validate an upload of ``kind`` and, unless it is a dry run, commit it as one batch.

    Raises:
        PermissionDenied: If the actor may not import.
    """
    return kind.run(store, upload)
