"""The one rule for a total over areas (the city, a group of districts), with honest bounds.

Method, in order of preference, per period:

1. the area's own published figure (``own``): a source may count what it cannot place, and a release
   carries the city's totals made before small district counts were withheld;
2. the sum of the parts when every part is present and none is withheld (``sum``);
3. when parts are withheld but all present, a **bounded** total: at least the sum of the published
   parts, at most that plus, for each withheld cell, the largest value it can hide (``bounded``; a
   count withheld under a threshold k hides at most k − 1);
4. when a part is missing, or a withheld cell has no known limit, only a lower bound (``at_least``).

A partial sum is never given as the total, and a total is never "unknown" when a bound exists.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from observatory.domain import TotalBasis

#: Columns of a totals frame.
TOTAL_COLUMNS = ["period_start", "value", "lower", "upper", "basis"]

_RANK = {basis: i for i, basis in enumerate(TotalBasis)}


def area_total(
    parts: pd.DataFrame, *, areas: int, withheld_max: float, own: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Totals per period from the parts' rows and, where published, the whole's own rows.

    Args:
        parts: One row per part and period: ``period_start``, ``known`` (sum of the part's published
            values in the period), ``withheld_parts`` (cells withheld in it) and ``complete`` (every
            sub-period of the part has a row, published or withheld).
        areas: How many parts make the whole (a part with no row in a period is missing).
        withheld_max: Largest value one withheld cell can hide (math.inf when nothing is known).
        own: The whole's own rows: ``period_start``, ``value``, ``complete``, ``withheld``.

    Returns:
        :data:`TOTAL_COLUMNS`, one row per period found in either frame, oldest first; ``basis`` holds
        :class:`TotalBasis` values as text. ``value`` is the
        total when it is exact (own or sum) and NaN otherwise; ``lower``/``upper`` bound it (equal to
        the value when exact; ``upper`` is inf for ``at_least``).
    """
    summed = _from_parts(parts, areas=areas, withheld_max=withheld_max)
    if own is not None and len(own):
        exact = own[own["complete"].astype(bool) & ~own["withheld"].astype(bool) & own["value"].notna()]
        mine = pd.DataFrame(
            {
                "period_start": exact["period_start"],
                "value": exact["value"].astype(float),
                "lower": exact["value"].astype(float),
                "upper": exact["value"].astype(float),
                "basis": TotalBasis.OWN.value,
            }
        )
        summed = pd.concat([mine, summed[~summed["period_start"].isin(set(mine["period_start"]))]])
    return summed.sort_values("period_start").reset_index(drop=True)[TOTAL_COLUMNS]


def _from_parts(parts: pd.DataFrame, *, areas: int, withheld_max: float) -> pd.DataFrame:
    if parts.empty:
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    # Sums per period with numpy: a city has one row per district and period, and this runs for every
    # indicator a page reads (a pandas groupby cost ~10 ms a call, mostly overhead).
    periods, index = np.unique(parts["period_start"].to_numpy(), return_inverse=True)
    size = len(periods)
    known = np.bincount(index, weights=np.nan_to_num(parts["known"].to_numpy(dtype=float)), minlength=size)
    withheld = np.bincount(index, weights=parts["withheld_parts"].to_numpy(dtype=float), minlength=size)
    present = np.bincount(index, weights=parts["complete"].to_numpy(dtype=bool).astype(float), minlength=size)
    unbounded = (present < areas) | ((withheld > 0) & math.isinf(withheld_max))
    hidden = withheld * (withheld_max if not math.isinf(withheld_max) else 0.0)
    basis = np.where(
        unbounded,
        TotalBasis.AT_LEAST.value,
        np.where(withheld > 0, TotalBasis.BOUNDED.value, TotalBasis.SUM.value),
    )
    return pd.DataFrame(
        {
            "period_start": periods,
            "value": np.where(basis == TotalBasis.SUM.value, known, np.nan),
            "lower": known,
            "upper": np.where(unbounded, np.inf, known + hidden),
            "basis": basis.astype(object),
        }
    )


def worst(bases: pd.Series) -> TotalBasis:
    """The least certain of several bases (a sum of an exact and a bounded total is bounded)."""
    if bases.empty:
        return TotalBasis.UNKNOWN
    return max((TotalBasis(b) for b in bases), key=_RANK.__getitem__)


def add_up(totals: pd.DataFrame, *, periods: int) -> pd.Series:
    """One total over consecutive periods (a rolling year of months): bounds add, the basis is the worst.

    Args:
        totals: :data:`TOTAL_COLUMNS` rows of the periods to add.
        periods: How many periods the sum must hold; fewer rows give an ``at_least`` total.

    Returns:
        A Series with value, lower, upper, basis, sample_size (summed when present).
    """
    basis = worst(totals["basis"]) if len(totals) else TotalBasis.UNKNOWN
    lower = float(totals["lower"].sum()) if len(totals) else math.nan
    upper = float(totals["upper"].sum()) if len(totals) else math.nan
    if len(totals) < periods and len(totals):
        basis, upper = TotalBasis.AT_LEAST, math.inf
    value = float(totals["value"].sum()) if basis.exact else math.nan
    size = (
        float(totals["sample_size"].sum(min_count=1)) if "sample_size" in totals and len(totals) else math.nan
    )
    return pd.Series({"value": value, "lower": lower, "upper": upper, "basis": basis, "sample_size": size})
