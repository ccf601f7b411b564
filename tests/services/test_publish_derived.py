"""Publishing a derived total with its components: no component recoverable from the total."""

import shutil

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import imports, publish, publish_derived, starters
from observatory.services.starter_data import POLICE_UK
from observatory.store import connect, queries

EDITOR = Actor("rita", Role.EDITOR)
ACROSS = ["area_code", "granularity", "period_start"]


@pytest.fixture(scope="module")
def released(demo_file, tmp_path_factory):
    """The demo city with every police.uk crime type for 2031 (small monthly counts) and the total."""
    folder = tmp_path_factory.mktemp("derived-publish")
    store = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    assert starters.add(store, "police_uk", actor=EDITOR).report.ok
    areas = list(queries.areas(store, level=1)["code"])
    rng = np.random.default_rng(42)
    rows = [
        (c, a, f"2031-{m:02d}") for c in POLICE_UK.derived["all_crime"] for a in areas for m in range(1, 13)
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "area", "period"])
    frame["value"] = rng.poisson(0.4, len(frame))  # many district-years of 1…4: primary suppression
    report = imports.import_table(
        store, ImportKind.OBSERVATIONS, frame.to_csv(index=False).encode(), "crime.csv", actor=EDITOR
    )
    assert report.ok, report.to_text()
    tables, _ = publish._public_tables(store)
    store.close()
    observations = tables["observations"].assign(
        period_start=lambda f: pd.to_datetime(f["period_start"].astype(str), format="mixed")
    )
    return observations[observations["period_start"].dt.year == 2031]


def test_no_area_and_period_has_a_single_withheld_cell_among_the_total_and_its_components(released):
    group = released[released["indicator_code"].isin(["all_crime", *POLICE_UK.derived["all_crime"]])]
    withheld = group["value"].isna().groupby([group[c] for c in ACROSS]).sum()
    assert (withheld > 0).any()  # the case arises
    assert not (withheld == 1).any()


def test_a_withheld_component_is_not_the_total_minus_the_others(released):
    group = released[released["indicator_code"].isin(["all_crime", *POLICE_UK.derived["all_crime"]])]
    for _, cells in group.groupby(ACROSS):
        total = cells.loc[cells["indicator_code"] == "all_crime", "value"]
        parts = cells[cells["indicator_code"] != "all_crime"]
        if total.notna().all() and len(total):
            assert parts["value"].isna().sum() != 1


def test_groups_join_totals_sharing_components_and_skip_non_counts():
    derived = {"t1": ("a", "b"), "t2": ("b", "c"), "t3": ("x", "y")}
    assert publish_derived.groups(derived, {"t1", "t2", "a", "b", "c", "t3", "x"}) == [
        ("a", "b", "c", "t1", "t2"),
        ("t3", "x"),
    ]


def test_a_group_is_one_unit_of_a_publishing_batch():
    counts = {"a": 10, "b": 5, "c": 7, "t": 3}
    units = publish_derived.units(counts, [("a", "c", "t")])
    assert units == {"a|c|t": 20, "b": 5}
    assert publish._batches(units, limit=10) == [["a|c|t"], ["b"]]
