"""What staff wrote and changed about the objectives: assessments and changes of target.

Both are read from the store the visitor reads (staff store or published snapshot), so they are
shown to every role; neither names the staff who changed a target.
"""

from __future__ import annotations

import pandas as pd

from observatory.store import Store, history, queries


def assessments(store: Store, objective_code: str | None = None) -> pd.DataFrame:
    """Written yearly assessments (text, author, date), newest year first; empty when there are none.

    Returns:
        objective_code, year, text, author, created_at.
    """
    return queries.assessments(store, objective_code)


def latest_assessments(store: Store, objective_code: str | None = None) -> pd.DataFrame:
    """The latest version of each objective's assessment of each year, newest year first.

    Staff may rewrite a year's assessment; the earlier texts stay in the store (see
    :func:`assessments`) and the strategy page shows only the latest.
    """
    written = queries.assessments(store, objective_code)
    return written.drop_duplicates(["objective_code", "year"], keep="first").reset_index(drop=True)


def target_changes(store: Store) -> pd.DataFrame:
    """Committed changes of an objective's target value or deadline, newest first, without names.

    Returns:
        objective_code, changed_at, and the old and new baseline, target value and target period.
    """
    changes = history.objective_changes(store)
    if changes.empty:
        return changes
    moved = (changes["old_target_value"] != changes["new_target_value"]) | (
        changes["old_target_period"] != changes["new_target_period"]
    )
    return changes[moved].reset_index(drop=True)
