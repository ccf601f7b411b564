"""The funnel figure: points by place with their codes, highlighted districts, limit lines, selections."""

from __future__ import annotations

import pandas as pd

from observatory.charts import funnel_plot, selected_codes
from observatory.stats import funnel

POINTS = pd.DataFrame(
    {
        "code": ["01", "02", "03"],
        "name": ["Sé %{x}", "Bonfim", "Lordelo"],
        "population": [1_000.0, 10_000.0, 10_000.0],
        "rate": [5.0, 15.0, 10.0],
        "place": ["within", "high_998", "within"],
    }
)


def _figure(highlight=()):
    lines = pd.concat(
        [
            funnel.limit_lines(10.0, (1_000.0, 10_000.0), 1000.0, confidence=c).assign(level=c)
            for c in funnel.LEVELS
        ]
    )
    return funnel_plot(
        POINTS,
        lines,
        benchmark=10.0,
        place_labels={"within": "Within the limits", "high_998": "Above 99.8%"},
        level_labels={0.95: "95% limits", 0.998: "99.8% limits"},
        benchmark_label="City",
        x_title="Residents",
        y_title="Rate per 1,000",
        highlight=highlight,
    )


def test_points_carry_their_codes_by_place():
    fig = _figure()
    markers = {t.name: t for t in fig.data if t.mode == "markers"}
    assert set(markers) == {"Within the limits", "Above 99.8%"}
    assert [row[0] for row in markers["Within the limits"].customdata] == ["01", "03"]
    assert [row[0] for row in markers["Above 99.8%"].customdata] == ["02"]
    # A name is data, not a hover placeholder: it travels in customdata, never in the template.
    assert "Sé" not in markers["Within the limits"].hovertemplate


def test_two_levels_of_lines_and_the_benchmark():
    fig = _figure()
    lines = [t for t in fig.data if t.mode == "lines"]
    assert {t.name for t in lines} == {"95% limits", "99.8% limits", "City"}
    assert len([t for t in lines if t.name == "95% limits"]) == 2  # upper and lower
    assert list(next(t for t in lines if t.name == "City").y) == [10.0, 10.0]


def test_highlighted_districts_are_drawn_larger_with_an_outline():
    fig = _figure(highlight={"03"})
    within = next(t for t in fig.data if t.name == "Within the limits")
    assert list(within.marker.size) == [9, 16]
    assert list(within.marker.line.width) == [0.5, 3]


def test_selection_names_districts_once_in_order():
    points = [
        {"customdata": ["02", "Bonfim"]},
        {"customdata": ["01", "Sé"]},
        {"customdata": ["02", "Bonfim"]},
        {},
    ]
    assert selected_codes(points) == ["02", "01"]
