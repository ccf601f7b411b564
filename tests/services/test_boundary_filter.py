"""A national boundary file imported through the real path, keeping only the city's areas."""

import geopandas as gpd
import pytest
from shapely.geometry import box

from observatory import geo
from observatory.domain import Actor, Role
from observatory.services import imports
from observatory.store import connect, queries
from observatory.store.schema import TABLES
from tests.geo.builders import LISBON_X, LISBON_Y, geojson_bytes
from tests.geo.test_select import national

EDITOR = Actor("rita", Role.EDITOR)


@pytest.fixture
def store(tmp_path):
    opened = connect(tmp_path / "city.duckdb")
    yield opened
    opened.close()


def _districts() -> bytes:
    """The city: three 1 × 3 km strips, 0…3000 m east and north of the builders' origin."""
    frame = gpd.GeoDataFrame(
        {"code": ["01", "02", "03"], "name": ["West", "Centre", "East"]},
        geometry=[box(1000 * i, 0, 1000 * (i + 1), 3000) for i in range(3)],
        crs="EPSG:3763",
    )
    return geojson_bytes(frame.set_geometry(frame.geometry.translate(LISBON_X, LISBON_Y)))


def _import(store, data, **options):
    return imports.import_boundaries(
        store, data, "file.geojson", code_field="code", name_field="name", actor=EDITOR, **options
    )


def everything(store) -> dict[str, str]:
    return {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}


def test_a_national_file_keeps_the_areas_inside_the_city(store):
    assert _import(store, _districts()).ok
    before = everything(store)
    keep = geo.AreaFilter(inside=True)
    dry = _import(store, geojson_bytes(national()), level=2, keep=keep, dry_run=True)
    assert dry.ok, dry.to_text()
    assert (dry.rows_read, dry.created, dry.ignored) == (70, 9, 61)
    assert dry.ignored_reasons == {"outside the city": 61}
    left_out = next(i for i in dry.warnings if i.code == "areas-left-out")
    assert left_out.message.startswith(
        "61 areas of the file left out by the filter, e.g. Area -2,-3 (E010000)"
    )
    assert everything(store) == before
    real = _import(store, geojson_bytes(national()), level=2, keep=keep)
    assert (real.created, real.ignored) == (9, 61)
    assert len(queries.areas(store, level=2)) == 9
    imports.rollback(store, real.batch_id, actor=EDITOR)
    assert everything(store) == before


def test_an_attribute_filter_needs_no_city_yet(store):
    keep = geo.AreaFilter(field="dept", values=("69",))
    report = _import(store, geojson_bytes(national()), keep=keep)
    assert report.ok, report.to_text()
    assert report.created == 35 + 1  # the communes of the département, and the city as their union
    assert report.ignored_reasons == {"not matching the filter": 35}


def test_keeping_what_is_inside_needs_a_stored_city(store):
    report = _import(store, geojson_bytes(national()), keep=geo.AreaFilter(inside=True))
    assert not report.ok
    assert [i.code for i in report.errors] == ["constraint-error"]
    assert queries.areas(store).empty


def test_the_map_of_a_filtered_file_draws_only_the_areas_kept(store):
    _import(store, _districts())
    shapes = imports.boundary_shapes(
        geojson_bytes(national()),
        "file.geojson",
        code_field="code",
        name_field="name",
        store=store,
        keep=geo.AreaFilter(inside=True),
    )
    assert len(shapes["features"]) == 9


def test_the_command_line_keeps_the_areas_inside_the_city(tmp_path):
    import io

    from observatory.cli import main

    db = str(tmp_path / "cli.duckdb")
    city, country = tmp_path / "city.geojson", tmp_path / "national.geojson"
    city.write_bytes(_districts())
    country.write_bytes(geojson_bytes(national()))
    fields = ["--code-field", "code", "--name-field", "name", "--db", db]
    out = io.StringIO()
    assert main(["boundaries", str(city), *fields], out=out) == 0
    out = io.StringIO()
    code = main(["boundaries", str(country), *fields, "--level", "2", "--inside-city", "--dry-run"], out=out)
    assert code == 0
    text = out.getvalue()
    assert "rows read 70, created 9" in text and "61 outside the city" in text
    out = io.StringIO()
    args = ["boundaries", str(country), *fields, "--keep-field", "dept", "--keep-values", "6", "--prefix"]
    assert main([*args, "--level", "2", "--dry-run"], out=out) == 0
    assert "35 not matching the filter" in out.getvalue()
