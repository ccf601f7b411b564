"""Similar districts: nearest neighbours on context indicators, CIPFA-style.

Method (as CIPFA's nearest-neighbour model for English local authorities): each context variable is
standardised over the districts (z-score: minus its mean, divided by its population standard deviation,
ddof = 0), and the distance between two districts is the weighted Euclidean distance
``d = √(Σ_k w_k (z_ik − z_jk)²)``. A district's neighbours are the ``count`` nearest others.

What the data can and cannot say, stated with the result:

- **Missing values.** A pair is compared on the variables both have; its distance is scaled up to the
  full weight, ``d = √(Σ_k∈both w_k Δz_k² · W / W_both)`` (W the sum of the weights), and the number of
  variables compared is kept. A district with no value at all gets no neighbours; a variable with no
  spread (one value, or a single district) is left out.
- **Ties.** Neighbours are ordered by distance, then by code; every district at exactly the distance of
  the last one kept is kept too (so the list may be longer than ``count``) and marked ``tied``.
- **Close or not.** ``rms = d / √W`` is the typical difference in standard deviations per variable; a
  district whose nearest neighbour is further than :data:`CLOSE_RMS` (one standard deviation) has no
  close neighbours, and a comparison with its "similar" districts is flagged as weak.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: A neighbour further than this many standard deviations per variable (root mean square) is not close.
CLOSE_RMS = 1.0
#: How many neighbours a district gets by default (CIPFA's model gives 15 of ~150 authorities; a city of
#: 20 districts has fewer to spare).
DEFAULT_COUNT = 5
#: Ties are distances equal to this relative tolerance.
TIE_TOLERANCE = 1e-9

COLUMNS = ["area_code", "neighbour", "rank", "distance", "rms", "compared", "tied"]


@dataclass(frozen=True, slots=True)
class Peers:
    """Neighbours of every district and what they were computed from.

    ``neighbours`` has :data:`COLUMNS` (one row per district and neighbour, nearest first);
    ``variables`` the variables used with their weight, mean and standard deviation; ``dropped`` the
    variables left out for having no spread; ``no_context`` districts with no value; ``incomplete``
    districts missing some values; ``not_close`` districts whose nearest neighbour is not close.
    """

    neighbours: pd.DataFrame
    variables: pd.DataFrame
    dropped: tuple[str, ...]
    no_context: tuple[str, ...]
    incomplete: tuple[str, ...]
    not_close: tuple[str, ...]

    def of(self, area: str) -> pd.DataFrame:
        """One district's neighbours, nearest first."""
        return self.neighbours[self.neighbours["area_code"] == area].reset_index(drop=True)


def standardise(context: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """z-scores of each column (population standard deviation), the mean/sd table, and dropped columns."""
    mean = context.mean(skipna=True)
    sd = context.std(ddof=0, skipna=True)
    dropped = tuple(str(c) for c in context.columns if not (sd[c] > 0))
    kept = [c for c in context.columns if c not in dropped]
    z = (context[kept] - mean[kept]) / sd[kept]
    stats = pd.DataFrame({"variable": kept, "mean": mean[kept].to_numpy(), "sd": sd[kept].to_numpy()})
    return z, stats, dropped


def distances(z: pd.DataFrame, weights: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise weighted distances scaled for missing values, and how many variables each pair shares."""
    values = z.to_numpy(dtype=float)
    w = np.array([float(weights.get(str(c), 1.0)) for c in z.columns])
    present = np.isfinite(values)
    filled = np.where(present, values, 0.0)
    both = present[:, None, :] & present[None, :, :]
    squared = ((filled[:, None, :] - filled[None, :, :]) ** 2) * w * both
    shared_weight = (both * w).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = np.where(shared_weight > 0, squared.sum(axis=2) * w.sum() / shared_weight, np.nan)
    return np.sqrt(scaled), both.sum(axis=2)


def nearest(
    context: pd.DataFrame, weights: Mapping[str, float] | None = None, *, count: int = DEFAULT_COUNT
) -> Peers:
    """Each district's nearest neighbours on the context variables (see the module's docstring).

    Args:
        context: One row per district (index: area code), one column per context variable.
        weights: Weight per column (default 1 each); a weight of 0 leaves a variable out.
        count: Neighbours per district (more when tied at the last distance).
    """
    weights = {str(c): float((weights or {}).get(str(c), 1.0)) for c in context.columns}
    context = context[[c for c in context.columns if weights[str(c)] > 0]].astype(float)
    z, stats, dropped = standardise(context)
    stats["weight"] = [weights[str(c)] for c in stats["variable"]]
    total_weight = float(stats["weight"].sum())
    codes = [str(c) for c in z.index]
    found = z.notna().sum(axis=1).to_numpy() if len(z.columns) else np.zeros(len(z), dtype=int)
    rows: list[dict[str, object]] = []
    if len(z.columns) and len(codes) > 1:
        dist, shared = distances(z, weights)
        for i, code in enumerate(codes):
            rows += _neighbours_of(i, code, codes, dist[i], shared[i], count, total_weight)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    firsts = frame[frame["rank"] == 1]
    return Peers(
        neighbours=frame,
        variables=stats[["variable", "weight", "mean", "sd"]],
        dropped=dropped,
        no_context=tuple(c for c, n in zip(codes, found, strict=True) if n == 0),
        incomplete=tuple(c for c, n in zip(codes, found, strict=True) if 0 < n < len(z.columns)),
        not_close=tuple(sorted(set(codes) - set(firsts.loc[firsts["rms"] <= CLOSE_RMS, "area_code"]))),
    )


def _neighbours_of(
    i: int, code: str, codes: list[str], dist: np.ndarray, shared: np.ndarray, count: int, weight: float
) -> list[dict[str, object]]:
    order = [j for j in sorted(range(len(codes)), key=lambda j: (dist[j], codes[j])) if j != i]
    order = [j for j in order if math.isfinite(dist[j]) and shared[j] > 0]
    if not order:
        return []
    kept = order[:count]
    last = dist[kept[-1]]
    tied_at_last = [j for j in order if abs(dist[j] - last) <= TIE_TOLERANCE * max(1.0, last)]
    kept = list(dict.fromkeys([*kept, *tied_at_last]))
    ties = len(tied_at_last) > 1
    return [
        {
            "area_code": code,
            "neighbour": codes[j],
            "rank": rank,
            "distance": float(dist[j]),
            "rms": float(dist[j]) / math.sqrt(weight) if weight > 0 else math.nan,
            "compared": int(shared[j]),
            "tied": bool(ties and j in tied_at_last),
        }
        for rank, j in enumerate(kept, start=1)
    ]
