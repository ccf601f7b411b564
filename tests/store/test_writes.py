"""The store's merge, batch log and exact rollback, on small frames."""

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from observatory.domain import NotFound
from observatory.store import connect, queries, writes


@pytest.fixture
def store():
    opened = connect(":memory:")
    yield opened
    opened.close()


def _obs(values, status=None):
    n = len(values)
    return pd.DataFrame(
        {
            "indicator_code": ["burglary"] * n,
            "area_code": [f"{i + 1:02d}" for i in range(n)],
            "granularity": ["month"] * n,
            "period_start": pd.to_datetime(["2024-01-01"] * n),
            "value": np.array(values, dtype=float),
            "sample_size": pd.array([None] * n, dtype="Int64"),
            "status": status or ["ok"] * n,
        }
    )


def _record(frame, name="obs.csv"):
    return writes.BatchRecord(
        "observations",
        name,
        "sha",
        len(frame),
        0,
        "tester",
        datetime(2026, 1, 1),
        tables={"observations": frame},
        main_table="observations",
    )


def _contents(store):
    return {t: queries.table_contents(store, t) for t in ("observations", "areas", "indicators")}


def test_commit_creates_rows_and_logs_the_batch(store):
    batch_id, counts = writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=False)
    assert (counts.created, counts.updated, counts.unchanged) == (3, 0, 0)
    assert queries.count_rows(store, "observations") == 3
    assert queries.batch(store, batch_id)["state"].iloc[0] == "committed"


def test_dry_run_counts_like_a_commit_and_writes_nothing(store):
    _, dry = writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=True)
    assert queries.count_rows(store, "observations") == 0
    _, real = writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=False)
    assert dry == real


def test_reimport_is_unchanged_and_keeps_the_first_batch_id(store):
    first, _ = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=False)
    _, counts = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=False)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
    assert set(queries.table_contents(store, "observations")["batch_id"]) == {first}


def test_withheld_value_is_stored_as_null_not_zero(store):
    writes.apply_batch(store, _record(_obs([np.nan], ["not_published"])), dry_run=False)
    stored = queries.table_contents(store, "observations")
    assert stored["value"].isna().all()
    assert stored["status"].tolist() == ["not_published"]


def test_null_to_null_is_unchanged(store):
    writes.apply_batch(store, _record(_obs([np.nan], ["not_published"])), dry_run=False)
    _, counts = writes.apply_batch(store, _record(_obs([np.nan], ["not_published"])), dry_run=False)
    assert counts.unchanged == 1


def test_rollback_of_an_update_restores_previous_values_exactly(store):
    writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=False)
    before = _contents(store)
    second, counts = writes.apply_batch(store, _record(_obs([1, 5, 3, 4])), dry_run=False)
    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 2)
    writes.rollback_batch(store, second, user_name="tester")
    after = _contents(store)
    for table, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[table])


def test_rollback_refused_while_a_later_batch_changed_the_same_rows(store):
    first, _ = writes.apply_batch(store, _record(_obs([1])), dry_run=False)
    writes.apply_batch(store, _record(_obs([7])), dry_run=False)
    with pytest.raises(writes.RollbackRefused, match="later batches"):
        writes.rollback_batch(store, first, user_name="tester")


def test_created_rows_need_no_history_and_roll_back_by_batch(store):
    first, _ = writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=False)
    assert store.scalar("SELECT count(*) FROM observations_history") == 0
    writes.rollback_batch(store, first, user_name="tester")
    assert queries.count_rows(store, "observations") == 0


def test_rollback_allowed_again_once_the_later_batch_is_rolled_back(store):
    first, _ = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=False)
    second, _ = writes.apply_batch(store, _record(_obs([1, 7])), dry_run=False)
    writes.rollback_batch(store, second, user_name="tester")
    assert queries.table_contents(store, "observations")["value"].tolist() == [1, 2]
    writes.rollback_batch(store, first, user_name="tester")
    assert queries.count_rows(store, "observations") == 0


def test_rollback_twice_is_refused(store):
    first, _ = writes.apply_batch(store, _record(_obs([1])), dry_run=False)
    writes.rollback_batch(store, first, user_name="tester")
    with pytest.raises(writes.RollbackRefused, match="rolled_back"):
        writes.rollback_batch(store, first, user_name="tester")


