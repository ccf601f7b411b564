"""Reads of the area groupings staff define: the groups and their member districts.

A release written before groupings existed has neither table; it reads as a city without groups.
"""

from __future__ import annotations

import pandas as pd

from observatory.store.connection import Store


def _present(store: Store) -> bool:
    found = store.rows(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name IN ('area_groups', 'area_group_members')"
    )
    return int(found[0][0]) == 2


def groups(store: Store) -> pd.DataFrame:
    """code, name, members (how many districts), member_codes (sorted list), by code."""
    if not _present(store):
        return pd.DataFrame(columns=["code", "name", "members", "member_codes"])
    return store.frame(
        "SELECT g.code, g.name, count(m.area_code) AS members, "
        "coalesce(list(m.area_code ORDER BY m.area_code) FILTER (WHERE m.area_code IS NOT NULL), []) "
        "AS member_codes FROM area_groups g LEFT JOIN area_group_members m ON m.group_code = g.code "
        "GROUP BY g.code, g.name ORDER BY g.code"
    )


def members(store: Store, group_code: str) -> list[str]:
    """The member district codes of one group, sorted (empty for an unknown group)."""
    if not _present(store):
        return []
    rows = store.rows(
        "SELECT area_code FROM area_group_members WHERE group_code = ? ORDER BY area_code", [group_code]
    )
    return [str(r[0]) for r in rows]
