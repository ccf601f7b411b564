"""Release files that were refused: what staff are told, and the audit-log line.

The checks themselves are the store's (``store.snapshot.open_verified``); the app serves the last
release that passed them and records here why a newer file was refused.
"""

from __future__ import annotations

from pathlib import Path

from observatory.store import snapshot, writes
from observatory.store.connection import Store
from observatory.store.snapshot import BadRelease

__all__ = ["BadRelease", "check", "record_refusal", "snapshot"]

#: The audit-log action of a refused release file.
REFUSED = "release_refused"


def record_refusal(store: Store, problem: BadRelease, *, actor_name: str = "observatory") -> None:
    """Append one audit-log line saying which release file was refused and why."""
    writes.audit(store, actor_name, REFUSED, f"{problem.path}: {problem.reason}")


def check(path: str | Path) -> BadRelease | None:
    """Why the release file at *path* would be refused, or None when it can be served."""
    try:
        snapshot.verify(path)
    except BadRelease as exc:
        return exc
    return None
