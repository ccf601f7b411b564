"""Public snapshot files: the public tables read from the staff store, and written as a new DuckDB file.

A snapshot is a separate database holding only what may be shown to anyone: no users, batches, audit
log or history tables, no full-resolution boundaries. It is written to a temporary file in the target
folder, checkpointed, closed and fsynced, then moved onto the snapshot path with ``os.replace`` (atomic
on one filesystem), and the folder is fsynced so the rename itself survives a power cut. Readers that
reopen the path see either the old file or the new one, never a half-written one.

The release before is kept as ``<stem>.previous<suffix>`` next to the snapshot (a hard link to the old
file, or a copy where links are not possible), so a bad release can be put back by hand. A writer
killed outright (power cut, SIGKILL) cannot remove its temporary file; the next release removes such
leftovers once they are :data:`STALE_AFTER_S` old, which no live write of a snapshot comes near.

Table names and column names match the staff store, so the named reads work on a snapshot too;
``areas.geometry`` holds the display (simplified) geometry, and ``observations`` gains a ``display``
column with the text shown in place of a withheld value.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from observatory.domain import translation_columns
from observatory.store import integrity
from observatory.store.connection import Store, StoreError, open_snapshot

#: Bumped when the layout of a snapshot changes, so a public instance can refuse a file it cannot read.
FORMAT_VERSION = 1
#: Age after which a temporary file beside the snapshot is a killed writer's leftover (seconds).
STALE_AFTER_S = 3600

# Column definitions of every snapshot table, in order; the reads below select the same columns.
SNAPSHOT_TABLES: dict[str, tuple[str, ...]] = {
    "areas": (
        "code VARCHAR PRIMARY KEY",
        "name VARCHAR NOT NULL",
        "level INTEGER NOT NULL",
        "parent_code VARCHAR",
        "geometry VARCHAR",
        "display_geometry VARCHAR",
        "area_km2 DOUBLE",
    ),
    "indicators": (
        "code VARCHAR PRIMARY KEY",
        "name VARCHAR NOT NULL",
        "theme VARCHAR NOT NULL",
        "kind VARCHAR NOT NULL",
        "unit VARCHAR NOT NULL",
        "polarity VARCHAR NOT NULL",
        "denominator_kind VARCHAR",
        "multiplier DOUBLE NOT NULL",
        "disclosure_threshold INTEGER NOT NULL",
        "description VARCHAR",
        "source VARCHAR",
        *(f"{name} VARCHAR" for name in translation_columns()),
    ),
    "denominators": ("area_code VARCHAR", "year INTEGER", "kind VARCHAR", "value DOUBLE"),
    "observations": (
        "indicator_code VARCHAR NOT NULL",
        "area_code VARCHAR NOT NULL",
        "granularity VARCHAR NOT NULL",
        "period_start DATE NOT NULL",
        "value DOUBLE",
        "sample_size INTEGER",
        "status VARCHAR NOT NULL",
        "display VARCHAR",
    ),
    "series_breaks": ("indicator_code VARCHAR", "break_date DATE", "note VARCHAR"),
    "axes": ("code VARCHAR PRIMARY KEY", "title VARCHAR NOT NULL", "description VARCHAR"),
    "partners": ("code VARCHAR PRIMARY KEY", "name VARCHAR NOT NULL", "sector VARCHAR NOT NULL"),
    "objectives": (
        "code VARCHAR PRIMARY KEY",
        "axis_code VARCHAR NOT NULL",
        "title VARCHAR NOT NULL",
        "indicator_code VARCHAR NOT NULL",
        "area_code VARCHAR NOT NULL",
        "baseline_period VARCHAR NOT NULL",
        # NULL where the release withholds it (a small count: services.public_strategy).
        "baseline_value DOUBLE",
        "target_value DOUBLE",
        "target_period VARCHAR NOT NULL",
    ),
    "actions": (
        "code VARCHAR PRIMARY KEY",
        "objective_code VARCHAR NOT NULL",
        "title VARCHAR NOT NULL",
        "lead_partner VARCHAR NOT NULL",
        "status VARCHAR NOT NULL",
        "start_date DATE",
        "end_date DATE",
        "budget DOUBLE",
        "target_areas VARCHAR",
        "result_indicators VARCHAR",
        "comparison_areas VARCHAR",
    ),
    "action_partners": ("action_code VARCHAR NOT NULL", "partner_code VARCHAR NOT NULL"),
    # Outcome-based contracts: terms, parties and cohorts (no counts; results are computed from the release).
    "contracts": (
        "code VARCHAR PRIMARY KEY",
        "title VARCHAR NOT NULL",
        "indicator_code VARCHAR NOT NULL",
        "comparison_areas VARCHAR",
        "baseline_start DATE",
        "start_date DATE NOT NULL",
        "end_date DATE",
    ),
    "contract_partners": (
        "contract_code VARCHAR NOT NULL",
        "partner_code VARCHAR NOT NULL",
        "role VARCHAR NOT NULL",
    ),
    "contract_cohorts": (
        "contract_code VARCHAR NOT NULL",
        "cohort VARCHAR NOT NULL",
        "areas VARCHAR NOT NULL",
        "threshold DOUBLE NOT NULL",
        "payment DOUBLE NOT NULL",
        "due_date DATE",
    ),
    "assessments": (
        "objective_code VARCHAR NOT NULL",
        "year INTEGER NOT NULL",
        "text VARCHAR NOT NULL",
        "author VARCHAR NOT NULL",
        "created_at TIMESTAMP NOT NULL",
    ),
    # Changes of objectives' baselines and targets, without who made them (staff names stay staff-side).
    "objective_changes": (
        "objective_code VARCHAR NOT NULL",
        "changed_at TIMESTAMP NOT NULL",
        "old_baseline_period VARCHAR",
        "new_baseline_period VARCHAR",
        "old_baseline_value DOUBLE",
        "new_baseline_value DOUBLE",
        "old_target_value DOUBLE",
        "new_target_value DOUBLE",
        "old_target_period VARCHAR",
        "new_target_period VARCHAR",
    ),
    # Area groupings: definitions only; their figures are summed from the published district cells.
    "area_groups": ("code VARCHAR PRIMARY KEY", "name VARCHAR NOT NULL"),
    "area_group_members": ("group_code VARCHAR NOT NULL", "area_code VARCHAR NOT NULL"),
    "release": (
        "published_at TIMESTAMP NOT NULL",
        "format_version INTEGER NOT NULL",
        "observations INTEGER NOT NULL",
        "published INTEGER NOT NULL",
        "suppressed_primary INTEGER NOT NULL",
        "suppressed_secondary INTEGER NOT NULL",
        "not_published INTEGER NOT NULL",
        "areas INTEGER NOT NULL",
        "indicators INTEGER NOT NULL",
    ),
}

# What each public table is read from; the display geometry stands in for the full one.
_SOURCE_EXPRESSIONS: dict[str, str] = {"geometry": "display_geometry AS geometry"}
_ORDER = {"observations": "indicator_code, area_code, granularity, period_start"}


class BadRelease(StoreError):
    """A release file that must not be served: unreadable, cut short, incomplete or from a newer format.

    Attributes:
        path: The file.
        reason: What is wrong, in words.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"the release file {path} was refused: {reason}")


