"""The methodology catalogue: every indicator with what is stored of it, and the figures of the methods.

The catalogue is generated from the indicator table and the observations themselves, so the
methodology page can never describe an indicator differently from the pages that show it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.services import views
from observatory.stats import disclosure, progress, rates, trends
from observatory.store import Store, queries

_ORDER = ("month", "quarter", "year")

#: Columns of :func:`indicator_catalogue`, in order (also the columns of its CSV download).
COLUMNS = (
    "code",
    "name",
    "kind",
    "theme",
    "unit",
    "polarity",
    "denominator_kind",
    "multiplier",
    "denominator_years",
    "disclosure_threshold",
    "granularities",
    "years",
    "first_year",
    "last_year",
    "districts",
    "city",
    "withheld",
    "series_breaks",
    "description",
    "source",
)


@dataclass(frozen=True, slots=True)
class MethodFigures:
    """Numbers the method texts quote, taken from the statistics code so the texts follow it.

    Attributes:
        byar_from: Smallest count whose interval uses Byar's approximation (exact Poisson below).
        check_count: The count of the worked example of a Poisson interval.
        check_lower: Its lower 95% limit.
        check_upper: Its upper 95% limit.
        wilson_percent: The percentage of the worked example of a Wilson interval.
        wilson_n: Its number of respondents.
        wilson_lower: Its lower 95% limit, in percent.
        wilson_upper: Its upper 95% limit, in percent.
        trend_points: Points the recent-trend test looks at.
        trend_chi2: χ² the trend test must exceed.
        on_track_from: Lowest progress ratio that is "on track".
        moderate_from: Lowest progress ratio that is "moderate progress".
        default_threshold: Disclosure threshold used when an indicator names none.
    """

    byar_from: int
    check_count: int
    check_lower: float
    check_upper: float
    wilson_percent: float
    wilson_n: int
    wilson_lower: float
    wilson_upper: float
    trend_points: int
    trend_chi2: float
    on_track_from: float
    moderate_from: float
    default_threshold: int


def method_figures(check_count: int = 65, wilson_percent: float = 10.0, wilson_n: int = 100) -> MethodFigures:
    """The constants and worked examples of the statistical methods, computed by the statistics room.

    Method: the examples are the intervals of ``rates.poisson_ci`` (exact Poisson below 10 events,
    Byar from 10) and ``rates.wilson_ci`` (Wilson score); the thresholds are the constants of the
    trend, progress and disclosure modules.

    Args:
        check_count: Events of the Poisson example (65 gives 50.163–82.849).
        wilson_percent: Percentage of the Wilson example.
        wilson_n: Respondents of the Wilson example.
    """
    lower, upper = rates.poisson_ci(check_count)
    share_lower, share_upper = rates.wilson_ci(wilson_percent, wilson_n)
    return MethodFigures(
        byar_from=rates.BYAR_MIN_COUNT,
        check_count=check_count,
        check_lower=float(lower),
        check_upper=float(upper),
        wilson_percent=wilson_percent,
        wilson_n=wilson_n,
        wilson_lower=float(share_lower),
        wilson_upper=float(share_upper),
        trend_points=trends.TREND_POINTS,
        trend_chi2=trends.TREND_CHI2_THRESHOLD,
        on_track_from=progress.ON_TRACK_FROM,
        moderate_from=progress.MODERATE_FROM,
        default_threshold=disclosure.DEFAULT_THRESHOLD,
    )


def year_ranges(years: list[int] | set[int]) -> str:
    """Years as runs: [2016, 2017, 2018, 2020] → "2016–2018, 2020"; no years → ""."""
    ordered = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _coverage_summary(store: Store) -> pd.DataFrame:
    """One row per indicator: granularities (finest first), years, districts, city, withheld."""
    frame = queries.coverage(store)
    if frame.empty:
        return pd.DataFrame(columns=["code", "granularities", "years", "first_year", "last_year"])
    grouped = frame.groupby("indicator_code")
    summary = pd.DataFrame(
        {
            "granularities": grouped["granularity"].agg(
                lambda g: ", ".join(sorted(set(g), key=lambda x: _ORDER.index(x) if x in _ORDER else 9))
            ),
            "years": grouped["year"].agg(lambda y: year_ranges(set(y))),
            "first_year": grouped["year"].min(),
            "last_year": grouped["year"].max(),
            "districts": grouped["districts"].max(),
            "city": grouped["city"].any(),
            "withheld": grouped["withheld"].sum(),
        }
    )
    return summary.rename_axis("code").reset_index()


def _denominator_years(store: Store, kinds: pd.Series) -> dict[str, str]:
    """Denominator kind → the years for which it is stored, as runs."""
    found = {}
    for kind in sorted({str(k) for k in kinds.dropna() if k}):
        found[kind] = year_ranges(set(queries.denominators(store, kind)["year"]))
    return found


def _breaks_text(store: Store) -> dict[str, str]:
    """Indicator code → its series breaks as "2025-07-01 (note); …"."""
    texts: dict[str, list[str]] = {}
    for row in queries.all_series_breaks(store).itertuples():
        note = f" ({row.note})" if isinstance(row.note, str) and row.note else ""
        texts.setdefault(str(row.indicator_code), []).append(
            f"{pd.Timestamp(row.break_date).date().isoformat()}{note}"
        )
    return {code: "; ".join(parts) for code, parts in texts.items()}


def indicator_catalogue(store: Store) -> pd.DataFrame:
    """Every indicator with its definition and what is stored of it.

    Returns:
        The columns of :data:`COLUMNS`: the indicator table's own columns plus denominator_years,
        granularities ("month, year"), years ("2016–2025"), first_year, last_year, districts
        (most districts with a value in any year), city (the city has rows of its own), withheld
        (rows not published), series_breaks ("2025-07-01 (note)"). Missing text is "" (an
        indicator without denominator has denominator_kind ""); an indicator with nothing stored has
        missing numbers. Rows in kind, theme, code order.
    """
    frame = views.catalogue(store).copy()
    frame = frame.merge(_coverage_summary(store), on="code", how="left")
    years_of = _denominator_years(store, frame["denominator_kind"])
    frame["denominator_years"] = [
        years_of.get(k, "") if isinstance(k, str) else "" for k in frame["denominator_kind"]
    ]
    breaks = _breaks_text(store)
    frame["series_breaks"] = [breaks.get(str(code), "") for code in frame["code"]]
    for column in ("denominator_kind", "granularities", "years", "description", "source"):
        frame[column] = frame[column].fillna("").astype(str)
    frame["city"] = frame["city"].fillna(False).astype(bool)
    for column in ("first_year", "last_year", "districts", "withheld"):
        frame[column] = frame[column].astype("Int64")
    return frame[list(COLUMNS)].reset_index(drop=True)
