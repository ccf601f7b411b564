"""The district briefing's map: with many districts it shows the district and its neighbours, labelled,
with the city's outline in an inset, instead of a thousand unreadable cells as tall as the page."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from observatory.present import documents, svg
from observatory.store import connect
from tests.shapes.generator import SHAPES, build

SIDE = 0.002


def _grid(n: int) -> dict:
    """``n`` × ``n`` square districts near Porto, codes "r-c", names "Cell r-c"."""
    features = []
    for r in range(n):
        for c in range(n):
            x, y = -8.6 + c * SIDE, 41.1 + r * SIDE
            ring = [[x, y], [x + SIDE, y], [x + SIDE, y + SIDE], [x, y + SIDE], [x, y]]
            features.append(
                {
                    "type": "Feature",
                    "id": f"{r}-{c}",
                    "properties": {"name": f"Cell {r}-{c}"},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _labels(drawn: str) -> set[str]:
    return set(re.findall(r">(Cell [0-9]+-[0-9]+)</text>", drawn))


def test_a_map_of_many_districts_is_cropped_to_the_district_and_its_neighbours():
    geojson = _grid(30)
    labels = {f["id"]: f["properties"]["name"] for f in geojson["features"]}
    whole = svg.district_map(geojson, fills={}, labels=labels, highlight="15-15", alt="map")
    drawn = svg.district_map(geojson, fills={}, labels=labels, highlight="15-15", alt="map", around="15-15")
    assert whole.count("<path") == 900
    # The district and the eight touching it, all named; a district across the city is not drawn.
    neighbours = {f"Cell {r}-{c}" for r in (14, 15, 16) for c in (14, 15, 16)}
    assert neighbours <= _labels(drawn)
    assert drawn.count("<path") < 60
    assert "Cell 0-0" not in drawn
    assert re.search(r'font-weight="bold"[^>]*>Cell 15-15<', drawn)
    # Wider than tall, and shorter than the whole city's map.
    size = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', drawn)
    whole_size = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', whole)
    assert size and whole_size
    assert float(size[2]) <= float(size[1]) / 1.5 < float(whole_size[2])
    # The inset: the city's outline and the view as a rectangle, inside the map.
    assert "clip-path" in drawn and drawn.count("<rect") >= 3


def test_a_district_at_the_citys_edge_is_cropped_too():
    geojson = _grid(30)
    labels = {f["id"]: f["properties"]["name"] for f in geojson["features"]}
    drawn = svg.district_map(geojson, fills={}, labels=labels, highlight="0-0", alt="map", around="0-0")
    assert {"Cell 0-0", "Cell 0-1", "Cell 1-0", "Cell 1-1"} <= _labels(drawn)
    assert drawn.count("<path") < 60


def test_a_small_city_is_drawn_whole():
    geojson = _grid(4)
    labels = {f["id"]: f["properties"]["name"] for f in geojson["features"]}
    drawn = svg.district_map(geojson, fills={}, labels=labels, highlight="1-1", alt="map", around="1-1")
    assert drawn.count("<path") == 16 and len(_labels(drawn)) == 16
    assert "clip-path" not in drawn


@pytest.mark.slow
def test_the_district_briefing_of_a_city_of_thousands_of_districts_takes_at_most_two_pages(tmp_path):
    store = connect(build(SHAPES["thousands"](), tmp_path / "staff.duckdb"), read_only=True)
    try:
        request = documents.Request("district", area="1501", lang="fr")
        made = documents.write(store, request, "pdf")
        page = documents.write(store, request, "html").decode()
    finally:
        store.close()
    assert len(pypdf.PdfReader(io.BytesIO(made)).pages) <= 2
    assert page.count("<path") < 80
    assert "District 1501" in page and "District 1502" in page
