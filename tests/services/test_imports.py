"""Import use cases end to end: all-or-nothing, dry run = commit, idempotence, exact rollback."""

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from observatory.domain import Actor, ImportKind, PermissionDenied, Role
from observatory.services import imports
from observatory.store import connect, queries
from observatory.store.schema import TABLES

EDITOR = Actor("rita", Role.EDITOR)


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def everything(store) -> dict[str, str]:
    """Full contents of every data table as CSV text: equal text means byte-for-byte equal tables."""
    return {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}


def _report_without_batch(report):
    data = report.to_dict()
    data.pop("batch_id", None)
    return data


OBS_UPDATE = (
    b"indicator,area,period,value,sample_size,status\n"
    b"burglary,01,2016-01,99,,\n"  # updates a stored value
    b"burglary,01,2030-01,4,,\n"  # creates a new row
    b"outreach_contacts,03,2019-04,12,,\n"  # publishes a withheld cell
    b"feel_unsafe,05,2024,55.5,200,\n"  # updates a survey value and its sample size
)


def test_file_with_one_bad_row_writes_nothing(store):
    before = everything(store)
    data = OBS_UPDATE + b"burglary,99,2024-01,3,,\n"
    report = imports.import_table(store, ImportKind.OBSERVATIONS, data, "obs.csv", actor=EDITOR)
    assert not report.ok
    assert [(i.code, i.row, i.column) for i in report.errors] == [("unknown-area", 5, "area")]
    assert (report.created, report.updated, report.rejected) == (0, 0, 1)
    assert everything(store) == before
    logged = queries.batch(store, report.batch_id).iloc[0]
    assert (logged["state"], int(logged["rejected"])) == ("failed", 1)


def test_dry_run_gives_the_commit_report_and_writes_nothing(store):
    before = everything(store)
    dry = imports.import_table(
        store, ImportKind.OBSERVATIONS, OBS_UPDATE, "obs.csv", actor=EDITOR, dry_run=True
    )
    assert everything(store) == before
    real = imports.import_table(store, ImportKind.OBSERVATIONS, OBS_UPDATE, "obs.csv", actor=EDITOR)
    assert _report_without_batch(dry) == _report_without_batch(real)
    assert (real.created, real.updated, real.unchanged) == (1, 3, 0)
    assert queries.batch(store, dry.batch_id)["state"].iloc[0] == "dry_run"


def test_reimporting_the_same_file_changes_nothing_and_says_so(store):
    imports.import_table(store, ImportKind.OBSERVATIONS, OBS_UPDATE, "obs.csv", actor=EDITOR)
    before = everything(store)
    again = imports.import_table(store, ImportKind.OBSERVATIONS, OBS_UPDATE, "obs.csv", actor=EDITOR)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert everything(store) == before


def test_withheld_value_is_stored_as_withheld_never_zero(store):
    data = b"indicator,area,period,value,status\nburglary,01,2016-01,ndiff,\nrobbery,02,2016-01,,ndiff\n"
    report = imports.import_table(store, ImportKind.OBSERVATIONS, data, "ndiff.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    rows = store.rows(
        "SELECT value, status FROM observations WHERE period_start = DATE '2016-01-01' "
        "AND ((indicator_code = 'burglary' AND area_code = '01') "
        "OR (indicator_code = 'robbery' AND area_code = '02'))"
    )
    assert rows == [(None, "not_published"), (None, "not_published")]


