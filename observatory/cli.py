"""Command line for staff and scripts: ``python -m observatory COMMAND``.

Exit status: 0 success, 1 the file was rejected (the report says why), 2 usage or runtime error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from observatory import cli_breaks, cli_catalogue, cli_import, cli_open, cli_publish, cli_report, cli_users
from observatory.config import load_settings
from observatory.domain import Actor, ObservatoryError, Role
from observatory.services import boundary_areas, demo, imports
from observatory.store import DatabaseInUse, Store, integrity, queries

CLI_ACTOR = Actor("cli", Role.ADMIN)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $OBSERVATORY_DB or the settings)")
    parser = argparse.ArgumentParser(prog="python -m observatory", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", parents=[common], help="create or upgrade the database")
    sub.add_parser("demo", parents=[common], help="load the demo city through the import path")
    cli_import.add_parser(sub, parents=[common])
    bnd = sub.add_parser("boundaries", parents=[common], help="import a boundary file")
    bnd.add_argument("file", type=Path)
    bnd.add_argument("--code-field", required=True)
    bnd.add_argument("--name-field", required=True)
    bnd.add_argument("--crs", help="CRS of a file that has none, e.g. EPSG:3763")
    bnd.add_argument("--level", type=int, default=1, help="1 districts (default), 2 neighbourhoods")
    bnd.add_argument("--dry-run", action="store_true")
    bnd.add_argument("--user", default=CLI_ACTOR.name)
    bnd.add_argument(
        "--inside-city", action="store_true", help="keep only areas at least half inside the stored city"
    )
    bnd.add_argument(
        "--keep-field", default="", help="keep only areas whose FIELD holds one of --keep-values"
    )
    bnd.add_argument("--keep-values", default="", help="values of --keep-field, separated by commas")
    bnd.add_argument("--prefix", action="store_true", help="--keep-values are prefixes (69 keeps 69123)")
    bat = sub.add_parser("batches", parents=[common], help="list the import history")
    bat.add_argument("--limit", type=int, default=50)
    rol = sub.add_parser("rollback", parents=[common], help="undo a committed batch")
    rol.add_argument("batch", type=int)
    rol.add_argument("--user", default=CLI_ACTOR.name)
    cli_users.add_parser(sub, parents=[common])
    cli_breaks.add_parser(sub, parents=[common])
    cli_catalogue.add_parser(sub, parents=[common])
    cli_publish.add_parser(sub, parents=[common])
    cli_report.add_parser(sub, parents=[common])
    return parser


def _cmd_boundaries(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings({"db_path": args.db})
    report = imports.import_boundaries(
        store,
        args.file.read_bytes(),
        args.file.name,
        code_field=args.code_field,
        name_field=args.name_field,
        crs=args.crs,
        level=args.level,
        actor=Actor(args.user, CLI_ACTOR.role),
        city_code=settings.city_code,
        city_name=settings.city_name,
        dry_run=args.dry_run,
        keep=boundary_areas.AreaFilter(
            inside=args.inside_city,
            field=args.keep_field,
            values=boundary_areas.parse_values(args.keep_values),
            prefix=args.prefix,
        ),
    )
    out.write(report.to_text() + "\n")
    return 0 if report.ok else 1


def _cmd_demo(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings({"db_path": args.db})
    for report in demo.load_demo(store, settings.demo_dir):
        out.write(
            f"{report.filename}: read {report.rows_read}, created {report.created}, "
            f"updated {report.updated}, unchanged {report.unchanged}\n"
        )
    return 0


def _cmd_batches(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    frame = queries.batches(store, limit=args.limit)
    out.write(frame.drop(columns=["sha256"]).to_string(index=False) + "\n" if len(frame) else "no batches\n")
    return 0


def _cmd_rollback(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    new_id = imports.rollback(store, args.batch, actor=Actor(args.user, CLI_ACTOR.role))
    out.write(f"batch {args.batch} rolled back (recorded as batch {new_id})\n")
    return 0


def _cmd_init(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    integrity.read_through(store)  # every block read once: its checksum is verified
    out.write(f"database ready: {store.path}\n")
    return 0


COMMANDS = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "import": cli_import.run,
    "breaks": cli_breaks.run,
    "catalogue": cli_catalogue.run,
    "boundaries": _cmd_boundaries,
    "batches": _cmd_batches,
    "rollback": _cmd_rollback,
    "users": lambda store, args, out: cli_users.run(store, args, out),
    "publish": cli_publish.run,
    "report": cli_report.run,
}


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run one command; returns the exit status."""
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "publish" and args.check:
        # Reads only the release files: works while the app holds the staff database, and on a
        # public replica that has none.
        return cli_publish.check(args, out)
    try:
        store = cli_open.open_for(args)
    except DatabaseInUse as exc:
        out.write(cli_open.in_use_message(args, exc))
        return 2
    except (ObservatoryError, OSError) as exc:
        out.write(f"error: {exc}\n")
        return 2
    try:
        return int(COMMANDS[args.command](store, args, out) or 0)
    except (ObservatoryError, OSError) as exc:
        out.write(f"error: {exc}\n")
        return 2 if not isinstance(exc, demo.DemoLoadError) else 1
    finally:
        store.close()
