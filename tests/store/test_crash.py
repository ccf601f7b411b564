"""A child process importing 1,000,000 rows is killed with SIGKILL at random moments.

Every time, the database must reopen and hold either the whole batch or none of it, with a batch
log that agrees.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from benchmarks.scale import observations_csv, prepared_store
from observatory.store import connect, queries

ROWS = 1_000_000
KILLS = 10
ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from benchmarks.scale import ADMIN
from observatory.domain import ImportKind
from observatory.services import imports
from observatory.store import connect
store = connect(sys.argv[1])
print("importing", flush=True)
data = Path(sys.argv[2]).read_bytes()
report = imports.import_table(store, ImportKind.OBSERVATIONS, data, "big.csv", actor=ADMIN)
print("done", report.created, flush=True)
"""


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    csv = folder / "big.csv"
    csv.write_bytes(observations_csv(ROWS))
    base = folder / "base.duckdb"
    prepared_store(base).close()
    return base, csv


def _run_child(db: Path, csv: Path, kill_after: float | None) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(csv)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if kill_after is None:
        out, _ = proc.communicate(timeout=300)
        return out
    time.sleep(kill_after)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return out


def _state(db: Path) -> tuple[int, int, int, int, int]:
    """Rows, rows carrying a committed batch's id, committed batches, rows they created, history rows.

    Created rows keep no history row: they are the batch's through their ``batch_id``.
    """
    store = connect(db)
    try:
        rows = queries.count_rows(store, "observations")
        carried = int(
            store.scalar(
                "SELECT count(*) FROM observations o JOIN batches b ON b.id = o.batch_id "
                "WHERE b.state = 'committed'"
            )
        )
        history = int(store.scalar("SELECT count(*) FROM observations_history"))
        committed = store.rows(
            "SELECT count(*), coalesce(sum(created), 0) FROM batches WHERE kind = 'observations' "
            "AND state = 'committed'"
        )[0]
    finally:
        store.close()
    return rows, carried, int(committed[0]), int(committed[1]), history


@pytest.mark.slow
def test_full_run_takes_long_enough_to_be_interrupted(prepared, tmp_path):
    base, csv = prepared
    db = Path(shutil.copy(base, tmp_path / "full.duckdb"))
    started = time.monotonic()
    out = _run_child(db, csv, None)
    assert f"done {ROWS}" in out
    assert time.monotonic() - started > 1.0
    assert _state(db) == (ROWS, ROWS, 1, ROWS, 0)
    print(f"a whole run: {time.monotonic() - started:.1f} s")


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_all_or_nothing(prepared, tmp_path):
    base, csv = prepared
    rng = np.random.default_rng(42)
    # Kill within the length of a whole run measured here, so that kills land while it works on
    # any machine (a whole run took 1.4 s on an idle 2-core machine, 5 s on a busy one).
    started = time.monotonic()
    _run_child(Path(shutil.copy(base, tmp_path / "timed.duckdb")), csv, None)
    whole = time.monotonic() - started
    outcomes = []
    for attempt in range(KILLS):
        db = Path(shutil.copy(base, tmp_path / f"kill{attempt}.duckdb"))
        kill_after = float(rng.uniform(0.2 * whole, 1.1 * whole))
        _run_child(db, csv, kill_after)
        state = _state(db)
        assert state in {(0, 0, 0, 0, 0), (ROWS, ROWS, 1, ROWS, 0)}, (kill_after, state)
        outcomes.append(state[0] == ROWS)
    # Report how the kills fell; both outcomes are correct, a partial one never is.
    print(
        f"{KILLS} kills within {whole:.1f} s: {sum(outcomes)} complete, "
        f"{KILLS - sum(outcomes)} absent, 0 partial"
    )
