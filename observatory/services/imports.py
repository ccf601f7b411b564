"""Import use cases: file → ingest (or geo) → validation report → one store transaction.

A dry run and a commit go through the same code up to the store's classification of each row, so
they give the same report; only the commit writes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime

import pandas as pd

from observatory import auth, geo
from observatory.config import load_settings
from observatory.domain import (
    DEFAULT_CITY_CODE,
    Actor,
    BatchState,
    ImportKind,
    IndicatorKind,
    Issue,
    Severity,
    Unit,
)
from observatory.ingest import IndicatorRef, Reference, detect_kind, parse, template
from observatory.ingest.report import ValidationReport
from observatory.services import boundary_areas, derived, groups
from observatory.store import Store, queries, writes
from observatory.store import groups as stored_groups
from observatory.store.writes import RollbackRefused

# Which store tables each kind of file fills; the first is the one whose counts are reported.
__all__ = [
    "KIND_TABLES",
    "RollbackRefused",
    "boundary_shapes",
    "build_reference",
    "describe_boundaries",
    "detect_kind",
    "finish",
    "import_boundaries",
    "import_table",
    "rollback",
    "template",
]

KIND_TABLES: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.OBSERVATIONS: ("observations",),
    ImportKind.INDICATORS: ("indicators",),
    ImportKind.DENOMINATORS: ("denominators",),
    ImportKind.AXES: ("axes",),
    ImportKind.PARTNERS: ("partners",),
    ImportKind.OBJECTIVES: ("objectives",),
    ImportKind.ACTIONS: ("actions", "action_partners"),
    ImportKind.CONTRACTS: ("contracts", "contract_partners", "contract_cohorts"),
    ImportKind.AREAS: ("areas",),
}


# Whole geometries as GeoJSON text: unreadable in a table, and the upload page draws them on a map.
_GEOMETRY_PREVIEW_COLUMNS = [
    f"{prefix}{column}" for column in ("geometry", "display_geometry") for prefix in ("", "stored_")
]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def build_reference(store: Store) -> Reference:
    """What the store knows, for checking a file's codes."""
    found = queries.reference_codes(store)
    indicators = {
        str(row.code): IndicatorRef(unit=Unit(row.unit), kind=IndicatorKind(row.kind))
        for row in found["indicators"].itertuples()
    }
    return Reference(
        area_codes=frozenset(found["areas"]["code"].astype(str)),
        indicators=indicators,
        axis_codes=frozenset(found["axes"]["code"].astype(str)),
        partner_codes=frozenset(found["partners"]["code"].astype(str)),
        objective_codes=frozenset(found["objectives"]["code"].astype(str)),
        group_codes=frozenset(stored_groups.groups(store)["code"].astype(str)),
    )


def _rejected_rows(report: ValidationReport) -> int:
    """Rows refused: every row when the file as a whole is refused, else those with an error."""
    if report.file_errors:
        return report.rows_read
    return report.error_rows


def finish(
    store: Store,
    report: ValidationReport,
    tables: dict[str, pd.DataFrame] | None,
    *,
    actor: Actor,
    started: datetime,
    dry_run: bool,
    preview_rows: int = 0,
    scopes: dict[str, tuple[str, ...]] | None = None,
) -> ValidationReport:
    """Log the attempt; classify and (unless dry run) write the tables; fill the report's counts.

    Shared by every import path (CSV contracts, boundaries, published formats): the report decides
    whether anything is written, and ``tables`` are merged in one batch, all or nothing. The figures
    of derived indicators that the batch's observations change are recomputed into the same batch
    (:mod:`observatory.services.derived`).

    ``scopes`` names, per child table, parents whose rows the file replaces whole even where it gives
    that table no row (a contract whose parties were all taken out).

    Raises:
        PermissionDenied: If the actor may not import (checked here too: this function writes).
    """
    auth.require(actor, "import")
    report.dry_run = dry_run
    # The derived figures are read from the store and written with the batch: no commit in between.
    with store.writes_held():
        if tables is not None and report.ok:
            tables, issues = derived.with_derived(store, tables)
            report.issues.extend(issues)
        return _write(
            store,
            report,
            tables,
            actor=actor,
            started=started,
            dry_run=dry_run,
            preview_rows=preview_rows,
            scopes=scopes or {},
        )


def _write(
    store: Store,
    report: ValidationReport,
    tables: dict[str, pd.DataFrame] | None,
    *,
    actor: Actor,
    started: datetime,
    dry_run: bool,
    preview_rows: int,
    scopes: dict[str, tuple[str, ...]],
) -> ValidationReport:
    """Log an invalid attempt, or classify and (unless dry run) write the batch; fill the counts."""
    record = writes.BatchRecord(
        kind=str(report.kind),
        filename=report.filename,
        sha256=report.sha256,
        rows_read=report.rows_read,
        rejected=0,
        user_name=actor.name,
        started_at=started,
        tables=tables or {},
        main_table=KIND_TABLES[report.kind][0],
        scopes=scopes,
    )
    if tables is None or not report.ok:
        report.rejected = _rejected_rows(report)
        record = _with_report(record, report)
        state = BatchState.DRY_RUN if dry_run else BatchState.FAILED
        report.batch_id = writes.record_attempt(store, _with_rejected(record, report.rejected), state)
        return report
    batch_id, counts = writes.apply_batch(
        store, _with_report(record, report), dry_run=dry_run, preview_rows=preview_rows
    )
    report.created, report.updated, report.unchanged = counts.created, counts.updated, counts.unchanged
    report.changes = counts.changes
    report.batch_id = batch_id
    return report


