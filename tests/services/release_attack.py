"""An integer-programming attacker on one release or on two releases set side by side.

What the attacker knows of a block (one count indicator in one calendar year): every published cell;
of each withheld cell, what its mark says ("< k" is 1 … k−1, any other withheld cell is ≥ 0); that
the districts' year sums to the city's months of that year (when the city has all of them and every
district its year). Over two releases it also knows which single staff row was corrected (the
district and the month: more than a real outsider is told), so every other cell is the same number
in both. For each withheld cell it solves for the smallest and largest integer value consistent
with all of that (scipy.optimize.milp, HiGHS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from observatory.services import publish, release_changes
from observatory.stats import disclosure

KEY = release_changes.KEY
#: The protection the attacker checks, bound at import: a test that turns the rule off (patching
#: ``disclosure.protection_width``) still measures against the stated width.
WIDTH = disclosure.protection_width
_PARTS = {"month": 12, "quarter": 4, "year": 1}


def shaped_rows(staff: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The rows a release is made of, before disclosure control: the city's months (the sum of its
    districts) and the districts' complete years, as the publishing steps make them."""
    with_city = pd.concat([staff, publish.city_totals(staff, indicators, areas)], ignore_index=True)
    return publish.district_years(with_city, indicators, areas)


def release_rows(shaped: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """One release's count cells made from *shaped* rows: truth and what is shown.

    Returns:
        KEY, level, k, truth (the value before disclosure control, NaN when unknown at source), value,
        status, display.
    """
    done, _ = publish.disclose_observations(shaped, indicators, areas)
    truth = shaped["value"].where(shaped["status"] != "not_published")
    rows = done.assign(truth=truth.loc[done.index], period_start=pd.to_datetime(done["period_start"]))
    levels = areas.set_index("code")["level"]
    k = indicators.set_index("code")["disclosure_threshold"]
    return rows.assign(level=rows["area_code"].map(levels), k=rows["indicator_code"].map(k)).reset_index(
        drop=True
    )


@dataclass
class Found:
    """Withheld cells checked, recovered exactly, and narrowed below the protection width."""

    checked: int = 0
    exact: int = 0
    narrowed: int = 0

    def add(self, other: Found) -> None:
        self.checked += other.checked
        self.exact += other.exact
        self.narrowed += other.narrowed


def _bounds(block: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    withheld = block["value"].isna().to_numpy()
    small = block["display"].fillna("").astype(str).str.startswith("<").to_numpy()
    k = block["k"].to_numpy(dtype=float)
    value = block["value"].to_numpy(dtype=float)
    low = np.where(withheld, np.where(small, 1.0, 0.0), value)
    high = np.where(withheld, np.where(small, k - 1.0, np.inf), value)
    return low, high


def _equation(block: pd.DataFrame) -> np.ndarray | None:
    """Coefficients of "districts' year = the city's parts of that year", None when it is not derivable."""
    city = block[block["level"] == 0]
    districts = block[(block["level"] == 1) & (block["granularity"] == "year")]
    parts = city[city["granularity"] != "year"]
    if parts.empty or districts.empty or len(parts) != _PARTS[str(parts["granularity"].iloc[0])]:
        return None
    row = np.zeros(len(block))
    row[block.index.get_indexer(districts.index)] = 1.0
    row[block.index.get_indexer(parts.index)] = -1.0
    truth = block["truth"].to_numpy(dtype=float)
    if np.isnan(truth[row != 0]).any() or abs(float(row @ np.nan_to_num(truth))) > 1e-6:
        return None  # a part unknown at source, or the city's own figures differ from the sum
    return row


def attack(blocks: list[pd.DataFrame], fixed_pairs: list[tuple[int, int]], districts: int) -> Found:
    """Smallest and largest integer value of every withheld cell of the given release blocks.

    Args:
        blocks: One block per release (reset index), with KEY, level, k, truth, value, display.
        fixed_pairs: (index in blocks[0], index in blocks[1]) of cells known to be equal in both.
        districts: Districts of the city (a districts' year equation needs every one).
    """
    sizes = [len(b) for b in blocks]
    offsets = np.cumsum([0, *sizes])
    n = int(offsets[-1])
    low, high, rows = np.zeros(n), np.zeros(n), []
    for b, block in enumerate(blocks):
        lo, hi = _bounds(block)
        low[offsets[b] : offsets[b + 1]] = lo
        high[offsets[b] : offsets[b + 1]] = hi
        found = _equation(block) if (block["level"] == 1).sum() == districts else None
        if found is not None:
            row = np.zeros(n)
            row[offsets[b] : offsets[b + 1]] = found
            rows.append(row)
    for i, j in fixed_pairs:
        row = np.zeros(n)
        row[offsets[0] + i], row[offsets[1] + j] = 1.0, -1.0
        rows.append(row)
    truth = np.concatenate([b["truth"].to_numpy(dtype=float) for b in blocks])
    withheld = np.concatenate([b["value"].isna().to_numpy() for b in blocks])
    small = np.concatenate(
        [b["display"].fillna("").astype(str).str.startswith("<").to_numpy() for b in blocks]
    )
    k = np.concatenate([b["k"].to_numpy(dtype=int) for b in blocks])
    targets = np.flatnonzero(withheld & ~np.isnan(truth))
    result = Found(checked=len(targets))
    if not len(targets) or not rows:
        return result
    matrix = np.array(rows)
    # Published cells are constants: only the withheld ones are variables.
    free = low < high
    rhs = -matrix[:, ~free] @ low[~free]
    a_eq, index = matrix[:, free], np.cumsum(free) - 1
    limits = list(zip(low[free], np.where(np.isinf(high[free]), None, high[free]), strict=True))
    for i in targets:
        lowest, top = (
            _extreme(a_eq, rhs, limits, int(index[i]), 1.0),
            _extreme(a_eq, rhs, limits, int(index[i]), -1.0),
        )
        width = top - lowest
        assert lowest - 1e-6 <= truth[i] <= top + 1e-6  # the truth is always consistent
        result.exact += int(width < 0.5)
        result.narrowed += int(small[i] and width < WIDTH(int(k[i])) - 1e-6)
    return result


def _extreme(a_eq: np.ndarray, rhs: np.ndarray, limits: list, i: int, sign: float) -> float:
    """The smallest (sign 1) or largest (sign −1) integer value of variable i.

    The linear relaxation answers first (HiGHS); its optimum is the integer one when it is integral,
    as it is for these sum constraints; otherwise the integer program is solved (scipy.optimize.milp).
    """
    goal = np.zeros(a_eq.shape[1])
    goal[i] = sign
    relaxed = linprog(goal, A_eq=a_eq, b_eq=rhs, bounds=limits, method="highs")
    if relaxed.status == 3:
        return -np.inf if sign > 0 else np.inf
    assert relaxed.status == 0, relaxed.message
    if np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-7):
        return float(sign * relaxed.fun)
    low = np.array([lo for lo, _ in limits], dtype=float)
    high = np.array([np.inf if hi is None else hi for _, hi in limits], dtype=float)
    exact = milp(
        goal,
        constraints=LinearConstraint(a_eq, rhs, rhs),
        bounds=Bounds(low, high),
        integrality=np.ones(len(goal)),
    )
    assert exact.status == 0, exact.message
    return float(sign * exact.fun)


def single(block: pd.DataFrame, districts: int) -> Found:
    """The attacker on one release's block."""
    return attack([block.reset_index(drop=True)], [], districts)


def pair(before: pd.DataFrame, after: pd.DataFrame, moved: set[tuple], districts: int) -> Found:
    """The attacker on the same block in two releases; *moved* names the cells (KEY tuples) the
    correction changed: every other cell holds the same number in both."""
    first, second = before.reset_index(drop=True), after.reset_index(drop=True)
    at = {tuple(r): i for i, r in enumerate(second[KEY].itertuples(index=False, name=None))}
    fixed = []
    for i, cell in enumerate(first[KEY].itertuples(index=False, name=None)):
        if cell in at and cell not in moved:
            fixed.append((i, at[cell]))
    return attack([first, second], fixed, districts)
