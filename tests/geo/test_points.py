"""Placing points in areas: borders, gaps, missing coordinates, both strategies."""

import numpy as np
from shapely.geometry import box

from observatory.geo import locate_points


def _grid(n):
    """n × n unit squares with codes 'r-c' (zero-padded so that they sort by row then column)."""
    codes = [f"{r:03d}-{c:03d}" for r in range(n) for c in range(n)]
    shapes = [box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)]
    return codes, shapes


def test_point_inside_gets_its_area():
    codes, shapes = _grid(2)
    found = locate_points(np.array([1.5]), np.array([0.5]), codes, shapes)
    assert found.tolist() == ["000-001"]


def test_point_on_a_shared_border_goes_to_the_first_code():
    codes, shapes = _grid(2)
    found = locate_points(np.array([1.0]), np.array([0.5]), codes[::-1], shapes[::-1])
    assert found.tolist() == ["000-000"]


def test_point_outside_every_area_gets_none():
    codes, shapes = _grid(2)
    assert locate_points(np.array([5.0]), np.array([5.0]), codes, shapes).tolist() == [None]


def test_point_without_coordinates_gets_none():
    codes, shapes = _grid(2)
    assert locate_points(np.array([np.nan]), np.array([0.5]), codes, shapes).tolist() == [None]


def test_many_areas_use_the_tree_and_agree_with_few():
    rng = np.random.default_rng(42)
    x, y = rng.uniform(-1, 21, 2000), rng.uniform(-1, 21, 2000)
    x[:5] = np.floor(x[:5])  # some points exactly on borders
    codes, shapes = _grid(20)  # 400 areas: the STRtree path
    many = locate_points(x, y, codes, shapes)
    few = np.full(len(x), None, dtype=object)
    for start in range(0, 400, 200):  # the same areas in two halves of 200: the one-by-one path
        part = locate_points(x, y, codes[start : start + 200], shapes[start : start + 200])
        few = np.where(np.equal(few, None), part, few)
    assert many.tolist() == few.tolist()