@dataclass(frozen=True, slots=True)
class SnapshotFiles:
    """Where a release went: the snapshot, and the kept copy of the release before (if any)."""

    path: Path
    previous: Path | None


def columns(table: str) -> list[str]:
    """Column names of a snapshot table, in order."""
    return [definition.split()[0] for definition in SNAPSHOT_TABLES[table]]


def _source_columns(table: str) -> list[str]:
    return [c for c in columns(table) if not (table == "observations" and c == "display")]


def read_public_sources(store: Store) -> dict[str, pd.DataFrame]:
    """The staff store's rows of every public table but the observations.

    The observations are read a batch of indicators at a time with :func:`read_source_observations`
    (a city of 14.4 million figures does not fit in memory at once as a frame).

    Returns:
        Table name → DataFrame with the snapshot's columns.
    """
    frames = {}
    for table in SNAPSHOT_TABLES:
        if table in ("release", "observations"):
            continue
        select = ", ".join(_SOURCE_EXPRESSIONS.get(c, c) for c in _source_columns(table))
        order = _ORDER.get(table, "ALL")
        frames[table] = store.frame(f"SELECT {select} FROM {table} ORDER BY {order}")  # noqa: S608
    return frames


def source_observation_counts(store: Store) -> dict[str, int]:
    """How many observations each indicator has in the staff store."""
    rows = store.rows("SELECT indicator_code, count(*) FROM observations GROUP BY 1 ORDER BY 1")
    return {str(code): int(count) for code, count in rows}


