"""The import history: every batch (dry runs, failures and rollbacks too) and its stored report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from observatory.domain import BatchState, NotFound
from observatory.store import Store, queries

ISSUE_COLUMNS = ["row", "column", "value", "message", "severity", "code"]
#: Hex digits of a file's SHA-256 shown in the list; the full digest is in the batch detail.
SHORT_SHA = 12
ROLLBACK_KIND = "rollback"


@dataclass(frozen=True)
class BatchDetail:
    """One batch as logged, with the issues of its stored validation report.

    Attributes:
        batch: The batch-log row (id, kind, filename, sha256, counts, user_name, times, state …).
        issues: Columns row, column, value, message, severity, code (empty when none were found).
        detected: Encoding, delimiter and decimal mark found in the file (absent when not read).
    """

    batch: dict[str, Any]
    issues: pd.DataFrame
    detected: dict[str, str]

    @property
    def can_roll_back(self) -> bool:
        """Only a committed import can be undone (a rollback is undone by nothing)."""
        return self.batch["state"] == BatchState.COMMITTED and self.batch["kind"] != ROLLBACK_KIND


def batches(
    store: Store, *, states: tuple[str, ...] = (), kinds: tuple[str, ...] = (), limit: int = 2000
) -> pd.DataFrame:
    """The batch log newest first, optionally only some states and kinds, with a short SHA-256.

    Args:
        store: The staff store.
        states: Keep these states only (all when empty).
        kinds: Keep these kinds only (all when empty).
        limit: Newest matching batches listed at most.
    """
    frame = queries.batches(store, limit=limit, states=states, kinds=kinds)
    frame = frame.assign(sha256_short=frame["sha256"].str.slice(0, SHORT_SHA))
    return frame.reset_index(drop=True)


def kinds(store: Store) -> list[str]:
    """Every kind found in the batch log, sorted."""
    return queries.batch_kinds(store)


def _issues(report: dict[str, Any]) -> pd.DataFrame:
    rows = [{column: issue.get(column) for column in ISSUE_COLUMNS} for issue in report.get("issues", [])]
    frame = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    return frame


def detail(store: Store, batch_id: int) -> BatchDetail:
    """A batch's log row and its stored report.

    Raises:
        NotFound: If there is no such batch.
    """
    found = queries.batch(store, batch_id)
    if found.empty:
        raise NotFound(f"no batch {batch_id}")
    row = found.iloc[0].to_dict()
    text = row.pop("report", None)
    report = json.loads(text) if isinstance(text, str) and text else {}
    detected = {k: str(report[k]) for k in ("encoding", "delimiter", "decimal") if report.get(k)}
    return BatchDetail(row, _issues(report), detected)
