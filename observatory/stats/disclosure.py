"""Statistical disclosure control for public outputs (DESIGN §4).

Small counts (1 … k−1) are withheld and shown as "< k"; where a published total would let a
withheld cell be recovered by subtraction, one more cell is withheld; values derived from a
withheld count (rates) are withheld too. A withheld value is NaN, never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from observatory.stats._arrays import as_float_array

#: Threshold k used when an indicator names none: counts 1 … 4 are withheld.
DEFAULT_THRESHOLD = 5
#: Shown in place of a cell withheld to protect another one, or withheld at source.
CONFIDENTIAL_MARK = "c"

PRIMARY = "primary"
SECONDARY = "secondary"
NOT_PUBLISHED = "not_published"


def primary_suppress(values: Any, threshold: int = DEFAULT_THRESHOLD) -> np.ndarray | pd.Series:
    """Mask of the counts too small to publish.

    Method: threshold rule of primary suppression (Hundepool et al., Statistical Disclosure
    Control, 2012, §5.2): a count c with 0 < c < k is withheld. 0 is publishable (it tells
    nobody anything about a person), and a missing value is already withheld, so neither is
    marked here.

    Args:
        values: Counts (scalar, array or Series).
        threshold: k; counts 1 … k−1 are withheld.

    Returns:
        Boolean mask, a Series on the same index when given a Series.
    """
    counts = np.atleast_1d(as_float_array(values))
    mask = (counts > 0) & (counts < threshold)
    if isinstance(values, pd.Series):
        return pd.Series(mask, index=values.index, dtype=bool)
    return mask


def _margin_sets(group_cols: str | Sequence[str] | Sequence[Sequence[str]]) -> list[list[str]]:
    """Accept one margin (["indicator", "period"]) or several ([[…], […]])."""
    if isinstance(group_cols, str):
        return [[group_cols]]
    if all(isinstance(col, str) for col in group_cols):
        return [list(group_cols)]  # type: ignore[arg-type]
    return [[col] if isinstance(col, str) else list(col) for col in group_cols]


def _protect_margin(work: pd.DataFrame, cols: list[str]) -> bool:
    """Withhold one more cell in every group of *cols* that has exactly one withheld cell.

    The cell chosen is the smallest published non-zero one (least information lost); a zero
    is taken only when the group has no published non-zero cell left, because a withheld cell
    beside only zeros equals the total. Returns True when a cell was withheld.
    """
    grouped = work.groupby(cols, dropna=False, sort=False)["_withheld"]
    lone = (grouped.transform("sum") == 1) & (grouped.transform("size") >= 2)
    candidates = work.loc[lone & ~work["_withheld"]]
    if candidates.empty:
        return False
    ordered = candidates.assign(_is_zero=candidates["_value"] == 0).sort_values(
        ["_is_zero", "_value", "_order"], kind="stable"
    )
    chosen = ordered.drop_duplicates(subset=cols, keep="first").index
    work.loc[chosen, "_withheld"] = True
    work.loc[chosen, "reason"] = SECONDARY
    return True


def _bounds(primary: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """What a reader knows of each withheld cell: "< k" lies in [1, k−1]; any other is ≥ 0."""
    return np.where(primary, 1.0, 0.0), np.where(primary, threshold - 1.0, np.inf)


def protection_width(threshold: int) -> int:
    """The narrowest range a reader holding the published tables may pin a small count to.

    Method: a protection interval (Hundepool et al. 2012, §5.3 on sensitivity intervals) stated as a
    width: every count shown "< k" must keep a range of at least ⌊(k−1)/2⌋ between the smallest and
    the largest value consistent with everything published (for k = 5: width 2, three possible
    values such as 1–3 or 2–4; the label "< 5" alone gives 1–4, width 3). A threshold of 2 or 3 leaves
    nothing to protect beyond the label.
    """
    return max((int(threshold) - 1) // 2, 0)


def _pinned(values: np.ndarray, primary: np.ndarray, threshold: int) -> bool:
    """True when a group's total and the bounds of its withheld cells narrow one of them too far.

    Each withheld cell i lies in [max(lb_i, S − Σ_{j≠i} ub_j), min(ub_i, S − Σ_{j≠i} lb_j)], S the sum
    of the withheld cells (the published total minus the published cells). Too far is one value for
    any cell (two cells shown "< 5" summing to 2 are both 1; a cell "< 5" beside a withheld 0 is its
    whole sum), and a range narrower than :func:`protection_width` for a small count.
    """
    lower, upper = _bounds(primary, threshold)
    total = float(values.sum())
    unbounded = np.isinf(upper)
    finite = float(upper[~unbounded].sum())
    others_upper = np.where(unbounded.sum() - unbounded > 0, np.inf, finite - np.where(unbounded, 0.0, upper))
    low = np.maximum(lower, total - others_upper)
    high = np.minimum(upper, total - (lower.sum() - lower))
    width = high - low
    return bool(np.any(width < 1e-9) or np.any(primary & (width < protection_width(threshold) - 1e-9)))


def _protect_intervals(work: pd.DataFrame, cols: list[str], threshold: int) -> bool:
    """Withhold one more cell in every group whose withheld cells could be worked out exactly.

    Method: protection interval check of each group against its own total (Hundepool et al. 2012,
    §5.3 on sensitivity intervals), with what a reader knows of each withheld cell; the cell added
    is the group's smallest published non-zero one, as in the least-cell heuristic. Groups with a
    cell withheld at source are skipped: their total is unknown. Returns True when a cell was added.
    """
    added = False
    grouped = work.groupby(cols, dropna=False, sort=False)["_withheld"]
    # Only groups of two cells or more with a withheld cell can need one more.
    open_groups = work[grouped.transform("any") & (grouped.transform("size") >= 2)]
    for _, group in open_groups.groupby(cols, dropna=False, sort=False):
        hidden = group[group["_withheld"]]
        if hidden["_value"].isna().any():
            continue
        primary = (hidden["reason"] == PRIMARY).to_numpy()
        if not _pinned(hidden["_value"].to_numpy(dtype=float), primary, threshold):
            continue
        candidates = group[~group["_withheld"] & (group["_value"] > 0)]
        if candidates.empty:
            continue
        chosen = candidates.sort_values(["_value", "_order"], kind="stable").index[0]
        work.loc[chosen, "_withheld"] = True
        work.loc[chosen, "reason"] = SECONDARY
        added = True
    return added


def _default_format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def suppress_table(
    frame: pd.DataFrame,
    *,
    value_col: str,
    group_cols: str | Sequence[str] | Sequence[Sequence[str]],
    threshold: int = DEFAULT_THRESHOLD,
    formatter: Callable[[float], str] = _default_format,
) -> pd.DataFrame:
    """Apply primary and secondary suppression to a table of counts for publication.

    Method: threshold rule (counts 1 … k−1 withheld, shown "< k"), then secondary suppression
    by the least-cell heuristic (Hundepool et al. 2012, §5.3): for every margin whose total is
    published — each list in *group_cols*, e.g. districts within an indicator × period (the
    city total) and months within a year — a group with exactly one withheld cell gets its
    smallest other non-zero cell withheld as well, so no single cell can be recovered by
    subtraction; and a group whose withheld cells could still be worked out exactly from its
    total and what the page says of them ("< k" means 1 … k−1) gets one more
    (:func:`_protect_intervals`). Passes over all margins repeat until nothing changes
    (withholding only ever grows, so this ends). Values missing at source (NaN) count as
    withheld: the source's total may include them. A group of a single cell cannot be protected
    this way; its total must be withheld by the caller.

    Args:
        frame: One row per cell.
        value_col: Column holding the counts.
        group_cols: Columns of one margin, or a list of margins (each a list of columns).
        threshold: k of the threshold rule.
        formatter: Turns a published number into text (pass a locale-aware one for display).

    Returns:
        A copy of *frame* with ``value_published`` (float, NaN where withheld), ``display``
        (formatted number, ``"< k"`` for primary or :data:`CONFIDENTIAL_MARK` for other
        withheld cells), ``withheld`` (bool) and ``reason`` (``"primary"``, ``"secondary"``,
        ``"not_published"`` or ``""``).
    """
    values = pd.Series(as_float_array(frame[value_col]), index=frame.index)
    primary = primary_suppress(values, threshold)
    work = frame.copy()
    work["_value"] = values
    work["_order"] = np.arange(len(work))
    work["_withheld"] = primary | values.isna()
    work["reason"] = np.where(primary, PRIMARY, np.where(values.isna(), NOT_PUBLISHED, ""))
    margins = _margin_sets(group_cols)
    for _ in range(len(work) + 1):
        changed = [_protect_margin(work, cols) for cols in margins]
        changed += [_protect_intervals(work, cols, threshold) for cols in margins]
        if not any(changed):
            break
    withheld = work["_withheld"].astype(bool)
    work["value_published"] = values.where(~withheld)
    shown = [formatter(v) for v in values.where(~withheld, 0.0)]
    work["display"] = np.where(
        work["reason"] == PRIMARY, f"< {threshold}", np.where(withheld, CONFIDENTIAL_MARK, shown)
    )
    work["withheld"] = withheld
    return work.drop(columns=["_value", "_order", "_withheld"])


def withhold_derived(values: Any, withheld: Any) -> Any:
    """Withhold values derived from withheld counts (rates, shares …): NaN where *withheld*.

    Method: a rate from a withheld count reveals the count (rate × denominator), so it is
    withheld too (DESIGN §4).

    Args:
        values: Derived values, aligned with *withheld* (same length / index).
        withheld: Boolean mask, e.g. the ``withheld`` column of :func:`suppress_table`.

    Returns:
        The values with NaN where withheld, in the form given (Series, array or float).
    """
    mask = np.asarray(withheld, dtype=bool)
    if isinstance(values, pd.Series):
        return values.astype("float64").where(~mask)
    result = np.where(mask, np.nan, as_float_array(values))
    return float(result) if np.ndim(result) == 0 else result


def aggregate_counts(frame: pd.DataFrame, *, value_col: str, by: Sequence[str]) -> pd.DataFrame:
    """Sum cells (e.g. districts) into totals (e.g. the city), without inventing zeros.

    Method: plain sum; a total is NaN when any of its cells is missing, because a missing
    (withheld) cell has an unknown value and treating it as 0 would understate the total.
    Compute totals from the unsuppressed counts, then suppress.

    Args:
        frame: One row per cell.
        value_col: Column holding the counts.
        by: Columns that identify a total (e.g. ["indicator", "period"]).

    Returns:
        One row per group with *by* columns and *value_col* holding the total.
    """
    grouped = frame.groupby(list(by), dropna=False, sort=True)[value_col]
    complete = grouped.count() == grouped.size()
    totals = grouped.sum(min_count=1).where(complete)
    return totals.reset_index()


def _same(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Element-wise equality in which two missing values are equal."""
    both_missing = left.isna().to_numpy() & right.isna().to_numpy()
    equal = (left.to_numpy(dtype=object) == right.to_numpy(dtype=object)) & ~(
        left.isna().to_numpy() | right.isna().to_numpy()
    )
    return both_missing | equal