def _with_report(record: writes.BatchRecord, report: ValidationReport) -> writes.BatchRecord:
    return dataclasses.replace(record, report=json.dumps(report.to_dict(), default=str))


def _with_rejected(record: writes.BatchRecord, rejected: int) -> writes.BatchRecord:
    return dataclasses.replace(record, rejected=rejected)


def import_table(
    store: Store,
    kind: ImportKind,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
) -> ValidationReport:
    """Validate a CSV file of one kind and, unless ``dry_run`` or invalid, commit it as one batch.

    With ``preview_rows`` the report's ``changes`` lists up to that many created and updated rows,
    each new value beside the stored one (the store's own classification, read before writing).

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    started = _now()
    parsed = parse(kind, data, filename, build_reference(store))
    tables, scopes = None, {}
    if parsed.frame is not None and parsed.report.ok:
        names = KIND_TABLES[kind]
        tables = {names[0]: parsed.frame, **{n: parsed.extra[n] for n in names[1:] if n in parsed.extra}}
        if kind is ImportKind.CONTRACTS:  # each contract's parties and cohorts are the file's, whole
            codes = tuple(parsed.frame["code"].astype(str))
            scopes = {"contract_partners": codes, "contract_cohorts": codes}
    return finish(
        store,
        parsed.report,
        tables,
        actor=actor,
        started=started,
        dry_run=dry_run,
        preview_rows=preview_rows,
        scopes=scopes,
    )


def _city_code_taken(city_code: str, code_field: str, filename: str) -> Issue:
    message = f"area code {city_code} is the city's own code"
    return Issue("primary-key", Severity.ERROR, message, column=code_field, value=city_code, file=filename)


def import_boundaries(
    store: Store,
    data: bytes,
    filename: str,
    *,
    code_field: str,
    name_field: str,
    actor: Actor,
    crs: str | None = None,
    level: int = 1,
    city_code: str = DEFAULT_CITY_CODE,
    city_name: str = "City",
    dry_run: bool = False,
    preview_rows: int = 0,
    keep: geo.AreaFilter | None = None,
) -> ValidationReport:
    """Read a boundary file (GeoJSON, GeoPackage, zipped Shapefile) and import its areas as one batch.

    Districts (level 1) also (re)define the city as a whole (level 0) as their union. A preview
    (``preview_rows``) leaves the geometry texts out: a map shows them better. With ``keep``, only
    the areas inside the stored city outline, or matching an attribute, are read and imported; the
    report counts the others as ignored and names some (:mod:`observatory.services.boundary_areas`).

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    started = _now()
    select, select_issues = boundary_areas.selection(store, keep)
    bounds = geo.read_boundaries(
        data,
        filename,
        code_field=code_field,
        name_field=name_field,
        crs=crs,
        select=select,
        time_limit=geometry_seconds(),
    )
    report = ValidationReport(
        kind=ImportKind.AREAS,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        rows_read=len(bounds.frame) + len(bounds.dropped),
        issues=[*select_issues, *bounds.issues],
    )
    report.encoding = None
    boundary_areas.note_dropped(report, bounds.dropped)
    if bounds.ok and city_code in set(bounds.frame["code"].astype(str)):
        report.issues.append(_city_code_taken(city_code, code_field, filename))
    tables = None
    if report.ok:
        tables = {
            "areas": boundary_areas.area_rows(bounds, level=level, city_code=city_code, city_name=city_name)
        }
    report = finish(
        store, report, tables, actor=actor, started=started, dry_run=dry_run, preview_rows=preview_rows
    )
    if report.changes is not None:
        report.changes = report.changes.drop(columns=_GEOMETRY_PREVIEW_COLUMNS)
    return report


def rollback(store: Store, batch_id: int, *, actor: Actor) -> int:
    """Undo a committed batch exactly; returns the id of the rollback's own batch record.

    Raises:
        PermissionDenied: If the actor may not roll back.
        NotFound / RollbackRefused: See :func:`observatory.store.writes.rollback_batch`.
        GroupInUse: (a RollbackRefused) If the undo would remove a grouping an action, an objective or
            a contract names (:func:`groups.rollback_guard`); nothing is changed.
    """
    auth.require(actor, "rollback")
    return writes.rollback_batch(store, batch_id, user_name=actor.name, guards=(groups.rollback_guard,))


def geometry_seconds() -> float:
    """Time limit of a boundary file's read (setting ``geometry_read_seconds``): past it, it is refused."""
    return float(load_settings().geometry_read_seconds)


def describe_boundaries(data: bytes, filename: str) -> geo.LayerInfo:
    """A boundary file's attribute fields and declared CRS, for choosing the code and name fields.

    Raises:
        BoundarySourceError: The file cannot be opened; its ``issue`` says why.
    """
    return geo.describe(data, filename, time_limit=geometry_seconds())


def boundary_shapes(
    data: bytes,
    filename: str,
    *,
    code_field: str,
    name_field: str,
    crs: str | None = None,
    store: Store | None = None,
    keep: geo.AreaFilter | None = None,
) -> dict:
    """The boundaries of a file as a GeoJSON FeatureCollection for a map (display geometries).

    Features whose geometry could not be read are left out, and so are those a filter (``keep``,
    with the ``store`` holding the city's outline) leaves out; an unreadable file gives no features.
    """
    select = boundary_areas.selection(store, keep)[0] if store is not None else None
    bounds = geo.read_boundaries(
        data,
        filename,
        code_field=code_field,
        name_field=name_field,
        crs=crs,
        select=select,
        time_limit=geometry_seconds(),
    )
    drawable = bounds.frame[bounds.frame.geometry.notna()]
    return geo.to_geojson(geo.display_geometries(drawable))
