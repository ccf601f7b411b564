"""What a batch would change: its staged rows classified created or updated, with the stored values.

The classification is the one the merge itself makes (``staged_<table>.change`` in writes.py), read
before anything is written, so a preview says exactly what the commit of the same file would do.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.store.schema import TableSpec

#: Changes a preview lists; unchanged rows need no review.
PREVIEWED = ("created", "updated")
#: Prefix of the columns holding the stored value beside each new one.
STORED_PREFIX = "stored_"


def staged_changes(cur: duckdb.DuckDBPyConnection, spec: TableSpec, limit: int) -> pd.DataFrame:
    """The first ``limit`` created and the first ``limit`` updated rows staged for ``spec``'s table.

    Args:
        cur: The transaction's cursor, after the table was staged and before it is written.
        spec: The table's declaration.
        limit: Rows per kind of change.

    Returns:
        Columns ``change``, the key columns, then each value column followed by ``stored_<column>``
        (blank for created rows), ordered by change then key.
    """
    join = " AND ".join(f"t.{k} = s.{k}" for k in spec.keys)
    columns = [f"s.{k}" for k in spec.keys]
    columns += [part for v in spec.values for part in (f"s.{v}", f"t.{v} AS {STORED_PREFIX}{v}")]
    order = ", ".join(f"s.{k}" for k in spec.keys)
    select = (
        f"SELECT s.change, {', '.join(columns)} FROM staged_{spec.name} s "
        f"LEFT JOIN {spec.name} t ON {join} WHERE s.change = ? ORDER BY {order} LIMIT ?"
    )
    parts = " UNION ALL ".join(f"({select})" for _ in PREVIEWED)
    params: list[object] = [item for change in PREVIEWED for item in (change, limit)]
    # ORDER BY ALL: change first, then the key columns that follow it, which are unique per change.
    return cur.execute(f"SELECT * FROM ({parts}) ORDER BY ALL", params).df()
