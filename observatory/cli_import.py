"""``python -m observatory import KIND FILE``: the CSV contracts and the published formats.

``auto`` recognises the file from its header and says what it found before importing it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from observatory.domain import Actor, ImportKind, ObservatoryError, Role, SourceFormat, WideLayout
from observatory.ingest.report import ValidationReport
from observatory.services import formats, imports
from observatory.store import Store

CLI_ACTOR = Actor("cli", Role.ADMIN)
TABLE_KINDS = [k.value for k in ImportKind if k is not ImportKind.AREAS]
FORMATS = [f.value for f in SourceFormat]


class MappingArgumentError(ObservatoryError):
    """A --map argument is not CATEGORY=INDICATOR."""


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare the ``import`` command and its options."""
    imp = sub.add_parser("import", parents=list(parents), help="import a CSV file")
    imp.add_argument(
        "kind", choices=[*TABLE_KINDS, *FORMATS, "auto"], help="what the file holds (auto: recognise it)"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    imp.add_argument("--user", default=CLI_ACTOR.name, help="name recorded in the batch log")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CATEGORY=INDICATOR",
        help="map a category to an indicator (CATEGORY= : not followed); repeatable; remembered",
    )
    imp.add_argument("--all-communes", action="store_true", help="ssmsi: other communes are errors")
    imp.add_argument(
        "--create-missing-indicators",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="ssmsi: create an indicator for each class that has none (default: on)",
    )
    imp.add_argument(
        "--area-from",
        metavar="coordinates|COLUMN",
        help="incidents: place rows by their coordinates, or by the named column of area codes",
    )
    imp.add_argument("--category-column", metavar="COLUMN", help="incidents: the column holding the category")
    imp.add_argument(
        "--date-order", choices=["dmy", "mdy"], help="incidents: day or month first in dates like 03/05/2024"
    )
    imp.add_argument("--crs", help="incidents: coordinate system of x and y columns, e.g. EPSG:3763")
    imp.add_argument("--layout", choices=[w.value for w in WideLayout], help="wide: what runs across")
    imp.add_argument("--lsoa-as-area", action="store_true", help="police_uk: place crimes by LSOA code")


def _mapping(pairs: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for pair in pairs:
        category, sep, indicator = pair.partition("=")
        if not sep or not category.strip():
            raise MappingArgumentError(f"--map {pair!r} is not CATEGORY=INDICATOR")
        found[category.strip()] = indicator.strip() or None
    return found


def _options(source: SourceFormat, args: argparse.Namespace) -> dict[str, Any]:
    if source is SourceFormat.SSMSI:
        return {
            "mapping": _mapping(args.map),
            "keep_only_our_communes": not args.all_communes,
            "create_missing_indicators": args.create_missing_indicators,
        }
    if source is SourceFormat.POLICE_UK:
        return {"mapping": _mapping(args.map), "lsoa_as_area": args.lsoa_as_area}
    if source is SourceFormat.INCIDENTS:
        return {
            "mapping": _mapping(args.map),
            "crs": args.crs,
            "area_from": args.area_from,
            "category_column": args.category_column,
            "date_order": args.date_order,
        }
    return {"layout": WideLayout(args.layout) if args.layout else None}


_ENTRIES: dict[SourceFormat, Callable[..., ValidationReport]] = {
    SourceFormat.SSMSI: formats.import_ssmsi,
    SourceFormat.POLICE_UK: formats.import_police_uk,
    SourceFormat.INCIDENTS: formats.import_incidents,
    SourceFormat.WIDE: formats.import_wide,
}


def _recognised(data: bytes, name: str, out: TextIO) -> tuple[str, WideLayout | None] | None:
    found = formats.recognise_file(data, name)
    if found is None:
        out.write(f"{name}: cannot recognise the kind of file from its header\n")
        return None
    out.write(f"{name}: recognised as {found.name}\n")
    return (found.source.value if found.source else found.kind.value), found.layout


def run(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    """Import one file; 0 when it was accepted, 1 when rejected or not recognised."""
    data, name = args.file.read_bytes(), args.file.name
    kind_text, layout = args.kind, None
    if kind_text == "auto":
        found = _recognised(data, name, out)
        if found is None:
            return 1
        kind_text, layout = found
    actor = Actor(args.user, CLI_ACTOR.role)
    report: ValidationReport
    if kind_text in FORMATS:
        source = SourceFormat(kind_text)
        options = _options(source, args)
        if source is SourceFormat.WIDE and options["layout"] is None:
            options["layout"] = layout
        report = _ENTRIES[source](store, data, name, actor=actor, dry_run=args.dry_run, **options)
    else:
        report = imports.import_table(
            store, ImportKind(kind_text), data, name, actor=actor, dry_run=args.dry_run
        )
    out.write(report.to_text() + "\n")
    return 0 if report.ok else 1
