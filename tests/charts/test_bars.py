"""Tests of observatory.charts.bars: the spine chart and ranked bars."""

from __future__ import annotations

import pytest

from observatory import charts
from observatory.charts import BENCHMARK_COLOURS
from tests.charts.builders import district_frame, spine_frame
from tests.charts.figjson import figure_json, traces

CATEGORIES = {
    "better": ("better than the city", BENCHMARK_COLOURS["better"]),
    "similar": ("similar to the city", BENCHMARK_COLOURS["similar"]),
    "worse": ("worse than the city", BENCHMARK_COLOURS["worse"]),
}


def _spine(**options: object):
    defaults = {
        "label_col": "indicator",
        "value_col": "value",
        "city_col": "city",
        "min_col": "min",
        "max_col": "max",
        "category_col": "benchmark",
        "categories": CATEGORIES,
        "value_label": "District 4",
        "city_label": "City",
        "range_label": "Range across districts",
        "other_label": "not compared",
    }
    return charts.spine(spine_frame(), **{**defaults, **options})


def _bars(**options: object):
    defaults = {
        "value_col": "rate",
        "label_col": "name",
        "lower": "lower",
        "upper": "upper",
        "reference": 30.0,
        "reference_label": "City",
        "withheld_label": "not published",
    }
    return charts.bar_ranked(district_frame(), **{**defaults, **options})


def test_spine_puts_the_city_on_the_centre_line() -> None:
    layout = figure_json(_spine())["layout"]
    (line,) = layout["shapes"]
    assert line["x0"] == line["x1"] == 0.5
    assert layout["annotations"][0]["text"] == "City"


def test_spine_range_bar_spans_min_to_max_inside_the_axis() -> None:
    (bar,) = traces(_spine(), "bar")
    for base, width in zip(bar["base"], bar["x"], strict=True):
        assert 0 <= base <= base + width <= 1
    assert bar["customdata"][0][:2] == ["3.0", "20.0"]


def test_spine_district_marker_is_between_min_and_max() -> None:
    fig = _spine()
    (bar,) = traces(fig, "bar")
    lows = dict(zip(bar["y"], bar["base"], strict=True))
    highs = {y: b + w for y, b, w in zip(bar["y"], bar["base"], bar["x"], strict=True)}
    for trace in traces(fig, "scatter"):
        for x, y in zip(trace["x"], trace["y"], strict=True):
            assert lows[y] <= x <= highs[y]


def test_spine_colours_and_names_each_benchmark() -> None:
    markers = {t["name"]: t for t in traces(_spine(), "scatter")}
    assert markers["worse than the city"]["y"] == ["Burglary"]
    assert markers["worse than the city"]["marker"]["color"] == BENCHMARK_COLOURS["worse"]
    assert markers["similar to the city"]["y"] == ["Violence"]
    assert (
        markers["worse than the city"]["marker"]["symbol"]
        != markers["similar to the city"]["marker"]["symbol"]
    )


def test_spine_uncategorised_value_gets_a_neutral_marker() -> None:
    markers = {t["name"]: t for t in traces(_spine(), "scatter")}
    assert markers["not compared"]["y"] == ["Feel unsafe"]


def test_spine_missing_district_value_has_no_marker() -> None:
    ys = [y for t in traces(_spine(), "scatter") for y in t["y"]]
    assert "Vandalism" not in ys


def test_spine_is_pure() -> None:
    assert _spine().to_json() == _spine().to_json()


def test_bar_ranked_orders_highest_first() -> None:
    (bar,) = traces(_bars(), "bar")
    assert bar["x"] == sorted(bar["x"], reverse=True)


def test_bar_ranked_whiskers_reach_the_limits() -> None:
    (bar,) = traces(_bars(), "bar")
    frame = district_frame().set_index("name")
    for name, value, plus, minus in zip(
        bar["y"], bar["x"], bar["error_x"]["array"], bar["error_x"]["arrayminus"], strict=True
    ):
        assert value + plus == pytest.approx(frame.loc[name, "upper"])
        assert value - minus == pytest.approx(frame.loc[name, "lower"])


def test_bar_ranked_withheld_rows_are_words_not_bars() -> None:
    fig = _bars()
    (bar,) = traces(fig, "bar")
    assert "District 3" not in bar["y"] and 0 not in bar["x"]
    notes = [a for a in figure_json(fig)["layout"]["annotations"] if a["text"] == "not published"]
    assert {a["y"] for a in notes} == {"District 3", "District 8"}
    assert figure_json(fig)["layout"]["yaxis"]["categoryarray"][-2:] == ["District 3", "District 8"]


def test_bar_ranked_reference_line() -> None:
    layout = figure_json(_bars())["layout"]
    (line,) = layout["shapes"]
    assert line["x0"] == line["x1"] == 30.0
    assert layout["annotations"][0]["text"] == "City"


def test_bar_ranked_without_reference_or_limits() -> None:
    fig = _bars(reference=None, lower=None, upper=None)
    assert not figure_json(fig)["layout"].get("shapes")
    assert "error_x" not in traces(fig, "bar")[0]


def test_bar_ranked_colours_by_category() -> None:
    frame = district_frame().assign(benchmark=["better", "similar", "worse"] * 4)
    fig = charts.bar_ranked(
        frame, value_col="rate", label_col="name", category_col="benchmark", categories=CATEGORIES
    )
    colours = set(traces(fig, "bar")[0]["marker"]["color"])
    assert colours <= set(BENCHMARK_COLOURS.values())


def test_bar_ranked_is_pure() -> None:
    assert _bars().to_json() == _bars().to_json()


def test_spine_is_a_valid_figure_for_plotly() -> None:
    import plotly.graph_objects as go

    go.Figure(_spine().to_dict())  # plotly's own validation raises on any unknown or badly typed property
