"""The local safety strategy: where each objective stands, its actions, and who does what.

An objective promises a value of one indicator in one area by a target year. Its current value is
the latest complete calendar year of that indicator in that area (for the city and an additive
indicator, the sum of the districts), in the unit of the baseline: yearly counts or percentages.
Its status follows :func:`observatory.stats.progress.objective_progress`, gated by whether the change
since the baseline is beyond chance.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from observatory.domain import ChangeTest, Indicator, Period, Unit
from observatory.services import groups, views
from observatory.services._strategy_actions import actions_for, all_actions, partner_actions, partner_view
from observatory.services._strategy_notes import assessments, latest_assessments, target_changes
from observatory.services._strategy_values import area_years, denominator
from observatory.stats import changes, progress, rates
from observatory.stats.changes import Figure
from observatory.stats.compare import Change
from observatory.stats.progress import ProgressStatus
from observatory.store import Store, queries

__all__ = [
    "OBJECTIVE_COLUMNS",
    "STATUS_ORDER",
    "actions_for",
    "all_actions",
    "assessments",
    "axes",
    "latest_assessments",
    "objective_table",
    "objective_trajectory",
    "partner_actions",
    "partner_view",
    "status_counts",
    "status_summary",
    "target_changes",
]

#: Order in which statuses are listed (best first, "too early" last).
STATUS_ORDER = tuple(ProgressStatus)

#: Ways the change since the baseline can be tested.
TEST_RATE_RATIO = ChangeTest.RATE_RATIO.value
TEST_PROPORTION = ChangeTest.PROPORTION.value
TEST_NONE = ChangeTest.NONE.value

OBJECTIVE_COLUMNS = (
    "code",
    "axis_code",
    "axis_title",
    "title",
    "indicator_code",
    "indicator_name",
    "unit",
    "polarity",
    "area_code",
    "area_name",
    "baseline_period",
    "baseline_year",
    "baseline_value",
    "target_value",
    "target_period",
    "target_year",
    "current_period",
    "current_year",
    "current_value",
    "current_lower",
    "current_upper",
    "change_test",
    "change_denominator",
    "change_estimate",
    "change_lower",
    "change_upper",
    "change_significant",
    "status",
    "ratio",
    "expected_now",
    "share_done",
)


def _year(label: str) -> int:
    """Calendar year of a period label ("2022", "2022-Q3", "2022-07")."""
    return Period.parse(str(label)).year


def _change(
    info: Indicator, base: tuple[float, float, float], now: tuple[float, float, float]
) -> tuple[str, str, Change | None]:
    """Test the change from baseline to now; each tuple is (value, sample size, denominator).

    Counts: rate ratio of two one-year counts (same-length periods), per population at risk when
    the indicator has a denominator and both years have one. Survey percentages: Newcombe's
    interval for a difference of proportions, when both years carry a sample size. Other values
    carry no information about their precision, so nothing is tested.

    Returns:
        (test, denominator kind the ratio is per, or "" for a ratio of counts, Change or None).
    """
    test = info.change_test
    if math.isnan(base[0]):
        return TEST_NONE, "", None  # a baseline the public release withholds (services.public_strategy)
    if test is ChangeTest.PROPORTION and (math.isnan(base[1]) or math.isnan(now[1])):
        return TEST_NONE, "", None
    if test is ChangeTest.NONE:
        return TEST_NONE, "", None
    per = (
        str(info.denominator_kind)
        if info.has_rate and not (math.isnan(base[2]) or math.isnan(now[2]))
        else ""
    )
    earlier = Figure.exact(base[0], sample_size=base[1], denominator=base[2] if per else math.nan)
    later = Figure.exact(now[0], sample_size=now[1], denominator=now[2] if per else math.nan)
    return str(test), per, changes.change(info, earlier, later)


def _latest(years: pd.DataFrame) -> pd.Series | None:
    """The latest year with a published, complete value, or None when there is none."""
    usable = years[years["value"].notna()]
    return None if usable.empty else usable.sort_values("year").iloc[-1]


def _sample(years: pd.DataFrame, year: int) -> float:
    row = years[years["year"] == year]
    return (
        float(row["sample_size"].iloc[0]) if len(row) and pd.notna(row["sample_size"].iloc[0]) else math.nan
    )


def _measure(
    store: Store,
    info: Indicator,
    area: str,
    level: int,
    obj: dict[str, Any],
    members: list[str] | None = None,
) -> dict[str, Any]:
    """Current value with its interval, and the test of the change since the baseline (``members``: the
    districts of an area grouping the objective names)."""
    years = area_years(store, info, area, level, members)
    base_year = _year(obj["baseline_period"])
    latest = _latest(years)
    if latest is None:
        return {
            "current_period": None,
            "current_year": None,
            "current_value": math.nan,
            "current_lower": math.nan,
            "current_upper": math.nan,
            "change_test": TEST_NONE,
            "change_denominator": "",
            "change": None,
        }
    year, value, n_now = int(latest["year"]), float(latest["value"]), float(latest["sample_size"])
    estimate = rates.ci_for(info.unit, value, sample_size=None if math.isnan(n_now) else n_now)
    kind = info.denominator_kind
    base = (
        float(obj["baseline_value"]),
        _sample(years, base_year),
        denominator(store, kind, area, base_year, members),
    )
    test, per, change = _change(info, base, (value, n_now, denominator(store, kind, area, year, members)))
    return {
        "current_period": str(year),
        "current_year": year,
        "current_value": value,
        "current_lower": float(estimate.lower),
        "current_upper": float(estimate.upper),
        "change_test": test,
        "change_denominator": per,
        "change": change,
    }


def _status(info: Indicator, obj: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    change: Change | None = now["change"]
    significant = bool(change is not None and change.significant)
    found = progress.objective_progress(
        baseline_value=float(obj["baseline_value"]),
        baseline_year=_year(obj["baseline_period"]),
        current_value=now["current_value"],
        # Without a current value the status is "too early" whatever the year; the baseline year stands in.
        current_year=now["current_year"] or _year(obj["baseline_period"]),
        target_value=float(obj["target_value"]),
        target_year=_year(obj["target_period"]),
        polarity=info.polarity,
        change_significant=significant,
    )
    return {
        "change_estimate": change.estimate if change else math.nan,
        "change_lower": change.lower if change else math.nan,
        "change_upper": change.upper if change else math.nan,
        "change_significant": significant,
        "status": found.status.value,
        "ratio": found.ratio,
        "expected_now": found.expected_now,
        "share_done": found.share_done,
    }


def _context(store: Store) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, Indicator]]:
    plan = queries.strategy(store)
    areas = queries.areas(store).set_index("code")
    infos = {code: views.indicator(store, code) for code in plan["objectives"]["indicator_code"].unique()}
    return plan, areas, infos


def objective_table(store: Store) -> pd.DataFrame:
    """One row per objective: baseline, target, current value with its 95% interval, test and status.

    Current intervals: Poisson (exact below 10, Byar from 10) for counts, Wilson for survey
    percentages with a sample size, none otherwise. The change test and the status method are those
    of :func:`_change` and :func:`observatory.stats.progress.objective_progress`.

    Returns:
        The columns of :data:`OBJECTIVE_COLUMNS`, ordered by axis and code.
    """
    plan, areas, infos = _context(store)
    axes = dict(zip(plan["axes"]["code"], plan["axes"]["title"], strict=True))
    rows = []
    grouped = groups.list_groups(store).set_index("code")
    for obj in plan["objectives"].to_dict("records"):
        info, area = infos[obj["indicator_code"]], str(obj["area_code"])
        known = area in areas.index
        level = int(areas.at[area, "level"]) if known else 1
        members = _members(grouped, area, known)
        now = _measure(store, info, area, level, obj, members)
        rows.append(
            {
                **obj,
                "axis_title": axes.get(obj["axis_code"], ""),
                "indicator_name": info.name,
                "unit": info.unit,
                "polarity": info.polarity,
                "area_name": _area_name(areas, grouped, area),
                "baseline_year": _year(obj["baseline_period"]),
                "target_year": _year(obj["target_period"]),
                **now,
                **_status(info, obj, now),
            }
        )
    frame = pd.DataFrame(rows, columns=list(OBJECTIVE_COLUMNS))
    return frame.sort_values(["axis_code", "code"]).reset_index(drop=True)


def _members(grouped: pd.DataFrame, area: str, known: bool) -> list[str] | None:
    """The member districts of the area grouping an objective names (None for the city or a district)."""
    if known or area not in grouped.index:
        return None
    return [str(m) for m in grouped.at[area, "member_codes"]]


def _area_name(areas: pd.DataFrame, grouped: pd.DataFrame, area: str) -> str:
    """An objective's area by name: the city's or a district's, or an area grouping's."""
    if area in areas.index:
        return str(areas.at[area, "name"])
    return str(grouped.at[area, "name"]) if area in grouped.index else area


def objective_trajectory(store: Store, code: str) -> pd.DataFrame:
    """Yearly values of an objective's indicator in its area, with 95% intervals, for the chart.

    Complete years only; a withheld year stays in the frame with a NaN value and ``withheld`` set,
    so it reads as "not published", never as 0. Intervals as in :func:`objective_table`.

    Returns:
        year, period (1 January of the year), value, lower, upper, sample_size, withheld.

    Raises:
        KeyError: If the objective code is unknown.
    """
    plan = queries.strategy(store)["objectives"]
    found = plan[plan["code"] == code]
    if found.empty:
        raise KeyError(code)
    obj = found.iloc[0]
    info = views.indicator(store, str(obj["indicator_code"]))
    areas = queries.areas(store).set_index("code")
    area = str(obj["area_code"])
    level = int(areas.at[area, "level"]) if area in areas.index else 1
    members = _members(groups.list_groups(store).set_index("code"), area, area in areas.index)
    years = area_years(store, info, area, level, members).sort_values("year").reset_index(drop=True)
    sample = years["sample_size"].to_numpy(dtype=float) if info.unit == Unit.PERCENT.value else None
    estimate = rates.ci_for(info.unit, years["value"].to_numpy(dtype=float), sample_size=sample)
    years["lower"], years["upper"] = estimate.lower, estimate.upper
    years["period"] = [date(int(y), 1, 1) for y in years["year"]]
    return years[["year", "period", "value", "lower", "upper", "sample_size", "withheld"]]


def axes(store: Store) -> pd.DataFrame:
    """The strategy's axes: code, title, description."""
    return queries.strategy(store)["axes"]


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Number of objectives per status in an :func:`objective_table`, every status listed, best first.

    Returns:
        status, count.
    """
    counts = table["status"].value_counts()
    return pd.DataFrame(
        {
            "status": [s.value for s in STATUS_ORDER],
            "count": [int(counts.get(s.value, 0)) for s in STATUS_ORDER],
        }
    )


def status_summary(store: Store) -> pd.DataFrame:
    """Number of objectives per status (0 included), best first: :func:`status_counts` of the table."""
    return status_counts(objective_table(store))