ROUND_TRIPS = {
    ImportKind.OBSERVATIONS: OBS_UPDATE,
    ImportKind.INDICATORS: (
        b"code,name,theme,kind,unit,polarity,denominator,multiplier,threshold,description,source\n"
        b"burglary,Home burglary,property crime,result,count,lower_is_better,dwellings,1000,7,Changed,PSP\n"
        b"new_ind,New one,public space,activity,count,higher_is_better,,,5,New.,City\n"
    ),
    ImportKind.DENOMINATORS: b"area,year,residents,dwellings\n01,2025,99999,11111\n02,2026,5000,2000\n",
    ImportKind.PARTNERS: b"code,name,sector\nP01,Renamed council,public\nP99,New club,private\n",
    ImportKind.OBJECTIVES: (
        b"code,axis,title,indicator,area,baseline_period,baseline_value,target_value,target_period\n"
        b"OB1,AX4,Changed target,burglary,000,2022,1602,1300,2027\n"
    ),
    ImportKind.ACTIONS: (
        b"code,objective,title,lead_partner,partners,status,start,end,budget\n"
        b"AC01,OB1,Home-security visits,P02,P01,completed,2023-02-01,2025-12-31,50000\n"
    ),
}


@pytest.mark.parametrize("kind", list(ROUND_TRIPS), ids=str)
def test_import_then_rollback_leaves_every_table_byte_for_byte_equal(store, kind):
    before = everything(store)
    report = imports.import_table(store, kind, ROUND_TRIPS[kind], f"{kind}.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert report.created + report.updated > 0
    assert everything(store) != before
    imports.rollback(store, report.batch_id, actor=EDITOR)
    assert everything(store) == before


def _boundary_bytes(tmp_path, codes):
    frame = gpd.GeoDataFrame(
        {"CODE": codes, "NAME": [f"Zone {c}" for c in codes]},
        geometry=[box(-8.60 + i * 0.01, 41.10, -8.59 + i * 0.01, 41.11) for i in range(len(codes))],
        crs="EPSG:4326",
    )
    path = tmp_path / "zones.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path.read_bytes()


def test_boundary_import_and_rollback_round_trip(store, tmp_path):
    before = everything(store)
    data = _boundary_bytes(tmp_path, ["01", "21"])
    report = imports.import_boundaries(
        store,
        data,
        "zones.geojson",
        code_field="CODE",
        name_field="NAME",
        actor=EDITOR,
        city_code="000",
        city_name="Portelva",
    )
    assert report.ok, report.to_text()
    assert report.created == 1  # district 21; 01 and the city outline are updates
    imports.rollback(store, report.batch_id, actor=EDITOR)
    assert everything(store) == before


def test_boundary_file_may_not_reuse_the_city_code(store, tmp_path):
    data = _boundary_bytes(tmp_path, ["000"])
    report = imports.import_boundaries(
        store, data, "zones.geojson", code_field="CODE", name_field="NAME", actor=EDITOR, city_code="000"
    )
    assert [i.code for i in report.errors] == ["primary-key"]


def test_boundary_file_without_crs_is_refused_unless_named(store, tmp_path):
    frame = gpd.GeoDataFrame({"CODE": ["01"], "NAME": ["A"]}, geometry=[box(0, 0, 100, 100)], crs=None)
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "zones.shp")
    archive = shutil.make_archive(str(tmp_path / "zones"), "zip", folder)
    data = Path(archive).read_bytes()
    report = imports.import_boundaries(
        store, data, "zones.zip", code_field="CODE", name_field="NAME", actor=EDITOR, dry_run=True
    )
    assert [i.code for i in report.errors] == ["crs-missing"]


def test_viewer_may_not_import(store):
    with pytest.raises(PermissionDenied):
        imports.import_table(
            store, ImportKind.OBSERVATIONS, OBS_UPDATE, "obs.csv", actor=Actor("v", Role.VIEWER)
        )


def test_viewer_may_not_roll_back(store):
    with pytest.raises(PermissionDenied):
        imports.rollback(store, 1, actor=Actor("v", Role.VIEWER))


def test_report_is_kept_in_the_batch_log(store):
    report = imports.import_table(store, ImportKind.OBSERVATIONS, OBS_UPDATE, "obs.csv", actor=EDITOR)
    stored = json.loads(queries.batch(store, report.batch_id)["report"].iloc[0])
    assert stored["filename"] == "obs.csv"
    assert stored["encoding"] == report.encoding
