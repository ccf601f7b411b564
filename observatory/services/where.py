"""What changed, where, and is it real: every indicator × the city and every district on one grid.

Each cell carries three verdicts, each taken from the service the page that shows it uses, so the grid
never computes a second answer:

- **change**: the short-term change of the trends page — for counts stored by month, the rolling 12
  months against the 12 before (:func:`trend_checks.month_changes`); otherwise the latest complete year
  against the year before (:func:`trend_checks.year_changes`);
- **benchmark**: the map page's comparison of the district with the city for the same period
  (:func:`mapview.district_table`); the city itself is the reference and is not benchmarked;
- **trend**: the trends page's five-year verdict (:func:`trend_checks.trend_verdicts`).

A cell's *state* (better / similar / worse / higher / lower / not comparable / withheld) is what a
colour shows; :data:`STATES` lists them. Cells are ordered so the significant ones come first.

Area groupings may be areas of the grid too (level :data:`GROUP_LEVEL`): their series are their members'
totals by the one total rule (:func:`trends.group_panel`), tested by the same change and trend functions,
and their figure for the period is benchmarked against the city as the group's profile does
(:func:`group_profile.figure_row`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from observatory.domain import ROLLING_MONTHS, ChangeTest, Indicator
from observatory.services import group_profile, groups, mapview, trend_checks, trends, views
from observatory.store import Store

#: What a cell's colour says, in legend order.
STATES = ("worse", "better", "higher", "lower", "similar", "not_comparable", "withheld")
#: The level of an area grouping's cells (the city is 0, the districts 1).
GROUP_LEVEL = 2
#: The lenses a grid can be coloured by.
LENSES = ("change", "benchmark", "trend")

CELL_COLUMNS = [
    "indicator",
    "indicator_name",
    "area_code",
    "area_name",
    "level",
    "period",
    "measure",
    "unit",
    "value",
    "lower",
    "upper",
    "withheld",
    "change_comparison",
    "change_estimate",
    "change_lower",
    "change_upper",
    "change_verdict",
    "benchmark",
    "trend",
    "change_state",
    "benchmark_state",
    "trend_state",
]

_CHANGE_STATE = {
    "up_significant_worse": "worse",
    "down_significant_worse": "worse",
    "up_significant_better": "better",
    "down_significant_better": "better",
    "up_significant": "higher",
    "down_significant": "lower",
    "no_significant_change": "similar",
}
_BENCHMARK_STATE = {
    "better": "better",
    "worse": "worse",
    "higher": "higher",
    "lower": "lower",
    "similar": "similar",
}
_TREND_STATE = {
    "increasing_worse": "worse",
    "decreasing_worse": "worse",
    "increasing_better": "better",
    "decreasing_better": "better",
    "increasing": "higher",
    "decreasing": "lower",
    "no_change": "similar",
}


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The city's short-term change and five-year trend point different ways.

    ``short`` is a change verdict key (:data:`observatory.stats.compare.VERDICT_KEYS`), ``long`` a trend
    key (``trends.trend.*``); the page joins their words into one sentence.
    """

    indicator: str
    short: str
    long: str


@dataclass(frozen=True, slots=True)
class Grid:
    """The cells, ordered significant first, and one disagreement per indicator where there is one."""

    cells: pd.DataFrame
    disagreements: tuple[Disagreement, ...]


def _direction(key: str) -> int | None:
    """+1 up, -1 down, 0 no change beyond chance, None when not known (untested, not computable)."""
    if key.startswith(("up_significant", "increasing")):
        return 1
    if key.startswith(("down_significant", "decreasing")):
        return -1
    if key in ("no_significant_change", "no_change"):
        return 0
    return None


def disagree(short: str, long: str) -> bool:
    """True when the change and the trend are both known and say different things.

    "No change on last year beyond chance, but a rise over five years beyond chance" is a disagreement;
    so is a fall on last year inside a five-year rise. Two verdicts that cannot be computed never are.
    """
    a, b = _direction(short), _direction(long)
    return a is not None and b is not None and a != b


def measure_of(info: Indicator) -> str:
    """The measure the grid reads: the rate where there is one, else the trends page's first measure."""
    return "rate" if info.has_rate else trends.measures(info)[0]


def map_period(store: Store, info: Indicator, monthly: pd.DataFrame | None) -> mapview.MapPeriod | None:
    """The map period matching the change compared: the rolling year to the reference month for monthly
    counts (the months there are for a shorter series), else the latest complete year."""
    if monthly is not None:
        month = trend_checks.reference_month(monthly)
        if month is not None:
            options = mapview.period_options(store, info).months
            label = f"{month.year}-{month.month:02d}"
            if label in options:
                return mapview.MapPeriod(month.year, month.month, rolling=True, months=ROLLING_MONTHS)
            if len(options) == 1 and ".." in options[0]:
                return mapview.MapPeriod.parse(options[0])
    years = views.years(store, info)
    return mapview.MapPeriod(years[0]) if years else None


