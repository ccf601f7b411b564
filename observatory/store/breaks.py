"""Writes of the series-break register, each one transaction with its audit-log line."""

from __future__ import annotations

from datetime import date

import duckdb

from observatory.domain import NotFound, ObservatoryError
from observatory.store.connection import Store
from observatory.store.writes import audit_in


class BreakExists(ObservatoryError):
    """A series break is already registered for that indicator and date."""


def _exists(cur: duckdb.DuckDBPyConnection, indicator_code: str, when: date) -> bool:
    found = cur.execute(
        "SELECT count(*) FROM series_breaks WHERE indicator_code = ? AND break_date = ?",
        [indicator_code, when],
    ).fetchall()
    return bool(found[0][0])


def insert_break(store: Store, indicator_code: str, when: date, note: str | None, *, actor: str) -> None:
    """Register a break.

    Raises:
        BreakExists: If the indicator already has a break on that date.
    """
    with store.transaction() as cur:
        if _exists(cur, indicator_code, when):
            raise BreakExists(f"{indicator_code} already has a series break on {when.isoformat()}")
        cur.execute("INSERT INTO series_breaks VALUES (?, ?, ?)", [indicator_code, when, note])
        audit_in(cur, actor, "add_series_break", f"{indicator_code} {when.isoformat()}: {note or ''}")


def update_break(
    store: Store, indicator_code: str, when: date, *, new_date: date, note: str | None, actor: str
) -> None:
    """Move a break to ``new_date`` and/or change its note.

    Raises:
        NotFound: If there is no such break.
        BreakExists: If another break already sits on ``new_date``.
    """
    with store.transaction() as cur:
        if not _exists(cur, indicator_code, when):
            raise NotFound(f"{indicator_code} has no series break on {when.isoformat()}")
        if new_date != when and _exists(cur, indicator_code, new_date):
            raise BreakExists(f"{indicator_code} already has a series break on {new_date.isoformat()}")
        cur.execute(
            "UPDATE series_breaks SET break_date = ?, note = ? WHERE indicator_code = ? AND break_date = ?",
            [new_date, note, indicator_code, when],
        )
        detail = f"{indicator_code} {when.isoformat()} → {new_date.isoformat()}: {note or ''}"
        audit_in(cur, actor, "edit_series_break", detail)


def delete_break(store: Store, indicator_code: str, when: date, *, actor: str) -> None:
    """Remove a break.

    Raises:
        NotFound: If there is no such break.
    """
    with store.transaction() as cur:
        if not _exists(cur, indicator_code, when):
            raise NotFound(f"{indicator_code} has no series break on {when.isoformat()}")
        cur.execute(
            "DELETE FROM series_breaks WHERE indicator_code = ? AND break_date = ?", [indicator_code, when]
        )
        audit_in(cur, actor, "remove_series_break", f"{indicator_code} {when.isoformat()}")
