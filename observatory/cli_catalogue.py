"""``python -m observatory catalogue add police_uk|ssmsi``: create a starter catalogue in one batch.

The indicators of every police.uk crime type (with an all-crime total that leaves anti-social
behaviour out) or every SSMSI class, written as one indicators batch: history, audit line,
rollback. Indicators already in the catalogue are left as they are.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, TextIO

from observatory.domain import Actor, Role
from observatory.services import starters
from observatory.services.starter_data import LOCALES
from observatory.store import Store

CLI_ACTOR = Actor("cli", Role.ADMIN)


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``catalogue`` and its sub-commands."""
    top = sub.add_parser("catalogue", parents=list(parents), help="add a starter indicator catalogue")
    group = top.add_subparsers(dest="catalogue_command", required=True)
    add = group.add_parser("add", parents=list(parents), help="create a starter's indicators")
    add.add_argument("starter", choices=sorted(starters.CATALOGUES), help="which starter catalogue")
    add.add_argument("--locale", choices=LOCALES, default="en", help="language of the names written")
    add.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    add.add_argument("--user", default=CLI_ACTOR.name, help="name recorded in the batch log")


def _summary(result: starters.StarterResult, dry_run: bool) -> list[str]:
    verb = "would be created" if dry_run else "created"
    lines = [
        f"{result.catalogue}: {len(result.created)} indicator(s) {verb}, {len(result.unchanged)} unchanged"
    ]
    if result.created:
        lines.append(f"  {verb}: {', '.join(result.created)}")
    if result.unchanged:
        lines.append(f"  unchanged (already in the catalogue): {', '.join(result.unchanged)}")
    for code, parts in result.derived.items():
        lines.append(f"  derived: {code} = sum of {len(parts)} ({', '.join(parts)})")
    for code in result.not_derived:
        lines.append(f"  {code} is an ordinary indicator already: left as it is, not made a sum")
    if result.report.batch_id is not None:
        lines.append(f"  batch {result.report.batch_id}")
    return lines


def run(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    """Run one ``catalogue`` sub-command; 0 when accepted, 1 when the batch was refused."""
    actor = Actor(args.user, CLI_ACTOR.role)
    result = starters.add(store, args.starter, actor=actor, locale=args.locale, dry_run=args.dry_run)
    if not result.report.ok or result.report.issues:
        out.write(result.report.to_text() + "\n")
    out.write("\n".join(_summary(result, args.dry_run)) + "\n")
    return 0 if result.report.ok else 1
