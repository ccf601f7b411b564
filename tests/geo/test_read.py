"""Reading boundary files: formats, CRS handling, fields."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from observatory import geo
from observatory.domain import Severity
from tests.geo.builders import file_bytes, geojson_bytes, squares_3763


def _codes(result: geo.Boundaries) -> list[str]:
    return list(result.frame["code"])


def _issue_codes(result: geo.Boundaries) -> list[str]:
    return [issue.code for issue in result.issues]


@pytest.mark.parametrize("kind", ["geojson", "gpkg", "zip"])
def test_each_format_round_trips(kind: str, tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), kind, tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name")
    assert result.ok, result.issues
    assert _codes(result) == ["01", "02", "03", "04"]
    assert list(result.frame["name"]) == ["District 1", "District 2", "District 3", "District 4"]
    assert list(result.frame.columns) == ["code", "name", "geometry", "area_km2"]
    assert result.frame.crs.to_epsg() == 4326


def test_projected_crs_is_reprojected_to_wgs84(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "gpkg", tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name")
    assert result.source_crs == "EPSG:3763"
    min_x, min_y, max_x, max_y = result.frame.total_bounds
    assert -9.3 < min_x < max_x < -9.0  # Lisbon
    assert 38.6 < min_y < max_y < 38.8


def test_area_is_computed_in_an_equal_area_crs(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "gpkg", tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name")
    # TM06 is conformal, so its 1 km squares are 1 km² to within its scale error (< 0.1 % here).
    assert result.frame["area_km2"].tolist() == pytest.approx([1.0] * 4, rel=2e-3)


def test_geojson_without_crs_member_is_wgs84() -> None:
    frame = gpd.GeoDataFrame(
        {"code": ["A"], "name": ["Alfama"]}, geometry=[box(-9.13, 38.71, -9.12, 38.72)], crs="EPSG:4326"
    )
    data = geojson_bytes(frame)
    assert "crs" not in json.loads(data)
    result = geo.read_boundaries(data, "alfama.geojson", code_field="code", name_field="name")
    assert result.ok, result.issues
    assert result.source_crs == "EPSG:4326"
    assert result.frame.geometry.iloc[0].equals_exact(box(-9.13, 38.71, -9.12, 38.72), 1e-12)


def test_shapefile_without_prj_is_refused_with_crs_missing(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "zip", tmp_path, keep_prj=False)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name")
    assert not result.ok
    assert _issue_codes(result) == ["crs-missing"]
    assert result.frame.empty


def test_shapefile_without_prj_is_accepted_with_named_crs(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "zip", tmp_path, keep_prj=False)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name", crs="EPSG:3763")
    assert result.ok, result.issues
    assert result.source_crs == "EPSG:3763"
    assert -9.3 < result.frame.total_bounds[0] < -9.0


def test_named_crs_differing_from_file_warns_and_file_wins(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "gpkg", tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name", crs="EPSG:27493")
    assert result.ok
    assert result.source_crs == "EPSG:3763"
    (warning,) = result.issues
    assert (warning.code, warning.severity) == ("crs-mismatch", Severity.WARNING)


def test_named_crs_equal_to_file_is_silent(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "zip", tmp_path)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name", crs="EPSG:3763")
    assert result.issues == []


def test_absurd_crs_is_crs_invalid(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "zip", tmp_path, keep_prj=False)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name", crs="EPSG:banana")
    assert _issue_codes(result) == ["crs-invalid"]
    assert result.issues[0].value == "EPSG:banana"


def test_wrong_crs_puts_coordinates_out_of_range(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "zip", tmp_path, keep_prj=False)
    result = geo.read_boundaries(data, name, code_field="code", name_field="name", crs="EPSG:4326")
    assert _issue_codes(result) == ["constraint-error"] * 4
    assert [issue.row for issue in result.issues] == [1, 2, 3, 4]
    assert "EPSG:4326" in result.issues[0].message


def test_missing_code_field_lists_available_fields(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "geojson", tmp_path)
    result = geo.read_boundaries(data, name, code_field="dicofre", name_field="name")
    (issue,) = result.issues
    assert (issue.code, issue.column, issue.file) == ("missing-label", "dicofre", name)
    assert "code, name" in issue.message


def test_unknown_extension_is_source_error() -> None:
    result = geo.read_boundaries(b"code,name\n01,A\n", "districts.csv", code_field="code", name_field="name")
    assert _issue_codes(result) == ["source-error"]
    assert ".gpkg" in result.issues[0].message


def test_garbage_bytes_are_source_error() -> None:
    result = geo.read_boundaries(
        b"\x00\x01 not json", "districts.geojson", code_field="code", name_field="name"
    )
    assert _issue_codes(result) == ["source-error"]
    assert not result.ok


def test_geopackage_with_two_layers_reads_first_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    squares_3763().to_file(path, layer="districts")
    squares_3763(["X"]).to_file(path, layer="other", mode="a")
    result = geo.read_boundaries(path.read_bytes(), "two.gpkg", code_field="code", name_field="name")
    assert result.ok
    assert _codes(result) == ["01", "02", "03", "04"]
    (warning,) = result.issues
    assert warning.code == "multiple-layers"
    assert "districts, other" in warning.message


def test_list_fields_returns_attribute_fields(tmp_path: Path) -> None:
    frame = squares_3763().assign(population=[10, 20, 30, 40])
    for kind in ("geojson", "gpkg", "zip"):
        data, name = file_bytes(frame, kind, tmp_path)
        assert geo.list_fields(data, name) == ["code", "name", "population"]


def test_list_fields_raises_boundary_source_error_for_unreadable_file() -> None:
    with pytest.raises(geo.BoundarySourceError) as caught:
        geo.list_fields(b"not a zip", "districts.zip")
    assert caught.value.issue.code == "source-error"
    assert caught.value.issue.file == "districts.zip"


def test_truncated_geopackage_is_source_error(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "gpkg", tmp_path)
    result = geo.read_boundaries(data[:2048], name, code_field="code", name_field="name")
    assert _issue_codes(result) == ["source-error"]


def test_describe_gives_fields_and_declared_crs(tmp_path: Path) -> None:
    frame = squares_3763().assign(population=[10, 20, 30, 40])
    data, name = file_bytes(frame, "gpkg", tmp_path)
    info = geo.describe(data, name)
    assert info.fields == ["code", "name", "population"]
    assert info.crs == "EPSG:3763"


def test_describe_says_no_crs_for_a_shapefile_without_prj(tmp_path: Path) -> None:
    data, name = file_bytes(squares_3763(), "zip", tmp_path, keep_prj=False)
    assert geo.describe(data, name).crs is None


def test_describe_raises_boundary_source_error_for_unreadable_file() -> None:
    with pytest.raises(geo.BoundarySourceError) as caught:
        geo.describe(b"{not json", "districts.geojson")
    assert caught.value.issue.file == "districts.geojson"
