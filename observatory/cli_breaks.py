"""``python -m observatory breaks list|add|edit|remove``: the series-break register.

A break is the first day after which an indicator's values are not comparable with those before
(a new definition, source or recording practice). Trend charts draw it; trend tests start after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from observatory.domain import Actor, ObservatoryError, Role
from observatory.services import breaks
from observatory.store import Store

CLI_ACTOR = Actor("cli", Role.ADMIN)


class DateArgumentError(ObservatoryError):
    """A date argument is not YYYY-MM-DD."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise DateArgumentError(f"{text!r} is not a date (2025-07-01)") from exc


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``breaks`` and its sub-commands."""
    top = sub.add_parser("breaks", parents=list(parents), help="list and edit series breaks")
    group = top.add_subparsers(dest="breaks_command", required=True)
    listing = group.add_parser("list", parents=list(parents), help="list the breaks")
    listing.add_argument("--indicator", help="only this indicator's breaks")
    for name, help_text in (("add", "register a break"), ("edit", "move a break or change its note")):
        leaf = group.add_parser(name, parents=list(parents), help=help_text)
        leaf.add_argument("indicator")
        leaf.add_argument("date", help="first day of the new series, e.g. 2025-07-01")
        leaf.add_argument("--note", help="what changed")
        leaf.add_argument("--user", default=CLI_ACTOR.name, help="name recorded in the audit log")
        if name == "edit":
            leaf.add_argument("--new-date", help="move the break to this date")
    remove = group.add_parser("remove", parents=list(parents), help="remove a break")
    remove.add_argument("indicator")
    remove.add_argument("date")
    remove.add_argument("--user", default=CLI_ACTOR.name)


def _list(store: Store, args: argparse.Namespace, out: TextIO) -> None:
    frame = breaks.list_breaks(store, args.indicator)
    if frame.empty:
        out.write("no series breaks\n")
    for row in frame.itertuples():
        note = "" if row.note is None or row.note != row.note else f"  {row.note}"
        out.write(f"{row.indicator_code}  {row.break_date.isoformat()}{note}\n")


def run(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    """Run one ``breaks`` sub-command; returns the exit status."""
    if args.breaks_command == "list":
        _list(store, args, out)
        return 0
    actor = Actor(args.user, CLI_ACTOR.role)
    when = _day(args.date)
    if args.breaks_command == "add":
        breaks.add_break(store, args.indicator, when, args.note, actor=actor)
        out.write(f"series break added: {args.indicator} from {when.isoformat()}\n")
    elif args.breaks_command == "edit":
        new_date = _day(args.new_date) if args.new_date else None
        breaks.edit_break(store, args.indicator, when, actor=actor, new_date=new_date, note=args.note)
        out.write(f"series break changed: {args.indicator} {when.isoformat()}\n")
    else:
        breaks.remove_break(store, args.indicator, when, actor=actor)
        out.write(f"series break removed: {args.indicator} {when.isoformat()}\n")
    return 0
