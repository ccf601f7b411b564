"""Groupings in a release never let a withheld cell be worked out.

The attacker of tests/services/test_publish.py (linear programming, HiGHS) is given, besides every
published margin, what the public can read of each grouping: its total per year as the release's pages
compute it (:func:`services.groups.totals_of` on the snapshot). An exact group total is an equation on
the members' true values; a bounded or "at least" total is an inequality. No withheld cell may then have
its smallest and largest consistent value coincide.

Groupings chosen to be dangerous: every pair of neighbouring codes (a pair with one withheld member would
give it away if its total were published exactly), every district's complement (the city margin again),
and three larger overlapping sets.
"""

from __future__ import annotations

import itertools
import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from observatory.domain import Actor, Role
from observatory.services import groups, publish, views
from observatory.store import connect
from tests.services.test_publish import _cells, _equations

ADMIN = Actor("ana", Role.ADMIN)
WHEN = datetime(2026, 1, 5, 9, 30)


def _groupings() -> dict[str, list[str]]:
    codes = [f"{i:02d}" for i in range(1, 21)]
    sets = {f"pair{a}{b}": [a, b] for a, b in itertools.pairwise(codes)}
    sets |= {f"not{c}": [x for x in codes if x != c] for c in codes}
    sets |= {"north": codes[:7], "middle": codes[5:14], "south": codes[12:]}
    return sets


@pytest.fixture(scope="module")
def released(demo_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish-groups")
    staff = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    for code, members in _groupings().items():
        assert groups.save_group(staff, code, code, members, actor=ADMIN).ok
    release = publish.publish(staff, actor=ADMIN, snapshot_path=folder / "public.duckdb", now=WHEN)
    public = connect(release.path, read_only=True)
    yield staff, release, public
    public.close()
    staff.close()


def _group_constraints(public, cells: pd.DataFrame) -> pd.DataFrame:
    """indicator_code, year, members, lower, upper, exact: each grouping's total as the public reads it."""
    rows = []
    sets = groups.list_groups(public)
    for code in cells["indicator_code"].unique():
        info = views.indicator(public, str(code))
        for grouping in sets.itertuples():
            found = groups.totals_of(public, info, "year", str(grouping.code))
            for total in found.itertuples():
                rows.append(
                    {
                        "indicator_code": code,
                        "year": pd.Timestamp(total.period_start).year,
                        "members": list(grouping.member_codes),
                        "lower": float(total.lower),
                        "upper": float(total.upper),
                        "exact": total.basis in ("sum", "own"),
                    }
                )
    return pd.DataFrame(rows)


def _attack(block: pd.DataFrame, constraints: pd.DataFrame) -> tuple[int, int]:
    """(withheld cells checked, cells pinned to one value) given the margins and the groupings' totals."""
    unknown = block.index[block["value"].isna() & block["true_value"].notna()]
    if unknown.empty:
        return 0, 0
    a_eq, b_eq = _equations(block, unknown)
    a_eq, b_eq = list(a_eq), list(b_eq)
    a_ub, b_ub = [], []
    districts = block[block["parent"].notna() & (block["granularity"] == "year")]
    for row in constraints.itertuples():
        members = districts[districts["area_code"].isin(row.members)]
        hidden = members.index.intersection(unknown)
        if hidden.empty or len(members) < len(row.members):
            continue
        coef = np.zeros(len(unknown))
        coef[unknown.get_indexer(hidden)] = 1.0
        known = float(members["value"].sum())
        if row.exact:
            a_eq.append(coef)
            b_eq.append(row.lower - known)
        else:
            a_ub.append(-coef)  # hidden ≥ lower − known
            b_ub.append(known - row.lower)
            if np.isfinite(row.upper):
                a_ub.append(coef)
                b_ub.append(row.upper - known)
    truth = block.loc[unknown, "true_value"].to_numpy()
    small = block.loc[unknown, "display"].fillna("").str.startswith("<").to_numpy()
    limits = [(1, k - 1) if s else (0, None) for s, k in zip(small, block.loc[unknown, "k"], strict=True)]
    args = {
        "A_eq": np.array(a_eq) if a_eq else None,
        "b_eq": np.array(b_eq) if b_eq else None,
        "A_ub": np.array(a_ub) if a_ub else None,
        "b_ub": np.array(b_ub) if b_ub else None,
        "bounds": limits,
        "method": "highs",
    }
    if a_eq:
        assert np.allclose(np.array(a_eq) @ truth, b_eq)  # the truth satisfies what the outsider knows
    pinned = 0
    for i in range(len(unknown)):
        goal = np.zeros(len(unknown))
        goal[i] = 1.0
        low = linprog(goal, **args)
        high = linprog(-goal, **args)
        assert low.status == 0 and high.status in (0, 3), (low.message, high.message)
        # Unbounded above (status 3): nothing the outsider knows limits the cell.
        pinned += int(high.status == 0 and abs(-high.fun - low.fun) < 1e-6)
    return len(unknown), pinned


def test_no_withheld_cell_recoverable_with_groupings_published(released):
    _, release, public = released
    assert len(groups.list_groups(public)) == len(_groupings())  # published with the release
    cells = _cells(released)
    constraints = _group_constraints(public, cells)
    exact_with_hidden = 0
    checked = pinned = 0
    for (code, _, year), block in cells.groupby(["indicator_code", "granularity", "year"]):
        mine = constraints[(constraints["indicator_code"] == code) & (constraints["year"] == year)]
        found = _attack(block, mine)
        checked += found[0]
        pinned += found[1]
        withheld = set(block.loc[block["value"].isna(), "area_code"])
        exact_with_hidden += int(sum(bool(set(m) & withheld) for m in mine.loc[mine["exact"], "members"]))
    print(
        f"\ngroupings {len(_groupings())}, group totals {len(constraints)}, "
        f"withheld checked {checked}, pinned {pinned}"
    )
    assert checked == release.suppressed_primary + release.suppressed_secondary
    assert exact_with_hidden == 0  # no grouping with a withheld member has an exact public total
    assert pinned == 0
