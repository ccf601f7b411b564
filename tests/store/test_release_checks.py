"""A release file is checked before it is served or replaced: cut short, random bytes, a newer format,
a table missing or a count that disagrees are refused with the reason, and the last good release is kept."""

import os
import shutil

import duckdb
import pytest

from observatory.store import snapshot
from observatory.store.snapshot import BadRelease


def _truncate(path):
    os.truncate(path, os.path.getsize(path) // 2)


def _random_bytes(path):
    path.write_bytes(os.urandom(os.path.getsize(path)))


def _newer_format(path):
    con = duckdb.connect(str(path))
    con.execute("UPDATE release SET format_version = ?", [snapshot.FORMAT_VERSION + 1])
    con.execute("CHECKPOINT")
    con.close()


def _table_dropped(path):
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE objectives")
    con.execute("CHECKPOINT")
    con.close()


def _rows_lost(path):
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM observations WHERE rowid % 7 = 0")
    con.execute("CHECKPOINT")
    con.close()


DAMAGE = {
    "truncated": (_truncate, "cut short"),
    "random bytes": (_random_bytes, "not a readable release file"),
    "newer format": (_newer_format, f"format version {snapshot.FORMAT_VERSION + 1}"),
    "table missing": (_table_dropped, "missing: objectives"),
    "rows lost": (_rows_lost, "where its release row states"),
}


@pytest.fixture
def release(demo_release, tmp_path):
    return shutil.copy(demo_release, tmp_path / "public.duckdb")


def test_a_good_release_passes(release):
    snapshot.verify(release)
    opened = snapshot.open_verified(release)
    assert snapshot.read_release(opened)["format_version"] == snapshot.FORMAT_VERSION
    opened.close()


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_release_is_refused_with_the_reason(release, damage):
    harm, reason = DAMAGE[damage]
    harm(release)
    with pytest.raises(BadRelease, match=reason) as raised:
        snapshot.open_verified(release)
    assert raised.value.path == str(release)


@pytest.mark.parametrize("damage", ["truncated", "random bytes", "newer format"])
def test_a_refused_release_does_not_replace_the_kept_good_one(release, tmp_path, damage):
    kept = snapshot.previous_path(release)
    shutil.copy(release, kept)
    good = kept.read_bytes()
    DAMAGE[damage][0](release)
    tables = _tables_of(kept)
    files = snapshot.write_snapshot(release, tables)
    assert files.previous == kept
    assert kept.read_bytes() == good  # the damaged release was not kept as "the release before"
    snapshot.verify(release)


def test_a_new_release_failing_its_checks_leaves_the_current_one(release):
    before = release.read_bytes()
    tables = _tables_of(release)
    tables["release"] = tables["release"].assign(format_version=snapshot.FORMAT_VERSION + 5)
    with pytest.raises(BadRelease, match="format version"):
        snapshot.write_snapshot(release, tables)
    assert release.read_bytes() == before
    assert not [p for p in release.parent.iterdir() if p.name.endswith(".tmp")]


def _tables_of(path):
    opened = snapshot.open_verified(path)
    try:
        return {
            table: opened.frame(f"SELECT {', '.join(snapshot.columns(table))} FROM {table}")
            for table in snapshot.SNAPSHOT_TABLES
        }
    finally:
        opened.close()
