"""Display geometry: coverage simplification, GeoJSON for plotly, text storage, outline."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from observatory import geo
from tests.geo.builders import voronoi_coverage

EQUAL_AREA = "EPSG:6933"


@pytest.fixture(scope="module")
def coverage() -> gpd.GeoDataFrame:
    """About 50 irregular Voronoi cells with edges densified to one vertex every 10 m."""
    return voronoi_coverage(50, spacing_m=10.0, wiggle_m=20.0)


@pytest.fixture(scope="module")
def simplified(coverage: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return geo.display_geometries(coverage)


def _area(geometry: object) -> float:
    return float(gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(EQUAL_AREA).area.iloc[0])


def test_coverage_builder_gives_an_exact_coverage(coverage: gpd.GeoDataFrame) -> None:
    assert len(coverage) == 50
    assert bool(shapely.coverage_is_valid(np.asarray(coverage.geometry)))


def test_display_keeps_the_outline_area(coverage: gpd.GeoDataFrame, simplified: gpd.GeoDataFrame) -> None:
    before = _area(geo.union_outline(coverage))
    after = _area(geo.union_outline(simplified))
    # The default tolerance scales with the cells (~130 m here): their 20 m wiggles are drawn straight.
    assert after == pytest.approx(before, rel=1e-3)


def test_display_opens_no_overlaps(simplified: gpd.GeoDataFrame) -> None:
    metric = simplified.to_crs(EQUAL_AREA).geometry
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(metric, 2) if a.intersects(b))
    assert overlap < 1.0  # m², against a city of 225 km²


def test_display_keeps_a_valid_coverage(simplified: gpd.GeoDataFrame) -> None:
    assert bool(shapely.coverage_is_valid(np.asarray(simplified.geometry)))
    assert simplified.geometry.is_valid.all()


def test_display_makes_the_geojson_smaller(coverage: gpd.GeoDataFrame, simplified: gpd.GeoDataFrame) -> None:
    before = len(json.dumps(geo.to_geojson(coverage)))
    after = len(json.dumps(geo.to_geojson(simplified)))
    assert after < before / 5


def test_display_rounds_to_six_decimals(simplified: gpd.GeoDataFrame) -> None:
    coordinates = shapely.get_coordinates(np.asarray(simplified.geometry))
    assert np.array_equal(coordinates, np.round(coordinates, 6))


def test_display_keeps_codes_names_and_input(
    coverage: gpd.GeoDataFrame, simplified: gpd.GeoDataFrame
) -> None:
    assert list(simplified["code"]) == list(coverage["code"])
    assert simplified.crs.to_epsg() == 4326
    assert shapely.get_num_coordinates(np.asarray(coverage.geometry)).sum() > 10_000  # input untouched


def test_display_cleans_neighbours_whose_edges_do_not_match() -> None:
    # The right square's left edge has an extra vertex the left square lacks: not an exact coverage.
    left = box(-9.20, 38.70, -9.19, 38.71)
    right = Polygon([(-9.19, 38.70), (-9.18, 38.70), (-9.18, 38.71), (-9.19, 38.71), (-9.19, 38.705)])
    frame = gpd.GeoDataFrame(
        {"code": ["1", "2"], "name": ["a", "b"]}, geometry=[left, right], crs="EPSG:4326"
    )
    result = geo.display_geometries(frame)
    assert bool(shapely.coverage_is_valid(np.asarray(result.geometry)))
    assert _area(geo.union_outline(result)) == pytest.approx(_area(box(-9.20, 38.70, -9.18, 38.71)), rel=1e-4)


def test_display_of_an_empty_frame_is_empty() -> None:
    frame = gpd.GeoDataFrame({"code": [], "name": []}, geometry=[], crs="EPSG:4326")
    assert geo.display_geometries(frame).empty


def test_to_geojson_has_one_feature_per_district_with_code_id(simplified: gpd.GeoDataFrame) -> None:
    collection = geo.to_geojson(simplified)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [feature["id"] for feature in features] == list(simplified["code"])
    assert features[0]["properties"] == {"code": "001", "name": "Cell 001"}
    assert features[0]["geometry"]["type"] == "Polygon"
    json.dumps(collection)  # plain JSON types only


def test_geometry_text_round_trips_exactly(coverage: gpd.GeoDataFrame) -> None:
    for geometry in coverage.geometry.iloc[:5]:
        assert geo.geometry_from_text(geo.geometry_to_text(geometry)).equals_exact(geometry, 0.0)


def test_geometry_from_text_rejects_garbage() -> None:
    for text in ("not json", '{"type": "Nonsense"}', "[1, 2]"):
        with pytest.raises(ValueError, match="not a GeoJSON geometry"):
            geo.geometry_from_text(text)


def test_union_outline_is_the_dissolve(coverage: gpd.GeoDataFrame) -> None:
    outline = geo.union_outline(coverage)
    assert outline.geom_type == "Polygon"
    assert len(outline.interiors) == 0
    assert outline.area == pytest.approx(shapely.area(np.asarray(coverage.geometry)).sum(), rel=1e-9)


def test_display_tolerance_is_a_sixteenth_of_the_median_district_width() -> None:
    areas = np.array([0.5e6, 1e6, 4e6])  # median 1 km², 1,000 m wide
    assert geo.display_tolerance(areas) == pytest.approx(1000 / 16)


def test_display_tolerance_never_goes_below_fifteen_metres() -> None:
    assert geo.display_tolerance(np.array([100.0, 400.0])) == 15.0


def test_display_tolerance_of_no_districts_is_the_minimum() -> None:
    assert geo.display_tolerance(np.array([])) == 15.0


def test_display_of_bigger_districts_keeps_fewer_vertices(coverage: gpd.GeoDataFrame) -> None:
    fine = geo.display_geometries(coverage, tolerance_m=15.0)
    default = geo.display_geometries(coverage)
    vertices = [len(shapely.get_coordinates(np.asarray(f.geometry))) for f in (fine, default)]
    assert vertices[1] < vertices[0]


def test_display_of_dense_one_km2_districts_weighs_under_half_a_kb_each() -> None:
    from benchmarks.generate import tessellation

    frame = tessellation(60)
    payload = len(json.dumps(geo.to_geojson(geo.display_geometries(frame)), separators=(",", ":")))
    assert payload / len(frame) < 500
