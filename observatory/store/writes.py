"""Named writes: apply a batch, record an attempt, roll a batch back, append to the audit log.

Each public function is one transaction. Statements are assembled only from the table declarations in
schema.py (trusted identifiers); every value travels as a parameter or through a registered frame.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import duckdb
import pandas as pd

from observatory.domain import BatchState, NotFound, ObservatoryError
from observatory.store.connection import Store
from observatory.store.preview import staged_changes
from observatory.store.schema import TABLES, TableSpec

# Child tables whose rows are replaced as a set for each parent present in the file. An area grouping
# is scoped by its own code, so a batch that names a group and sends no row for it deletes it.
SCOPES: dict[str, tuple[str, ...]] = {
    "area_groups": ("code",),
    "action_partners": ("action_code",),
    "derived_components": ("indicator_code",),
    "area_group_members": ("group_code",),
    "contract_partners": ("contract_code",),
    "contract_cohorts": ("contract_code",),
}


@dataclass(frozen=True, slots=True)
class Counts:
    """How the rows of a file compare with what is stored."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    #: Created and updated rows with their stored values (a preview, see apply_batch); not compared.
    changes: pd.DataFrame | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BatchRecord:
    """What the batch log keeps about one import attempt."""

    kind: str
    filename: str
    sha256: str
    rows_read: int
    rejected: int
    user_name: str
    started_at: datetime
    report: str = ""
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    main_table: str = ""
    audit_action: str = "import"
    skip_unchanged: bool = False
    scopes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class _NothingChanged(Exception):
    """Raised inside a transaction to roll it back when a batch would change nothing."""

    def __init__(self, counts: Counts) -> None:
        super().__init__("nothing changed")
        self.counts = counts


class RollbackRefused(ObservatoryError):
    """A batch cannot be undone (not committed, or later batches changed the same rows)."""


