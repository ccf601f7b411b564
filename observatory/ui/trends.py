"""The trends page's cached reads and its pieces: the chart, the trend verdicts, the month comparison.

Panels are read once per indicator and view for the city and every district; the area groupings chosen
are added as series of their own (their members' totals by the one total rule, rates on the sums). The
trend tests and the month comparisons are run only for the areas shown (the city, the chosen districts
and groups), and cached per set of areas: a new indicator costs one area's tests, not a thousand
districts'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from observatory import charts
from observatory.domain import Indicator, Unit, shown_decimals
from observatory.i18n import denominator_words, format_month, format_number, format_percent, round_shown, t
from observatory.present import rounding, text
from observatory.services import groups, totals, trend_checks, trends, views
from observatory.ui import components
from observatory.ui.methodology import escape
from observatory.ui.resources import cached, reader

CSV_COLUMNS = [
    "area_code",
    "series",
    "period_start",
    "value",
    "denominator",
    "denominator_year",
    "sample_size",
    "shown",
    "lower",
    "upper",
    "withheld",
]


@cached()
def area_names() -> dict[str, str]:
    """Name of the city and of every district by code."""
    frame = trends.areas(reader())
    return dict(zip(frame["code"], frame["name"], strict=True))


@cached()
def city() -> str:
    """The city's area code."""
    return trends.city_code(reader())


@cached()
def view_options(code: str) -> list[str]:
    """Views the indicator supports (year, quarter, month, rolling12)."""
    return trends.available_views(reader(), views.indicator(reader(), code))


@cached()
def breaks(code: str) -> list[tuple[date, str]]:
    """The indicator's series breaks."""
    return trends.series_breaks(reader(), views.indicator(reader(), code))


@cached()
def group_names() -> dict[str, str]:
    """Name of every area grouping by code (empty when staff defined none)."""
    frame = groups.list_groups(reader())
    return dict(zip(frame["code"].astype(str), frame["name"].astype(str), strict=True))


