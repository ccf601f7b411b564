"""Store.transaction turns a failed write (disk full, file too large) into a StoreError and rolls back."""

import duckdb
import pytest

from observatory.store import StoreError, connect


@pytest.fixture
def store(tmp_path):
    opened = connect(tmp_path / "t.duckdb")
    with opened.transaction() as cur:
        cur.execute("CREATE TABLE t (x INTEGER)")
    yield opened
    opened.close()


def test_io_error_inside_the_transaction_becomes_a_store_error_and_nothing_is_saved(store):
    with pytest.raises(StoreError, match="nothing was saved"), store.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
        raise duckdb.IOException('Could not write file "t.duckdb": No space left on device')
    assert store.scalar("SELECT count(*) FROM t") == 0


def test_other_errors_roll_back_and_pass_through_unchanged(store):
    with pytest.raises(ZeroDivisionError), store.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
        _ = 1 / 0
    assert store.scalar("SELECT count(*) FROM t") == 0


def test_store_stays_usable_after_a_refused_write(store):
    with pytest.raises(StoreError), store.transaction() as cur:
        raise duckdb.IOException("disk full")
    with store.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (2)")
    assert store.scalar("SELECT count(*) FROM t") == 1