#: A check of a rollback, inside its transaction: called before the undo, it returns the check called
#: after it, which raises :class:`RollbackRefused` (or a subclass) to leave everything unchanged.
RollbackGuard = Callable[[duckdb.DuckDBPyConnection], Callable[[duckdb.DuckDBPyConnection], None]]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _join(spec: TableSpec, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{k} = {right}.{k}" for k in spec.keys)


def _scratch(spec: TableSpec) -> list[str]:
    """Empty scratch tables typed like the target, made before the transaction (see Store.transaction)."""
    statements = [
        f"CREATE OR REPLACE TEMP TABLE staged_{spec.name} AS "
        f"SELECT *, ''::VARCHAR AS change FROM {spec.name} WHERE false",
    ]
    if spec.name in SCOPES:
        parents = ", ".join(SCOPES[spec.name])
        statements.append(
            f"CREATE OR REPLACE TEMP TABLE scope_{spec.name} AS SELECT {parents} FROM {spec.name} WHERE false"
        )
    return statements


def _fill_scope(cur: duckdb.DuckDBPyConnection, spec: TableSpec, extra: tuple[str, ...]) -> None:
    """The parents whose children are replaced as a set: those in the file, plus any named by an edit.

    An edit that removes an action's last partner sends no child row at all, so it names the action.
    """
    (column,) = SCOPES[spec.name]
    cur.execute(f"INSERT INTO scope_{spec.name} SELECT DISTINCT {column} FROM staged_{spec.name}")
    if extra:
        cur.executemany(f"INSERT INTO scope_{spec.name} VALUES (?)", [[value] for value in extra])


def _stage(
    cur: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pd.DataFrame, scope: tuple[str, ...] = ()
) -> Counts:
    """Classify each row of the frame against the stored one, straight into the staged scratch table.

    One pass: the frame is read once, joined with the stored rows on the key, and written with its
    classification (created, updated, unchanged).
    """
    staged = f"staged_{spec.name}"
    columns = ", ".join(f"i.{c}" for c in spec.columns)
    differs = " OR ".join(f"t.{v} IS DISTINCT FROM i.{v}" for v in spec.values) or "false"
    cur.register("incoming_frame", frame[list(spec.columns)])
    cur.execute(
        f"INSERT INTO {staged} ({', '.join(spec.columns)}, change) SELECT {columns}, "
        f"CASE WHEN t.{spec.keys[0]} IS NULL THEN 'created' WHEN {differs} THEN 'updated' "
        f"ELSE 'unchanged' END FROM incoming_frame i LEFT JOIN {spec.name} t ON {_join(spec, 't', 'i')}"
    )
    cur.unregister("incoming_frame")
    if spec.name in SCOPES:
        _fill_scope(cur, spec, scope)
    found = dict(cur.execute(f"SELECT change, count(*) FROM {staged} GROUP BY change").fetchall())
    deleted = 0
    if spec.name in SCOPES:
        deleted = int(cur.execute(f"SELECT count(*) FROM ({_scope_orphans(spec)})").fetchall()[0][0])
    return Counts(found.get("created", 0), found.get("updated", 0), found.get("unchanged", 0), deleted)


def _scope_orphans(spec: TableSpec) -> str:
    """Stored child rows of the parents in the file that the file no longer lists."""
    staged = f"staged_{spec.name}"
    in_scope = " AND ".join(f"t.{c} IN (SELECT {c} FROM scope_{spec.name})" for c in SCOPES[spec.name])
    return (
        f"SELECT t.* FROM {spec.name} t WHERE {in_scope} AND NOT EXISTS "
        f"(SELECT 1 FROM {staged} i WHERE {_join(spec, 't', 'i')})"
    )


def _apply_staged(cur: duckdb.DuckDBPyConnection, spec: TableSpec, batch_id: int) -> None:
    """Write the staged rows, keeping what is needed to undo them in the history table.

    The history keeps the previous state of each row the batch updates or deletes. Rows the batch
    creates need no history: they carry its ``batch_id`` until a later batch replaces them, and a
    replacement is itself recorded (with that ``batch_id``) in the later batch's history.
    """
    hist, staged = spec.history, f"staged_{spec.name}"
    cur.execute(
        f"INSERT INTO {hist} SELECT ?, 'updated', t.* FROM {spec.name} t "
        f"JOIN {staged} s ON {_join(spec, 't', 's')} WHERE s.change = 'updated'",
        [batch_id],
    )
    if spec.name in SCOPES:
        cur.execute(
            f"INSERT INTO {hist} SELECT ?, 'deleted', o.* FROM ({_scope_orphans(spec)}) o", [batch_id]
        )
        cur.execute(
            f"DELETE FROM {spec.name} USING {hist} h WHERE h.change_batch = ? AND h.change = 'deleted' "
            f"AND {_join(spec, spec.name, 'h')}",
            [batch_id],
        )
    cur.execute(
        f"DELETE FROM {spec.name} USING {staged} s WHERE s.change = 'updated' "
        f"AND {_join(spec, spec.name, 's')}"
    )
    cols = ", ".join(spec.columns)
    order = f"ORDER BY {', '.join(spec.order_by)}" if spec.order_by else ""
    cur.execute(
        f"INSERT INTO {spec.name} ({cols}, batch_id) SELECT {cols}, ? FROM {staged} "
        f"WHERE change <> 'unchanged' {order}",
        [batch_id],
    )


def _insert_batch(
    cur: duckdb.DuckDBPyConnection,
    record: BatchRecord,
    counts: Counts,
    state: str,
    *,
    rolls_back: int | None = None,
) -> int:
    batch_id = int(cur.execute("SELECT nextval('batch_ids')").fetchall()[0][0])
    _insert_batch_row(cur, batch_id, record, counts, state, rolls_back)
    return batch_id


def _insert_batch_row(
    cur: duckdb.DuckDBPyConnection,
    batch_id: int,
    record: BatchRecord,
    counts: Counts,
    state: str,
    rolls_back: int | None = None,
) -> None:
    cur.execute(
        "INSERT INTO batches (id, kind, filename, sha256, rows_read, created, updated, unchanged, rejected, "
        "user_name, started_at, finished_at, state, report, rolls_back) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            batch_id,
            record.kind,
            record.filename,
            record.sha256,
            record.rows_read,
            counts.created,
            counts.updated,
            counts.unchanged,
            record.rejected,
            record.user_name,
            record.started_at,
            _now(),
            state,
            record.report,
            rolls_back,
        ],
    )


