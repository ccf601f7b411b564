"""Reusable pieces of page: the district map, the city trend, footnotes, CSV downloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from observatory import charts
from observatory.domain import Indicator
from observatory.i18n import (
    denominator_words,
    format_number,
    format_period,
    get_locale,
    locale_scope,
    rate_label,
    t,
)
from observatory.present import downloads, figures, text
from observatory.ui import data, widgets

#: User or file text placed in Markdown as text, and catalogue messages with such values (for pages).
as_text = text.markdown
message = text.message


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
    chart(figure, key=key, title=f"{info.name} — {label}", source=info.source)
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
    chart(figure, key=key, title=info.name, source=info.source)
    download(series, f"{info.code}-{granularity}.csv", key=f"{key}-csv")


def footnotes(info: Indicator, frame: pd.DataFrame) -> None:
    """Source, denominator and its year, and what the interval means."""
    lines = [f"{t('footnote.source')} {text.markdown(info.source)}"]
    if info.has_rate and frame["denominator_year"].notna().any():
        year = int(frame["denominator_year"].max())
        lines.append(t("footnote.denominator", kind=denominator_words(info.denominator_kind), year=year))
    lines.append(t("footnote.ci_method"))
    st.caption(" · ".join(lines))


def download(
    frame: pd.DataFrame,
    filename: str,
    *,
    key: str,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    words: Mapping[str, str] | None = None,
) -> None:
    """Buttons that download a table as CSV and as .xlsx, safe to open in a spreadsheet.

    Written by :mod:`observatory.present.downloads` (the reader's language, the page's rounding, formulas
    neutralised). The files are made when a button is pressed (a callable), for the session that pressed
    it: no file sits at a media address a visitor without the session could fetch. An embedded view
    (``?embed=true``) shows its chart alone, without downloads.
    """
    if st.context.is_embedded:
        return
    lang = get_locale()
    stem = filename.removesuffix(".csv")

    def csv_file() -> bytes:
        with locale_scope(lang):
            return downloads.csv_bytes(frame, headers=headers, decimals=decimals, words=words)

    def xlsx_file() -> bytes:
        with locale_scope(lang):
            return downloads.xlsx_bytes(frame, headers=headers, decimals=decimals, words=words)

    with st.container(horizontal=True):
        file_button(t("common.download_csv"), csv_file, f"{stem}.csv", CSV, key=key)
        file_button(t("common.download_xlsx"), xlsx_file, f"{stem}.xlsx", XLSX, key=f"{key}-xlsx")


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_button(
    label: str, make: Callable[[], bytes], file_name: str, mime: str, *, key: str, **kw: Any
) -> None:
    """The one download button: the file is made by ``make`` when pressed, and only for this session."""
    st.download_button(label, make, file_name=file_name, mime=mime, key=key, on_click="ignore", **kw)


def chart(
    figure: Any,
    *,
    key: str,
    title: str,
    source: str = "",
    data: pd.DataFrame | None = None,
    config: dict | None = None,
    **kw: Any,
) -> Any:
    """The one way a page shows a plotly chart: user text escaped, titled, with its source and date (also in
    its image export), a text alternative, and its figures in a table one click away when given.

    Args:
        figure: The figure (or its dict).
        key: The chart's widget key.
        title: What the chart shows, in words (its title, and the start of its ``alt`` text).
        source: The data's source, printed under the title with the date.
        data: The chart's figures as a table a reader can use, behind a switch.
        config: Plotly config entries added to the stamped ones.
        kw: Passed to ``st.plotly_chart`` (``on_select``, ``selection_mode``…).
    """
    shown = figure if isinstance(figure, go.Figure) else go.Figure(figure, _validate=False)
    stamped = {**figures.stamped(shown, title=title, source=source, made=date.today()), **(config or {})}
    event = st.plotly_chart(shown, key=key, config=stamped, alt=t("chart.alt", title=title), **kw)
    # A switch, not an expander: the table is built only when asked for (one click, keyboard-usable).
    if data is not None and st.toggle(t("chart.data_table"), key=f"{key}-table"):
        st.dataframe(data, hide_index=True, width="stretch")
    return event


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
