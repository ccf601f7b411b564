"""What staff can upload, declared as data: one entry per kind of file, with its template and its import.

The upload page offers exactly the entries of :data:`KINDS`: the CSV contracts, boundary files and
the published formats read by an adapter (French SSMSI communal files, police.uk street-level files,
incident lists, wide tables). A published format's entry names its :class:`SourceFormat`, and the page
shows that format's options (services.formats.OPTIONS) for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from observatory import geo
from observatory.domain import DEFAULT_CITY_CODE, Actor, ImportKind, ImportRejected, SourceFormat
from observatory.ingest.read import release_memory
from observatory.ingest.report import ValidationReport
from observatory.services import format_examples, formats, imports
from observatory.store import Store

#: Rows of each change (created, updated) a dry run lists for review.
PREVIEW_ROWS = 200
__all__ = [
    "BOUNDARIES",
    "KINDS",
    "PREVIEW_ROWS",
    "Upload",
    "UploadKind",
    "UploadTooLarge",
    "ValidationReport",
    "accepted_extensions",
    "check_sizes",
    "combine",
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
        options: Published formats: keyword options of the format's import (``mapping``,
            ``layout``, ``keep_only_our_communes`` …); those the format does not take are ignored.
            Boundary files: ``keep``, the areas to keep (a ``boundary_areas.AreaFilter``).
    """

    data: bytes
    filename: str
    actor: Actor
    dry_run: bool = True
    preview_rows: int = PREVIEW_ROWS
    code_field: str = ""
    name_field: str = ""
    crs: str | None = None
    city_code: str = DEFAULT_CITY_CODE
    city_name: str = "City"
    options: Mapping[str, Any] = field(default_factory=dict)


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
        source: The published format an adapter reads (None for the CSV contracts and boundaries).
        multiple: Several files may be uploaded at once and are imported together (one batch).
    """

    name: str
    label: str
    run: Run
    template: Callable[[], bytes]
    template_name: str
    extensions: tuple[str, ...] = TABLE_EXTENSIONS
    boundary: bool = False
    source: SourceFormat | None = None
    multiple: bool = False


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
        keep=upload.options.get("keep"),
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


def _published(source: SourceFormat, *, multiple: bool = False) -> UploadKind:
    """The entry of a published format: its example file as template, its options from the upload."""

    def run(store: Store, upload: Upload) -> ValidationReport:
        return formats.import_as(
            source,
            store,
            upload.data,
            upload.filename,
            actor=upload.actor,
            dry_run=upload.dry_run,
            preview_rows=upload.preview_rows,
            **upload.options,
        )

    return UploadKind(
        source.value,
        f"upload.kind_{source.value}",
        run,
        lambda: format_examples.example(source),
        f"{source.value}-example.csv",
        source=source,
        multiple=multiple,
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
        _table(ImportKind.CONTRACTS),
        _table(ImportKind.PARTNERS),
        _table(ImportKind.AXES),
        _published(SourceFormat.SSMSI),
        # police.uk publishes one file per force and month: a year is twelve files, imported together.
        _published(SourceFormat.POLICE_UK, multiple=True),
        _published(SourceFormat.INCIDENTS),
        _published(SourceFormat.WIDE),
    )
}


def accepted_extensions() -> list[str]:
    """Every file ending some kind accepts, without the dot (for the file uploader)."""
    found = {ext.lstrip(".") for entry in KINDS.values() for ext in entry.extensions}
    return sorted(found)


def recognise(data: bytes, filename: str) -> UploadKind | None:
    """The kind of an upload: a boundary file by its format, a CSV file by its header.

    Published formats are recognised first (their headers are distinctive), then the CSV contracts.

    Returns:
        The matching entry, or None when nothing fits.
    """
    if PurePath(filename).suffix.lower() in BOUNDARY_EXTENSIONS:
        return BOUNDARIES
    found = formats.recognise_file(data, filename)
    if found is None:
        return None
    return KINDS.get(found.source.value if found.source is not None else found.kind.value)


class UploadTooLarge(ImportRejected):
    """An upload over its size budget, refused before it is read.

    Attributes:
        filename: The file (or the first of several) refused.
        size: Its size (or the files' total), in bytes.
        limit: The budget it exceeds, in bytes.
        count: How many files the upload holds (1 for a single file over the per-file budget).
    """

    def __init__(self, filename: str, size: int, limit: int, count: int = 1) -> None:
        self.filename, self.size, self.limit, self.count = filename, size, limit, count
        what = f"{filename} is" if count == 1 else f"the {count} files are together"
        super().__init__(f"{what} {size / 1e6:,.1f} MB, over the budget of {limit / 1e6:,.0f} MB")


def check_sizes(files: Sequence[tuple[str, int]], *, max_file_bytes: int, max_request_bytes: int) -> None:
    """Refuse an upload over its budgets before any of it is read: each file, then all of them together.

    Parsing needs several times a file's size in memory (a 190 MB CSV took the server from 457 MB to
    3.4 GB), so the budget is checked on the sizes the browser sent, not after reading.

    Args:
        files: (name, size in bytes) of each file of one upload.
        max_file_bytes: Largest single file.
        max_request_bytes: Largest total of the files of one upload.

    Raises:
        UploadTooLarge: Naming the first file over the per-file budget, or the total.
    """
    for name, size in files:
        if size > max_file_bytes:
            raise UploadTooLarge(name, size, max_file_bytes)
    total = sum(size for _, size in files)
    if total > max_request_bytes:
        raise UploadTooLarge(files[0][0], total, max_request_bytes, count=len(files))


def combine(files: Sequence[tuple[str, bytes]]) -> tuple[str, bytes]:
    """Several files with one header as one file: the header once, then every file's rows in order.

    For police.uk, whose downloads come one file per month: imported together they make one batch
    (one rollback), and every district gets a count for every month of the whole set.

    Returns:
        The joined name (``a.csv + b.csv``) and bytes; a single file is returned as it is.

    Raises:
        ImportRejected: If no file is given, or the files' headers differ.
    """
    if not files:
        raise ImportRejected("no file to import")
    if len(files) == 1:
        return files[0]
    header: bytes | None = None
    parts: list[bytes] = []
    for name, data in files:
        first, _, rest = data.removeprefix(b"\xef\xbb\xbf").partition(b"\n")
        if header is not None and first.rstrip(b"\r") != header.rstrip(b"\r"):
            raise ImportRejected(f"{name} does not have the same header as {files[0][0]}")
        if header is None:
            header = first
            parts.append(first + b"\n")
        parts.append(rest if not rest or rest.endswith(b"\n") else rest + b"\n")
    return " + ".join(name for name, _ in files), b"".join(parts)


def run(kind: UploadKind, store: Store, upload: Upload) -> ValidationReport:
    """Validate an upload of ``kind`` and, unless it is a dry run, commit it as one batch.

    The memory the parse freed is given back to the system afterwards, so a large upload does not
    leave the server holding it.

    Raises:
        PermissionDenied: If the actor may not import.
    """
    try:
        return kind.run(store, upload)
    finally:
        release_memory()