def apply_batch(
    store: Store, record: BatchRecord, *, dry_run: bool, preview_rows: int = 0
) -> tuple[int, Counts]:
    """Classify (and unless ``dry_run``, write) every table of a batch in one transaction.

    The counts reported are those of ``record.main_table``; a dry run goes through exactly the same
    classification as a commit and is logged with state ``dry_run``. With ``record.skip_unchanged``
    (form edits), a batch that would change no row is rolled back and not logged: batch id 0.

    Args:
        store: The staff store.
        record: The batch and its canonical frames.
        dry_run: Classify and log only.
        preview_rows: When positive, ``Counts.changes`` holds up to this many created and this many
            updated rows of the main table, each value beside the stored one (read before writing).

    Returns:
        The batch id (0 when skipped) and the counts of the main table.
    """
    # Scratch tables live in the transaction cursor's own temp schema and vanish when it closes.
    setup = [statement for name in record.tables for statement in _scratch(TABLES[name])]
    try:
        with store.transaction(setup=setup) as cur:
            batch_id = int(cur.execute("SELECT nextval('batch_ids')").fetchall()[0][0])
            per_table = _stage_all(cur, record, batch_id, dry_run=dry_run, preview_rows=preview_rows)
            if record.skip_unchanged and not any(
                c.created or c.updated or c.deleted for c in per_table.values()
            ):
                raise _NothingChanged(per_table.get(record.main_table, Counts()))
            counts = per_table.get(record.main_table, Counts())
            state = BatchState.DRY_RUN if dry_run else BatchState.COMMITTED
            _insert_batch_row(cur, batch_id, record, counts, state)
            if not dry_run:
                detail = f"batch {batch_id}: {record.kind} {record.filename}"
                _audit(cur, record.user_name, record.audit_action, detail)
    except _NothingChanged as nothing:
        return 0, nothing.counts
    return batch_id, counts


def _stage_all(
    cur: duckdb.DuckDBPyConnection, record: BatchRecord, batch_id: int, *, dry_run: bool, preview_rows: int
) -> dict[str, Counts]:
    """Classify every table of the batch (with the main table's preview on request); write unless dry."""
    per_table: dict[str, Counts] = {}
    for name, frame in record.tables.items():
        per_table[name] = _stage(cur, TABLES[name], frame, tuple(record.scopes.get(name, ())))
        if name == record.main_table and preview_rows > 0:
            changes = staged_changes(cur, TABLES[name], preview_rows)
            per_table[name] = replace(per_table[name], changes=changes)
        if not dry_run:
            _apply_staged(cur, TABLES[name], batch_id)
    return per_table


def record_attempt(store: Store, record: BatchRecord, state: BatchState) -> int:
    """Log an attempt that wrote nothing (a failed validation); returns its batch id."""
    with store.transaction() as cur:
        return _insert_batch(cur, record, Counts(), state)


