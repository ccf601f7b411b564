"""Derived indicators (all crime = the sum of the crime types) are kept in step by every import."""

import shutil

import numpy as np
import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import derived, imports, starters
from observatory.services.starter_data import POLICE_UK
from observatory.store import connect, queries
from observatory.store.schema import TABLES

EDITOR = Actor("rita", Role.EDITOR)
CRIME_TYPES = POLICE_UK.derived["all_crime"]
AREAS = ("01", "02", "03")
PERIODS = ("2031-01", "2031-02")


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    result = starters.add(opened, "police_uk", actor=EDITOR)
    assert result.report.ok and "all_crime" in result.derived
    yield opened
    opened.close()


def everything(store) -> dict[str, str]:
    return {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}


def _components(seed: int = 42) -> pd.DataFrame:
    """Every crime type in every area and period, with deterministic random counts."""
    rng = np.random.default_rng(seed)
    rows = [(c, a, p) for c in CRIME_TYPES for a in AREAS for p in PERIODS]
    frame = pd.DataFrame(rows, columns=["indicator", "area", "period"])
    frame["value"] = rng.integers(0, 40, len(frame))
    return frame


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _import(store, frame: pd.DataFrame, **kwargs):
    report = imports.import_table(
        store, ImportKind.OBSERVATIONS, _csv(frame), "obs.csv", actor=EDITOR, **kwargs
    )
    assert report.ok, report.to_text()
    return report


def _all_crime(store) -> pd.DataFrame:
    frame = store.frame(
        "SELECT area_code, strftime(period_start, '%Y-%m') AS period, value, status FROM observations "
        "WHERE indicator_code = 'all_crime' AND period_start >= DATE '2031-01-01' ORDER BY 1, 2"
    )
    return frame.set_index(["area_code", "period"])


def _expected(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby(["area", "period"])["value"].sum().astype(float).rename_axis(["area_code", "period"])


def test_derived_total_is_the_independent_sum_of_its_components(store):
    components = _components()
    report = _import(store, components)
    found = _all_crime(store)
    pd.testing.assert_series_equal(found["value"], _expected(components), check_names=False)
    assert set(found["status"]) == {"ok"}
    assert report.created == len(components) + len(AREAS) * len(PERIODS)
    assert any(i.code == "derived-recomputed" for i in report.warnings)


def test_a_correction_moves_the_total_and_only_where_it_touches(store):
    components = _components()
    _import(store, components)
    fix = pd.DataFrame(
        [("burglary", "01", "2031-01", 1000)], columns=["indicator", "area", "period", "value"]
    )
    report = _import(store, fix)
    corrected = components.copy()
    corrected.loc[
        (corrected["indicator"] == "burglary")
        & (corrected["area"] == "01")
        & (corrected["period"] == "2031-01"),
        "value",
    ] = 1000
    pd.testing.assert_series_equal(_all_crime(store)["value"], _expected(corrected), check_names=False)
    assert (report.updated, report.created) == (2, 0)  # the burglary figure and its total


def test_rollback_restores_components_and_total_together(store):
    before = everything(store)
    first = _import(store, _components())
    after_first = everything(store)
    fix = _components(seed=7).head(5)
    second = _import(store, fix)
    imports.rollback(store, second.batch_id, actor=EDITOR)
    assert everything(store) == after_first
    imports.rollback(store, first.batch_id, actor=EDITOR)
    assert everything(store) == before


def test_a_withheld_component_withholds_the_total(store):
    components = _components().astype({"value": object})
    components["status"] = ""
    hidden = (components["indicator"] == "robbery") & (components["area"] == "02")
    components.loc[hidden, "value"] = ""
    components.loc[hidden, "status"] = "ndiff"
    _import(store, components)
    found = _all_crime(store)
    assert found.loc["02", "status"].eq("not_published").all()
    assert found.loc["02", "value"].isna().all()
    assert found.loc["01", "status"].eq("ok").all()


def test_a_missing_component_leaves_no_total(store):
    components = _components()
    partial = components[~((components["indicator"] == "drugs") & (components["area"] == "03"))]
    _import(store, partial)
    found = _all_crime(store)
    assert "03" not in found.index.get_level_values(0)
    assert len(found) == 2 * len(PERIODS)


def test_the_missing_component_arriving_later_completes_the_total(store):
    components = _components()
    missing = components["indicator"] == "drugs"
    _import(store, components[~missing])
    assert _all_crime(store).empty
    _import(store, components[missing])
    pd.testing.assert_series_equal(_all_crime(store)["value"], _expected(components), check_names=False)


def test_a_file_with_figures_of_the_derived_indicator_is_refused(store):
    before = everything(store)
    frame = pd.DataFrame(
        [("all_crime", "01", "2031-01", 5)], columns=["indicator", "area", "period", "value"]
    )
    report = imports.import_table(store, ImportKind.OBSERVATIONS, _csv(frame), "obs.csv", actor=EDITOR)
    assert not report.ok
    assert [i.code for i in report.errors] == ["derived-indicator"]
    assert everything(store) == before


def test_dry_run_reports_what_the_commit_does(store):
    before = everything(store)
    dry = _import(store, _components(), dry_run=True)
    assert everything(store) == before
    real = _import(store, _components())
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)


