"""A new release against the current one: corrections held back where a comparison would disclose, and
what changes for the public, cell by cell (DESIGN §4).

The rule itself is :func:`observatory.stats.disclosure.hold_revisions`; this module gives it its
blocks (a count indicator, or a derived total with its components, in one calendar year), reads the
current release and lists the differences the publish page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from observatory import auth
from observatory.domain import Actor, Unit
from observatory.stats import disclosure
from observatory.store import Store, snapshot

KEY = ["indicator_code", "area_code", "granularity", "period_start"]
_BLOCK = "_block"
#: Kinds of change a cell can have between the current release and the next.
ADDED, REMOVED, CHANGED, HELD = "added", "removed", "changed", "held"


@dataclass(frozen=True, slots=True)
class Held:
    """The observations a new release holds after the rule, with the reason of each row and the blocks
    whose corrections were held back ("indicator|…:year")."""

    observations: pd.DataFrame
    reasons: pd.Series
    blocks: tuple[str, ...]


def current_observations(published: Store | None) -> pd.DataFrame | None:
    """The observation rows of the release the public reads now (None when there is none)."""
    if published is None:
        return None
    names = ", ".join(snapshot.columns("observations"))  # declared columns, never user input
    return published.frame(f"SELECT {names} FROM observations")  # noqa: S608


def read_current(snapshot_path: str | Path) -> pd.DataFrame | None:
    """The observation rows of the release the public sees (None when nothing is published).

    That is the file at *snapshot_path* when it passes the release checks, else the last good release
    kept beside it (a damaged file is never served, so it is not what the public compares with).
    """
    for path in (Path(snapshot_path), snapshot.previous_path(snapshot_path)):
        if not path.exists():
            continue
        try:
            opened = snapshot.open_verified(path)
        except snapshot.BadRelease:
            continue
        try:
            return current_observations(opened)
        finally:
            opened.close()
    return None


def _blocks(rows: pd.DataFrame, counts: set[str], together: Sequence[tuple[str, ...]]) -> pd.Series:
    """Each count row's block name; missing for rows of other units (never withheld by the rule)."""
    unit = {code: "|".join(sorted(group)) for group in together for code in group}
    codes = rows["indicator_code"].astype(str)
    names = codes.map(lambda code: unit.get(code, code))
    years = pd.to_datetime(rows["period_start"]).dt.year.astype(str)
    return (names + ":" + years).where(codes.isin(counts))


def _reasons(rows: pd.DataFrame) -> pd.Series:
    """The reason of each published row, read from what it shows (a held row has no other record)."""
    display = rows["display"].fillna("").astype(str)
    status = rows["status"].astype(str)
    reason = pd.Series("", index=rows.index, dtype=object)
    reason[status == "suppressed"] = disclosure.SECONDARY
    reason[(status == "suppressed") & display.str.startswith("<")] = disclosure.PRIMARY
    reason[status == "not_published"] = disclosure.NOT_PUBLISHED
    return reason


def hold(
    candidate: pd.DataFrame,
    reasons: pd.Series,
    current: pd.DataFrame | None,
    indicators: pd.DataFrame,
    together: Sequence[tuple[str, ...]] = (),
) -> Held:
    """The candidate observations with corrections to blocks holding a withheld cell held back.

    Args:
        candidate: The observations disclosure control gives for the store as it is now.
        reasons: Their reasons (``primary``, ``secondary``, ``not_published`` or ``""``).
        current: The current release's observations (None for a first release: nothing to compare).
        indicators: code and unit of every indicator.
        together: Indicator sets suppressed together (they form one block).
    """
    if current is None or current.empty or candidate.empty:
        return Held(candidate, reasons, ())
    counts = set(indicators.loc[indicators["unit"] == Unit.COUNT.value, "code"].astype(str))
    new = candidate.assign(period_start=pd.to_datetime(candidate["period_start"]), _reason=reasons.to_numpy())
    now = current.assign(period_start=pd.to_datetime(current["period_start"]))
    new[_BLOCK] = _blocks(new, counts, together)
    now[_BLOCK] = _blocks(now, counts, together)
    rows, held = disclosure.hold_revisions(now, new, key=KEY, block=_BLOCK)
    if held.empty:
        return Held(candidate, reasons, ())
    from_current = rows["_reason"].isna()
    rows.loc[from_current, "_reason"] = _reasons(rows[from_current])
    out = rows.sort_values(KEY, kind="stable").reset_index(drop=True)
    return Held(out[list(candidate.columns)], out["_reason"].astype(object), tuple(held))


def cell_changes(current: pd.DataFrame | None, new: pd.DataFrame, held: Sequence[str] = ()) -> pd.DataFrame:
    """What changes for the public, cell by cell, between the current release and a new one.

    Returns:
        One row per cell that is added, removed or shows something different (its value or mark),
        and per cell of a held block whose correction waits: indicator_code, area_code, granularity,
        period_start, before, after (the text a visitor reads) and change (added, removed, changed,
        held). Empty when nothing changes.
    """
    columns = [*KEY, "before", "after", "change"]
    if current is None:
        return pd.DataFrame(columns=columns)

    def shown(rows: pd.DataFrame) -> pd.DataFrame:
        text = rows["value"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
        return rows.assign(
            period_start=pd.to_datetime(rows["period_start"]),
            text=rows["display"].where(rows["value"].isna(), text).fillna(""),
        )[[*KEY, "text"]]

    both = shown(current).merge(
        shown(new), on=KEY, how="outer", suffixes=("_before", "_after"), indicator=True
    )
    both = both.rename(columns={"text_before": "before", "text_after": "after"})
    both["change"] = both["_merge"].map({"left_only": REMOVED, "right_only": ADDED, "both": CHANGED})
    differs = both["change"].ne(CHANGED) | both["before"].ne(both["after"])
    found = both[differs].copy()
    if held:
        years = {
            (code, int(year))
            for block in held
            for code_set, year in [block.rsplit(":", 1)]
            for code in code_set.split("|")
        }
        in_held = [
            (code, stamp.year) in years
            for code, stamp in zip(both["indicator_code"], both["period_start"], strict=True)
        ]
        waiting = both[pd.Series(in_held, index=both.index) & ~differs].assign(change=HELD)
        found = pd.concat([found, waiting])
    return found[columns].sort_values(KEY, kind="stable").reset_index(drop=True)


def dry_run(store: Store, published: Store | None, *, actor: Actor) -> tuple[Any, pd.DataFrame]:
    """The publish page's dry run: the figures publishing now would give (``publish.Figures``) and what
    it would change for the public, cell by cell (:func:`cell_changes`), from one computation.

    Raises:
        PermissionDenied: If the actor may not publish.
    """
    from observatory.services import publish  # publish uses this module's rule

    auth.require(actor, "publish")
    current = current_observations(published)
    tables, figures, held = publish.public_tables(store, current)
    return figures, cell_changes(current, tables["observations"], held)