def _later_conflicts(cur: duckdb.DuckDBPyConnection, spec: TableSpec, batch_id: int) -> list[int]:
    """Committed later batches that changed what ``batch_id`` wrote, or re-created what it deleted.

    Three ways: a later batch's history holds a row version this batch wrote (its ``batch_id``: the
    later batch updated or deleted it); a later batch's history holds a key this batch's history holds
    (both changed the same row); a row this batch deleted exists again, written by a later batch.
    """
    rows = cur.execute(
        f"SELECT l.change_batch FROM {spec.history} l WHERE l.batch_id = ? AND l.change_batch > ? "
        f"UNION SELECT l.change_batch FROM {spec.history} h JOIN {spec.history} l "
        f"ON {_join(spec, 'h', 'l')} WHERE h.change_batch = ? AND l.change_batch > ? "
        f"UNION SELECT t.batch_id FROM {spec.history} h JOIN {spec.name} t ON {_join(spec, 'h', 't')} "
        f"WHERE h.change_batch = ? AND h.change = 'deleted' AND t.batch_id > ?",
        [batch_id] * 6,
    ).fetchall()
    found = sorted({int(r[0]) for r in rows})
    if not found:
        return []
    committed = cur.execute(
        "SELECT id FROM batches WHERE state = 'committed' AND list_contains(?, id)", [found]
    ).fetchall()
    return [int(r[0]) for r in committed]


def _undo_table(cur: duckdb.DuckDBPyConnection, spec: TableSpec, batch_id: int) -> int:
    """Remove the rows the batch wrote, then put back the previous state of those it replaced."""
    cols = ", ".join(spec.columns)
    cur.execute(f"DELETE FROM {spec.name} WHERE batch_id = ?", [batch_id])
    restored = cur.execute(
        f"INSERT INTO {spec.name} ({cols}, batch_id) SELECT {cols}, batch_id FROM {spec.history} "
        f"WHERE change_batch = ? AND change IN ('updated', 'deleted')",
        [batch_id],
    ).fetchall()
    return int(restored[0][0]) if restored else 0


def rollback_batch(
    store: Store, batch_id: int, *, user_name: str, guards: tuple[RollbackGuard, ...] = ()
) -> int:
    """Undo a committed batch exactly, record the rollback as a batch of its own, and return its id.

    Args:
        guards: Checks of the state before and after the undo (:data:`RollbackGuard`); one that
            refuses rolls the whole transaction back.

    Raises:
        NotFound: If there is no such batch.
        RollbackRefused: If the batch is not committed, a later committed batch changed the same rows,
            or a guard refused.
    """
    with store.transaction() as cur:
        found = cur.execute(
            "SELECT state, kind, filename, sha256 FROM batches WHERE id = ?", [batch_id]
        ).fetchall()
        if not found:
            raise NotFound(f"no batch {batch_id}")
        state, kind, filename, sha = found[0]
        if state != BatchState.COMMITTED or kind == "rollback":
            raise RollbackRefused(f"batch {batch_id} is {state}; only a committed import can be rolled back")
        later = sorted({b for spec in TABLES.values() for b in _later_conflicts(cur, spec, batch_id)})
        if later:
            raise RollbackRefused(
                f"batch {batch_id} cannot be rolled back: later batches {later} changed the same rows; "
                "roll those back first"
            )
        after = [guard(cur) for guard in guards]
        restored = sum(_undo_table(cur, spec, batch_id) for spec in TABLES.values())
        for check in after:
            check(cur)
        cur.execute("UPDATE batches SET state = 'rolled_back' WHERE id = ?", [batch_id])
        record = BatchRecord("rollback", filename, sha, 0, 0, user_name, _now())
        new_id = _insert_batch(
            cur, record, Counts(updated=restored), BatchState.COMMITTED, rolls_back=batch_id
        )
        _audit(cur, user_name, "rollback", f"batch {batch_id} rolled back by batch {new_id}")
    return new_id


def _audit(cur: duckdb.DuckDBPyConnection, actor: str, action: str, detail: str) -> None:
    cur.execute(
        "INSERT INTO audit_log (logged_at, actor, action, detail) VALUES (?, ?, ?, ?)",
        [_now(), actor, action, detail],
    )


def audit_in(cur: duckdb.DuckDBPyConnection, actor: str, action: str, detail: str = "") -> None:
    """Append one audit-log line inside a transaction another named write holds."""
    _audit(cur, actor, action, detail)


def audit(store: Store, actor: str, action: str, detail: str = "") -> None:
    """Append one line to the audit log (never updated, never deleted)."""
    with store.transaction() as cur:
        _audit(cur, actor, action, detail)