def _changes(
    info: Indicator, measure: str, monthly: pd.DataFrame | None, yearly: pd.DataFrame | None
) -> pd.DataFrame:
    """The trends page's short-term change: rolling 12 months for monthly counts, else year on year."""
    if monthly is not None:
        found = trend_checks.month_changes(monthly, info, measure)
        return found[found["comparison"] == "rolling12"]
    if yearly is None:
        return pd.DataFrame(columns=trend_checks.CHANGE_COLUMNS)
    return trend_checks.year_changes(yearly, info, measure)


def _trend(store: Store, info: Indicator, measure: str, yearly: pd.DataFrame | None) -> pd.DataFrame:
    if yearly is None:
        return pd.DataFrame(columns=trend_checks.VERDICT_COLUMNS)
    return trend_checks.trend_verdicts(yearly, info, measure, trends.series_breaks(store, info))


def _values(store: Store, info: Indicator, measure: str, period: mapview.MapPeriod | None) -> pd.DataFrame:
    """The map's value, interval and benchmark of every district, and the city's figure, for the period."""
    columns = ["area_code", "value", "lower", "upper", "withheld", "benchmark"]
    if period is None:
        return pd.DataFrame(columns=columns)
    table = mapview.district_table(store, info, period)
    shown = mapview.shown_columns(info, "rate" if measure == "rate" else "value")
    districts = pd.DataFrame(
        {
            "area_code": table["code"],
            "value": table[shown[0]].astype(float),
            "lower": table[shown[1]].astype(float),
            "upper": table[shown[2]].astype(float),
            "withheld": table["withheld"].astype(bool),
            "benchmark": table["benchmark"].astype(str),
        }
    )
    # The city's figure is the map's reference for the same period (the one city-total rule).
    first = table.iloc[0] if len(table) else None
    low = float(first["reference_low"]) if first is not None else math.nan
    city_row = pd.DataFrame(
        [
            {
                "area_code": trends.city_code(store),
                "value": float(first["reference"]) if first is not None else math.nan,
                "lower": low,
                "upper": float(first["reference_high"]) if first is not None else math.nan,
                "withheld": math.isnan(low),
                "benchmark": "reference",
            }
        ]
    )
    return pd.concat([city_row, districts], ignore_index=True)


def _group_values(
    store: Store,
    info: Indicator,
    measure: str,
    period: mapview.MapPeriod | None,
    sets: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Each group's figure for the period (its members' total, the rate on the sums) and its benchmark."""
    columns = ["area_code", "value", "lower", "upper", "withheld", "benchmark"]
    if period is None or not sets:
        return pd.DataFrame(columns=columns)
    if not info.additive:
        # Rates, shares and indices are never summed: a group has no figure, which is not a withheld one.
        return pd.DataFrame(
            {"area_code": list(sets), "value": math.nan, "lower": math.nan, "upper": math.nan},
        ).assign(withheld=False, benchmark="not_compared")[columns]
    city = mapview.city_figure(store, info, period)
    rows = []
    for code, mine in mapview.area_figures(store, info, period, sets).items():
        row = group_profile.figure_row(info, mine, city)
        rated = measure == "rate" and info.has_rate
        value = float(row["rate"] if rated else row["value"])  # type: ignore[arg-type]
        rows.append(
            {
                "area_code": code,
                "value": value,
                "lower": row["rate_lower" if rated else "value_lower"],
                "upper": row["rate_upper" if rated else "value_upper"],
                "withheld": math.isnan(value),
                "benchmark": row["benchmark"],
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _with_groups(
    store: Store, info: Indicator, view: str, frame: pd.DataFrame, sets: Mapping[str, Sequence[str]] | None
) -> pd.DataFrame:
    """A panel with the groups' series added (:func:`trends.group_panel`)."""
    if not sets:
        return frame
    extra = trends.group_panel(store, info, view, sets)
    return pd.concat([frame, extra], ignore_index=True) if len(extra) else frame


