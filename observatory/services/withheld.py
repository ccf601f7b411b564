"""Why a district's figure is not shown: the one place that turns withheld cells into a reason.

A release marks each withheld cell (observatory.services.publish): a small count shows ``< k``
(status ``suppressed``), a cell withheld so that a small one cannot be worked out from a total shows
``c`` (status ``suppressed``), a cell not published at source keeps status ``not_published``. A
district whose period has no withheld cell but is still not shown lacks a part of the period.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from observatory.domain import Indicator, ObservationStatus
from observatory.store import Store, queries

#: Reasons, most telling first: a district with cells of several kinds is given the first.
SMALL = "small"
SOURCE = "source"
PROTECT = "protect"
INCOMPLETE = "incomplete"
REASONS = (SMALL, SOURCE, PROTECT, INCOMPLETE)


def _reason(status: str, shown: object) -> str:
    if isinstance(shown, str) and shown.startswith("<"):
        return SMALL
    if status == ObservationStatus.NOT_PUBLISHED.value:
        return SOURCE
    return PROTECT if status == "suppressed" else SOURCE


def _threshold(shown: object) -> float:
    text = shown.lstrip("< ").strip() if isinstance(shown, str) else ""
    return float(text) if text.isdigit() else float("nan")


def reasons(store: Store, info: Indicator, first: date, last: date, *, level: int = 1) -> pd.DataFrame:
    """The reason each area of ``level`` has withheld cells between two dates.

    Args:
        store: The store or release the page reads.
        info: The indicator.
        first, last: The period's first and last day (a calendar year, or a rolling year's months).
        level: The areas' level (1: districts).

    Returns:
        code, reason (one of :data:`REASONS` but ``incomplete``), threshold (the k of "fewer than k"
        for a small count, else NaN); only areas with a withheld cell.
    """
    cells = queries.withheld_cells(store, info.code, level=level, first=first, last=last)
    if cells.empty:
        return pd.DataFrame({"code": [], "reason": [], "threshold": []})
    cells = cells.assign(
        reason=[_reason(str(s), v) for s, v in zip(cells["status"], cells["shown"], strict=True)],
        threshold=[_threshold(v) for v in cells["shown"]],
        rank=lambda f: f["reason"].map(REASONS.index),
    )
    first_reason = cells.sort_values(["area_code", "rank"]).drop_duplicates("area_code")
    return pd.DataFrame(
        {
            "code": first_reason["area_code"].astype(str).to_numpy(),
            "reason": first_reason["reason"].to_numpy(),
            "threshold": first_reason["threshold"].to_numpy(dtype=float),
        }
    )
