"""The series-break register: list, add, edit and remove the dates after which a series is not comparable.

Charts draw the breaks and trend tests start after the latest one (services.trends, trend_checks);
this module is where staff keep the register. Every write re-checks the role and is audited.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from observatory import auth
from observatory.domain import Actor, NotFound
from observatory.store import Store, breaks, queries
from observatory.store.breaks import BreakExists

__all__ = ["BreakExists", "add_break", "edit_break", "list_breaks", "remove_break"]


def list_breaks(store: Store, indicator_code: str | None = None) -> pd.DataFrame:
    """The register: indicator_code, break_date (datetime.date), note; by indicator then date.

    Args:
        store: The store.
        indicator_code: Only this indicator's breaks; all when None.
    """
    frame = queries.all_series_breaks(store)
    if indicator_code is not None:
        frame = frame[frame["indicator_code"] == indicator_code]
    frame = frame.reset_index(drop=True)
    frame["break_date"] = [pd.Timestamp(d).date() for d in frame["break_date"]]
    return frame


def _known_indicator(store: Store, indicator_code: str) -> None:
    if indicator_code not in set(queries.indicators(store)["code"].astype(str)):
        raise NotFound(f"unknown indicator {indicator_code!r}")


def _clean(note: str | None) -> str | None:
    return (note or "").strip() or None


def add_break(
    store: Store, indicator_code: str, break_date: date, note: str | None = None, *, actor: Actor
) -> None:
    """Register a series break of an indicator from ``break_date`` on.

    Args:
        store: The store.
        indicator_code: A known indicator.
        break_date: First day of the new series (e.g. 2025-07-01).
        note: What changed (definition, source, recording practice).
        actor: Who does it (needs the ``edit_indicators`` right).

    Raises:
        PermissionDenied: If the actor may not edit indicators.
        NotFound: If the indicator is unknown.
        BreakExists: If that indicator already has a break on that date.
    """
    auth.require(actor, "edit_indicators")
    _known_indicator(store, indicator_code)
    breaks.insert_break(store, indicator_code, break_date, _clean(note), actor=actor.name)


def edit_break(
    store: Store,
    indicator_code: str,
    break_date: date,
    *,
    actor: Actor,
    new_date: date | None = None,
    note: str | None = None,
) -> None:
    """Move a registered break and/or change its note (a None argument keeps what is stored).

    Raises:
        PermissionDenied: If the actor may not edit indicators.
        NotFound: If there is no such break.
        BreakExists: If another break already sits on ``new_date``.
    """
    auth.require(actor, "edit_indicators")
    found = list_breaks(store, indicator_code)
    current = found[found["break_date"] == break_date]
    if current.empty:
        raise NotFound(f"{indicator_code} has no series break on {break_date.isoformat()}")
    kept = current["note"].iloc[0]
    new_note = _clean(note) if note is not None else (None if pd.isna(kept) else str(kept))
    breaks.update_break(
        store, indicator_code, break_date, new_date=new_date or break_date, note=new_note, actor=actor.name
    )


def remove_break(store: Store, indicator_code: str, break_date: date, *, actor: Actor) -> None:
    """Remove a registered break.

    Raises:
        PermissionDenied: If the actor may not edit indicators.
        NotFound: If there is no such break.
    """
    auth.require(actor, "edit_indicators")
    breaks.delete_break(store, indicator_code, break_date, actor=actor.name)
