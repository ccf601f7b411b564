"""The strategy in the public release follows the observations' disclosure rule; no staff names.

Objectives on small areas are given small baselines and targets, changed so that the change history
holds small values too, and one gets the baseline of a district year the release withholds; after
publishing, every public strategy output holds no count from 1 to k − 1 and no withheld cell's value.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import editing, publish, strategy
from observatory.store import connect, open_snapshot

ADMIN = Actor("ana", Role.ADMIN)
EDITOR = Actor("Rita Staffname", Role.EDITOR)


def _objective(code: str, indicator: str, area: str, baseline: float, target: float) -> dict[str, object]:
    return {
        "code": code,
        "axis": "AX4",
        "title": f"Objective {code}",
        "indicator": indicator,
        "area": area,
        "baseline_period": "2022",
        "baseline_value": baseline,
        "target_value": target,
        "target_period": "2027",
    }


@pytest.fixture(scope="module")
def released(demo_file, tmp_path_factory):
    """A demo copy with small objectives and their changes, published: (staff, public, secret values)."""
    folder = tmp_path_factory.mktemp("public-strategy")
    staff = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    first = publish.publish(
        staff, actor=ADMIN, snapshot_path=folder / "first.duckdb", now=datetime(2026, 1, 1)
    )
    seen = open_snapshot(first.path)
    # A district year of 2022 the release withholds although it is not small: a secondary cell.
    secondary = seen.frame(
        "SELECT indicator_code, area_code FROM observations WHERE status = 'suppressed' AND display = 'c' "
        "AND granularity = 'year' AND year(period_start) = 2022 ORDER BY 1, 2 LIMIT 1"
    ).iloc[0]
    seen.close()
    true = staff.scalar(
        "SELECT sum(value) FROM observations "
        "WHERE indicator_code = ? AND area_code = ? AND year(period_start) = 2022",
        [secondary["indicator_code"], secondary["area_code"]],
    )
    rows = [
        _objective("OB7", "domestic_violence", "20", 7, 12),  # k = 10: the baseline is small
        _objective("OS1", "robbery", "03", 3, 2),  # k = 5: both small
        _objective("OS2", str(secondary["indicator_code"]), str(secondary["area_code"]), float(true), 1),
    ]
    for row in rows:
        result = editing.save(staff, ImportKind.OBJECTIVES, row, actor=EDITOR, create=row["code"] != "OB7")
        assert result.batch_id, result.issues
    # Changes: the history then holds the small values as old and new values.
    for row in (_objective("OS1", "robbery", "03", 4, 1), _objective("OB7", "domestic_violence", "20", 8, 6)):
        assert editing.save(staff, ImportKind.OBJECTIVES, row, actor=EDITOR).batch_id
    assert editing.add_assessment(staff, "OS1", 2025, "Slow start.", actor=EDITOR).batch_id
    release = publish.publish(
        staff, actor=ADMIN, snapshot_path=folder / "public.duckdb", now=datetime(2026, 2, 1)
    )
    public = open_snapshot(release.path)
    yield staff, public, float(true)
    public.close()
    staff.close()


def _small(values: pd.Series, k: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    return (numbers >= 1) & (numbers < k)


def test_public_objectives_hold_no_small_count(released):
    staff, public, _ = released
    k = public.frame("SELECT code, unit, disclosure_threshold AS k FROM indicators").set_index("code")
    objectives = public.frame("SELECT * FROM objectives")
    counted = objectives[objectives["indicator_code"].map(k["unit"]) == "count"]
    limit = counted["indicator_code"].map(k["k"])
    small = sum(int(_small(counted[c], limit).sum()) for c in ("baseline_value", "target_value"))
    assert small == 0
    # The same objectives in the staff store do hold them: the test could fail.
    staff_rows = staff.frame("SELECT * FROM objectives")
    staff_counted = staff_rows[staff_rows["indicator_code"].map(k["unit"]) == "count"]
    staff_limit = staff_counted["indicator_code"].map(k["k"])
    assert (
        sum(int(_small(staff_counted[c], staff_limit).sum()) for c in ("baseline_value", "target_value")) == 5
    )


def test_public_change_history_holds_no_small_count(released):
    _, public, _ = released
    k = public.frame("SELECT code, disclosure_threshold AS k FROM indicators").set_index("code")["k"]
    plan = public.frame("SELECT code, indicator_code FROM objectives").set_index("code")["indicator_code"]
    changes = public.frame("SELECT * FROM objective_changes")
    assert set(changes["objective_code"]) >= {"OS1", "OB7"}
    limit = changes["objective_code"].map(plan).map(k)
    columns = ["old_baseline_value", "new_baseline_value", "old_target_value", "new_target_value"]
    assert sum(int(_small(changes[c], limit).sum()) for c in columns) == 0


def test_baseline_of_a_withheld_year_is_withheld(released):
    _, public, true = released
    row = public.frame("SELECT baseline_value, target_value FROM objectives WHERE code = 'OS2'").iloc[0]
    assert np.isnan(row["baseline_value"])
    assert true >= 5  # not small itself: withheld because the release withholds its cell


def test_public_strategy_outputs_hold_no_small_count_and_no_names(released):
    _, public, true = released
    table = strategy.objective_table(public)
    k = public.frame("SELECT code, disclosure_threshold AS k FROM indicators").set_index("code")["k"]
    counted = table[table["unit"] == "count"]
    limit = counted["indicator_code"].map(k)
    shown = ["baseline_value", "target_value", "current_value", "expected_now"]
    assert sum(int(_small(counted[c], limit).sum()) for c in shown) == 0
    ours = table.set_index("code")
    assert ours.loc["OS2", "baseline_value"] != true
    assert ours.loc["OS1", "change_test"] == strategy.TEST_NONE  # nothing tested against a withheld baseline
    assert (public.frame("SELECT author FROM assessments")["author"] == "").all()
    changes = strategy.target_changes(public)
    limit = changes["objective_code"].map(table.set_index("code")["indicator_code"]).map(k)
    assert sum(int(_small(changes[c], limit).sum()) for c in ("old_target_value", "new_target_value")) == 0


def test_a_held_correction_goes_out_with_the_scheduled_revision(demo_file, tmp_path):
    from observatory import cli_publish

    staff = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    target = tmp_path / "public.duckdb"
    publish.publish(staff, actor=ADMIN, snapshot_path=target, now=datetime(2026, 1, 1))
    seen = open_snapshot(target)
    cell = seen.frame(
        "SELECT indicator_code, area_code, year(period_start) AS year FROM observations "
        "WHERE display LIKE '<%' AND granularity = 'year' ORDER BY 1, 2, 3 LIMIT 1"
    ).iloc[0]
    city_before = seen.frame("SELECT * FROM observations WHERE area_code = '000' ORDER BY ALL")
    seen.close()
    with staff.transaction() as cur:
        cur.execute(
            "UPDATE observations SET value = value + 2 WHERE indicator_code = ? AND area_code = ? "
            "AND period_start = make_date(?, 6, 1)",
            [cell["indicator_code"], cell["area_code"], int(cell["year"])],
        )

    def city_now():
        opened = open_snapshot(target)
        rows = opened.frame("SELECT * FROM observations WHERE area_code = '000' ORDER BY ALL")
        opened.close()
        return rows

    publish.publish(staff, actor=ADMIN, snapshot_path=target, now=datetime(2026, 2, 1))
    pd.testing.assert_frame_equal(city_now(), city_before)  # held: the city's month did not move
    parser = __import__("argparse").ArgumentParser()
    cli_publish.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["publish", "--snapshot", str(target), "--revise"])
    assert cli_publish.run(staff, args, __import__("io").StringIO()) == 0
    moved = city_now().compare(city_before)
    assert len(moved) == 1  # the revision publishes the corrected month
    staff.close()