def indicator_cells(
    store: Store, code: str, areas: pd.DataFrame, sets: Mapping[str, Sequence[str]] | None = None
) -> tuple[pd.DataFrame, Disagreement | None]:
    """One indicator's cells for ``areas`` (code, name, level) and the city's disagreement, if any.

    ``sets``: the member districts of each area grouping among ``areas`` (level :data:`GROUP_LEVEL`).
    """
    info = views.indicator(store, code)
    available = trends.available_views(store, info)
    if not available:
        return pd.DataFrame(columns=CELL_COLUMNS), None
    measure = measure_of(info)
    monthly = (
        _with_groups(store, info, "month", trends.panel(store, info, "month"), sets)
        if "month" in available and info.change_test is ChangeTest.RATE_RATIO
        else None
    )
    yearly = (
        _with_groups(store, info, "year", trends.panel(store, info, "year"), sets)
        if "year" in available
        else None
    )
    changes = _changes(info, measure, monthly, yearly)
    period = map_period(store, info, monthly)
    values = _values(store, info, measure, period)
    if sets:
        values = pd.concat([values, _group_values(store, info, measure, period, sets)], ignore_index=True)
    trend = _trend(store, info, measure, yearly)
    frame = areas.rename(columns={"code": "area_code", "name": "area_name"})
    frame = frame.merge(values, on="area_code", how="left")
    frame = frame.merge(
        changes[["area_code", "comparison", "ratio", "lower", "upper", "verdict"]].rename(
            columns={
                "comparison": "change_comparison",
                "ratio": "change_estimate",
                "lower": "change_lower",
                "upper": "change_upper",
                "verdict": "change_verdict",
            }
        ),
        on="area_code",
        how="left",
    )
    frame = frame.merge(
        trend[["area_code", "verdict"]].rename(columns={"verdict": "trend"}), on="area_code", how="left"
    )
    frame["withheld"] = frame["withheld"].fillna(True).astype(bool)
    frame["change_verdict"] = frame["change_verdict"].fillna("not_computable")
    frame["benchmark"] = frame["benchmark"].fillna("not_compared")
    frame["trend"] = frame["trend"].fillna("not_computable")
    frame["indicator"] = info.code
    frame["indicator_name"] = info.name
    frame["measure"] = measure
    frame["unit"] = info.unit.value
    frame["period"] = period.label if period is not None else ""
    frame["change_state"] = [
        "withheld" if hidden and key == "not_computable" else _CHANGE_STATE.get(key, "not_comparable")
        for key, hidden in zip(frame["change_verdict"], frame["withheld"], strict=True)
    ]
    frame["benchmark_state"] = [
        "withheld" if hidden else _BENCHMARK_STATE.get(key, "not_comparable")
        for key, hidden in zip(frame["benchmark"], frame["withheld"], strict=True)
    ]
    frame["trend_state"] = [_TREND_STATE.get(key, "not_comparable") for key in frame["trend"]]
    city = frame[frame["level"] == 0]
    found = None
    if len(city):
        short, long = str(city["change_verdict"].iloc[0]), str(city["trend"].iloc[0])
        if disagree(short, long):
            found = Disagreement(info.code, short, long)
    return frame[CELL_COLUMNS], found


def _significance(frame: pd.DataFrame) -> pd.Series:
    """How many of a cell's verdicts are beyond chance (better, worse, higher or lower)."""
    moved = ("better", "worse", "higher", "lower")
    return sum(frame[f"{lens}_state"].isin(moved).astype(int) for lens in LENSES)


def grid(
    store: Store,
    *,
    codes: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    with_groups: bool = False,
) -> Grid:
    """The grid of ``codes`` (every indicator when None) × the city and ``areas`` (every district when None),
    and every area grouping when ``with_groups`` (level :data:`GROUP_LEVEL`, after the districts).

    Ordered so the significant cells come first: indicators by how many of their cells moved beyond
    chance, then areas (the city first) by the same count.
    """
    catalogue = views.catalogue(store)
    chosen = list(catalogue["code"]) if codes is None else [c for c in codes if c in set(catalogue["code"])]
    places = trends.areas(store)
    if areas is not None:
        wanted = set(areas)
        places = places[(places["level"] == 0) | places["code"].isin(wanted)]
    sets: dict[str, list[str]] = {}
    if with_groups:
        listed = groups.list_groups(store)
        listed = listed[listed["members"] > 0]
        sets = {str(r.code): [str(m) for m in r.member_codes] for r in listed.itertuples()}
        named = pd.DataFrame(
            {"code": list(sets), "name": listed["name"].astype(str).tolist(), "level": GROUP_LEVEL}
        )
        places = pd.concat([places, named], ignore_index=True)
    parts, found = [], []
    for code in chosen:
        cells, disagreement = indicator_cells(store, code, places, sets)
        if len(cells):
            parts.append(cells)
        if disagreement is not None:
            found.append(disagreement)
    if not parts:
        return Grid(pd.DataFrame(columns=CELL_COLUMNS), tuple(found))
    cells = pd.concat(parts, ignore_index=True)
    cells["_moved"] = _significance(cells)
    by_indicator = cells.groupby("indicator")["_moved"].sum().rename("_row")
    by_area = cells.groupby("area_code")["_moved"].sum().rename("_column")
    cells = cells.join(by_indicator, on="indicator").join(by_area, on="area_code")
    cells = cells.sort_values(
        ["_row", "indicator", "level", "_column", "area_name"],
        ascending=[False, True, True, False, True],
        kind="stable",
    )
    return Grid(cells.drop(columns=["_moved", "_row", "_column"]).reset_index(drop=True), tuple(found))
