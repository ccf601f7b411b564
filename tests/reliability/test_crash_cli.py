"""SIGKILL of ``python -m observatory import … && python -m observatory publish …`` at random moments.

Each attempt copies the demo database and its published snapshot, starts the two commands as one
process group and kills the group after a delay drawn (seed 42) from the measured duration of a
whole run, so the kills fall while parsing, inserting, committing, checkpointing and publishing.
After every kill the database must open, hold the rows from before or after the import and nothing
in between, with a batch log that agrees, and the snapshot path must hold the old release or the new.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from observatory.store import Store, connect, queries
from observatory.store.connection import StoreError
from observatory.store.snapshot import read_release
from tests.conftest import RELEASE_TIME
from tests.reliability.builders import future_observations
from tests.reliability.sizes import SIZE, size

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
ROWS = size(20_000, 200_000)
KILLS = size(8, 30)


def _command(db: Path, csv: Path, snapshot: Path) -> list[str]:
    python = sys.executable
    script = (
        f'"{python}" -m observatory import observations "{csv}" --db "{db}" --user crash '
        f'&& "{python}" -m observatory publish --db "{db}" --snapshot "{snapshot}" --user crash'
    )
    return ["/bin/sh", "-c", script]


def _run(
    folder: Path, csv: Path, base: Path, release: Path, kill_after: float | None
) -> tuple[Path, Path, float]:
    db = Path(shutil.copy(base, folder / "staff.duckdb"))
    snapshot = Path(shutil.copy(release, folder / "public.duckdb"))
    started = time.monotonic()
    proc = subprocess.Popen(
        _command(db, csv, snapshot),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # its own process group, so one killpg reaches both commands
    )
    if kill_after is None:
        assert proc.wait(timeout=900) == 0
    else:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            _wait_for_group_gone(proc.pid)
    return db, snapshot, time.monotonic() - started


def _wait_for_group_gone(group: int) -> None:
    """Wait until no live process of the killed group remains (the file lock goes with the last one)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        alive = False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            alive = alive or (int(fields[2]) == group and fields[0] != "Z")
        if not alive:
            return
        time.sleep(0.05)
    raise AssertionError(f"process group {group} still alive 30 s after SIGKILL")


def _open_when_unlocked(path: Path, *, read_only: bool = False) -> Store:
    """Open ``path``, waiting while a killed process still holds its lock (it goes when the process does)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return connect(path, read_only=read_only)
        except StoreError as exc:
            if "lock" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _database_state(db: Path) -> tuple[int, int, int, int]:
    """Observation rows, rows written by the crash batch, its committed batches and their created count."""
    store = _open_when_unlocked(db)  # read-write: replays the WAL and runs migrations, as the app would
    try:
        rows = queries.count_rows(store, "observations")
        batch = store.rows(
            "SELECT count(*), coalesce(sum(created), 0), coalesce(max(id), -1) FROM batches "
            "WHERE user_name = 'crash' AND state = 'committed'"
        )[0]
        written = int(store.scalar("SELECT count(*) FROM observations WHERE batch_id = ?", [batch[2]]))
    finally:
        store.close()
    return rows, written, int(batch[0]), int(batch[1])


def _snapshot_state(snapshot: Path) -> tuple[str, int]:
    store = _open_when_unlocked(snapshot, read_only=True)
    try:
        release = read_release(store)
        observations = queries.count_rows(store, "observations")
    finally:
        store.close()
    if release is None:
        return "no-release", observations
    return ("old" if release["published_at"] == RELEASE_TIME else "new"), observations


@pytest.fixture(scope="module")
def prepared(demo_file, demo_release, tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash-cli")
    csv = folder / "future.csv"
    csv.write_bytes(future_observations(ROWS))
    return csv, demo_file, demo_release


@pytest.mark.slow
@pytest.mark.timeout(1800)  # the full size: 30 runs of up to a whole import and publish each
def test_sigkill_during_import_and_publish_leaves_old_or_new_state(prepared, tmp_path):
    csv, base, release = prepared
    pre_rows = _database_state(base)[0]
    old_snapshot = _snapshot_state(release)
    db, snapshot, duration = _run(_mk(tmp_path / "full"), csv, base, release, None)
    post = _database_state(db)
    new_snapshot = _snapshot_state(snapshot)
    assert post == (pre_rows + ROWS, ROWS, 1, ROWS)
    assert new_snapshot[0] == "new"
    rng = np.random.default_rng(42)
    outcomes: Counter[str] = Counter()
    for attempt in range(KILLS):
        kill_after = float(rng.uniform(0.2, duration))
        db, snapshot, _ = _run(_mk(tmp_path / f"kill{attempt}"), csv, base, release, kill_after)
        state = _database_state(db)
        assert state in {(pre_rows, 0, 0, 0), post}, (kill_after, state)
        published = _snapshot_state(snapshot)
        assert published in {old_snapshot, new_snapshot}, (kill_after, published)
        assert published == old_snapshot or state == post  # never a release of data that was not committed
        leftovers = sorted(p.name for p in snapshot.parent.glob(".*.tmp"))
        outcomes[f"import {'committed' if state == post else 'absent'}, snapshot {published[0]}"] += 1
        outcomes["temporary files left"] += len(leftovers)
    _report(duration, outcomes)


def _mk(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _report(duration: float, outcomes: Counter[str]) -> None:
    figures = {"rows": ROWS, "kills": KILLS, "full_run_s": round(duration, 2), **outcomes}
    print(json.dumps(figures))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"reliability_crash_{SIZE}.json").write_text(
        json.dumps(figures, indent=2) + "\n", encoding="utf-8"
    )
