"""Reads of the area groupings staff define: the groups and their member districts.

A release written before groupings existed has neither table; it reads as a city without groups.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import duckdb
import pandas as pd

from observatory.store.connection import Store
from observatory.store.writes import RollbackRefused


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


# Every (kind, code, area) naming an area: an objective's area, an action's target and comparison
# areas, a contract's comparison areas and its cohorts' areas (``|``-joined lists split); the parameter
# is the list of area codes asked about.
_NAMED_BY = """
WITH named(kind, code, area) AS (
    SELECT 'objective', code, area_code FROM objectives
    UNION ALL SELECT 'action', code, unnest(string_split(coalesce(target_areas, ''), '|')) FROM actions
    UNION ALL SELECT 'action', code, unnest(string_split(coalesce(comparison_areas, ''), '|')) FROM actions
    UNION ALL SELECT 'contract', code, unnest(string_split(coalesce(comparison_areas, ''), '|'))
        FROM contracts
    UNION ALL SELECT 'contract', contract_code, unnest(string_split(coalesce(areas, ''), '|'))
        FROM contract_cohorts
)
SELECT DISTINCT kind, code, area FROM named WHERE area IN (SELECT unnest(?::VARCHAR[]))
ORDER BY kind, code, area
"""
_WITH_MEMBERS = "SELECT DISTINCT group_code FROM area_group_members"


def named_by(store: Store, codes: Collection[str]) -> list[tuple[str, str, str]]:
    """(kind, code, area) of every objective, action and contract naming one of ``codes`` as an area."""
    return [(str(k), str(c), str(a)) for k, c, a in store.rows(_NAMED_BY, [sorted(codes)])]


def named_by_in(cur: duckdb.DuckDBPyConnection, codes: Collection[str]) -> list[tuple[str, str, str]]:
    """:func:`named_by` read inside a transaction another write holds."""
    return [(str(k), str(c), str(a)) for k, c, a in cur.execute(_NAMED_BY, [sorted(codes)]).fetchall()]


def with_members_in(cur: duckdb.DuckDBPyConnection) -> set[str]:
    """The codes of the groups that have member districts, read inside a write's transaction."""
    return {str(r[0]) for r in cur.execute(_WITH_MEMBERS).fetchall()}


class GroupInUse(RollbackRefused):
    """An undo that would remove groupings an action, an objective or a contract names as an area.

    Attributes:
        groups: The groupings the undo would remove, by code.
        used_by: What names them, (kind, code), by kind and code.
    """

    def __init__(self, groups: Sequence[str], used_by: Sequence[tuple[str, str]]) -> None:
        named = ", ".join(f"{kind} {code}" for kind, code in used_by)
        super().__init__(f"the grouping {', '.join(groups)} is the area of {named}; change those first")
        self.groups = tuple(groups)
        self.used_by = tuple(used_by)


def rollback_guard(cur: duckdb.DuckDBPyConnection) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """A rollback's check (:data:`observatory.store.writes.RollbackGuard`): an undo may not remove (or
    empty) a grouping that an action, an objective or a contract still names after the undo, as
    deleting one is refused."""
    before = with_members_in(cur)

    def check(after: duckdb.DuckDBPyConnection) -> None:
        gone = before - with_members_in(after)
        found = named_by_in(after, gone) if gone else []
        if found:
            groups = sorted({area for _, _, area in found})
            raise GroupInUse(groups, sorted({(kind, code) for kind, code, _ in found}))

    return check
