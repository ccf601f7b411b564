"""The merge's own classification, returned on request: created and updated rows with stored values."""

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from observatory.store import connect, queries, writes


@pytest.fixture
def store():
    opened = connect(":memory:")
    yield opened
    opened.close()


def _obs(values):
    n = len(values)
    return pd.DataFrame(
        {
            "indicator_code": ["burglary"] * n,
            "area_code": [f"{i + 1:02d}" for i in range(n)],
            "granularity": ["month"] * n,
            "period_start": pd.to_datetime(["2024-01-01"] * n),
            "value": np.array(values, dtype=float),
            "sample_size": pd.array([None] * n, dtype="Int64"),
            "status": ["ok"] * n,
        }
    )


def _record(frame):
    return writes.BatchRecord(
        "observations",
        "obs.csv",
        "sha",
        len(frame),
        0,
        "tester",
        datetime(2026, 1, 1),
        tables={"observations": frame},
        main_table="observations",
    )


def test_no_preview_unless_asked(store):
    _, counts = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=True)
    assert counts.changes is None


def test_dry_run_preview_lists_created_and_updated_rows_with_stored_values(store):
    writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=False)
    _, counts = writes.apply_batch(store, _record(_obs([1, 5, 3, 4])), dry_run=True, preview_rows=10)
    changes = counts.changes
    assert changes["change"].tolist() == ["created", "updated"]
    assert changes["area_code"].tolist() == ["04", "02"]
    assert changes["value"].tolist() == [4.0, 5.0]
    assert np.isnan(changes["stored_value"].iloc[0])
    assert changes["stored_value"].iloc[1] == 2.0


def test_preview_leaves_out_unchanged_rows(store):
    writes.apply_batch(store, _record(_obs([1, 2])), dry_run=False)
    _, counts = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=True, preview_rows=10)
    assert counts.unchanged == 2
    assert counts.changes.empty


def test_preview_is_limited_per_kind_of_change(store):
    writes.apply_batch(store, _record(_obs([1, 2, 3])), dry_run=False)
    _, counts = writes.apply_batch(store, _record(_obs([9, 9, 9, 4, 5, 6])), dry_run=True, preview_rows=2)
    assert counts.changes["change"].tolist() == ["created", "created", "updated", "updated"]
    assert (counts.created, counts.updated) == (3, 3)


def test_commit_preview_shows_the_values_before_the_write(store):
    writes.apply_batch(store, _record(_obs([1])), dry_run=False)
    _, counts = writes.apply_batch(store, _record(_obs([7])), dry_run=False, preview_rows=5)
    assert counts.changes["stored_value"].tolist() == [1.0]
    assert queries.table_contents(store, "observations")["value"].tolist() == [7.0]


def test_preview_does_not_change_the_counts_comparison(store):
    _, dry = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=True, preview_rows=5)
    _, plain = writes.apply_batch(store, _record(_obs([1, 2])), dry_run=True)
    assert dry == plain


def test_preview_of_a_batch_larger_than_a_row_group_lists_its_rows(store):
    # The staged table then spans more than one DuckDB row group (122,880 rows); see test_writes.
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
    _, counts = writes.apply_batch(store, _record(frame), dry_run=True, preview_rows=200)
    assert counts.created == n
    assert counts.changes["area_code"].tolist() == [f"{i:06d}" for i in range(200)]
