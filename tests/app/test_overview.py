"""AppTest of the overview page: starts, builds the demo on a fresh database, draws the map."""

from observatory.store import connect, queries
from tests.app.helpers import figures, map_locations, start


def _district_codes(path):
    store = connect(path)
    codes = sorted(queries.areas(store, level=1)["code"])
    store.close()
    return codes


def test_fresh_database_builds_the_demo_and_draws_one_polygon_per_district(app_env, tmp_path):
    path = app_env(tmp_path / "fresh.duckdb")
    at = start()
    assert not at.exception
    maps = [f for f in figures(at) if map_locations(f)]
    assert len(maps) == 1
    codes = _district_codes(path)
    assert len(codes) == 20
    assert sorted(map_locations(maps[0])) == codes


def test_indicator_choice_changes_the_map(demo_app):
    at = start()
    first = figures(at)[0]
    at.selectbox(key="indicator").select("feel_unsafe").run()
    assert not at.exception
    assert figures(at)[0] != first
    assert at.query_params["indicator"] == ["feel_unsafe"] or at.query_params["indicator"] == "feel_unsafe"


def test_url_restores_the_selection(demo_app):
    at = start(query={"indicator": "robbery", "year": "2020", "measure": "count"})
    assert not at.exception
    assert at.selectbox(key="indicator").value == "robbery"
    assert at.selectbox(key="year").value == 2020
    assert at.radio(key="measure").value == "count"


def test_every_language_renders(demo_app):
    for lang in ("en", "pt", "fr"):
        at = start(query={"lang": lang})
        assert not at.exception, lang
        assert at.title[0].value
