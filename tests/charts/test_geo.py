"""Tests of observatory.charts._geo: feature ids, subsets, winding and where district names go."""

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


def test_no_labels_for_an_empty_file() -> None:
    assert _geo.label_points({"type": "FeatureCollection", "features": []}, {}, "id") == []


def test_many_small_districts_are_decluttered() -> None:
    geojson = grid_geojson(80)  # 20 rows of 4: districts of 12 × 16 px on a phone's map
    names = {f["id"]: f["id"][-2:] for f in geojson["features"]}  # a little wider than a district
    points = _geo.label_points(geojson, names, "id")
    assert 0 < len(points) < 80
    long_names = {code: f"Long district name {code}" for code in names}
    assert _geo.label_points(geojson, long_names, "id") == []  # none fits: all named by hover and tap
    assert len({code for code, _, _ in points}) == len(points)


def test_labels_never_overlap() -> None:
    geojson = grid_geojson(64)
    names = {
        f["id"]: "A rather long name for a square" if i % 2 else "Sé"
        for i, f in enumerate(geojson["features"])
    }
    points = _geo.label_points(geojson, names, "id")
    stretch, scale = _geo.phone_view(geojson)
    boxes = [(lon * stretch * scale, lat * scale, *_geo.label_box(names[code])) for code, lon, lat in points]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert abs(a[0] - b[0]) >= a[2] + b[2] or abs(a[1] - b[1]) >= a[3] + b[3]
    assert any(names[code] == "Sé" for code, _, _ in points)


def test_a_name_goes_on_the_largest_part_of_a_district() -> None:
    big = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
    island = [[2, 0], [2, 0.05], [2.05, 0.05], [2.05, 0], [2, 0]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "A",
                "geometry": {"type": "MultiPolygon", "coordinates": [[island], [big]]},
            }
        ],
    }
    ((code, lon, lat),) = _geo.label_points(geojson, {"A": "Alpha"}, "id")
    assert code == "A" and 0 < lon < 1 and 0 < lat < 1


def test_rewound_turns_exteriors_clockwise_and_holes_anticlockwise() -> None:
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]  # anticlockwise, as RFC 7946 writes it
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]  # clockwise
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": "A", "geometry": {"type": "Polygon", "coordinates": [outer, hole]}}
        ],
    }
    exterior, inner = _geo.rewound(geojson)["features"][0]["geometry"]["coordinates"]
    assert _geo._signed_area(exterior) < 0 < _geo._signed_area(inner)
    assert sorted(map(tuple, exterior)) == sorted(map(tuple, outer))


def test_view_of_an_empty_file_is_the_world() -> None:
    view = _geo.view_ranges({"type": "FeatureCollection", "features": []})
    assert view["lonaxis"]["range"] == [-180, 180]
