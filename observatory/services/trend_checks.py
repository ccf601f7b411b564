"""Is it changing? The recent-trend verdict and the same-month-last-year comparison of a panel.

Both work on the panels of :mod:`observatory.services.trends` and return one row per area with
translation keys, never words, so the page can show them in any language.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from observatory.domain import ChangeTest, Indicator, Polarity
from observatory.stats import changes, compare
from observatory.stats import trends as stats_trends
from observatory.stats.changes import Figure

#: Months in a rolling window (DESIGN §4: the rolling 12 months against the 12 before).
WINDOW = 12

VERDICT_COLUMNS = ["area_code", "first_year", "last_year", "result", "chi2", "reason", "verdict"]
CHANGE_COLUMNS = [
    "area_code",
    "comparison",
    "earlier",
    "later",
    "earlier_withheld",
    "later_withheld",
    "ratio",
    "lower",
    "upper",
    "significant",
    "verdict",
]


def _after_break(frame: pd.DataFrame, breaks: list[tuple[date, str]]) -> pd.DataFrame:
    """Only the points that start on or after the latest break: no test runs across one."""
    if not breaks:
        return frame
    latest = pd.Timestamp(max(when for when, _ in breaks))
    return frame[frame["period_start"] >= latest]


def _area_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The areas in order of first appearance (as ``groupby(sort=False)``), and each row's area number."""
    rank, codes = pd.factorize(frame["area_code"], sort=False)
    return np.asarray(codes, dtype=object), rank


#: Yearly points of the five-point trend test.
TREND_SLOTS = stats_trends.TREND_POINTS


@dataclass(frozen=True, slots=True)
class _Points:
    """Each area's last five consecutive years (one row an area, the latest year in the last slot, a
    missing year NaN), and the first and last year they cover (last < first: the area has none)."""

    values: np.ndarray
    sizes: np.ndarray
    denominators: np.ndarray
    first: np.ndarray
    last: np.ndarray


