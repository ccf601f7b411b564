"""Reusable pieces of page: the district map, the city trend, footnotes, CSV downloads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from observatory import charts
from observatory.domain import Indicator
from observatory.i18n import denominator_words, format_number, format_period, rate_label, t
from observatory.ui import data, widgets


def measure_label(info: Indicator, measure: str) -> str:
    """Words for what the map shows: a count, a rate with its denominator, or the indicator's unit."""
    if (measure == "rate" and info.has_rate) or (measure == "value" and info.per_label):
        return rate_label(info)
    if measure == "count":
        return t("measure.count")
    return t(f"unit.{info.unit}")


def _interval_text(lower: float, upper: float, decimals: int) -> str:
    if np.isnan(lower) or np.isnan(upper):
        return "–"
    return f"{format_number(lower, decimals=decimals)} – {format_number(upper, decimals=decimals)}"


def map_frame(info: Indicator, frame: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, int]:
    """The shown value per district and its hover texts; returns the frame and its decimals."""
    shown = frame.copy()
    rate = measure == "rate" and info.has_rate
    decimals = 2 if rate else (0 if info.additive else 1)
    shown["shown"] = shown["rate"] if rate else shown["value"]
    # The interval is the rate's when a rate is shown, else the count's (or the survey's Wilson interval).
    factor = 1.0 if rate or not info.has_rate else np.nan
    lower, upper = shown["lower"] * factor, shown["upper"] * factor
    if not rate and info.has_rate:
        lower, upper = _count_interval(shown)
    shown["ci_text"] = [_interval_text(lo, hi, decimals) for lo, hi in zip(lower, upper, strict=True)]
    shown["denominator_text"] = [
        "–" if np.isnan(d) else f"{format_number(d)} ({int(y)})"
        for d, y in zip(shown["denominator"].astype(float), shown["denominator_year"].fillna(0), strict=True)
    ]
    shown["withheld"] = shown["withheld"] | shown["shown"].isna()
    return shown, decimals


def _count_interval(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    # Rate limits scaled back to counts: the same Poisson interval, expressed on the count.
    scale = frame["value"] / frame["rate"]
    return frame["lower"] * scale, frame["upper"] * scale


def chart(
    figure: Any, *, key: str, title: str, data: pd.DataFrame | None = None, config: dict | None = None
) -> None:
    """A plotly chart with a text alternative and, when given, its figures in a table one click away.

    Args:
        figure: The figure (or its dict).
        key: The chart's widget key.
        title: What the chart shows, in words (its ``alt`` text begins with it).
        data: The chart's figures as a table (already in the shape a reader can use), under an expander.
        config: Plotly's config; the plotly logo is left out by default.
    """
    st.plotly_chart(figure, key=key, config=config or {"displaylogo": False}, alt=t("chart.alt", title=title))
    # A switch, not an expander: the table is built only when asked for (one click, keyboard-usable).
    if data is not None and st.toggle(t("chart.data_table"), key=f"{key}-table"):
        st.dataframe(data, hide_index=True, width="stretch")


def district_map(info: Indicator, frame: pd.DataFrame, geojson: dict, measure: str, *, key: str) -> None:
    """Draw the choropleth of one indicator and period, with footnotes and a CSV download."""
    shown, decimals = map_frame(info, frame, measure)
    label = measure_label(info, measure)
    hover = {"ci_text": t("footnote.ci")}
    if info.has_rate:
        hover["denominator_text"] = t("footnote.denominator_short")
    figure = charts.choropleth(
        shown,
        geojson,
        value_col="shown",
        label_col="name",
        hover_cols=hover,
        legend_title=label,
        withheld_label=t("map.not_published"),
        decimals=decimals,
    )
    st.plotly_chart(figure, key=key, config={"displaylogo": False})
    footnotes(info, frame)
    download(
        shown[
            ["code", "name", "value", "rate", "lower", "upper", "denominator", "denominator_year", "withheld"]
        ],
        f"{info.code}.csv",
        key=f"{key}-csv",
    )


def city_trend(info: Indicator, series: pd.DataFrame, *, granularity: str, key: str) -> None:
    """Draw the city's series with its interval band, and a CSV download."""
    frame = series.assign(series=t("common.city"))
    figure = charts.trend(
        frame,
        x="period_start",
        y="value",
        series="series",
        lower="lower",
        upper="upper",
        y_title=measure_label(info, "count" if info.additive else "value"),
        band_label=t("footnote.ci"),
    )
    st.plotly_chart(figure, key=key, config={"displaylogo": False})
    download(series, f"{info.code}-{granularity}.csv", key=f"{key}-csv")


def footnotes(info: Indicator, frame: pd.DataFrame) -> None:
    """Source, denominator and its year, and what the interval means."""
    lines = [f"{t('footnote.source')} {info.source}"]
    if info.has_rate and frame["denominator_year"].notna().any():
        year = int(frame["denominator_year"].max())
        lines.append(t("footnote.denominator", kind=denominator_words(info.denominator_kind), year=year))
    lines.append(t("footnote.ci_method"))
    st.caption(" · ".join(lines))


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe.

    Numbers are left alone (a negative number is data, not a formula); only text is touched.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with every text cell and header neutralised (see :func:`neutralise`)."""
    safe = frame.rename(columns=lambda c: neutralise(str(c)))
    texts = [c for c in safe.columns if not pd.api.types.is_numeric_dtype(safe[c])]
    for name in texts:
        column = safe[name]
        if pd.api.types.is_string_dtype(column):
            # Once per distinct cell: codes, names and areas repeat down a column.
            safe[name] = column.map({value: neutralise(value) for value in column.dropna().unique()})
        else:
            safe[name] = column.map(neutralise, na_action="ignore")
    return safe.to_csv(index=False).encode("utf-8")


def download(frame: pd.DataFrame, filename: str, *, key: str) -> None:
    """A button that downloads a table as CSV, safe to open in a spreadsheet."""
    st.download_button(
        t("common.download_csv"),
        csv_bytes(frame),
        file_name=filename,
        mime="text/csv",
        key=key,
    )


def period_label(value: object) -> str:
    """A period label for selectors (2024, 2024-Q3, 2024-07) in the current language."""
    return format_period(str(value))


def indicator_picker(*, kinds: tuple[str, ...] = (), units: tuple[str, ...] = ()) -> str:
    """The URL-backed indicator choice shared by the pages, opening on the first result indicator.

    Args:
        kinds: Offer only these kinds (context / activity / result); all when empty.
        units: Offer only these units; all when empty.

    Returns:
        The chosen indicator's code.
    """
    catalogue = data.catalogue()
    if kinds:
        catalogue = catalogue[catalogue["kind"].isin(kinds)]
    if units:
        catalogue = catalogue[catalogue["unit"].isin(units)]
    names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
    results = catalogue.loc[catalogue["kind"] == "result", "code"]
    return widgets.select(
        t("common.indicator"),
        list(names),
        key="indicator",
        format_func=lambda code: names.get(code, code),
        default=results.iloc[0] if len(results) else None,
    )
