"""Tests of observatory.charts.lines: trends with CI bands and breaks, trajectories to a target."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from observatory import charts
from tests.charts.builders import BREAK, trend_frame
from tests.charts.figjson import figure_json, traces

LABELS = {"actual": "Actual", "baseline": "Baseline", "target": "Target", "path": "Path to target"}
BASELINE = (date(2022, 1, 1), 40.0)
TARGET = (date(2025, 1, 1), 30.0)


def _trend(**options: object):
    defaults = {
        "x": "period",
        "y": "value",
        "series": "series",
        "lower": "lower",
        "upper": "upper",
        "breaks": [BREAK],
        "y_title": "Rate per 1,000 residents",
        "band_label": "95% confidence interval",
    }
    return charts.trend(options.pop("frame", trend_frame()), **{**defaults, **options})


def _bands(fig) -> list[tuple[dict, dict]]:
    data = traces(fig, "scatter")
    return [(data[i - 1], t) for i, t in enumerate(data) if t.get("fill") == "tonexty"]


def _trajectory():
    actual = pd.DataFrame(
        {"period": pd.to_datetime(["2022-01-01", "2023-01-01", "2024-01-01"]), "value": [40.0, 37.0, 36.5]}
    )
    return charts.trajectory(actual, baseline=BASELINE, target=TARGET, y_title="Rate", labels=LABELS)


def test_trend_has_one_line_per_series() -> None:
    lines = [t for t in traces(_trend(), "scatter") if t.get("mode") == "lines+markers"]
    assert [t["name"] for t in lines] == ["District 1", "City"]
    assert all(len(t["x"]) == 8 for t in lines)


def test_trend_band_has_lower_at_most_upper() -> None:
    bands = _bands(_trend())
    assert len(bands) == 2
    for lower, upper in bands:
        assert lower["x"] == upper["x"]
        assert all(lo <= hi for lo, hi in zip(lower["y"], upper["y"], strict=True))


def test_trend_band_surrounds_the_line() -> None:
    data = traces(_trend(), "scatter")
    lower, upper, line = data[0], data[1], data[2]
    assert all(lo <= v <= hi for lo, v, hi in zip(lower["y"], line["y"], upper["y"], strict=True))


def test_trend_band_skips_rows_without_limits() -> None:
    frame = trend_frame()
    frame.loc[0, ["lower", "upper"]] = np.nan
    lower, upper = _bands(_trend(frame=frame))[0]
    assert len(lower["x"]) == len(upper["x"]) == 7


def test_trend_without_limits_has_no_band() -> None:
    assert _bands(_trend(lower=None, upper=None)) == []


def test_trend_breaks_appear_as_shapes_and_annotations() -> None:
    layout = figure_json(_trend())["layout"]
    (shape,) = layout["shapes"]
    assert shape["x0"] == shape["x1"] == "2023-07-01"
    assert shape["yref"] == "paper"
    (note,) = layout["annotations"]
    assert note["text"] == "Series break" and note["x"] == "2023-07-01"


def test_trend_without_breaks_has_no_shapes() -> None:
    assert not figure_json(_trend(breaks=()))["layout"].get("shapes")


def test_trend_axis_titles() -> None:
    layout = figure_json(_trend(x_title="Quarter"))["layout"]
    assert layout["yaxis"]["title"]["text"] == "Rate per 1,000 residents"
    assert layout["xaxis"]["title"]["text"] == "Quarter"


def test_trend_is_pure() -> None:
    assert _trend().to_json() == _trend().to_json()


def test_trajectory_includes_the_baseline_to_target_line() -> None:
    (path,) = [t for t in traces(_trajectory(), "scatter") if t["name"] == "Path to target"]
    assert path["x"] == ["2022-01-01", "2025-01-01"]
    assert path["y"] == pytest.approx([40.0, 30.0])
    assert path["line"]["dash"] == "dash"


def test_trajectory_shows_actual_baseline_and_target() -> None:
    data = {t["name"]: t for t in traces(_trajectory(), "scatter")}
    assert data["Actual"]["y"] == pytest.approx([40.0, 37.0, 36.5])
    assert data["Actual"]["x"][0] == "2022-01-01"
    assert data["Baseline"]["y"] == pytest.approx([40.0])
    assert data["Target"]["y"] == pytest.approx([30.0])


def test_trajectory_is_pure() -> None:
    assert _trajectory().to_json() == _trajectory().to_json()


def _grid(panels: int = 5, **options: object):
    frame = trend_frame()
    parts = [frame.assign(panel=f"p{i}") for i in range(panels - 1)]  # the last panel has no rows
    return charts.small_multiples(
        pd.concat(parts, ignore_index=True),
        panel="panel",
        titles=[(f"p{i}", f"Panel {i}<br><sup>rate</sup>") for i in range(panels)],
        x="period",
        y="value",
        series="series",
        lower="lower",
        upper="upper",
        band_label="95% confidence interval",
        colours={"City": "#555555"},
        columns=2,
        **options,
    )


def test_small_multiples_is_a_valid_figure_for_plotly() -> None:
    import plotly.graph_objects as go

    spec = _grid().to_dict()
    go.Figure(spec)  # plotly's own validation raises on any unknown or badly typed property


def test_small_multiples_places_one_panel_per_title_in_a_grid() -> None:
    layout = figure_json(_grid(5))["layout"]
    x_domains = [layout[k]["domain"] for k in ("xaxis", "xaxis2", "xaxis3", "xaxis4", "xaxis5")]
    y_domains = [layout[k]["domain"] for k in ("yaxis", "yaxis2", "yaxis3", "yaxis4", "yaxis5")]
    assert x_domains[0][0] == 0 and x_domains[1][1] == pytest.approx(1)
    assert y_domains[0][1] == pytest.approx(1) and y_domains[4][0] == pytest.approx(0)
    assert x_domains[0] == x_domains[2] == x_domains[4] and y_domains[0] == y_domains[1]
    assert y_domains[2][1] < y_domains[0][0]  # rows do not overlap
    assert [a["text"] for a in layout["annotations"]][:2] == [
        "Panel 0<br><sup>rate</sup>",
        "Panel 1<br><sup>rate</sup>",
    ]


def test_small_multiples_share_colours_and_one_legend() -> None:
    data = traces(_grid(3), "scatter")
    lines = [t for t in data if t.get("mode") == "lines+markers"]
    assert {t["yaxis"] for t in lines} == {"y", "y2"}  # the third panel has no rows: drawn empty
    city = [t for t in lines if t["name"] == "City"]
    assert {t["line"]["color"] for t in city} == {"#555555"}
    assert [t["showlegend"] for t in lines] == [True, True, False, False]
    # Series in the order they first appear, as charts.trend draws them.
    assert [t["name"] for t in lines if t["yaxis"] == "y"] == [
        t["name"] for t in traces(_trend(), "scatter") if t.get("mode") == "lines+markers"
    ]
    assert all(t["showlegend"] is False for t in data if t.get("fill"))
