"""The change checks as they were written before they were made group-wise: one pandas pass per area.

Kept only as the reference the group-wise :mod:`observatory.services.trend_checks` is compared with
(tests/services/test_trend_checks_groupwise.py): same panels in, identical frames out.
"""

from __future__ import annotations

import math
from collections.abc import Collection
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


def _last_points(part: pd.DataFrame) -> pd.DataFrame:
    """The last five consecutive years of one area, a missing year kept as a NaN row.

    A trailing year that is merely incomplete (the current year, still filling up) is left out; a
    withheld year stays in, so that the test says it cannot be calculated.
    """
    part = part.sort_values("period_start")
    unfinished = ~part["complete"] & ~part["withheld"]
    while len(part) and unfinished.loc[part.index[-1]]:
        part = part.iloc[:-1]
    if part.empty:
        return part
    years = part["period_start"].dt.year.astype(int)
    full = range(int(years.max()) - stats_trends.TREND_POINTS + 1, int(years.max()) + 1)
    by_year = part.set_index(years)
    return by_year.reindex([y for y in full if y >= int(years.min())])


def _test(points: pd.DataFrame, info: Indicator, measure: str) -> stats_trends.Trend:
    """Run the five-point test the indicator's unit allows (stats.trends.trend_test)."""
    values = points["value"].to_numpy(dtype=float)
    if info.change_test is ChangeTest.PROPORTION:
        sizes = points["sample_size"].to_numpy(dtype=float)
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
    denominators = points["denominator"].to_numpy(dtype=float) if rated else None
    return stats_trends.trend_test(values, denominators)


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
    rows = []
    tested = yearly if areas is None else yearly[yearly["area_code"].isin(areas)]
    for code, part in _after_break(tested, breaks).groupby("area_code", sort=False):
        points = _last_points(part)
        found = _test(points, info, measure)
        rows.append(
            {
                "area_code": code,
                "first_year": int(points.index.min()) if len(points) else math.nan,
                "last_year": int(points.index.max()) if len(points) else math.nan,
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


def _withheld_within(flags: pd.Series, end: pd.Timestamp, months: int) -> bool:
    """True when a month of the ``months`` ending at ``end`` is withheld."""
    start = end - pd.DateOffset(months=months)
    return bool(flags[(flags.index > start) & (flags.index <= end)].any())


def _area_changes(part: pd.DataFrame, month: pd.Timestamp, info: Indicator, rated: bool) -> list[dict]:
    """Same month a year earlier, and rolling 12 months against the 12 before, for one area."""
    code = str(part["area_code"].iloc[0])
    year_before = month - pd.DateOffset(years=1)
    indexed = part.set_index("period_start").sort_index()
    # Up to the compared month, and reaching it: an area whose data stop earlier gets NaN windows.
    series = indexed["value"][indexed.index <= month].reindex(
        indexed.index[indexed.index <= month].union([month])
    )
    flags = indexed["withheld"].astype(bool)
    months = (float(series.get(year_before, math.nan)), float(series.get(month, math.nan)))
    windows = stats_trends.last_two_windows(series, WINDOW)
    pops = None
    if rated:
        # NaN (no denominator for the area) makes rate_ratio not computable, never a bare count.
        dens = indexed["denominator"]
        pops = (float(dens.get(year_before, math.nan)), float(dens.get(month, math.nan)))
    month_hidden = (bool(flags.get(year_before, False)), bool(flags.get(month, False)))
    window_hidden = (_withheld_within(flags, year_before, WINDOW), _withheld_within(flags, month, WINDOW))
    return [
        _change_row(code, "month", months, month_hidden, pops, info.polarity),
        _change_row(code, "rolling12", windows, window_hidden, pops, info.polarity),
    ]


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
    rows = [
        row
        for _, part in compared.groupby("area_code", sort=False)
        for row in _area_changes(part, month, info, rated)
    ]
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _figure(row: pd.Series | None, rated: bool) -> Figure:
    """A yearly panel row as a figure: exact, bounded (a city total with withheld districts) or unknown."""
    if row is None:
        return Figure(math.nan, math.nan)
    low = (
        float(row["bound_lower"])
        if "bound_lower" in row and pd.notna(row["bound_lower"])
        else float(row["value"])
    )
    high = (
        float(row["bound_upper"])
        if "bound_upper" in row and pd.notna(row["bound_upper"])
        else float(row["value"])
    )
    if not bool(row["complete"]):
        low = high = math.nan
    denominator = float(row["denominator"]) if rated and pd.notna(row["denominator"]) else math.nan
    sample = float(row["sample_size"]) if pd.notna(row["sample_size"]) else math.nan
    return Figure(low, high, denominator, sample)


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
    rows = []
    for code, part in compared.groupby("area_code", sort=False):
        by_year = {
            int(pd.Timestamp(p).year): r
            for p, (_, r) in zip(part["period_start"], part.iterrows(), strict=True)
        }
        before, after = by_year.get(year - 1), by_year.get(year)
        earlier, later = _figure(before, rated), _figure(after, rated)
        moved = changes.change(info, earlier, later)
        rows.append(
            {
                "area_code": code,
                "comparison": "year",
                "earlier": earlier.lower if earlier.is_exact else math.nan,
                "later": later.lower if later.is_exact else math.nan,
                "earlier_withheld": bool(before is not None and before["withheld"]),
                "later_withheld": bool(after is not None and after["withheld"]),
                "ratio": moved.estimate,
                "lower": moved.lower,
                "upper": moved.upper,
                "significant": moved.significant,
                "verdict": compare.verdict(moved, info.polarity),
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
