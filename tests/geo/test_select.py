"""Keeping only some areas of a boundary file: inside the city's outline, or matching an attribute."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from observatory import geo
from observatory.geo.select import NOT_MATCHING, OUTSIDE, inside, inside_shares, matching
from tests.geo.builders import LISBON_X, LISBON_Y, geojson_bytes

CITY = box(0, 0, 3000, 3000)


def national(offset: float = -400.0) -> gpd.GeoDataFrame:
    """10 × 7 squares of 1 km, shifted so that the city's edge cuts some of them 60/40."""
    cells = [(r, c) for r in range(-2, 5) for c in range(-3, 7)]
    geometries = [box(offset + 1000 * c, 1000 * r, offset + 1000 * (c + 1), 1000 * (r + 1)) for r, c in cells]
    frame = gpd.GeoDataFrame(
        {
            "code": [f"E01{r + 2:02d}{c + 3:02d}" for r, c in cells],
            "name": [f"Area {r},{c}" for r, c in cells],
            "dept": ["69" if c < 2 else "01" for r, c in cells],
        },
        geometry=geometries,
        crs="EPSG:3763",
    )
    return frame.set_geometry(frame.geometry.translate(LISBON_X, LISBON_Y))


def _in_degrees(geometry):
    return gpd.GeoSeries([geometry], crs="EPSG:3763").translate(LISBON_X, LISBON_Y).to_crs(4326).iloc[0]


def test_an_area_is_inside_when_at_least_half_of_it_lies_within():
    areas = [
        box(-400, 0, 600, 1000),
        box(2600, 0, 3600, 1000),
        box(0, 3000, 1000, 4000),
        box(1000, 1000, 2000, 2000),
    ]
    shares = inside_shares(areas, CITY)
    assert shares == pytest.approx([0.6, 0.4, 0.0, 1.0])
    assert inside(areas, CITY).tolist() == [True, False, False, True]


def test_an_area_without_geometry_is_kept_for_the_checks_to_refuse():
    assert inside([None, box(5000, 5000, 6000, 6000)], CITY).tolist() == [True, False]


def test_an_invalid_area_is_measured_once_repaired():
    bow_tie = gpd.GeoSeries.from_wkt(["POLYGON ((0 0, 1000 1000, 1000 0, 0 1000, 0 0))"]).iloc[0]
    assert inside([bow_tie], CITY).tolist() == [True]


@pytest.mark.parametrize(
    ("values", "prefix", "expected"),
    [
        (("69",), False, [True, False, False, False]),
        (("69", "1"), False, [True, False, False, True]),
        (("69",), True, [True, True, False, False]),
        ((" 6",), True, [True, True, False, False]),
    ],
)
def test_attribute_values_match_exactly_or_as_prefixes(values, prefix, expected):
    column = pd.Series(["69", "69123", "01", 1.0])
    keep = geo.AreaFilter(field="dept", values=values, prefix=prefix)
    assert matching(column, keep).tolist() == expected


def test_values_are_typed_as_one_text():
    assert geo.parse_values(" 69; 01,\n69 , ") == ("69", "01")


def _read(frame, keep, outline=None):
    select = geo.Selection(keep, outline)
    return geo.read_boundaries(
        geojson_bytes(frame), "national.geojson", code_field="code", name_field="name", select=select
    )


def test_reading_keeps_the_areas_inside_and_lists_those_left_out():
    bounds = _read(national(), geo.AreaFilter(inside=True), _in_degrees(CITY))
    assert bounds.ok, bounds.issues
    assert len(bounds.frame) == 9 and len(bounds.dropped) == 61
    assert set(bounds.dropped["reason"]) == {OUTSIDE}
    assert "E01" + "0203" in set(bounds.frame["code"])  # the 60 % square at the western edge
    assert "E01" + "0206" not in set(bounds.frame["code"])  # the 40 % square at the eastern edge


def test_reading_keeps_the_areas_matching_an_attribute_then_inside():
    keep = geo.AreaFilter(inside=True, field="dept", values=("69",))
    bounds = _read(national(), keep, _in_degrees(CITY))
    assert len(bounds.frame) == 3 * 2
    counts = bounds.dropped["reason"].value_counts()
    assert (counts[NOT_MATCHING], counts[OUTSIDE]) == (35, 29)


def test_problems_of_areas_left_out_do_not_block_and_rows_keep_file_numbers():
    frame = national()
    frame.loc[0, "code"] = frame.loc[1, "code"]  # a duplicate far away
    frame.loc[frame.index[-1], "name"] = None  # a blank name of an area kept
    keep = geo.AreaFilter(field="dept", values=("01",))
    frame.loc[frame.index[-1], "dept"] = "01"
    bounds = _read(frame, keep)
    assert bounds.ok
    warning = next(i for i in bounds.issues if i.code == "missing-cell")
    assert warning.row == len(frame)


def test_a_filter_field_the_file_lacks_is_an_error():
    bounds = _read(national(), geo.AreaFilter(field="department", values=("69",)))
    assert [i.code for i in bounds.issues] == ["missing-label"]


def test_a_filter_keeping_nothing_is_an_error():
    bounds = _read(national(), geo.AreaFilter(field="dept", values=("75",)))
    assert not bounds.ok
    assert any(i.code == "source-error" and "No area" in i.message for i in bounds.issues)
    assert len(bounds.dropped) == 70


def test_many_areas_are_selected_quickly():
    cells = 200
    geometries = [
        box(100 * c, 100 * r, 100 * (c + 1), 100 * (r + 1)) for r in range(cells) for c in range(cells // 4)
    ]
    kept = inside(geometries, box(0, 0, 2000, 2000))
    assert int(np.sum(kept)) == 20 * 20