def _last_points(frame: pd.DataFrame, rank: np.ndarray, areas: int) -> _Points:
    """The last five consecutive years of every area, group-wise.

    A trailing year that is merely incomplete (the current year, still filling up) is left out; a
    withheld year stays in, so that the test says it cannot be calculated. The five start no earlier
    than the area's first year (an area with three years has three points, not five).
    """
    stamps = frame["period_start"].to_numpy(dtype="datetime64[us]").astype(np.int64)
    years = frame["period_start"].dt.year.to_numpy(dtype=np.int64)
    finished = frame["complete"].to_numpy(dtype=bool) | frame["withheld"].to_numpy(dtype=bool)
    least = np.iinfo(np.int64).min
    latest = np.full(areas, least, dtype=np.int64)
    np.maximum.at(latest, rank[finished], stamps[finished])
    kept = stamps <= latest[rank]
    last = np.full(areas, least, dtype=np.int64)
    first = np.full(areas, np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(last, rank[kept], years[kept])
    np.minimum.at(first, rank[kept], years[kept])
    first = np.maximum(first, last - TREND_SLOTS + 1)
    slot = years - last[rank] + TREND_SLOTS - 1
    inside = kept & (years >= first[rank])
    shape = (areas, TREND_SLOTS)
    found = {}
    for name in ("value", "sample_size", "denominator"):
        table = np.full(shape, np.nan)
        table[rank[inside], slot[inside]] = frame[name].to_numpy(dtype=float)[inside]
        found[name] = table
    has = last != least
    return _Points(
        found["value"],
        found["sample_size"],
        found["denominator"],
        np.where(has, first, 0),
        np.where(has, last, -1),
    )


@dataclass(frozen=True, slots=True)
class _Months:
    """Each area's 24 months up to the compared one (column 0 the compared month, column 12 a year
    before), and the totals of its two 12-month windows."""

    values: np.ndarray
    withheld: np.ndarray
    denominators: np.ndarray
    earlier: np.ndarray
    later: np.ndarray


def _months_back(frame: pd.DataFrame, month: pd.Timestamp, rank: np.ndarray, areas: int) -> _Months:
    """Every area's last 24 months up to ``month``, group-wise, and its two rolling-window totals.

    A window total exists only when all its 12 months are there with a value (stats.trends.rolling_sum:
    a withheld or absent month is never counted as 0).
    """
    stamps = frame["period_start"]
    back = (month.year * 12 + month.month - 1) - (
        stamps.dt.year.to_numpy(dtype=np.int64) * 12 + stamps.dt.month.to_numpy(dtype=np.int64) - 1
    )
    span = 2 * WINDOW
    inside = (back >= 0) & (back < span)
    rows, slots = rank[inside], back[inside]
    values = np.full((areas, span), np.nan)
    values[rows, slots] = frame["value"].to_numpy(dtype=float)[inside]
    withheld = np.zeros((areas, span), dtype=bool)
    withheld[rows, slots] = frame["withheld"].to_numpy(dtype=bool)[inside]
    denominators = np.full((areas, span), np.nan)
    denominators[rows, slots] = frame["denominator"].to_numpy(dtype=float)[inside]
    # Both windows need the area's months to reach 24 back (rolling_sum has 2 windows to give).
    reach = np.full(areas, -1, dtype=np.int64)
    np.maximum.at(reach, rank[back >= 0], back[back >= 0])
    reached = reach >= span - 1

    def total(part: np.ndarray) -> np.ndarray:
        whole = reached & ~np.isnan(part).any(axis=1)
        return np.where(whole, np.where(np.isnan(part), 0.0, part).sum(axis=1), np.nan)

    return _Months(values, withheld, denominators, total(values[:, WINDOW:]), total(values[:, :WINDOW]))


def _test(
    values: np.ndarray, sizes: np.ndarray, denominators: np.ndarray, info: Indicator, measure: str
) -> stats_trends.Trend:
    """Run the five-point test the indicator's unit allows (stats.trends.trend_test)."""
    if info.change_test is ChangeTest.PROPORTION:
        if len(sizes) and np.isnan(sizes).all():
            return stats_trends.Trend(
                stats_trends.TrendResult.CANNOT_BE_CALCULATED, math.nan, math.nan, "no_sample_size"
            )
        return stats_trends.trend_test(values, kind="proportion", sample_sizes=sizes)
    if info.change_test is not ChangeTest.RATE_RATIO:
        return stats_trends.Trend(
            stats_trends.TrendResult.CANNOT_BE_CALCULATED, math.nan, math.nan, "no_counts"
        )
    rated = measure == "rate" and info.has_rate
    return stats_trends.trend_test(values, denominators if rated else None)


def trend_key(result: stats_trends.TrendResult, polarity: str) -> str:
    """Translation key of a trend in plain words with its polarity: ``increasing_worse`` and so on."""
    if result is stats_trends.TrendResult.CANNOT_BE_CALCULATED:
        return "not_computable"
    if result is stats_trends.TrendResult.NO_SIGNIFICANT_CHANGE:
        return "no_change"
    if Polarity(polarity) is Polarity.NEUTRAL:
        return result.value
    up_is_worse = Polarity(polarity) is Polarity.LOWER_IS_BETTER
    worse = (result is stats_trends.TrendResult.INCREASING) == up_is_worse
    return f"{result.value}_{'worse' if worse else 'better'}"


def trend_verdicts(
    yearly: pd.DataFrame,
    info: Indicator,
    measure: str,
    breaks: list[tuple[date, str]],
    *,
    areas: Collection[str] | None = None,
) -> pd.DataFrame:
    """The recent-trend verdict of each area over its last five yearly points.

    Method: stats.trends.trend_test (PHE/OHID recent-trend markers, χ² > 9.5495 with the
    leave-one-out check): counts with the denominators of their years when a rate is shown, raw
    counts otherwise; survey percentages as proportions with their sample sizes. Only points after
    the latest series break count; fewer than five, or any withheld, and it cannot be calculated.

    Args:
        yearly: A yearly panel (services.trends.panel with view "year").
        info: The indicator.
        measure: "rate", "count" or "value".
        breaks: The indicator's series breaks.
        areas: Test only these areas (all when None).

    Returns:
        area_code, first_year, last_year, result, chi2, reason, verdict (a trends.trend.* key suffix).
    """
    tested = yearly if areas is None else yearly[yearly["area_code"].isin(areas)]
    frame = _after_break(tested, breaks)
    if frame.empty:
        return pd.DataFrame([], columns=VERDICT_COLUMNS)
    codes, rank = _area_rows(frame)
    points = _last_points(frame, rank, len(codes))
    rows = []
    for i, code in enumerate(codes):
        first, last = int(points.first[i]), int(points.last[i])
        some = last >= first
        shown = slice(TREND_SLOTS - (last - first + 1), TREND_SLOTS) if some else slice(0, 0)
        found = _test(
            points.values[i, shown], points.sizes[i, shown], points.denominators[i, shown], info, measure
        )
        rows.append(
            {
                "area_code": code,
                "first_year": first if some else math.nan,
                "last_year": last if some else math.nan,
                "result": found.result.value,
                "chi2": found.chi2,
                "reason": found.reason,
                "verdict": trend_key(found.result, info.polarity),
            }
        )
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def reference_month(monthly: pd.DataFrame) -> pd.Timestamp | None:
    """The latest month with a published value in any area: every area is compared at this month."""
    shown = monthly[monthly["value"].notna()]
    return None if shown.empty else pd.Timestamp(shown["period_start"].max())


def _change_row(
    code: str,
    comparison: str,
    counts: tuple[float, float],
    hidden: tuple[bool, bool],
    pops: tuple[float, float] | None,
    polarity: str,
) -> dict[str, object]:
    """One comparison; with ``pops`` the ratio is of rates, and a missing population makes it uncomputable."""
    if pops is None:
        change = compare.rate_ratio(counts[0], counts[1])
    else:
        change = compare.rate_ratio(counts[0], counts[1], n1=pops[0], n2=pops[1])
    return {
        "area_code": code,
        "comparison": comparison,
        "earlier": counts[0],
        "later": counts[1],
        "earlier_withheld": hidden[0],
        "later_withheld": hidden[1],
        "ratio": change.estimate,
        "lower": change.lower,
        "upper": change.upper,
        "significant": change.significant,
        "verdict": compare.verdict(change, polarity),
    }


def month_changes(
    monthly: pd.DataFrame,
    info: Indicator,
    measure: str,
    *,
    areas: Collection[str] | None = None,
    month: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Latest month against the same month a year earlier, and the rolling 12 months against the 12 before.

    Method: stats.compare.rate_ratio on the two counts (log-normal interval, exact conditional when a
    count is 0), with the denominators of the two periods' years when a rate is shown; the change is
    beyond chance when the 95% interval excludes 1 (DESIGN §4). Every area is compared at the same
    month, the latest with a published value anywhere; a withheld month makes it not computable.

    Args:
        monthly: A monthly panel (services.trends.panel with view "month").
        info: The indicator (counts only).
        measure: "rate" or "count".
        areas: Compare only these areas (all when None); the month compared is still the panel's.
        month: The month compared, when the caller already has :func:`reference_month` of the panel.

    Returns:
        area_code, comparison ("month" or "rolling12"), earlier, later, earlier_withheld,
        later_withheld, ratio, lower, upper, significant, verdict (a stats.compare.VERDICT_KEYS
        key); empty for no data. The compared month is :func:`reference_month`; the earlier one is
        a year before it.
    """
    month = reference_month(monthly) if month is None else month
    # Only counts are tested month against month (an amount is not a Poisson count).
    if month is None or info.change_test is not ChangeTest.RATE_RATIO:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    rated = measure == "rate" and info.has_rate
    compared = monthly if areas is None else monthly[monthly["area_code"].isin(areas)]
    if compared.empty:
        return pd.DataFrame([], columns=CHANGE_COLUMNS)
    codes, rank = _area_rows(compared)
    months = _months_back(compared, month, rank, len(codes))
    rows = []
    for i, code in enumerate(codes):
        # NaN (no denominator for the area) makes rate_ratio not computable, never a bare count.
        pops = (float(months.denominators[i, WINDOW]), float(months.denominators[i, 0])) if rated else None
        flags = months.withheld[i]
        rows.append(
            _change_row(
                str(code),
                "month",
                (float(months.values[i, WINDOW]), float(months.values[i, 0])),
                (bool(flags[WINDOW]), bool(flags[0])),
                pops,
                info.polarity,
            )
        )
        rows.append(
            _change_row(
                str(code),
                "rolling12",
                (float(months.earlier[i]), float(months.later[i])),
                (bool(flags[WINDOW:].any()), bool(flags[:WINDOW].any())),
                pops,
                info.polarity,
            )
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _figures(frame: pd.DataFrame, rated: bool) -> list[Figure]:
    """Each yearly panel row as a figure: exact, bounded (a city total with withheld districts) or unknown."""
    value = frame["value"].to_numpy(dtype=float)
    bounds = []
    for name in ("bound_lower", "bound_upper"):
        bound = frame[name].to_numpy(dtype=float) if name in frame.columns else np.full(len(frame), np.nan)
        bounds.append(np.where(np.isnan(bound), value, bound))
    unknown = ~frame["complete"].map(bool).to_numpy(dtype=bool)
    low, high = (np.where(unknown, np.nan, bound) for bound in bounds)
    denominator = frame["denominator"].to_numpy(dtype=float) if rated else np.full(len(frame), np.nan)
    sample = frame["sample_size"].to_numpy(dtype=float)
    return [
        Figure(float(lo), float(hi), float(d), float(n))
        for lo, hi, d, n in zip(low, high, denominator, sample, strict=True)
    ]


def _row_of_year(rank: np.ndarray, years: np.ndarray, areas: int, year: int) -> np.ndarray:
    """Each area's row of ``year`` (the last one, were a year given twice); -1 where it has none."""
    found = np.full(areas, -1, dtype=np.intp)
    rows = np.flatnonzero(years == year)
    found[rank[rows]] = rows
    return found


def reference_year(yearly: pd.DataFrame) -> int | None:
    """The latest complete year with a published value in any area: every area is compared at this year."""
    shown = yearly[yearly["value"].notna() & yearly["complete"].astype(bool)]
    return None if shown.empty else int(pd.Timestamp(shown["period_start"].max()).year)


def year_changes(
    yearly: pd.DataFrame,
    info: Indicator,
    measure: str,
    *,
    areas: Collection[str] | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """The latest complete year against the year before, for every area, by the indicator's own test.

    Method: :func:`observatory.stats.changes.change` — the rate ratio for counts (with the two years'
    denominators when a rate is shown), the difference of proportions for survey shares, the plain
    difference with no test otherwise; a bounded city total is tested on its bounds.

    Returns:
        The columns of :func:`month_changes`, comparison ``"year"``; empty for no complete year.
    """
    year = reference_year(yearly) if year is None else year
    if year is None:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    rated = measure == "rate" and info.has_rate
    compared = yearly if areas is None else yearly[yearly["area_code"].isin(areas)]
    if compared.empty:
        return pd.DataFrame([], columns=CHANGE_COLUMNS)
    codes, rank = _area_rows(compared)
    years = compared["period_start"].dt.year.to_numpy(dtype=np.int64)
    figures = _figures(compared, rated)
    withheld = compared["withheld"].map(bool).to_numpy(dtype=bool)
    unknown = Figure(math.nan, math.nan)
    before_rows, after_rows = (_row_of_year(rank, years, len(codes), y) for y in (year - 1, year))
    rows = []
    for i, code in enumerate(codes):
        before = int(before_rows[i]) if before_rows[i] >= 0 else None
        after = int(after_rows[i]) if after_rows[i] >= 0 else None
        earlier = unknown if before is None else figures[before]
        later = unknown if after is None else figures[after]
        moved = changes.change(info, earlier, later)
        rows.append(
            {
                "area_code": code,
                "comparison": "year",
                "earlier": earlier.lower if earlier.is_exact else math.nan,
                "later": later.lower if later.is_exact else math.nan,
                "earlier_withheld": bool(before is not None and withheld[before]),
                "later_withheld": bool(after is not None and withheld[after]),
                "ratio": moved.estimate,
                "lower": moved.lower,
                "upper": moved.upper,
                "significant": moved.significant,
                "verdict": compare.verdict(moved, info.polarity),
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
