"""Startup checks of the staff database: a file cut short or written by a newer program is refused in
words, before anything is written to it."""

import hashlib
import io
import os
import shutil

import duckdb
import pytest

from observatory import cli
from observatory.store import connect
from observatory.store.integrity import DatabaseDamaged, SchemaTooNew
from observatory.store.schema import migrations


def _digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def copy(demo_file, tmp_path):
    return shutil.copy(demo_file, tmp_path / "staff.duckdb")


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 0.999])
def test_a_database_cut_short_is_refused_and_left_as_it_is(copy, share):
    os.truncate(copy, int(os.path.getsize(copy) * share))
    before = _digest(copy)
    with pytest.raises(DatabaseDamaged, match="cut short"):
        connect(copy)
    with pytest.raises(DatabaseDamaged):
        connect(copy, read_only=True)
    assert _digest(copy) == before
    assert not os.path.exists(f"{copy}.wal")


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_init_does_not_say_ready_on_a_database_cut_short(copy, share):
    os.truncate(copy, int(os.path.getsize(copy) * share))
    out = io.StringIO()
    assert cli.main(["init", "--db", str(copy)], out=out) == 2
    text = out.getvalue()
    assert "database ready" not in text
    assert "is damaged" in text and "cut short" in text
    assert "Traceback" not in text


def test_init_reads_every_block_and_finds_a_damaged_one(copy):
    # Same length, but bytes overwritten in the middle of the file: only reading the blocks tells.
    size = os.path.getsize(copy)
    with open(copy, "r+b") as handle:
        for offset in range(12288 + 262144, size - 4096, 262144):
            handle.seek(offset + 1000)
            handle.write(os.urandom(2048))
    out = io.StringIO()
    assert cli.main(["init", "--db", str(copy)], out=out) == 2
    assert "is damaged" in out.getvalue() and "cannot be read" in out.getvalue()
    assert "database ready" not in out.getvalue()


def test_init_says_ready_on_a_whole_database(copy):
    out = io.StringIO()
    assert cli.main(["init", "--db", str(copy)], out=out) == 0
    assert out.getvalue().startswith("database ready")


def test_a_database_from_a_newer_program_is_refused_and_left_as_it_is(copy):
    newest = max(n for n, _ in migrations())
    con = duckdb.connect(str(copy))
    con.execute("INSERT INTO schema_version VALUES (?, now())", [newest + 40])
    con.execute("CHECKPOINT")
    con.close()
    before = _digest(copy)
    with pytest.raises(SchemaTooNew) as raised:
        connect(copy)
    assert (raised.value.found, raised.value.known) == (newest + 40, newest)
    out = io.StringIO()
    assert cli.main(["init", "--db", str(copy)], out=out) == 2
    assert f"schema version {newest + 40}, newer than this program's {newest}" in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    assert _digest(copy) == before


def test_random_bytes_are_not_a_database(tmp_path):
    path = tmp_path / "random.duckdb"
    path.write_bytes(os.urandom(100_000))
    out = io.StringIO()
    assert cli.main(["init", "--db", str(path)], out=out) == 2
    assert "not a valid DuckDB database file" in out.getvalue()
