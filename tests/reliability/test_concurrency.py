"""Twenty sessions read while a large import commits in the same process: no errors, no mixed reads.

One Store, as the app holds it; each read takes its own cursor. The import raises every burglary
value by 1,000 (and adds future months of other indicators up to the import's size), so each read
of burglary's yearly district values must equal exactly the frame from before or the one from after.
Read latencies are reported (p50, p95, max), not asserted.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from observatory.domain import ImportKind
from observatory.services import imports, views
from observatory.services.demo import DEMO_ACTOR
from observatory.store import connect
from tests.reliability.builders import changing_import
from tests.reliability.sizes import SIZE, size

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
ROWS = size(200_000, 1_000_000)
SESSIONS = 20


def _read(store) -> pd.DataFrame:
    """What the trends and map pages read: burglary, one value per district and year."""
    info = views.indicator(store, "burglary")
    return views.yearly_values(store, info, level=1).sort_values(["area_code", "year"]).reset_index(drop=True)


class Session(threading.Thread):
    """One simulated visitor reading in a loop until told to stop."""

    def __init__(self, store, old: pd.DataFrame, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.store, self.old, self.stop = store, old, stop
        self.latencies: list[float] = []
        self.frames: list[pd.DataFrame] = []
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                frame = _read(self.store)
            except Exception as exc:  # every failure is a finding: count it, keep reading
                self.errors.append(repr(exc))
                continue
            self.latencies.append(time.perf_counter() - started)
            self.frames.append(frame)


def _verdict(frame: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame) -> str:
    if frame.empty:
        return "empty"
    if frame.equals(old):
        return "old"
    return "new" if frame.equals(new) else "mixed"


@pytest.mark.slow
def test_sessions_reading_during_a_large_import_see_old_or_new_never_mixed(demo_file, tmp_path):
    data = changing_import(ROWS)
    store = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    try:
        old = _read(store)
        stop = threading.Event()
        sessions = [Session(store, old, stop) for _ in range(SESSIONS)]
        for session in sessions:
            session.start()
        time.sleep(0.5)
        started = time.perf_counter()
        report = imports.import_table(store, ImportKind.OBSERVATIONS, data, "changing.csv", actor=DEMO_ACTOR)
        import_s = time.perf_counter() - started
        time.sleep(1.0)  # let every session read the new state a few times
        stop.set()
        for session in sessions:
            session.join(timeout=60)
        new = _read(store)
    finally:
        store.close()
    assert report.ok and report.updated > 0, report.to_text()
    assert not new.equals(old)
    verdicts = [_verdict(frame, old, new) for s in sessions for frame in s.frames]
    errors = [e for s in sessions for e in s.errors]
    latencies = np.array([x for s in sessions for x in s.latencies])
    figures = {
        "rows": ROWS,
        "sessions": SESSIONS,
        "import_s": round(import_s, 2),
        "reads": len(verdicts),
        "old": verdicts.count("old"),
        "new": verdicts.count("new"),
        "mixed": verdicts.count("mixed"),
        "empty": verdicts.count("empty"),
        "errors": len(errors),
        "p50_ms": round(float(np.percentile(latencies, 50)) * 1000, 1),
        "p95_ms": round(float(np.percentile(latencies, 95)) * 1000, 1),
        "max_ms": round(float(latencies.max()) * 1000, 1),
    }
    print(json.dumps(figures))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"reliability_concurrency_{SIZE}.json").write_text(json.dumps(figures, indent=2) + "\n")
    assert errors == [], errors[:3]
    assert figures["mixed"] == figures["empty"] == 0
    assert figures["old"] > 0 and figures["new"] > 0  # the reads really straddled the commit
