"""A disk that fills up during an import: a clear error, nothing written, and the database still opens.

Two ways to fill it: a small tmpfs holding the database (when the test runs as root and may mount
one), and a file-size limit (RLIMIT_FSIZE) on the importing child, which works everywhere. The
child ignores SIGXFSZ, so writes past the limit fail with EFBIG as they would with ENOSPC.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from observatory.store import connect, queries
from observatory.store.schema import TABLES
from tests.reliability.builders import future_observations

ROOT = Path(__file__).resolve().parents[2]
# The import must need more new space than the demo database already has free inside its file (and
# than the file-size limit leaves its write-ahead log): 200,000 rows, sorted and compressed, now fit
# there without growing anything, so every size writes 1,000,000 rows (about 3 s).
ROWS = 1_000_000


def _observatory(
    args: list[str], preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "observatory", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=preexec,
        check=False,
    )


def _contents(db: Path) -> dict[str, int]:
    store = connect(db)
    try:
        counts = {name: queries.count_rows(store, name) for name in TABLES}
        counts["batches"] = queries.count_rows(store, "batches")
        return counts
    finally:
        store.close()


def _assert_refused_in_words_and_unchanged(db: Path, csv: Path, before: dict[str, int], preexec=None) -> None:
    result = _observatory(["import", "observations", str(csv), "--db", str(db)], preexec)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith("error: the database file could not be written")
    assert "nothing was saved" in result.stdout
    assert "Traceback" not in result.stderr
    assert _contents(db) == before
    assert _observatory(["init", "--db", str(db)]).returncode == 0


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("disk-full") / "future.csv"
    path.write_bytes(future_observations(ROWS))
    return path


@pytest.mark.slow
def test_import_past_the_file_size_limit_is_refused_in_words_and_writes_nothing(demo_file, big_csv, tmp_path):
    db = Path(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    before = _contents(db)
    limit = db.stat().st_size + 128 * 1024

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    _assert_refused_in_words_and_unchanged(db, big_csv, before, limited)


@pytest.fixture
def small_tmpfs(tmp_path, demo_file) -> Iterator[Path]:
    """A tmpfs a few MB larger than the demo database; skipped where mounting is not allowed."""
    mount = tmp_path / "full-disk"
    mount.mkdir()
    megabytes = demo_file.stat().st_size // 2**20 + 4
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the file-size limit test covers this")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _leave_free(folder: Path, free_bytes: int) -> None:
    """Fill the file system holding ``folder`` until only about ``free_bytes`` remain."""
    stats = os.statvfs(folder)
    filler = stats.f_bavail * stats.f_frsize - free_bytes
    with (folder / "filler").open("wb") as out:
        out.write(bytes(max(filler, 0)))


@pytest.mark.slow
def test_import_on_a_full_disk_is_refused_in_words_and_writes_nothing(demo_file, big_csv, small_tmpfs):
    db = Path(shutil.copy(demo_file, small_tmpfs / "staff.duckdb"))
    before = _contents(db)
    _leave_free(small_tmpfs, 256 * 1024)  # less than the import's data: the writes fail before COMMIT
    _assert_refused_in_words_and_unchanged(db, big_csv, before)


@pytest.mark.slow
def test_disk_filling_at_the_checkpoint_keeps_the_committed_import_whole(demo_file, big_csv, small_tmpfs):
    """Room for the import's data but not for the checkpoint: the commit stands, whole, and is reported."""
    db = Path(shutil.copy(demo_file, small_tmpfs / "staff.duckdb"))
    before = _contents(db)
    _leave_free(small_tmpfs, 3 * 2**20)
    result = _observatory(["import", "observations", str(big_csv), "--db", str(db)])
    assert "Traceback" not in result.stderr
    after = _contents(db)
    if result.returncode == 0:
        assert f"created {ROWS}" in result.stdout
        assert after["observations"] == before["observations"] + ROWS
        assert after["batches"] == before["batches"] + 1
    else:
        assert "nothing was saved" in result.stdout
        assert after == before
    assert _observatory(["init", "--db", str(db)]).returncode == 0
