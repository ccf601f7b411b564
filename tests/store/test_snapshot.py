"""Snapshot files: written whole or not at all, read-only for readers, the release before kept."""

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from observatory.store import StoreError, connect, snapshot


def _tables(published_at: datetime) -> dict[str, object]:
    """A minimal snapshot: one district, one count, empty strategy tables."""
    frames: dict[str, object] = {
        table: pd.DataFrame(columns=snapshot.columns(table)) for table in snapshot.SNAPSHOT_TABLES
    }
    frames["areas"] = pd.DataFrame(
        [["01", "Sé", 1, "000", "{}", "{}", 2.1]], columns=snapshot.columns("areas")
    )
    frames["observations"] = pd.DataFrame(
        [["burglary", "01", "month", pd.Timestamp("2024-01-01"), None, None, "suppressed", "< 5"]],
        columns=snapshot.columns("observations"),
    )
    frames["release"] = {
        "published_at": published_at,
        "format_version": snapshot.FORMAT_VERSION,
        "observations": 1,
        "published": 0,
        "suppressed_primary": 1,
        "suppressed_secondary": 0,
        "not_published": 0,
        "areas": 1,
        "indicators": 0,
    }
    return frames


def _published_at(path) -> datetime:
    opened = connect(path, read_only=True)
    try:
        return opened.scalar("SELECT published_at FROM release")
    finally:
        opened.close()


def test_write_snapshot_creates_every_table(tmp_path):
    files = snapshot.write_snapshot(tmp_path / "public.duckdb", _tables(datetime(2026, 1, 5)))
    opened = connect(files.path, read_only=True)
    names = set(opened.frame("SELECT table_name FROM information_schema.tables")["table_name"])
    row = opened.frame("SELECT period_start, value, display FROM observations").iloc[0]
    opened.close()
    assert names == set(snapshot.SNAPSHOT_TABLES)
    assert row["period_start"] == pd.Timestamp("2024-01-01")
    assert pd.isna(row["value"])
    assert row["display"] == "< 5"


def test_first_release_has_no_previous(tmp_path):
    files = snapshot.write_snapshot(tmp_path / "public.duckdb", _tables(datetime(2026, 1, 5)))
    assert files.previous is None
    assert [p.name for p in tmp_path.iterdir()] == ["public.duckdb"]


def test_previous_release_kept(tmp_path):
    target = tmp_path / "public.duckdb"
    snapshot.write_snapshot(target, _tables(datetime(2026, 1, 5)))
    files = snapshot.write_snapshot(target, _tables(datetime(2026, 2, 1)))
    assert files.previous == snapshot.previous_path(target) == tmp_path / "public.previous.duckdb"
    assert _published_at(target) == datetime(2026, 2, 1)
    assert _published_at(files.previous) == datetime(2026, 1, 5)


def test_snapshot_opens_read_only_and_refuses_writes(tmp_path):
    target = tmp_path / "public.duckdb"
    snapshot.write_snapshot(target, _tables(datetime(2026, 1, 5)))
    opened = connect(target, read_only=True)
    try:
        with pytest.raises(StoreError), opened.transaction() as cur:
            cur.execute("DELETE FROM observations")
        with pytest.raises(duckdb.Error, match="read-only"):
            opened.rows("DELETE FROM observations")
        assert opened.scalar("SELECT count(*) FROM observations") == 1
    finally:
        opened.close()


def test_crash_in_writer_leaves_old_snapshot_intact(tmp_path, monkeypatch):
    target = tmp_path / "public.duckdb"
    snapshot.write_snapshot(target, _tables(datetime(2026, 1, 5)))
    before = target.read_bytes()

    def crash(file, tables):
        file.write_bytes(b"half a database")
        raise RuntimeError("power cut")

    monkeypatch.setattr(snapshot, "_write_tables", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        snapshot.write_snapshot(target, _tables(datetime(2026, 2, 1)))
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["public.duckdb"]


def test_duckdb_failure_reported_as_store_error(tmp_path):
    tables = _tables(datetime(2026, 1, 5))
    tables["areas"] = pd.DataFrame(
        [["01", None, 1, "000", None, None, 1.0]], columns=snapshot.columns("areas")
    )  # name is NOT NULL
    with pytest.raises(StoreError, match="cannot write snapshot"):
        snapshot.write_snapshot(tmp_path / "public.duckdb", tables)
    assert list(tmp_path.iterdir()) == []


def test_missing_table_refused(tmp_path):
    tables = _tables(datetime(2026, 1, 5))
    del tables["release"]
    with pytest.raises(StoreError, match="release"):
        snapshot.write_snapshot(tmp_path / "public.duckdb", tables)
    assert list(tmp_path.iterdir()) == []


def test_a_killed_writers_old_leftovers_are_removed_and_a_live_writers_are_not(tmp_path):
    import os
    import time

    target = tmp_path / "public.duckdb"
    old = [
        tmp_path / ".public.duckdb.dead.tmp",
        tmp_path / ".public.duckdb.dead.tmp.wal",
        tmp_path / "public.previous.duckdb.dead.tmp",
    ]
    live = tmp_path / ".public.duckdb.live.tmp"
    unrelated = tmp_path / ".other.duckdb.dead.tmp"
    hours_ago = time.time() - snapshot.STALE_AFTER_S - 60
    for path in [*old, live, unrelated]:
        path.write_bytes(b"half a database")
    for path in [*old, unrelated]:
        os.utime(path, (hours_ago, hours_ago))
    snapshot.write_snapshot(target, _tables(datetime(2026, 1, 5)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name, unrelated.name])
