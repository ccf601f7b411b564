"""The "what changed, where" grid as shown: which areas, the cells' words, and the click-through target.

The same cells (:func:`observatory.services.where.grid`) feed the Overview's heatmap, the city briefing's
table and the downloads, so all three say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from observatory.domain import shown_decimals
from observatory.i18n import format_number, format_percent, round_shown, t
from observatory.services import where

#: Columns shown at once when nobody chose: the city and the districts that moved most.
DEFAULT_AREAS = 30
MOVED = ("better", "worse", "higher", "lower")
#: The areas a grid may show beside the city: districts, area groupings or both (their levels).
SHOW = {
    "districts": (0, 1),
    "groups": (0, where.GROUP_LEVEL),
    "both": (0, 1, where.GROUP_LEVEL),
}


@dataclass(frozen=True, slots=True)
class GridView:
    """What the heatmap draws: labels, states, hover words and the ids behind them."""

    rows: tuple[str, ...]
    row_ids: tuple[str, ...]
    columns: tuple[str, ...]
    column_ids: tuple[str, ...]
    states: tuple[tuple[str, ...], ...]
    hovers: tuple[tuple[tuple[str, ...], ...], ...]
    hidden_areas: int


#: Coded columns of the grid's download and the messages the grid writes them with.
WORDS = {
    "unit": "unit",
    "change_verdict": "verdict",
    "benchmark": "benchmark",
    "trend": "trends.trend",
    "change_state": "where.state",
    "benchmark_state": "where.state",
    "trend_state": "where.state",
}


def decimals(measure: str, unit: str) -> int:
    """Decimals a grid cell's figure is written with (the one rule, :func:`shown_decimals`)."""
    return shown_decimals(unit, rate=measure == "rate")


def _number(cell: pd.Series, value: float) -> str:
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return format_number(None)
    return format_number(value, decimals=decimals(cell["measure"], cell["unit"]))


def rounded(cells: pd.DataFrame) -> pd.DataFrame:
    """The grid's cells with their value and interval rounded as the grid writes them (its download)."""
    out = cells.copy()
    for column in ("value", "lower", "upper"):
        out[column] = [
            v if pd.isna(v) or math.isinf(v) else round_shown(float(v), decimals(m, u))
            for v, m, u in zip(out[column].astype(float), out["measure"], out["unit"], strict=True)
        ]
    return out


def _change_words(cell: pd.Series) -> str:
    """The change's size (a percent for a ratio, the difference otherwise) and its verdict."""
    estimate, verdict = cell["change_estimate"], t(f"verdict.{cell['change_verdict']}")
    if pd.isna(estimate):
        return verdict
    ratio = (
        cell["change_verdict"] != "not_tested"
        and pd.notna(cell["change_lower"])
        and cell["measure"] != "value"
    )
    size = (
        format_percent((float(estimate) - 1) * 100, decimals=shown_decimals("percent", change=True))
        if ratio
        else format_number(float(estimate), decimals=1)
    )
    return f"{size} — {verdict}"


def hover(cell: pd.Series) -> tuple[str, ...]:
    """The cell's words, one line each: area and indicator, value with interval, the three verdicts. Plain
    text: the chart escapes it where every chart is shown (:func:`observatory.present.text.safe_figure`)."""
    if cell["withheld"] and pd.isna(cell["value"]):
        value = t("map.not_published")
    else:
        value = _number(cell, cell["value"])
        if pd.notna(cell["lower"]) and pd.notna(cell["upper"]) and cell["lower"] != cell["upper"]:
            value += " " + t(
                "overview.interval", low=_number(cell, cell["lower"]), high=_number(cell, cell["upper"])
            )
    benchmark = (
        t("where.reference")
        if cell["benchmark"] == "reference"
        else t(f"where.state.{cell['benchmark_state']}")
    )
    lines = [
        f"{cell['area_name']} · {cell['indicator_name']}",
        f"{t('common.period')}: {cell['period']} · {value}",
        f"{t('where.lens.change')}: {_change_words(cell)}",
        f"{t('where.lens.benchmark')}: {benchmark}",
        f"{t('where.lens.trend')}: {t('trends.trend.' + str(cell['trend']))}",
    ]
    return tuple(lines)


def chosen_areas(
    cells: pd.DataFrame, lens: str, wanted: list[str] | None, limit: int = DEFAULT_AREAS
) -> list[str]:
    """The city, then the chosen districts, or else the districts with most cells beyond chance."""
    city = list(dict.fromkeys(cells.loc[cells["level"] == 0, "area_code"]))
    order = list(dict.fromkeys(cells.loc[cells["level"] != 0, "area_code"]))
    if wanted:
        return city + [a for a in order if a in set(wanted)]
    moved = cells[(cells["level"] != 0) & cells[f"{lens}_state"].isin(MOVED)]["area_code"].value_counts()
    ranked = [a for a in moved.index] + [a for a in order if a not in moved.index]
    return city + ranked[: max(limit - len(city), 0)]


def view(grid: where.Grid, lens: str, wanted: list[str] | None = None) -> GridView:
    """The heatmap's content for one lens (``change``, ``benchmark`` or ``trend``)."""
    cells = grid.cells
    areas = chosen_areas(cells, lens, wanted)
    names = dict(zip(cells["area_code"], cells["area_name"], strict=False))
    rows, row_ids, states, hovers = [], [], [], []
    for code, part in cells.groupby("indicator", sort=False):
        by_area = part.set_index("area_code")
        rows.append(str(part["indicator_name"].iloc[0]))
        row_ids.append(str(code))
        states.append(
            tuple(
                str(by_area.at[a, f"{lens}_state"]) if a in by_area.index else "not_comparable" for a in areas
            )
        )
        hovers.append(tuple(hover(by_area.loc[a]) if a in by_area.index else () for a in areas))
    every = cells.loc[cells["level"] != 0, "area_code"].nunique()
    shown_districts = len([a for a in areas if a in set(cells.loc[cells["level"] != 0, "area_code"])])
    return GridView(
        tuple(rows),
        tuple(row_ids),
        tuple(str(names[a]) for a in areas),
        tuple(areas),
        tuple(states),
        tuple(hovers),
        every - shown_districts,
    )


def clicked(points: list[dict]) -> tuple[str, str] | None:
    """The (indicator, area) of the first clicked cell, from its ``customdata``."""
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and len(data) == 2:
            return str(data[0]), str(data[1])
    return None


def disagreements(grid: where.Grid) -> list[str]:
    """One sentence per indicator whose city change and five-year trend disagree."""
    names = dict(zip(grid.cells["indicator"], grid.cells["indicator_name"], strict=False))
    return [
        t(
            "where.disagree",
            indicator=names.get(d.indicator, d.indicator),
            short=t(f"where.short.{d.short}"),
            long=t(f"where.long.{d.long}"),
        )
        for d in grid.disagreements
    ]
