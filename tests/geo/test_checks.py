"""Feature checks: codes, names and geometries, through read_boundaries on GeoJSON uploads."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box

from observatory import geo
from observatory.domain import Severity
from observatory.geo.checks import polygonal_part
from tests.geo.builders import file_bytes, geojson_bytes, squares_3763


def _read(frame: gpd.GeoDataFrame) -> geo.Boundaries:
    return geo.read_boundaries(
        geojson_bytes(frame), "districts.geojson", code_field="code", name_field="name"
    )


def _wgs84(
    codes: list[object], geometries: list[object], names: list[object] | None = None
) -> gpd.GeoDataFrame:
    names = names if names is not None else [f"D{i}" for i in range(len(codes))]
    return gpd.GeoDataFrame({"code": codes, "name": names}, geometry=geometries, crs="EPSG:4326")


def _cells(count: int) -> list[Polygon]:
    return [box(-9.2 + 0.01 * i, 38.7, -9.19 + 0.01 * i, 38.71) for i in range(count)]


def test_codes_keep_leading_zeros() -> None:
    result = _read(_wgs84(["007", "010"], _cells(2)))
    assert list(result.frame["code"]) == ["007", "010"]
    assert result.issues == []


def test_duplicate_codes_name_both_features() -> None:
    result = _read(_wgs84(["01", "02", "01"], _cells(3)))
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.row, issue.column, issue.value) == (
        "primary-key",
        Severity.ERROR,
        3,
        "code",
        "01",
    )
    assert "Features 1 and 3" in issue.message


def test_blank_code_is_missing_cell() -> None:
    result = _read(_wgs84(["01", "  ", None], _cells(3)))
    assert [(issue.code, issue.row) for issue in result.issues] == [("missing-cell", 2), ("missing-cell", 3)]
    assert not result.ok


def test_integer_codes_that_lost_a_leading_zero_warn(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763([1, 2, 10, 11]), "zip", tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name")
    assert list(result.frame["code"]) == ["1", "2", "10", "11"]
    (warning,) = result.issues
    assert (warning.code, warning.severity, warning.column) == (
        "code-lost-leading-zero",
        Severity.WARNING,
        "code",
    )
    assert result.ok


def test_integer_codes_of_one_width_do_not_warn(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763([101, 102, 103]), "gpkg", tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name")
    assert list(result.frame["code"]) == ["101", "102", "103"]
    assert result.issues == []


def test_blank_name_falls_back_to_code_with_warning() -> None:
    result = _read(_wgs84(["01", "02"], _cells(2), names=["Alfama", ""]))
    assert list(result.frame["name"]) == ["Alfama", "02"]
    (warning,) = result.issues
    assert (warning.code, warning.severity, warning.row) == ("missing-cell", Severity.WARNING, 2)


def test_bow_tie_is_repaired_with_warning() -> None:
    bow_tie = Polygon([(-9.20, 38.70), (-9.19, 38.71), (-9.19, 38.70), (-9.20, 38.71)])
    assert not bow_tie.is_valid
    result = _read(_wgs84(["01", "02"], [*_cells(1), bow_tie]))
    assert result.ok
    (warning,) = result.issues
    assert (warning.code, warning.severity, warning.row, warning.column) == (
        "geometry-repaired",
        Severity.WARNING,
        2,
        "geometry",
    )
    repaired = result.frame.geometry.iloc[1]
    assert repaired.is_valid
    assert repaired.geom_type == "MultiPolygon"
    assert repaired.area > 0


def test_polygon_collapsed_to_a_line_is_an_error() -> None:
    flat = Polygon([(-9.20, 38.70), (-9.19, 38.71), (-9.18, 38.72), (-9.20, 38.70)])
    result = _read(_wgs84(["01"], [flat]))
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.row) == ("geometry-invalid", Severity.ERROR, 1)


def test_point_layer_is_refused() -> None:
    result = _read(_wgs84(["01", "02"], [Point(-9.1, 38.7), Point(-9.2, 38.7)]))
    (issue,) = result.issues
    assert (issue.code, issue.severity) == ("type-error", Severity.ERROR)
    assert "Point" in issue.message


def test_point_among_polygons_is_a_type_error_for_that_feature() -> None:
    result = _read(_wgs84(["01", "02"], [*_cells(1), Point(-9.2, 38.7)]))
    (issue,) = result.issues
    assert (issue.code, issue.row, issue.value) == ("type-error", 2, "Point")


def test_empty_geometry_is_an_error() -> None:
    result = _read(_wgs84(["01", "02"], [*_cells(1), None]))
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.row, issue.column) == (
        "missing-cell",
        Severity.ERROR,
        2,
        "geometry",
    )


def test_polygonal_part_drops_lines_and_points() -> None:
    collection = GeometryCollection([box(0, 0, 1, 1), Point(5, 5), LineString([(0, 0), (3, 3)])])
    assert polygonal_part(collection) == box(0, 0, 1, 1)
    assert polygonal_part(LineString([(0, 0), (1, 1)])) is None
    two = MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)])
    assert polygonal_part(GeometryCollection([two, Point(9, 9)])) == two