def read_source_observations(store: Store, indicator_codes: Sequence[str]) -> pd.DataFrame:
    """Some indicators' observations in the staff store (still unsuppressed, without ``display``)."""
    select = ", ".join(_source_columns("observations"))
    return store.frame(
        f"SELECT {select} FROM observations WHERE list_contains(?, indicator_code) "  # noqa: S608
        f"ORDER BY {_ORDER['observations']}",
        [list(indicator_codes)],
    )


def read_release(store: Store) -> dict[str, Any] | None:
    """The ``release`` row of a snapshot (what it holds and when it was published), or None if absent."""
    names = ", ".join(columns("release"))  # declared above, never user input
    found = store.frame(f"SELECT {names} FROM release ORDER BY published_at DESC LIMIT 1")  # noqa: S608
    return None if found.empty else found.iloc[0].to_dict()


def open_verified(path: str | Path) -> Store:
    """Open a release file read-only after checking it can be served.

    Checked: it is a DuckDB file whose length matches its header; every table of
    :data:`SNAPSHOT_TABLES` is there with its columns; its ``release`` row names a format version
    this program reads (not newer); every table reads through (block checksums); the number of
    observations is the one the ``release`` row states.

    Raises:
        BadRelease: Saying what is wrong; nothing is left open.
    """
    try:
        opened = open_snapshot(path)
    except StoreError as exc:
        raise BadRelease(path, f"it is not a readable release file ({exc.__cause__ or exc})") from exc
    try:
        _verify(opened)
    except BadRelease:
        opened.close()
        raise
    except (StoreError, duckdb.Error) as exc:
        opened.close()
        raise BadRelease(path, str(exc)) from exc
    return opened


def verify(path: str | Path) -> None:
    """Check that a release file can be served (see :func:`open_verified`).

    Raises:
        BadRelease: Saying what is wrong.
    """
    open_verified(path).close()


def _verify(opened: Store) -> None:
    path = opened.path
    try:
        integrity.check_length(opened)
    except integrity.DatabaseDamaged as exc:
        raise BadRelease(path, exc.detail) from exc
    present: dict[str, set[str]] = {}
    for table, column in opened.rows(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database()"
    ):
        present.setdefault(str(table), set()).add(str(column))
    missing = [
        f"{table}.{column}" if table in present else table
        for table in SNAPSHOT_TABLES
        for column in (columns(table) if table in present else [None])
        if column is None or column not in present[table]
    ]
    if missing:
        raise BadRelease(path, f"tables or columns missing: {', '.join(missing[:10])}")
    found = opened.rows("SELECT format_version, observations FROM release ORDER BY published_at DESC LIMIT 1")
    if not found:
        raise BadRelease(path, "it has no release row")
    version, stated = int(found[0][0]), int(found[0][1])
    if version > FORMAT_VERSION or version < 1:
        raise BadRelease(path, f"format version {version}; this program reads versions 1 to {FORMAT_VERSION}")
    try:
        integrity.read_through(opened, SNAPSHOT_TABLES)
    except integrity.DatabaseDamaged as exc:
        raise BadRelease(path, exc.detail) from exc
    counted = int(opened.scalar("SELECT count(*) FROM observations"))
    if counted != stated:
        raise BadRelease(path, f"it holds {counted:,} observations where its release row states {stated:,}")


def previous_path(path: str | Path) -> Path:
    """Where the release before the one at *path* is kept."""
    target = Path(path)
    return target.with_name(f"{target.stem}.previous{target.suffix}")


