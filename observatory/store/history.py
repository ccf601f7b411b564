"""Named reads of what changed: objectives' baselines, targets and deadlines over time.

The staff store answers from the view ``objective_changes`` (migration 005) over the history twin and
the batch log; a published snapshot holds a copy of it without names or batch numbers.
"""

from __future__ import annotations

import pandas as pd

from observatory.store.connection import Store


def _has_table(store: Store, name: str) -> bool:
    return bool(store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))


#: Columns of an objective change that anyone may see (the published snapshot keeps only these).
CHANGE_COLUMNS = (
    "objective_code",
    "changed_at",
    "old_baseline_period",
    "new_baseline_period",
    "old_baseline_value",
    "new_baseline_value",
    "old_target_value",
    "new_target_value",
    "old_target_period",
    "new_target_period",
)


def objective_changes(store: Store) -> pd.DataFrame:
    """Committed changes of objectives' baselines, targets and deadlines, newest first, without names.

    Works on the staff store (a view over the history) and on a published snapshot (a table); a
    snapshot published before the table existed simply has no changes.
    """
    cols = ", ".join(CHANGE_COLUMNS)
    if not _has_table(store, "objective_changes"):
        return pd.DataFrame({name: pd.Series(dtype=object) for name in CHANGE_COLUMNS})
    return store.frame(
        f"SELECT {cols} FROM objective_changes ORDER BY objective_code, changed_at DESC"  # noqa: S608
    )


def objective_history(store: Store, objective_code: str) -> pd.DataFrame:
    """One objective's baseline/target/deadline changes for staff: who, when, batch, old and new."""
    cols = ", ".join(CHANGE_COLUMNS)
    return store.frame(
        f"SELECT {cols}, batch_id, batch_kind, user_name FROM objective_changes "  # noqa: S608
        "WHERE objective_code = ? ORDER BY changed_at DESC, batch_id DESC",
        [objective_code],
    )
