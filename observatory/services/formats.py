"""Imports of published formats: SSMSI, police.uk, incident lists and wide tables.

Each entry point reads the file (ingest.formats), places incidents in the districts when needed
(geo), and hands the resulting observations, any indicators to create and the category mappings to
remember to the same batch machinery as every other import (services.imports.finish): one
transaction, all or nothing, a dry run reporting exactly what the commit would, an exact rollback.
Every entry point re-checks the actor's right to import, and takes the same first arguments: the
store, the file's bytes and name, the ``actor``, ``dry_run`` (report what would happen, write
nothing) and ``preview_rows`` (created and updated rows to list in the report's ``changes``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from observatory import auth
from observatory.domain import Actor, Issue, Severity, SourceFormat, WideLayout
from observatory.ingest.dates import DateOrder
from observatory.ingest.formats.common import FormatParsed
from observatory.ingest.formats.detect import Recognised, recognise
from observatory.ingest.formats.incidents import Incidents, aggregate, read_incidents
from observatory.ingest.formats.ssmsi import parse_ssmsi
from observatory.ingest.formats.wide import parse_wide
from observatory.ingest.report import ValidationReport
from observatory.services import incident_places
from observatory.services.imports import build_reference, finish, import_table
from observatory.services.mappings import (
    anti_social_issues,
    file_categories,
    remembered_mapping,
    suggested_mapping,
)
from observatory.store import Store

__all__ = [
    "OPTIONS",
    "Recognised",
    "file_categories",
    "import_as",
    "import_file",
    "import_incidents",
    "import_police_uk",
    "import_ssmsi",
    "import_wide",
    "recognise_file",
    "remembered_mapping",
    "suggested_mapping",
]

#: Category → indicator code; None (or "") means the category is not followed.
Mapping_ = Mapping[str, str | None]


def recognise_file(data: bytes, filename: str = "") -> Recognised | None:
    """What a file is, from its header: ``.source`` (None for the CSV contracts), ``.name`` to show.

    Returns:
        The recognised kind / format, or None when the header fits nothing.
    """
    return recognise(data, filename)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _mapping(store: Store, source: SourceFormat, given: Mapping_ | None) -> dict[str, str | None]:
    """Remembered mapping, overridden by the one given with this import."""
    return {**remembered_mapping(store, source), **(given or {})}


def _store(
    store: Store, parsed: FormatParsed, *, actor: Actor, started: datetime, dry_run: bool, preview_rows: int
) -> ValidationReport:
    tables = parsed.tables()
    return finish(
        store, parsed.report, tables, actor=actor, started=started, dry_run=dry_run, preview_rows=preview_rows
    )


def import_ssmsi(
    store: Store,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    keep_only_our_communes: bool = True,
    create_missing_indicators: bool = True,
    mapping: Mapping_ | None = None,
) -> ValidationReport:
    """Import an SSMSI communal file (France) as yearly counts per commune.

    Args:
        keep_only_our_communes: Ignore (and count) the rows of communes that are not our areas; when
            False they are errors.
        create_missing_indicators: Create an indicator for each class that has none (the default:
            a first import stores the file); False ignores those classes' rows and counts them.
        mapping: SSMSI class → indicator code (None: not followed); merged over the remembered one
            and remembered in turn.

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    started = _now()
    parsed = parse_ssmsi(
        data,
        filename,
        build_reference(store),
        mapping=_mapping(store, SourceFormat.SSMSI, mapping),
        keep_only_our_communes=keep_only_our_communes,
        create_missing_indicators=create_missing_indicators,
    )
    return _store(store, parsed, actor=actor, started=started, dry_run=dry_run, preview_rows=preview_rows)


def _import_incidents(
    store: Store,
    incidents: Incidents,
    *,
    actor: Actor,
    dry_run: bool,
    preview_rows: int,
    mapping: Mapping_ | None,
) -> ValidationReport:
    started = _now()
    source = incidents.source
    try:
        located, districts = incident_places.located(store, incidents)
    except ValueError as exc:  # a coordinate system pyproj does not know: nothing can be placed
        incidents.issues.append(Issue("crs-invalid", Severity.ERROR, str(exc), row=0, column="crs"))
        incidents.sheet = None
        located, districts = None, []
    merged = _mapping(store, source, mapping)
    parsed = aggregate(
        incidents, located=located, areas=districts, mapping=merged, reference=build_reference(store)
    )
    if source is SourceFormat.POLICE_UK and incidents.sheet is not None:
        parsed.report.issues += anti_social_issues(store, incidents.sheet.text["category"], merged)
    return _store(store, parsed, actor=actor, started=started, dry_run=dry_run, preview_rows=preview_rows)