def _write_tables(file: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Create every snapshot table in a new database file, fill it, checkpoint and close it."""
    con = duckdb.connect(str(file))
    try:
        for table, definitions in SNAPSHOT_TABLES.items():
            con.execute(f"CREATE TABLE {table} ({', '.join(definitions)})")
            frame = tables[table][columns(table)]
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM incoming")  # noqa: S608 - names are ours
            con.unregister("incoming")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _keep_previous(path: Path) -> Path | None:
    """Keep the current release beside it before it is replaced; the snapshot path never goes missing."""
    if not path.exists():
        return None
    kept = previous_path(path)
    try:
        verify(path)
    except BadRelease:
        # The release being replaced was refused: the copy kept stays the last good one.
        return kept if kept.exists() else None
    staging = kept.with_name(kept.name + f".{uuid.uuid4().hex}.tmp")
    try:
        os.link(path, staging)
    except OSError:
        shutil.copy2(path, staging)
    os.replace(staging, kept)
    return kept


def _remove_stale(target: Path, now: float) -> None:
    """Remove temporary files a killed writer left beside the snapshot, once they are old enough."""
    kept = previous_path(target)
    patterns = (f".{target.name}.*.tmp", f".{target.name}.*.tmp.wal", f"{kept.name}.*.tmp")
    for pattern in patterns:
        for leftover in target.parent.glob(pattern):
            try:
                if now - leftover.stat().st_mtime > STALE_AFTER_S:
                    leftover.unlink()
            except FileNotFoundError:
                continue


def write_snapshot(path: str | Path, tables: Mapping[str, pd.DataFrame | Mapping[str, Any]]) -> SnapshotFiles:
    """Write a new snapshot file atomically onto *path*, keeping the release before.

    Args:
        path: The snapshot file public instances open.
        tables: One DataFrame per table of :data:`SNAPSHOT_TABLES`; ``release`` may be a mapping
            (one row).

    Returns:
        The snapshot path and the kept previous release.

    Raises:
        StoreError: If a table is missing or a statement failed; the old snapshot is left untouched.
        BadRelease: If the written file does not pass :func:`verify`; the old snapshot is left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frames = {name: pd.DataFrame([v]) if isinstance(v, Mapping) else v for name, v in tables.items()}
    missing = sorted(set(SNAPSHOT_TABLES) - set(frames))
    if missing:
        raise StoreError(f"snapshot tables missing: {', '.join(missing)}")
    _remove_stale(target, time.time())
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        _write_tables(temporary, frames)
        _fsync(temporary)
        verify(temporary)  # a file that would be refused when served never replaces the release
    except duckdb.Error as exc:
        _remove(temporary, Path(f"{temporary}.wal"))
        raise StoreError(f"cannot write snapshot {target}: {exc}") from exc
    except BaseException:
        _remove(temporary, Path(f"{temporary}.wal"))
        raise
    try:
        kept = _keep_previous(target)
        os.replace(temporary, target)
    except BaseException:
        _remove(temporary)
        raise
    _fsync(target.parent)
    return SnapshotFiles(target, kept)


def open_data(store: Store) -> pd.DataFrame:
    """Every published observation of a snapshot with its indicator's and area's names, for download.

    Returns:
        indicator_code, indicator, unit, area_code, area, granularity, period_start, value (NULL where
        withheld), shown (the text in place of a withheld value: ``< k``, ``c``), status.
    """
    return store.frame(
        "SELECT o.indicator_code, i.name AS indicator, i.unit, o.area_code, a.name AS area, o.granularity, "
        "o.period_start, o.value, o.display AS shown, o.status FROM observations o "
        "JOIN indicators i ON i.code = o.indicator_code JOIN areas a ON a.code = o.area_code "
        "ORDER BY o.indicator_code, a.level, o.area_code, o.granularity, o.period_start"
    )


def read_table(store: Store, table: str) -> pd.DataFrame:
    """Every row of one table of an open snapshot, with the columns of :data:`SNAPSHOT_TABLES`.

    Raises:
        KeyError: If *table* is not a snapshot table.
    """
    names = ", ".join(columns(table))  # declared above, never user input
    order = _ORDER.get(table, "ALL")
    return store.frame(f"SELECT {names} FROM {table} ORDER BY {order}")  # noqa: S608
