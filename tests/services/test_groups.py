"""Area groupings: written as batches, read back, and summed by the one total rule."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest

from observatory.auth import PermissionDenied
from observatory.domain import Actor, Role, TotalBasis
from observatory.services import groups, imports, mapview, totals, views
from observatory.services.mapview import MapPeriod
from observatory.stats import rates
from observatory.store import connect, queries
from tests.one_answer.builders import city

EDITOR = Actor("rita", Role.EDITOR)
VIEWER = Actor("vera", Role.VIEWER)
CENTRE = ["01", "02", "03"]


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def test_a_group_saved_from_a_form_is_read_back_and_versioned(store):
    done = groups.save_group(store, "centre", "City centre", CENTRE, actor=EDITOR)
    assert done.ok and done.batch_id > 0
    listed = groups.list_groups(store).set_index("code")
    assert listed.loc["centre", "name"] == "City centre"
    assert list(listed.loc["centre", "member_codes"]) == CENTRE
    # The same form again changes nothing and writes nothing.
    assert groups.save_group(store, "centre", "City centre", CENTRE, actor=EDITOR).batch_id == 0
    changed = groups.save_group(store, "centre", "City centre", ["01", "04"], actor=EDITOR)
    assert groups.members(store, "centre") == ["01", "04"]
    imports.rollback(store, changed.batch_id, actor=Actor("ada", Role.ADMIN))
    assert groups.members(store, "centre") == CENTRE


def test_a_viewer_may_not_write_groups(store):
    with pytest.raises(PermissionDenied):
        groups.save_group(store, "centre", "City centre", CENTRE, actor=VIEWER)


def test_csv_groups_are_all_or_nothing_and_errors_name_row_and_column(store):
    bad = "group;name;area\nnorth;North;01\nnorth;North;99\nsouth;South;05\n".encode("cp1252")
    done = groups.import_csv(store, bad, "groups.csv", actor=EDITOR)
    assert not done.ok and done.batch_id == 0
    (issue,) = done.issues
    assert (issue.code, issue.row, issue.column, issue.value, issue.file) == (
        "unknown-area",
        2,
        "area",
        "99",
        "groups.csv",
    )
    assert groups.list_groups(store).empty
    good = b"Group,Name,Area\nnorth,North,01\nnorth,North,02\nsouth,South,05\n"
    done = groups.import_csv(store, good, "groups.csv", actor=EDITOR)
    assert done.ok and done.groups == 2
    assert groups.members(store, "north") == ["01", "02"]


def test_csv_missing_column_is_named(store):
    done = groups.import_csv(store, b"group,area\nnorth,01\n", "g.csv", actor=EDITOR)
    assert [(i.code, i.column) for i in done.issues] == [("missing-label", "name")]


def test_groups_from_a_boundary_attribute(store):
    shapes = queries.area_shapes(store, level=1, display=False)
    features = [
        {
            "type": "Feature",
            "properties": {"code": r.code, "sector": "A" if int(r.code) <= 10 else "B"},
            "geometry": json.loads(r.geometry),
        }
        for r in shapes.itertuples()
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    done = groups.from_boundary_attribute(
        store, data, "sectors.geojson", code_field="code", attribute="sector", actor=EDITOR
    )
    assert done.ok, done.issues
    assert groups.members(store, "A") == [f"{i:02d}" for i in range(1, 11)]
    assert groups.members(store, "B") == [f"{i:02d}" for i in range(11, 21)]


def _independent(store, code: str, year: int, members: list[str]) -> tuple[float, float]:
    """Count and denominator summed straight from the stored rows."""
    rows = store.frame(
        "SELECT sum(value) AS v FROM observations "
        "WHERE indicator_code = ? AND year(period_start) = ? AND list_contains(?, area_code)",
        [code, year, members],
    ).iloc[0]
    den = store.frame(
        "SELECT sum(value) AS v FROM denominators "
        "WHERE kind = 'residents' AND year = ? AND list_contains(?, area_code)",
        [year, members],
    ).iloc[0]
    return float(rows["v"]), float(den["v"])


def test_group_sums_and_rates_equal_independent_sums(store):
    groups.save_group(store, "centre", "City centre", CENTRE, actor=EDITOR)
    info = views.indicator(store, "violence")
    year = int(views.years(store, info)[0])
    found = groups.figure(store, info, MapPeriod(year), "centre")
    value, residents = _independent(store, "violence", year, CENTRE)
    assert found.basis is TotalBasis.SUM
    assert found.value == value
    assert found.denominator == residents
    assert found.reference == pytest.approx(value / residents * info.multiplier)
    yearly = groups.totals_of(store, info, "year", "centre").set_index("period_start")
    low, high = rates.poisson_ci(value)
    assert yearly.loc[pd.Timestamp(year, 1, 1), ["ci_lower", "ci_upper"]].tolist() == pytest.approx(
        [low, high]
    )


def test_a_group_of_all_districts_gives_the_citys_figures(store):
    everyone = list(queries.areas(store, level=1)["code"])
    groups.save_group(store, "all", "Every district", everyone, actor=EDITOR)
    for code in ("violence", "burglary", "robbery"):
        info = views.indicator(store, code)
        for label in [*views.years(store, info)[:2]]:
            period = MapPeriod(int(label))
            mine, city = groups.figure(store, info, period, "all"), mapview.city_figure(store, info, period)
            assert (mine.basis, mine.low, mine.high) == (city.basis, city.low, city.high)
            assert mine.denominator == city.denominator
            assert mine.reference == pytest.approx(city.reference, nan_ok=True)
        month = groups.rows(store, info, "month", "all")
        pd.testing.assert_frame_equal(month, totals.city_rows(store, info, "month"))


def test_a_withheld_member_bounds_the_groups_total(tmp_path):
    store = city(
        tmp_path / "w.duckdb",
        districts=3,
        indicators="code,name,theme,kind,unit,polarity,denominator,multiplier,threshold\nthefts,Thefts,t,result,count,lower_is_better,residents,1000,5\n",
        observations="indicator,area,period,value,status\nthefts,01,2024,40,\nthefts,02,2024,,ndiff\nthefts,03,2024,12,\n",
        denominators="area,year,residents\n01,2024,1000\n02,2024,1000\n03,2024,1000\n",
    )
    groups.save_group(store, "g", "Two", ["01", "02"], actor=EDITOR)
    groups.save_group(store, "h", "Published", ["01", "03"], actor=EDITOR)
    info = views.indicator(store, "thefts")
    bounded = groups.figure(store, info, MapPeriod(2024), "g")
    assert bounded.basis is TotalBasis.BOUNDED and math.isnan(bounded.value)
    assert (bounded.low, bounded.high) == (pytest.approx(20.0), pytest.approx(22.0))  # 40 + [0, 4] per 2,000
    exact = groups.figure(store, info, MapPeriod(2024), "h")
    assert exact.basis is TotalBasis.SUM and exact.value == 52.0 and exact.reference == pytest.approx(26.0)
    assert np.isnan(groups.figure(store, info, MapPeriod(2024), "unknown").value)
    store.close()
