"""``python -m observatory publish``: write the disclosure-safe public snapshot."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any, TextIO

from observatory.config import load_settings
from observatory.domain import Actor, Role
from observatory.services import publish, releases
from observatory.store import Store

# The command line runs with the rights of whoever can open the staff database file.
_CLI_ACTOR = Actor("cli", Role.ADMIN)


def add_parser(sub: Any, parents: list[argparse.ArgumentParser] | None = None) -> None:
    """Add the ``publish`` subcommand to an argparse subparsers object.

    Args:
        sub: What ``ArgumentParser.add_subparsers`` returned.
        parents: Parsers whose options every subcommand shares (e.g. ``--db``); without them the
            subcommand declares ``--db`` itself.
    """
    cmd = sub.add_parser("publish", parents=parents or [], help="publish the public snapshot")
    if not parents:
        cmd.add_argument("--db", help="database file (default: $OBSERVATORY_DB or the settings)")
    cmd.add_argument("--snapshot", help="snapshot file (default: $OBSERVATORY_SNAPSHOT or the settings)")
    cmd.add_argument("--user", default=_CLI_ACTOR.name, help="name recorded in the audit log")
    cmd.add_argument(
        "--revise",
        action="store_true",
        help="scheduled revision: publish the corrections held back since the last one (once a year)",
    )
    cmd.add_argument(
        "--check",
        action="store_true",
        help="only check the release file and say which release the public is served (exit 1 if refused)",
    )


def run(store: Store, args: argparse.Namespace, out: TextIO) -> int:
    """Publish the snapshot and report what it holds; returns the exit status (0)."""
    path = args.snapshot or load_settings().snapshot_path
    if args.check:
        return _check(path, out)
    now = datetime.now(UTC).replace(tzinfo=None)
    actor = Actor(args.user, _CLI_ACTOR.role)
    release = publish.publish(
        store, actor=actor, snapshot_path=path, now=now, revise=bool(getattr(args, "revise", False))
    )
    out.write(
        f"published {release.path} at {release.published_at:%Y-%m-%d %H:%M:%S} UTC: "
        f"{release.observations} observations, {release.published} shown, "
        f"{release.suppressed_primary} small counts withheld, "
        f"{release.suppressed_secondary} more withheld to protect them, "
        f"{release.not_published} not published at source\n"
    )
    out.write(f"previous release kept as {release.previous}\n" if release.previous else "first release\n")
    return 0


def _check(path: str, out: TextIO) -> int:
    """Say whether the release file can be served, and if not, which release is served instead."""
    problem = releases.check(path)
    if problem is None:
        out.write(f"release ok: {path}\n")
        return 0
    out.write(f"refused: {problem.reason}\n")
    kept = releases.check(releases.snapshot.previous_path(path))
    fallback = releases.snapshot.previous_path(path)
    out.write(
        f"the previous release {fallback} is served instead\n"
        if kept is None and fallback.exists()
        else "no good release to serve\n"
    )
    return 1


def check(args: argparse.Namespace, out: TextIO) -> int:
    """``publish --check`` without opening the staff database; returns the exit status."""
    return _check(args.snapshot or load_settings().snapshot_path, out)