@cached()
def _group_sets(chosen: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {code: tuple(groups.members(reader(), code)) for code in chosen}


@cached()
def panel(code: str, view: str, chosen: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every area's values of an indicator at one view, with denominators, and the ``chosen`` groups'."""
    info = views.indicator(reader(), code)
    found = trends.panel(reader(), info, view)
    if not chosen:
        return found
    extra = trends.group_panel(reader(), info, view, _group_sets(chosen))
    return pd.concat([found, extra], ignore_index=True) if len(extra) else found


@cached()
def shown(code: str, view: str, measure: str, chosen: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every area's drawn value and 95% interval (the ``chosen`` groups' too)."""
    return trends.measured(panel(code, view, chosen), views.indicator(reader(), code), measure)


@cached()
def verdicts(code: str, measure: str, areas: tuple[str, ...], chosen: tuple[str, ...] = ()) -> pd.DataFrame:
    """The five-point trend verdict of each of ``areas`` and of the ``chosen`` groups."""
    info = views.indicator(reader(), code)
    found = panel(code, "year", chosen)
    return trend_checks.trend_verdicts(found, info, measure, breaks(code), areas=(*areas, *chosen))


@cached()
def reference_month(code: str) -> pd.Timestamp | None:
    """The latest month with a published value anywhere: every area is compared at this month."""
    return trend_checks.reference_month(panel(code, "month"))


@cached()
def changes(
    code: str, measure: str, areas: tuple[str, ...], chosen: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """Each of ``areas``' (and the ``chosen`` groups') latest month against a year earlier, and the month."""
    month = reference_month(code)
    info = views.indicator(reader(), code)
    found = trend_checks.month_changes(
        panel(code, "month", chosen), info, measure, areas=(*areas, *chosen), month=month
    )
    return found, month


def _shown_areas(districts: list[str]) -> tuple[str, ...]:
    """The city and the chosen districts, as a cache key (order does not matter: _chosen orders)."""
    return tuple(sorted({city(), *districts}))


def _key(chosen: Sequence[str]) -> tuple[str, ...]:
    """The chosen groups as a cache key."""
    return tuple(sorted(set(chosen)))


def measures(info: Indicator) -> list[str]:
    """Measures the page offers for the indicator."""
    return trends.measures(info)


def is_monthly(info: Indicator) -> bool:
    """True for counts stored by month, which get the same-month-last-year comparison."""
    return info.additive and "month" in view_options(info.code)


def view_label(view: str) -> str:
    """Translated name of a view."""
    return t(f"trends.view_{view}")


def _chosen(frame: pd.DataFrame, districts: list[str], chosen: Sequence[str] = ()) -> pd.DataFrame:
    """The city's rows, then each chosen district's, then each chosen group's, with a ``series`` label."""
    names = {**area_names(), **{code: group_names().get(code, code) for code in chosen}}
    order = [city(), *districts, *chosen]
    picked = frame[frame["area_code"].isin(order)].copy()
    picked["series"] = picked["area_code"].map(names).fillna(picked["area_code"])
    picked["rank"] = picked["area_code"].map({code: i for i, code in enumerate(order)})
    by = ["rank", "period_start"] if "period_start" in picked else ["rank"]
    return picked.sort_values(by).drop(columns="rank").reset_index(drop=True)


def missing_note(frame: pd.DataFrame, districts: list[str], view: str, chosen: Sequence[str] = ()) -> None:
    """Say which chosen districts have no figure in this view, rather than drop them silently.

    A public release has districts by calendar year only (their months and quarters are mostly small
    counts), so its quarterly, monthly and rolling views hold the city alone.
    """
    present = set(frame["area_code"].astype(str))
    missing = [area_names().get(code, code) for code in districts if code not in present]
    if missing:
        names = ", ".join(escape(name) for name in missing)
        st.info(t("trends.districts_missing", view=view_label(view), names=names))
    lacking = [group_names().get(code, code) for code in chosen if code not in present]
    if lacking:
        names = ", ".join(escape(name) for name in lacking)
        st.info(t("trends.groups_missing", view=view_label(view), names=names))


def trend_chart(
    info: Indicator,
    view: str,
    measure: str,
    districts: list[str],
    *,
    key: str,
    download: bool = True,
    chosen: Sequence[str] = (),
) -> None:
    """The chart of the city, the chosen districts and the ``chosen`` groups, its footnotes and (unless
    not) its CSV download."""
    frame = _chosen(shown(info.code, view, measure, _key(chosen)), districts, chosen)
    missing_note(frame, districts, view, chosen)
    marks = [
        (when, text.plotly(note) if note else t("common.series_break")) for when, note in breaks(info.code)
    ]
    figure = charts.trend(
        frame,
        x="period_start",
        y="shown",
        series="series",
        lower="lower",
        upper="upper",
        breaks=marks,
        y_title=components.measure_label(info, measure),
        band_label=t("footnote.ci"),
    )
    label = components.measure_label(info, measure)
    # One rule for the table and its download (present.rounding).
    places = rounding.measure_decimals(info, measure)
    readable = pd.DataFrame(
        {
            t("trends.col_area"): frame["series"],
            t("common.period"): frame["period_start"],
            label: [format_number(v, decimals=places) for v in frame["shown"].astype(float)],
            t("footnote.ci"): [
                "–"
                if pd.isna(lo) or pd.isna(hi)
                else f"{format_number(lo, decimals=places)} – {format_number(hi, decimals=places)}"
                for lo, hi in zip(frame["lower"], frame["upper"], strict=True)
            ],
        }
    )
    title = t("trends.chart_heading", indicator=info.name, view=view_label(view))
    components.chart(figure, key=key, title=title, source=info.source, data=readable)
    _chart_footnotes(info, view, measure, frame, bool(marks))
    if not download:
        return
    table = frame[CSV_COLUMNS].rename(
        columns={"series": "area_name", "value": "count_or_value", "shown": measure}
    )
    components.download(
        table,
        f"{info.code}-{view}-{measure}.csv",
        key=f"{key}-csv",
        decimals=rounding.table_decimals(info, table.columns, measure=measure),
    )


def _chart_footnotes(info: Indicator, view: str, measure: str, frame: pd.DataFrame, broken: bool) -> None:
    lines = [f"{t('footnote.source')} {text.markdown(info.source)}"]
    years = frame["denominator_year"].dropna()
    if measure == "rate" and info.has_rate and len(years):
        kind = denominator_words(info.denominator_kind)
        lines.append(t("trends.denominator_years", kind=kind, first=int(years.min()), last=int(years.max())))
        if view != "year":
            lines.append(t("trends.rate_period", period=view_label(view)))
    has_interval = bool(frame["lower"].notna().any())
    lines.append(t("footnote.ci_method") if has_interval else t("trends.no_ci"))
    if broken:
        lines.append(t("trends.breaks_note"))
    hidden = int(frame["withheld"].astype(bool).sum())
    if hidden:
        lines.append(t("trends.withheld_note", count=hidden))
    bases = set(frame["basis"].dropna()) & {"bounded", "at_least"} if "basis" in frame else set()
    for basis in sorted(bases):
        lines.append(t("overview.total_basis", basis=t(totals.describe(basis))))
    st.caption(" · ".join(lines))


#: Decimals of the trend test's statistic and of a change in percent (the one rule, shown_decimals).
CHI2_DECIMALS = shown_decimals(Unit.INDEX)
CHANGE_DECIMALS = shown_decimals(Unit.PERCENT, change=True)


def _years_text(first: float, last: float) -> str:
    if pd.isna(first) or pd.isna(last):
        return "–"
    return f"{int(first)}–{int(last)}"


def _reason_text(reason: str) -> str:
    return "" if reason in {"significant", "not_significant"} else t(f"trends.reason.{reason}")


def verdict_table(
    info: Indicator, measure: str, districts: list[str], *, key: str, chosen: Sequence[str] = ()
) -> None:
    """The five-point trend verdict of the city, each chosen district and group, in plain words."""
    found = verdicts(info.code, measure, _shown_areas(districts), _key(chosen))
    frame = _chosen(found, districts, chosen)
    table = pd.DataFrame(
        {
            t("trends.col_area"): frame["series"],
            t("trends.col_years"): [
                _years_text(a, b) for a, b in zip(frame["first_year"], frame["last_year"], strict=True)
            ],
            t("trends.col_chi2"): [format_number(x, decimals=CHI2_DECIMALS) for x in frame["chi2"]],
            t("trends.col_trend"): [t(f"trends.trend.{v}") for v in frame["verdict"]],
            t("trends.col_note"): [_reason_text(r) for r in frame["reason"]],
        }
    )
    st.dataframe(table, hide_index=True, key=key)
    st.caption(t("trends.verdict_method"))
    # The file holds what the table writes: the statistic with its decimals, verdict and note in words.
    written = pd.DataFrame(
        {
            "area_code": frame["area_code"],
            "area_name": frame["series"],
            "first_year": frame["first_year"],
            "last_year": frame["last_year"],
            "chi2": frame["chi2"].astype(float),
            "verdict": frame["verdict"],
            "note": [_reason_text(r) for r in frame["reason"]],
        }
    )
    components.download(
        written,
        f"{info.code}-trend-{measure}.csv",
        key=f"{key}-csv",
        decimals={"chi2": CHI2_DECIMALS},
        words={"verdict": "trends.trend"},
    )


def _change_text(ratio: float, lower: float, upper: float) -> str:
    if np.isnan(ratio) or np.isnan(lower) or np.isnan(upper):
        return "–"

    def signed(x: float) -> str:
        if np.isinf(x):
            # The exact upper limit when the earlier count is 0: no finite bound on the rise.
            return "+∞"
        # Rounded as the download holds it (rounding.change_percent: whole, never "-0%").
        percent = rounding.change_percent(x)
        text = format_percent(percent, decimals=CHANGE_DECIMALS)
        return f"+{text}" if percent > 0 else text

    return f"{signed(ratio)} ({signed(lower)} – {signed(upper)})"


def _counts_text(values: pd.Series, withheld: pd.Series) -> list[str]:
    """Counts in the locale's format; a withheld one says "not published", never a number."""
    return [
        t("map.not_published") if hidden else format_number(x)
        for x, hidden in zip(values, withheld, strict=True)
    ]


def change_table(
    info: Indicator, measure: str, districts: list[str], *, key: str, chosen: Sequence[str] = ()
) -> None:
    """Latest month against the same month a year earlier, and the rolling 12 months against the 12 before,
    for the city, the chosen districts and the ``chosen`` groups."""
    found, month = changes(info.code, measure, _shown_areas(districts), _key(chosen))
    if month is None or found.empty:
        st.info(t("map.no_data"))
        return
    frame = _chosen(found, districts, chosen)
    missing_note(frame, districts, "month", chosen)
    earlier = month - pd.DateOffset(years=1)
    words = {
        "month": t("trends.compare_month", month=format_month(month), earlier=format_month(earlier)),
        "rolling12": t("trends.compare_rolling", month=format_month(month)),
    }
    table = pd.DataFrame(
        {
            t("trends.col_area"): frame["series"],
            t("trends.col_comparison"): frame["comparison"].map(words),
            t("trends.col_earlier"): _counts_text(frame["earlier"], frame["earlier_withheld"]),
            t("trends.col_later"): _counts_text(frame["later"], frame["later_withheld"]),
            t("trends.col_change"): [
                _change_text(r, lo, hi)
                for r, lo, hi in zip(frame["ratio"], frame["lower"], frame["upper"], strict=True)
            ],
            t("trends.col_beyond_chance"): [
                t("trends.yes") if s else t("trends.no") for s in frame["significant"]
            ],
            t("trends.col_verdict"): [t(f"verdict.{v}") for v in frame["verdict"]],
        }
    )
    st.dataframe(table, hide_index=True, key=key)
    method = "trends.change_method_rate" if measure == "rate" and info.has_rate else "trends.change_method"
    st.caption(t(method))
    # The file holds what the table writes: counts whole (a withheld one left empty, never a number),
    # the change and its interval in whole percent, comparison, "beyond chance" and verdict in words.
    hidden = {"earlier": frame["earlier_withheld"], "later": frame["later_withheld"]}
    written = pd.DataFrame(
        {
            "area_code": frame["area_code"],
            "area_name": frame["series"],
            "comparison": frame["comparison"].map(words),
            **{
                name: [
                    np.nan if h else round_shown(float(x), shown_decimals(Unit.COUNT))
                    for x, h in zip(frame[name], hidden[name], strict=True)
                ]
                for name in ("earlier", "later")
            },
            "change_percent": [rounding.change_percent(r) for r in frame["ratio"]],
            "change_percent_lower": [rounding.change_percent(r) for r in frame["lower"]],
            "change_percent_upper": [rounding.change_percent(r) for r in frame["upper"]],
            "significant": [t("trends.yes") if s else t("trends.no") for s in frame["significant"]],
            "verdict": frame["verdict"],
        }
    )
    components.download(
        written, f"{info.code}-changes-{measure}.csv", key=f"{key}-csv", words={"verdict": "verdict"}
    )
