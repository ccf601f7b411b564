"""Reads never see half of a commit: a transaction's deletes and inserts, seen together or not at all.

DuckDB 2.0 can make a committing transaction's inserted rows visible to a concurrent statement before
its deletes: without the store's gate, this test saw 34–50 of about 2,500 reads count old and new
rows together (450,000), and some a part of them (412,640). The store keeps reads out of the COMMIT.
"""

from __future__ import annotations

import collections
import threading
import time

import pytest

from observatory.store import connect
from observatory.store.connection import CommitGate

ROWS = 300_000


@pytest.mark.slow
def test_readers_never_count_old_and_new_rows_together_while_replacements_commit(tmp_path):
    store = connect(tmp_path / "gate.duckdb")
    with store.transaction() as cur:
        cur.execute("CREATE TABLE t AS SELECT i % 100 AS k, i AS v FROM range(?) r(i)", [ROWS])
    seen: collections.Counter[int] = collections.Counter()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen[int(store.scalar("SELECT count(*) FROM t"))] += 1

    readers = [threading.Thread(target=read) for _ in range(6)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(15):
            with store.transaction() as cur:
                # Half the rows replaced: deleted, then written again, as an import's updates are.
                cur.execute("DELETE FROM t WHERE k < 50")
                cur.execute(
                    "INSERT INTO t SELECT i % 100 AS k, i FROM range(?) r(i) WHERE i % 100 < 50 ORDER BY k",
                    [ROWS],
                )
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        store.close()
    assert sum(seen.values()) > 100  # the reads really ran during the commits
    assert set(seen) == {ROWS}, dict(seen)


def test_a_waiting_commit_goes_before_new_readers_and_waits_for_current_ones():
    gate = CommitGate()
    order: list[str] = []
    first_reading, commit_waiting = threading.Event(), threading.Event()

    def early_reader() -> None:
        with gate.reading():
            first_reading.set()
            commit_waiting.wait(5)
            time.sleep(0.05)
            order.append("early read")

    def committer() -> None:
        first_reading.wait(5)
        commit_waiting.set()
        with gate.committing():
            order.append("commit")

    def late_reader() -> None:
        commit_waiting.wait(5)
        time.sleep(0.02)
        with gate.reading():
            order.append("late read")

    threads = [threading.Thread(target=f) for f in (early_reader, committer, late_reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert order == ["early read", "commit", "late read"]


def test_holding_writes_keeps_other_threads_commits_out_and_lets_the_holder_write(tmp_path):
    store = connect(tmp_path / "held.duckdb")
    with store.transaction() as cur:
        cur.execute("CREATE TABLE t (v INTEGER)")
    committed = threading.Event()

    def other_writer() -> None:
        with store.transaction() as cur:
            cur.execute("INSERT INTO t VALUES (2)")
        committed.set()

    try:
        with store.writes_held():
            writer = threading.Thread(target=other_writer)
            writer.start()
            assert not committed.wait(0.3)  # the other thread waits for the holder
            with store.transaction() as cur:  # the holder itself may write
                cur.execute("INSERT INTO t VALUES (1)")
            assert store.scalar("SELECT list(v ORDER BY v) FROM t") == [1]
        writer.join(5)
        assert committed.is_set()
        assert store.scalar("SELECT list(v ORDER BY v) FROM t") == [1, 2]
    finally:
        store.close()
