"""Tests of observatory.charts._geo: feature ids, subsets and the fitted view."""

from __future__ import annotations

import pytest

from observatory.charts import _geo
from tests.charts.builders import grid_geojson


def test_feature_id_reads_id_and_properties() -> None:
    feature = grid_geojson(1)["features"][0]
    assert _geo.feature_id(feature, "id") == "D01"
    assert _geo.feature_id(feature, "properties.code") == "D01"


def test_subset_keeps_only_the_named_features() -> None:
    part = _geo.subset(grid_geojson(), ["D02", "D05"], "id")
    assert [f["id"] for f in part["features"]] == ["D02", "D05"]


def test_bounds_of_the_grid() -> None:
    assert _geo.bounds(grid_geojson()) == pytest.approx((-8.68, 41.12, -8.60, 41.18))


def test_bounds_of_multipolygons_and_collections() -> None:
    square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [square]}},
            {
                "type": "Feature",
                "geometry": {
                    "type": "GeometryCollection",
                    "geometries": [{"type": "Point", "coordinates": [3, -2]}],
                },
            },
        ],
    }
    assert _geo.bounds(geojson) == (0, -2, 3, 1)


def test_empty_geojson_has_a_world_view() -> None:
    assert _geo.fit_view({"type": "FeatureCollection", "features": []}) == ({"lon": 0.0, "lat": 0.0}, 1.0)


def test_larger_area_gets_a_smaller_zoom() -> None:
    _, city = _geo.fit_view(grid_geojson(4))
    _, bigger = _geo.fit_view(grid_geojson(16))
    assert bigger < city
