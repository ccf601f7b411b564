"""Disclosure across releases: an integer-programming attacker who sets two releases side by side.

For every single-row correction of a withheld district year in the demo city (a month of that district
moved by −3 … +3, kept ≥ 0), the release after the correction is compared with the release before it.
With the rule (corrections to a block holding a withheld cell are held back) the attacker recovers no
cell and narrows no "< k" cell below the protection width; without it, it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Unit
from observatory.services import release_changes
from observatory.stats import disclosure
from observatory.store import connect, snapshot
from tests.services import release_attack
from tests.services.release_attack import Found

DELTAS = (-3, -2, -1, 1, 2, 3)
#: The corrections the test tries of each withheld cell (benchmarks/release_pairs.py tries every delta).
SAMPLE = (-2, 1, 3)


#: The pairs are built once per module: keep its tests on one worker (``--dist loadgroup``).
pytestmark = pytest.mark.xdist_group("release-pairs")


@pytest.fixture(scope="module")
def demo(demo_file):
    """The demo's count observations, indicators and areas, as the staff store holds them."""
    store = connect(demo_file, read_only=True)
    tables = snapshot.read_public_sources(store)
    indicators, areas = tables["indicators"], tables["areas"]
    counted = indicators.loc[indicators["unit"] == Unit.COUNT.value, "code"].tolist()
    rows = snapshot.read_source_observations(store, counted)
    store.close()
    rows = rows.assign(year=pd.to_datetime(rows["period_start"]).dt.year)
    return rows, indicators, areas


@pytest.fixture(scope="module")
def blocks(demo):
    """Each (indicator, year) block of the demo: its staff rows, the rows of a release before disclosure
    control, and the release they make."""
    rows, indicators, areas = demo
    found = []
    for _, block in rows.groupby(["indicator_code", "year"], sort=True):
        staff = block.drop(columns="year").reset_index(drop=True)
        shaped = release_attack.shaped_rows(staff, indicators, areas)
        found.append((staff, shaped, release_attack.release_rows(shaped, indicators, areas)))
    return found


def corrections(staff: pd.DataFrame, shaped: pd.DataFrame, before: pd.DataFrame, deltas=DELTAS):
    """Every single-row correction of a withheld district year, moved by each of *deltas*: a district's
    month (its largest, so that corrections downwards exist too) kept ≥ 0. Yields the corrected rows
    before disclosure control (the district's year and the city's month both moved) and the moved cells."""
    hidden = before[(before["level"] == 1) & before["value"].isna() & before["truth"].notna()]
    cities = set(before.loc[before["level"] == 0, "area_code"])
    period = pd.to_datetime(shaped["period_start"])
    for cell in hidden.itertuples():
        months = staff[(staff["area_code"] == cell.area_code) & staff["value"].notna()]
        month = months["value"].idxmax()
        start, granularity = pd.Timestamp(staff.at[month, "period_start"]), staff.at[month, "granularity"]
        year = (shaped["area_code"] == cell.area_code) & (period == pd.Timestamp(cell.period_start))
        city = shaped["area_code"].isin(cities) & (period == start) & (shaped["granularity"] == granularity)
        for delta in deltas:
            if staff.at[month, "value"] + delta < 0:
                continue
            corrected = shaped.copy()
            corrected.loc[year | city, "value"] += delta
            moved = {(cell.indicator_code, cell.area_code, "year", pd.Timestamp(cell.period_start))}
            moved |= {(cell.indicator_code, c, granularity, start) for c in cities}
            yield corrected, moved


@dataclass
class Tally:
    """Corrections tried, corrections with an exact recovery or a narrowed cell, and the cells found."""

    tried: int = 0
    with_exact: int = 0
    with_narrowed: int = 0
    cells: Found = field(default_factory=Found)

    def add(self, found: Found) -> None:
        self.tried += 1
        self.with_exact += int(found.exact > 0)
        self.with_narrowed += int(found.narrowed > 0)
        self.cells.add(found)


@pytest.fixture(scope="module")
def pairs(demo, blocks) -> dict[str, Tally]:
    """The attacker on every correction, the new release held back by the rule and not."""
    _, indicators, areas = demo
    districts = int((areas["level"] == 1).sum())
    tally = {"rule": Tally(), "no rule": Tally()}
    for staff, shaped, before in blocks:
        for corrected, moved in corrections(staff, shaped, before, SAMPLE):
            after = release_attack.release_rows(corrected, indicators, areas)
            reasons = pd.Series("", index=after.index, dtype=object)
            held = release_changes.hold(after, reasons, before, indicators).observations
            tally["rule"].add(release_attack.pair(before, held, moved, districts))
            tally["no rule"].add(release_attack.pair(before, after, moved, districts))
    for name, found in tally.items():
        print(f"\n{name}: {found}")
    return tally