def test_declaring_a_total_computes_it_from_figures_already_stored(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    try:
        before = everything(opened)
        frame = pd.DataFrame(
            [("burglary", "01", "2031-01", 4), ("robbery", "01", "2031-01", 2)],
            columns=["indicator", "area", "period", "value"],
        )
        # Without the other crime types there are no such indicators yet: declare a smaller total.
        tables = {
            "derived_components": pd.DataFrame(
                {"indicator_code": ["pair", "pair"], "component_code": ["burglary", "robbery"]}
            )
        }
        _import(opened, frame)
        out, issues = derived.with_derived(opened, tables)
        rows = out["observations"]
        assert list(rows["indicator_code"].unique()) == ["pair"]
        value = rows[(rows["area_code"] == "01") & (rows["period_start"] == pd.Timestamp("2031-01-01"))][
            "value"
        ]
        assert value.tolist() == [6.0]
        assert issues and issues[0].code == "derived-recomputed"
        assert everything(opened) != before
    finally:
        opened.close()


def test_the_starter_batch_computes_the_total_and_its_rollback_removes_it(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    try:
        before = everything(opened)
        indicators = starters.preview_rows("police_uk")
        first = imports.import_table(
            opened,
            ImportKind.INDICATORS,
            indicators[indicators["code"] != "all_crime"].to_csv(index=False).encode(),
            "crime types.csv",
            actor=EDITOR,
        )
        assert first.ok, first.to_text()
        _import(opened, _components())
        result = starters.add(opened, "police_uk", actor=EDITOR)
        assert result.created == ("all_crime",)
        assert len(_all_crime(opened)) == len(AREAS) * len(PERIODS)
        imports.rollback(opened, result.report.batch_id, actor=EDITOR)
        assert _all_crime(opened).empty
        assert derived.declared(opened, {}) == {}
        assert "all_crime" not in set(queries.indicators(opened)["code"])
        assert everything(opened) != before  # the components stay
    finally:
        opened.close()


def test_sums_is_pure_and_follows_the_rules():
    figures = pd.DataFrame(
        {
            "indicator_code": ["a", "b", "a", "b", "a"],
            "area_code": ["01", "01", "02", "02", "03"],
            "granularity": "month",
            "period_start": pd.Timestamp("2031-01-01"),
            "value": [1.0, 2.0, 3.0, np.nan, 5.0],
            "sample_size": pd.array([pd.NA] * 5, dtype="Int64"),
            "status": ["ok", "provisional", "ok", "not_published", "ok"],
        }
    )
    found = derived.sums(figures, {"t": ("a", "b")}).set_index("area_code")
    assert list(found.index) == ["01", "02"]  # 03 lacks b: no total
    assert (found.loc["01", "value"], found.loc["01", "status"]) == (3.0, "provisional")
    assert np.isnan(found.loc["02", "value"]) and found.loc["02", "status"] == "not_published"


def test_a_police_uk_file_without_a_mapping_feeds_the_crime_types_and_the_total(store):
    from observatory import geo
    from observatory.services import formats
    from tests.services.test_starters import POLICE_UK_TYPES

    shapes = queries.area_shapes(store, level=1, display=False).set_index("code")
    point = geo.geometry_from_text(shapes.loc["01", "geometry"]).representative_point()
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
        "Crime type,Last outcome category,Context\n"
    )
    lines = [
        f"x{i},2031-03,Force,Force,{point.x},{point.y},On or near,E01,Somewhere,{kind},Under investigation,"
        for i, kind in enumerate([*POLICE_UK_TYPES, *POLICE_UK_TYPES[1:4], "Anti-social behaviour"])
    ]
    report = formats.import_police_uk(
        store, (header + "\n".join(lines) + "\n").encode(), "street.csv", actor=EDITOR
    )
    assert report.ok, report.to_text()
    found = store.frame(
        "SELECT area_code, value FROM observations WHERE indicator_code = 'all_crime' "
        "AND period_start = DATE '2031-03-01' ORDER BY area_code"
    ).set_index("area_code")["value"]
    assert found["01"] == 13 + 3  # every crime type once, three of them twice; anti-social behaviour left out
    assert set(found.drop("01")) == {0.0}  # every district has a zero count of every crime type
    assert len(found) == len(shapes)