def import_police_uk(
    store: Store,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    mapping: Mapping_ | None = None,
    lsoa_as_area: bool = False,
) -> ValidationReport:
    """Import a police.uk street-level crime file as monthly counts per district.

    Each crime is placed in the district holding its (anonymised) map point; crime types go to
    indicators through ``mapping`` (merged over the remembered one and remembered in turn), or to the
    indicator whose code is the type's slug (``Burglary`` → ``burglary``). Crimes without a location,
    outside the districts or of a type not followed are ignored and counted by reason.

    Args:
        mapping: Crime type → indicator code (None: not followed).
        lsoa_as_area: Place crimes by LSOA code instead (for an observatory whose areas are LSOAs).

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    incidents = read_incidents(data, filename, SourceFormat.POLICE_UK, lsoa_as_area=lsoa_as_area)
    return _import_incidents(
        store, incidents, actor=actor, dry_run=dry_run, preview_rows=preview_rows, mapping=mapping
    )


def import_incidents(
    store: Store,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    mapping: Mapping_ | None = None,
    crs: str | None = None,
    area_from: str | None = None,
    category_column: str | None = None,
    date_order: DateOrder | str | None = None,
) -> ValidationReport:
    """Import a local incident list (date, category, and an area code or coordinates) as monthly counts.

    Args:
        mapping: Incident category → indicator code (None: not followed); merged over the remembered
            mapping and remembered in turn.
        crs: The coordinate system of ``x``/``y`` columns (EPSG:3763 …) when the file has no ``crs``
            column; longitude/latitude need none.
        area_from: ``coordinates``, or the header of the column that holds our area codes. None:
            the file's only way of placing rows; a file with several (coordinates and a ``District``
            column …) is refused with what each would place, until one is chosen.
        category_column: The header of the column holding each incident's category (Chicago's
            ``Primary Type``); None: a column named category, type, nature …
        date_order: ``dmy`` or ``mdy`` for slashed dates the column does not decide (every day ≤ 12).

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    incidents = read_incidents(
        data,
        filename,
        SourceFormat.INCIDENTS,
        crs=crs,
        area_from=area_from or None,
        category_column=category_column or None,
        date_order=DateOrder(date_order) if date_order else None,
    )
    return _import_incidents(
        store, incidents, actor=actor, dry_run=dry_run, preview_rows=preview_rows, mapping=mapping
    )


def import_wide(
    store: Store,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    layout: WideLayout | None = None,
) -> ValidationReport:
    """Import a wide table (periods across, or indicators across) as observations.

    Args:
        layout: What runs across the columns; recognised from the header when None.

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    started = _now()
    parsed = parse_wide(data, filename, build_reference(store), layout=layout)
    return _store(store, parsed, actor=actor, started=started, dry_run=dry_run, preview_rows=preview_rows)


def import_file(
    store: Store, data: bytes, filename: str, *, actor: Actor, dry_run: bool = False, **options: Any
) -> tuple[Recognised | None, ValidationReport | None]:
    """Recognise a file and import it with the matching entry point.

    Args:
        **options: Keyword options of the matching entry point (``mapping``, ``layout``,
            ``keep_only_our_communes`` …); options that do not apply to the format are ignored.

    Returns:
        What the file was recognised as and its report; (None, None) when it was not recognised.

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    found = recognise(data, filename)
    if found is None:
        return None, None
    if found.source is None:
        return found, import_table(store, found.kind, data, filename, actor=actor, dry_run=dry_run)
    if found.source is SourceFormat.WIDE:
        options.setdefault("layout", found.layout)
    return found, import_as(found.source, store, data, filename, actor=actor, dry_run=dry_run, **options)


def import_as(
    source: SourceFormat,
    store: Store,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    **options: Any,
) -> ValidationReport:
    """Import a file as the published format ``source`` (chosen by the uploader or recognised).

    Options that the format's entry point does not take are ignored (see :data:`OPTIONS`).

    Raises:
        PermissionDenied: If the actor may not import.
    """
    auth.require(actor, "import")
    accepted = {k: v for k, v in options.items() if k in OPTIONS[source]}
    entry = _ENTRIES[source]
    return entry(store, data, filename, actor=actor, dry_run=dry_run, preview_rows=preview_rows, **accepted)


_ENTRIES: dict[SourceFormat, Callable[..., ValidationReport]] = {
    SourceFormat.SSMSI: import_ssmsi,
    SourceFormat.POLICE_UK: import_police_uk,
    SourceFormat.INCIDENTS: import_incidents,
    SourceFormat.WIDE: import_wide,
}
#: Keyword options each format's entry point takes (for the upload form, and for import_file's filter).
OPTIONS: dict[SourceFormat, frozenset[str]] = {
    SourceFormat.SSMSI: frozenset({"mapping", "keep_only_our_communes", "create_missing_indicators"}),
    SourceFormat.POLICE_UK: frozenset({"mapping", "lsoa_as_area"}),
    SourceFormat.INCIDENTS: frozenset({"mapping", "crs", "area_from", "category_column", "date_order"}),
    SourceFormat.WIDE: frozenset({"layout"}),
}