def test_one_release_meets_the_protection_width(demo, blocks):
    _, _, areas = demo
    districts = int((areas["level"] == 1).sum())
    total = Found()
    small = 0
    for _, _, block in blocks:
        small += int(block["display"].fillna("").astype(str).str.startswith("<").sum())
        total.add(release_attack.single(block, districts))
    print(f"\none release: {total.checked} withheld cells ({small} '< k'), {total}")
    assert total.checked > 50
    assert total.exact == 0
    assert total.narrowed == 0


def test_two_releases_with_the_rule_disclose_nothing(pairs):
    found = pairs["rule"]
    assert found.tried > 150
    assert found.cells.exact == 0
    assert found.cells.narrowed == 0


def test_two_releases_without_the_rule_disclose(pairs):
    # The same attacker, on the same corrections, published without holding them back: it must find cells.
    found = pairs["no rule"]
    assert found.tried == pairs["rule"].tried
    assert found.with_exact > 0
    assert found.with_narrowed > 0


def test_a_correction_to_a_block_without_withheld_cells_is_published_at_once():
    indicators = pd.DataFrame({"code": ["c"], "unit": ["count"], "disclosure_threshold": [5]})
    now = pd.DataFrame(
        {
            "indicator_code": "c",
            "area_code": ["01", "02"],
            "granularity": "year",
            "period_start": pd.Timestamp("2024-01-01"),
            "value": [10.0, 20.0],
            "sample_size": np.nan,
            "status": "ok",
            "display": None,
        }
    )
    new = now.assign(value=[11.0, 20.0])
    held = release_changes.hold(new, pd.Series(["", ""]), now, indicators)
    assert held.blocks == ()
    assert held.observations["value"].tolist() == [11.0, 20.0]
    # The same correction beside a withheld cell waits, and the publish list says so cell by cell.
    now_small = now.assign(value=[np.nan, 20.0], status=["suppressed", "ok"], display=["< 5", None])
    new_small = now_small.assign(value=[np.nan, 21.0])
    held = release_changes.hold(new_small, pd.Series(["primary", ""]), now_small, indicators)
    assert held.blocks == ("c:2024",)
    assert held.observations["value"].tolist()[1] == 20.0
    assert held.reasons.tolist() == ["primary", ""]
    changes = release_changes.cell_changes(now_small, held.observations, held.blocks)
    assert changes["change"].tolist() == ["held", "held"]
    assert release_changes.cell_changes(now, new)[["area_code", "before", "after"]].values.tolist() == [
        ["01", "10", "11"]
    ]


@pytest.mark.slow
def test_every_correction_of_the_demo(demo, blocks, monkeypatch):
    """Every delta of every withheld cell; also the rule as it was before (no protection width, no hold):
    prints the figures of the methodology page and the architecture notes."""
    _, indicators, areas = demo
    districts = int((areas["level"] == 1).sum())
    tally = {"before": Tally(), "width only": Tally(), "rule": Tally()}
    narrow_before = Found()
    for staff, shaped, before in blocks:
        with monkeypatch.context() as m:
            m.setattr(disclosure, "protection_width", lambda k: 0)
            old = release_attack.release_rows(shaped, indicators, areas)
            narrow_before.add(release_attack.single(old, districts))
            old_pairs = [
                (release_attack.release_rows(c, indicators, areas), moved)
                for c, moved in corrections(staff, shaped, old)
            ]
        for after, moved in old_pairs:
            tally["before"].add(release_attack.pair(old, after, moved, districts))
        for corrected, moved in corrections(staff, shaped, before):
            after = release_attack.release_rows(corrected, indicators, areas)
            reasons = pd.Series("", index=after.index, dtype=object)
            held = release_changes.hold(after, reasons, before, indicators).observations
            tally["width only"].add(release_attack.pair(before, after, moved, districts))
            tally["rule"].add(release_attack.pair(before, held, moved, districts))
    print(f"\none release before the width: {narrow_before}")
    for name, found in tally.items():
        print(f"{name}: {found}")
    assert tally["rule"].cells.exact == tally["rule"].cells.narrowed == 0
    assert tally["before"].with_exact > 0
