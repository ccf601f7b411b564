"""Tests of observatory.charts.maps: classed choropleth and categorical map."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

from observatory import charts
from observatory.charts import BENCHMARK_COLOURS
from observatory.i18n import set_locale
from tests.charts.builders import district_frame, grid_geojson
from tests.charts.figjson import figure_json, traces

UNIT = "per 1,000 residents"
WITHHELD = "not published"
HOVER = {"lower": "Lower limit", "upper": "Upper limit", "residents": "Residents"}
CATEGORIES = {
    "better": ("better than the city", BENCHMARK_COLOURS["better"]),
    "similar": ("similar to the city", BENCHMARK_COLOURS["similar"]),
    "worse": ("worse than the city", BENCHMARK_COLOURS["worse"]),
}


def _choropleth(**options: object) -> object:
    frame = options.pop("frame", district_frame())
    geojson = options.pop("geojson", grid_geojson())
    defaults = {
        "value_col": "rate",
        "label_col": "name",
        "hover_cols": HOVER,
        "legend_title": "Burglary rate",
        "withheld_label": WITHHELD,
        "unit_label": UNIT,
    }
    return charts.choropleth(frame, geojson, **{**defaults, **options})


def _category_frame():
    return district_frame().assign(benchmark=["better", "similar", "worse"] * 4)


def _category_map(**options: object) -> object:
    defaults = {
        "category_col": "benchmark",
        "categories": CATEGORIES,
        "hover_cols": HOVER,
        "legend_title": "Compared with the city",
        "withheld_label": WITHHELD,
    }
    return charts.category_map(_category_frame(), grid_geojson(), **{**defaults, **options})


def _withheld_trace(fig) -> dict:
    (trace,) = [t for t in traces(fig, "choropleth") if t["name"] == WITHHELD]
    return trace


# --- choropleth -------------------------------------------------------------------------------------


def test_choropleth_has_one_location_per_district() -> None:
    locations = [code for t in traces(_choropleth(), "choropleth") for code in t["locations"]]
    assert Counter(locations) == Counter(district_frame()["code"])


def test_choropleth_carries_each_feature_once() -> None:
    ids = [f["id"] for t in traces(_choropleth(), "choropleth") for f in t["geojson"]["features"]]
    assert sorted(ids) == sorted(district_frame()["code"])


def test_choropleth_trace_features_match_its_locations() -> None:
    for trace in traces(_choropleth(), "choropleth"):
        assert [f["id"] for f in trace["geojson"]["features"]] == trace["locations"]


def test_withheld_districts_are_in_the_withheld_trace_only() -> None:
    fig = _choropleth()
    withheld = set(district_frame().query("withheld")["code"])
    assert set(_withheld_trace(fig)["locations"]) == withheld
    for trace in traces(fig, "choropleth"):
        if trace["name"] != WITHHELD:
            assert not withheld & set(trace["locations"])


def test_withheld_districts_never_have_value_zero() -> None:
    trace = _withheld_trace(_choropleth())
    assert all(z < 0 for z in trace["z"])  # neither 0 ("none") nor a number that reads as a count
    assert all(row[1] == WITHHELD for row in trace["customdata"])


def test_withheld_trace_is_light_grey_with_an_outline() -> None:
    trace = _withheld_trace(_choropleth())
    assert trace["colorscale"][0][1] == "#e0e0e0"
    assert trace["marker"]["line"]["width"] >= 2


def test_district_with_a_missing_value_is_withheld_not_zero() -> None:
    frame = district_frame(withheld=())
    frame.loc[0, "rate"] = np.nan
    trace = _withheld_trace(_choropleth(frame=frame))
    assert trace["locations"] == ["D01"]


def test_all_withheld_gives_only_the_withheld_trace() -> None:
    fig = _choropleth(frame=district_frame(withheld=tuple(range(12))))
    assert [t["name"] for t in traces(fig, "choropleth")] == [WITHHELD]


def test_value_traces_hold_the_real_values() -> None:
    frame = district_frame().set_index("code")
    for trace in traces(_choropleth(), "choropleth"):
        if trace["name"] != WITHHELD:
            assert trace["z"] == pytest.approx(frame.loc[trace["locations"], "rate"].tolist())


def test_map_is_a_fitted_geo_map_with_no_base_map_and_no_address() -> None:
    layout = figure_json(_choropleth())["layout"]
    # The view is the districts' bounds (grid_geojson: 4 × 3 squares of 0.02° from -8.68, 41.12).
    assert layout["geo"]["lonaxis"]["range"] == pytest.approx([-8.6824, -8.5976])
    assert layout["geo"]["lataxis"]["range"] == pytest.approx([41.1182, 41.1818])
    assert layout["geo"]["visible"] is False
    assert "map" not in layout and "mapbox" not in layout
    text = json.dumps(figure_json(_choropleth())).lower()
    for word in ("http", "tiles", "mapbox", "accesstoken"):
        assert word not in text


def test_legend_text_includes_units_and_title() -> None:
    fig = _choropleth()
    names = [t["name"] for t in traces(fig, "choropleth") if t["name"] != WITHHELD]
    assert names and all(name.endswith(UNIT) for name in names)
    assert figure_json(fig)["layout"]["legend"]["title"]["text"] == "Burglary rate"


def test_hover_shows_name_value_ci_and_denominator() -> None:
    trace = traces(_choropleth(), "choropleth")[0]
    for label in ("Burglary rate", "Lower limit", "Upper limit", "Residents"):
        assert label in trace["hovertemplate"]
    name, value, lower, upper, residents = trace["customdata"][0]
    assert name.startswith("District ")
    assert float(lower) <= float(value) <= float(upper)
    assert residents.replace(",", "").isdigit()  # a whole count, no decimals


def test_first_trace_is_the_names_placed_by_longitude_and_latitude() -> None:
    # Plotly fetches world outlines from a CDN when a geo map's first trace is placed by locations.
    for fig in (_choropleth(), _category_map(), _choropleth(frame=district_frame(withheld=tuple(range(12))))):
        first = figure_json(fig)["data"][0]
        assert first["type"] == "scattergeo" and first["mode"] == "text"
        assert "locations" not in first and "locationmode" not in first
        assert first["hoverinfo"] == "skip" and first["showlegend"] is False


def test_every_district_of_a_small_city_is_named_inside_itself() -> None:
    labels = figure_json(_choropleth())["data"][0]
    assert sorted(labels["text"]) == sorted(district_frame()["name"])
    squares = {f["id"]: f["geometry"]["coordinates"][0] for f in grid_geojson()["features"]}
    for code, lon, lat in zip(labels["ids"], labels["lon"], labels["lat"], strict=True):
        lons, lats = [p[0] for p in squares[code]], [p[1] for p in squares[code]]
        assert min(lons) < lon < max(lons) and min(lats) < lat < max(lats)


def test_withheld_districts_are_named_too() -> None:
    labels = figure_json(_choropleth(frame=district_frame(withheld=tuple(range(12)))))["data"][0]
    assert len(labels["text"]) == 12


def test_names_are_shown_as_typed() -> None:
    frame = district_frame().assign(name=lambda f: f["name"].where(f["code"] != "D01", "<b>Sé</b>"))
    labels = figure_json(_choropleth(frame=frame))["data"][0]
    assert "&lt;b&gt;Sé&lt;/b&gt;" in labels["text"] and "<b>Sé</b>" not in labels["text"]


def test_polygons_are_wound_clockwise_for_the_geo_map() -> None:
    # An anticlockwise ring is read by d3-geo as the whole world outside the district.
    for trace in traces(_choropleth(), "choropleth"):
        for feature in trace["geojson"]["features"]:
            ring = feature["geometry"]["coordinates"][0]
            area = sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))
            assert area < 0


def test_fixed_classes_name_the_legend_ranges() -> None:
    names = [
        t["name"] for t in traces(_choropleth(classes=[20, 40, 60]), "choropleth") if t["name"] != WITHHELD
    ]
    lowest = district_frame()["rate"].min()
    assert names == [f"{lowest:.1f} – 20.0 {UNIT}", f"20.0 – 40.0 {UNIT}", f"40.0 – 60.0 {UNIT}"]


def test_properties_feature_id_key() -> None:
    fig = _choropleth(geojson=grid_geojson(key="properties"), featureidkey="properties.code")
    trace = traces(fig, "choropleth")[0]
    assert trace["featureidkey"] == "properties.code"
    assert [f["properties"]["code"] for f in trace["geojson"]["features"]] == trace["locations"]


def test_duplicate_district_rows_draw_once() -> None:
    frame = district_frame()
    doubled = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    locations = [c for t in traces(_choropleth(frame=doubled), "choropleth") for c in t["locations"]]
    assert len(locations) == len(frame)


def test_hover_numbers_follow_the_current_locale() -> None:
    set_locale("fr")
    try:
        row = traces(_choropleth(), "choropleth")[0]["customdata"][0]
    finally:
        set_locale("en")
    assert "," in row[1] and "." not in row[1]
    assert "\u202f" in row[4]  # French thousands separator in the residents count


def test_choropleth_is_pure() -> None:
    assert _choropleth().to_json() == _choropleth().to_json()


# --- category_map -----------------------------------------------------------------------------------


def test_category_map_has_one_location_per_district() -> None:
    locations = [c for t in traces(_category_map(), "choropleth") for c in t["locations"]]
    assert Counter(locations) == Counter(district_frame()["code"])


def test_category_map_names_every_colour_with_a_word() -> None:
    fig = _category_map()
    names = [t["name"] for t in traces(fig, "choropleth")]
    assert names == ["better than the city", "similar to the city", "worse than the city", WITHHELD]
    for trace in traces(fig, "choropleth")[:3]:
        assert {row[1] for row in trace["customdata"]} == {trace["name"]}


def test_category_map_withheld_and_unknown_go_grey() -> None:
    frame = _category_frame()
    frame.loc[0, "benchmark"] = None
    fig = charts.category_map(
        frame,
        grid_geojson(),
        category_col="benchmark",
        categories=CATEGORIES,
        legend_title="Compared with the city",
        withheld_label=WITHHELD,
    )
    assert set(_withheld_trace(fig)["locations"]) == {"D01", "D03", "D08"}


def test_category_map_is_a_geo_map() -> None:
    assert figure_json(_category_map())["layout"]["geo"]["visible"] is False


def test_category_map_is_pure() -> None:
    assert _category_map().to_json() == _category_map().to_json()