def hold_revisions(
    current: pd.DataFrame,
    candidate: pd.DataFrame,
    *,
    key: Sequence[str],
    block: str,
    shown: Sequence[str] = ("value", "status", "display"),
) -> tuple[pd.DataFrame, pd.Series]:
    """What a new release may show, knowing what the current one shows: corrections to a block with a
    withheld cell are held back.

    Method: a block is a set of cells tied by published totals (one count indicator, or a derived
    total with its components, in one calendar year: the districts' year and the city's months). A
    reader who sets two releases side by side sees which published figures moved and by how much,
    and with each release's totals and "< k" bounds can narrow or recover a withheld cell (a one-row
    correction made a cell "< 5" in one release and "< 5" again after a correction of +3: it was 1).
    So a block in which a cell both releases hold shows anything different (value, status or mark)
    and which has a withheld cell in either release keeps the current release's rows exactly: the
    comparison then shows nothing new, and each release alone meets the rule. New cells (a new
    year, a new month) and changes to blocks with no withheld cell are published at once.

    Args:
        current: The rows the public reads now (the current release), with *key*, *block* and *shown*.
        candidate: The rows the new release would hold, same columns.
        key: Columns naming one cell.
        block: Column naming a cell's block (missing for cells that are never withheld: not held).
        shown: Columns the public sees of a cell (a missing value is a withheld cell).

    Returns:
        The rows to publish (the candidate's, with every held block's rows taken from *current*) and
        the held blocks' names.
    """
    keys = list(key)
    columns = list(dict.fromkeys([*keys, block, *shown]))
    both = candidate[columns].merge(current[columns], on=keys, how="inner", suffixes=("", "_now"))
    moved = np.zeros(len(both), dtype=bool)
    for col in shown:
        moved |= ~_same(both[col], both[f"{col}_now"])
    changed = set(both.loc[moved, block].dropna())
    withheld = set(candidate.loc[candidate["value"].isna(), block].dropna()) | set(
        current.loc[current["value"].isna(), block].dropna()
    )
    held = sorted(changed & withheld)
    if not held:
        return candidate, pd.Series([], dtype=object)
    kept = candidate[~candidate[block].isin(held)]
    # Columns the current rows lack (a candidate's own bookkeeping) come back empty.
    from_current = current[current[block].isin(held)].reindex(columns=candidate.columns)
    rows = pd.concat([kept, from_current], ignore_index=True)
    return rows, pd.Series(held, dtype=object)