def test_rollback_of_unknown_batch(store):
    with pytest.raises(NotFound):
        writes.rollback_batch(store, 99, user_name="tester")


def test_rollback_is_recorded_as_its_own_batch_and_audited(store):
    first, _ = writes.apply_batch(store, _record(_obs([1])), dry_run=False)
    new_id = writes.rollback_batch(store, first, user_name="tester")
    row = queries.batch(store, new_id).iloc[0]
    assert (row["kind"], int(row["rolls_back"])) == ("rollback", first)
    assert queries.count_rows(store, "audit_log") == 2


def test_child_rows_are_replaced_as_a_set_per_parent_and_restored_on_rollback(store):
    def links(pairs):
        return pd.DataFrame(pairs, columns=["action_code", "partner_code"])

    def record(frame):
        return writes.BatchRecord(
            "actions",
            "a.csv",
            "s",
            len(frame),
            0,
            "t",
            datetime(2026, 1, 1),
            tables={"action_partners": frame},
            main_table="action_partners",
        )

    writes.apply_batch(store, record(links([("A1", "P1"), ("A1", "P2"), ("A2", "P1")])), dry_run=False)
    before = queries.table_contents(store, "action_partners")
    second, counts = writes.apply_batch(store, record(links([("A1", "P1")])), dry_run=False)
    assert counts.deleted == 1
    assert queries.table_contents(store, "action_partners")[
        ["action_code", "partner_code"]
    ].values.tolist() == [["A1", "P1"], ["A2", "P1"]]
    writes.rollback_batch(store, second, user_name="t")
    pd.testing.assert_frame_equal(before, queries.table_contents(store, "action_partners"))


def test_failed_statement_leaves_nothing_half_written(store):
    bad = _obs([1, 2])
    bad["period_start"] = ["2024-01-01", "not a date"]
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        writes.apply_batch(store, _record(bad), dry_run=False)
    assert queries.count_rows(store, "observations") == 0
    assert queries.count_rows(store, "batches") == 0


def test_read_only_store_refuses_writes(tmp_path):
    path = tmp_path / "ro.duckdb"
    connect(path).close()
    ro = connect(path, read_only=True)
    with pytest.raises(Exception, match="read-only"):
        writes.audit(ro, "x", "y")
    ro.close()


def test_batch_larger_than_a_row_group_is_written_whole(store):
    # DuckDB 2.0 reads back a table created and filled (>= 122,880 rows) inside one transaction as
    # empty; the scratch tables are therefore made before the transaction. This guards that.
    n = 130_000
    frame = pd.DataFrame(
        {
            "indicator_code": ["burglary"] * n,
            "area_code": [f"{i:06d}" for i in range(n)],
            "granularity": ["month"] * n,
            "period_start": pd.to_datetime(["2024-01-01"] * n),
            "value": np.ones(n),
            "sample_size": pd.array([None] * n, dtype="Int64"),
            "status": ["ok"] * n,
        }
    )
    batch_id, counts = writes.apply_batch(store, _record(frame), dry_run=False)
    assert counts.created == n
    assert queries.count_rows(store, "observations") == n
    writes.rollback_batch(store, batch_id, user_name="tester")
    assert queries.count_rows(store, "observations") == 0


def test_rollback_refused_when_a_later_batch_recreated_a_deleted_child_row(store):
    def record(pairs):
        frame = pd.DataFrame(pairs, columns=["action_code", "partner_code"])
        return writes.BatchRecord(
            "actions", "a.csv", "s", len(frame), 0, "t", datetime(2026, 1, 1),
            tables={"action_partners": frame}, main_table="action_partners",
        )  # fmt: skip

    writes.apply_batch(store, record([("A1", "P1"), ("A1", "P2")]), dry_run=False)
    dropped, _ = writes.apply_batch(store, record([("A1", "P1")]), dry_run=False)
    again, _ = writes.apply_batch(store, record([("A1", "P1"), ("A1", "P2")]), dry_run=False)
    with pytest.raises(writes.RollbackRefused, match=rf"\[{again}\]"):
        writes.rollback_batch(store, dropped, user_name="t")
