"""Incident lists with coordinates and a police District column: counted, shown and chosen, never guessed."""

import shutil
from collections import Counter

import numpy as np
import pytest
import shapely

from observatory.domain import Actor, Role
from observatory.services import formats, incident_places
from observatory.store import connect, queries

EDITOR = Actor("rita", Role.EDITOR)
TRUE_07, OTHERS = 4, 190  # thefts whose point lies in our district 07, and elsewhere in the city


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "db.duckdb"))
    yield opened
    opened.close()


def _districts(store):
    shapes = queries.area_shapes(store, level=1, display=False)
    return {str(c): shapely.from_geojson(g) for c, g in zip(shapes["code"], shapes["geometry"], strict=True)}


def _points_in(polygon, n, rng):
    """n random points strictly inside a polygon (rejection sampling in its bounding box)."""
    west, south, east, north = polygon.bounds
    found = []
    while len(found) < n:
        point = shapely.Point(rng.uniform(west, east), rng.uniform(south, north))
        if polygon.contains(point) and polygon.exterior.distance(point) > 1e-5:
            found.append(point)
    return found


def _police_export(store):
    """194 burglaries: 4 inside our district 07, 190 in 01–06; every row says police District 07."""
    districts, rng = _districts(store), np.random.default_rng(42)
    points = _points_in(districts["07"], TRUE_07, rng)
    for code in ("01", "02", "03", "04", "05", "06"):
        points += _points_in(districts[code], OTHERS // 6 + (1 if code <= "04" else 0), rng)
    lines = [f"2030-01-{1 + i % 28:02d},Burglary,{p.y:.6f},{p.x:.6f},07" for i, p in enumerate(points)]
    return ("Date,Category,Latitude,Longitude,District\n" + "\n".join(lines) + "\n").encode(), points


def _stored(store, area):
    return store.rows(
        "SELECT value FROM observations WHERE indicator_code = 'burglary' AND area_code = ? "
        "AND period_start = DATE '2030-01-01'",
        [area],
    )


def test_coordinates_and_district_are_refused_with_what_each_would_place(store):
    data, points = _police_export(store)
    assert len(points) == TRUE_07 + OTHERS
    report = formats.import_incidents(store, data, "thefts.csv", actor=EDITOR)
    assert not report.ok and report.created == 0
    (issue,) = report.errors
    assert (issue.code, issue.column) == ("area-ambiguous", "District")
    assert (
        "coordinates → 194 rows placed in 7 areas [01: 32, 02: 32, 03: 32, 07: 4 …] (0 outside our districts)"
        in issue.message
    )
    assert (
        "column 'District' → 194 rows matching our area codes in 1 area [01: 0, 02: 0, 03: 0, 07: 194],"
        " 0 not matching" in issue.message
    )
    assert _stored(store, "07") == []


def test_area_from_coordinates_stores_the_true_count(store):
    data, points = _police_export(store)
    districts = _districts(store)
    independent = sum(districts["07"].contains(p) for p in points)
    report = formats.import_incidents(store, data, "thefts.csv", actor=EDITOR, area_from="coordinates")
    assert report.ok, report.to_text()
    assert independent == TRUE_07
    assert _stored(store, "07") == [(float(independent),)]


def test_area_from_the_district_column_stores_its_count(store):
    data, _ = _police_export(store)
    column = [line.rsplit(b",", 1)[1].decode() for line in data.splitlines()[1:]]
    report = formats.import_incidents(store, data, "thefts.csv", actor=EDITOR, area_from="District")
    assert report.ok, report.to_text()
    assert _stored(store, "07") == [(float(Counter(column)["07"]),)] == [(194.0,)]


def test_place_choices_count_each_way_for_the_form(store):
    data, _ = _police_export(store)
    found = {
        c.key: (c.placed, c.areas, c.unmatched) for c in incident_places.place_choices(store, data, "t.csv")
    }
    assert found == {"coordinates": (194, 7, 0), "District": (194, 1, 0)}
