"""The map page's cached reads and pieces: period and measure selectors, the map, the ranked table.

Reads are cached per (indicator, period) and the figure per (indicator, period, measure, classes,
language), so a rerun that changes nothing recomputes nothing.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from observatory import charts
from observatory.domain import ROLLING_MONTHS, Indicator, TotalBasis
from observatory.i18n import denominator_words, format_month, format_number, format_total, get_locale, t
from observatory.present import rounding
from observatory.present.text import markdown as as_text
from observatory.services import mapview, totals, withheld
from observatory.services.mapview import MapPeriod, PeriodOptions
from observatory.ui import compare, components, data, embed, widgets
from observatory.ui.resources import cached, reader

# Lower / higher than the city for indicators with no better direction: purple and orange (PuOr end
# points), distinguishable in the common colour-vision deficiencies and free of a good/bad reading.
_NEUTRAL_COLOURS = {"lower": "#5e3c99", "higher": "#e66101"}
_NOT_COMPARED_COLOUR = "#bdbdbd"


@cached()
def period_options(code: str) -> PeriodOptions:
    """Calendar years and rolling-year end months of an indicator, newest first."""
    return mapview.period_options(reader(), data.indicator(code))


@cached()
def measures(code: str) -> list[str]:
    """What the map of an indicator can show."""
    return mapview.measures(reader(), data.indicator(code))


@cached()
def table(code: str, period: str) -> pd.DataFrame:
    """Every district's value, interval, base and benchmark for one period."""
    return mapview.district_table(reader(), data.indicator(code), MapPeriod.parse(period))


@cached()
def withheld_reasons(code: str, period: str) -> pd.DataFrame:
    """Why each withheld district of one period is withheld (code, reason, threshold)."""
    parsed = MapPeriod.parse(period)
    if parsed.rolling:
        first, last = parsed.first_month.date(), parsed.last_month.date()
    else:
        first, last = date(parsed.year, 1, 1), date(parsed.year, 12, 31)
    return withheld.reasons(reader(), data.indicator(code), first, last)


@cached()
def figure(code: str, period: str, measure: str, scheme: str, locale: str, versus: str = "city") -> dict:
    """The map figure as a dict; the locale is in the key because its words and numbers are translated.

    A dict, not a Figure: Streamlit names a selectable chart by its JSON, and a Figure rebuilt from
    the cache writes its layout keys in another order than a fresh one, so a click made on the first
    drawing would be addressed to a chart that no longer exists.
    """
    info = data.indicator(code)
    shown = shown_table(code, period, measure, locale, versus)
    return build_figure(info, shown, data.district_geojson(), measure, scheme, versus=versus).to_dict()


@cached()
def shown_table(code: str, period: str, measure: str, locale: str, versus: str = "city") -> pd.DataFrame:
    """The table with the shown measure and its texts in one language (see :func:`hover_frame`); with
    ``versus="peers"`` each district is benchmarked against its similar districts."""
    del locale  # cache key only: the current language is already set for t()
    frame = compare.versus_peers(code, period, versus) if compare.is_peers(versus) else table(code, period)
    return hover_frame(data.indicator(code), frame, measure, withheld_reasons(code, period))


def period_text(period: MapPeriod) -> str:
    """A period in words: "2024", or "12 months to June 2025"."""
    if period.rolling and period.months < ROLLING_MONTHS:
        first, last = format_month(period.first_month.date()), format_month(period.last_month.date())
        return t("overview.months_window", start=first, end=last)
    if period.rolling:
        return t("map.rolling_to", month=format_month(period.last_month.date()))
    return str(period.year)


def measure_text(info: Indicator, measure: str) -> str:
    """What a measure is, with its unit or denominator."""
    if measure == mapview.BENCHMARK:
        return t("measure.benchmark")
    return components.measure_label(info, measure)


def decimals_of(info: Indicator, measure: str) -> int:
    """Decimals a measure is written with (the rule the download shares: present.rounding)."""
    return rounding.measure_decimals(info, measure)


def _interval(lower: float, upper: float, decimals: int) -> str:
    if np.isnan(lower) or np.isnan(upper):
        return format_number(None)
    return f"{format_number(lower, decimals=decimals)} – {format_number(upper, decimals=decimals)}"


def _base(denominator: float, kind: object, year: float) -> str:
    if np.isnan(denominator) or not isinstance(kind, str):
        return format_number(None)
    return f"{format_number(denominator)} {t(f'denominator.{kind}')} ({int(year)})"


def withheld_text(reason: object, threshold: float) -> str:
    """Why a district is not shown, in words ("not published: fewer than 5")."""
    if reason == withheld.SMALL and not np.isnan(threshold):
        return t("map.withheld_small", k=format_number(threshold))
    if reason in withheld.REASONS:
        return t(f"map.withheld_{reason}")
    return t("map.withheld_incomplete")


def hover_frame(
    info: Indicator, frame: pd.DataFrame, measure: str, reasons: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The table with the shown value and the texts of the hover: interval, base, the city; a withheld
    district's text says why it is withheld (``reasons`` from :func:`withheld_reasons`)."""
    value, lower, upper = mapview.shown_columns(info, measure)
    decimals = decimals_of(info, measure)
    shown = frame.assign(shown=frame[value], lower=frame[lower], upper=frame[upper])
    why = (reasons if reasons is not None else pd.DataFrame(columns=["code", "reason"])).set_index("code")
    codes = shown["code"].astype(str)
    whys = [
        withheld_text(r, th)
        for r, th in zip(
            codes.map(why["reason"]), codes.map(why.get("threshold", pd.Series(dtype=float))), strict=True
        )
    ]
    shown["shown_text"] = [
        reason if hidden or np.isnan(v) else format_number(v, decimals=decimals)
        for v, hidden, reason in zip(shown["shown"].astype(float), shown["withheld"], whys, strict=True)
    ]
    shown["withheld_text"] = whys
    shown["ci_text"] = [
        _interval(lo, hi, decimals)
        for lo, hi in zip(shown["lower"].astype(float), shown["upper"].astype(float), strict=True)
    ]
    shown["base_text"] = [
        _base(d, k, y)
        for d, k, y in zip(
            shown["denominator"].astype(float),
            shown["denominator_kind"],
            shown["denominator_year"].astype(float),
            strict=True,
        )
    ]
    peers = "peers" in frame.columns
    shown["city_text"] = reference_texts(frame, decimals) if peers else city_text(frame, decimals)
    shown["benchmark_text"] = [benchmark_word(b, peers=peers) for b in shown["benchmark"]]
    shown["withheld"] = shown["withheld"] | shown["shown"].isna()
    return shown


def denominator_text(kind: str) -> str:
    """The words for a denominator kind."""
    return denominator_words(kind)


def city_text(frame: pd.DataFrame, decimals: int) -> str:
    """The city's figure in words: the number, "between … and …" or "at least …" (the one city-total rule)."""
    if frame.empty:
        return format_number(float("nan"))
    row = frame.iloc[0]
    return format_total(
        row["reference"],
        row["reference_low"],
        row["reference_high"],
        row["reference_basis"],
        decimals=decimals,
    )


def reference_texts(frame: pd.DataFrame, decimals: int) -> list[str]:
    """Each row's own reference in words (similar districts: one reference per district)."""
    return [
        format_total(r.reference, r.reference_low, r.reference_high, r.reference_basis, decimals=decimals)
        for r in frame.itertuples()
    ]


def city_reference(frame: pd.DataFrame) -> float:
    """The city's value (or rate) the districts of a table are compared with; NaN when unknown."""
    return float(frame["reference"].iloc[0]) if len(frame) else float("nan")


def benchmark_word(value: str, *, peers: bool = False) -> str:
    """A benchmark in words ("better than the city", or "… than similar districts"); not compared is
    "not compared"."""
    if value == "not_compared":
        return t("map.not_compared")
    return t(f"peers.benchmark.{value}") if peers else t(f"benchmark.{value}")


def _categories(info: Indicator, *, peers: bool = False) -> dict[str, tuple[str, str]]:
    colours = {**charts.BENCHMARK_COLOURS, **_NEUTRAL_COLOURS}
    keys = ("lower", "similar", "higher") if info.polarity == "neutral" else ("better", "similar", "worse")
    categories = {key: (benchmark_word(key, peers=peers), colours[key]) for key in keys}
    categories["not_compared"] = (benchmark_word("not_compared"), _NOT_COMPARED_COLOUR)
    return categories


def build_figure(
    info: Indicator, shown: pd.DataFrame, geojson: dict, measure: str, scheme: str, *, versus: str = "city"
) -> go.Figure:
    """A classed choropleth of the measure, or the benchmark map with a word for every colour."""
    hover = {"ci_text": t("footnote.ci")}
    if shown["denominator_kind"].notna().any():
        hover["base_text"] = t("footnote.denominator_short")
    if measure == mapview.BENCHMARK:
        basis = mapview.RATE if info.has_rate else mapview.VALUE
        return charts.category_map(
            shown,
            geojson,
            category_col="benchmark",
            categories=_categories(info, peers=compare.is_peers(versus)),
            hover_cols={
                "shown_text": measure_text(info, basis),
                **hover,
                "city_text": t("peers.reference") if compare.is_peers(versus) else t("common.city"),
            },
            legend_title=t("measure.benchmark"),
            withheld_label=t("map.not_published"),
        )
    return charts.choropleth(
        shown,
        geojson,
        value_col="shown",
        label_col="name",
        hover_cols=hover,
        scheme=scheme,
        legend_title=measure_text(info, measure),
        withheld_label=t("map.not_published"),
        unit_label="%" if info.unit == "percent" and measure == mapview.VALUE else "",
        decimals=decimals_of(info, measure),
    )


def choose_period(options: PeriodOptions) -> MapPeriod:
    """Calendar year or rolling 12 months (when the data are monthly), then the period; kept in the URL."""
    windows = [w for w, opts in (("year", options.years), ("rolling", options.months)) if opts]
    if len(windows) > 1:
        wanted = str(st.query_params.get("period", ""))
        window = widgets.select(
            t("map.window"),
            windows,
            key="window",
            radio=True,
            horizontal=True,
            default="rolling" if wanted in options.months else "year",
            format_func=lambda w: t(f"map.window_{w}"),
        )
    else:
        window = windows[0]
    choices = list(options.years if window == "year" else options.months)
    label = widgets.select(
        t("common.period"), choices, key="period", format_func=lambda p: period_text(MapPeriod.parse(p))
    )
    return MapPeriod.parse(label)


def choose_measure(info: Indicator, available: list[str]) -> str:
    """Count, rate, value or benchmark; kept in the URL."""
    return widgets.select(
        t("overview.measure"), available, key="measure", format_func=lambda m: measure_text(info, m)
    )


def choose_scheme() -> str:
    """Quantiles, natural breaks or equal intervals; kept in the URL."""
    return widgets.select(
        t("map.scheme"), list(mapview.SCHEMES), key="scheme", format_func=lambda s: t(f"map.scheme_{s}")
    )


def district_map(
    info: Indicator,
    period: MapPeriod,
    measure: str,
    scheme: str,
    *,
    key: str,
    versus: str = "city",
    layers: list[dict] | None = None,
) -> str | None:
    """Draw the map with its text alternative (and overlay ``layers``: a grouping's outline, highlighted
    districts); return the code of the district tapped, if any. A tap does not leave the page: the
    district's figure is shown in the panel (ui/map_panel.py), which links to its profile; a box or
    lasso selects districts for the funnel plot."""
    spec = figure(info.code, period.label, measure, scheme, get_locale(), versus)
    st.caption(t("map.tap_hint"))
    if embed.active():
        # Embedded, the map is one chart: no tap panel, no selection.
        st.plotly_chart(go.Figure(spec, _validate=False), key=key, config={"displaylogo": False})
        return None
    # Built and checked by the chart builder already; checking the cached copy again on every rerun
    # would cost more than the rest of the page.
    fig = compare.draw(spec, layers or [])
    title = f"{info.name} — {measure_text(info, measure)} · {period.label}"
    event = components.chart(
        fig,
        key=key,
        title=title,
        source=info.source,
        on_select="rerun",
        selection_mode=("points", "box", "lasso"),
    )
    selection = event.selection if event else None
    points = selection.points if selection is not None else []
    codes = sorted({str(p.get("location")) for p in points if p.get("location")})
    # A box or lasso marks districts for the funnel plot. The geo map reports no box or lasso shape,
    # only the districts inside it: more than one district is a box or lasso, one is a tap.
    if selection is not None and (selection.get("box") or selection.get("lasso") or len(codes) > 1):
        if codes and codes != compare.highlighted():
            st.session_state[compare.HIGHLIGHT] = codes
            st.rerun()
        return None
    locations = [list(trace.get("locations") or []) for trace in spec["data"]]
    return mapview.selected_code(points, locations)


def ranked_table(info: Indicator, period: MapPeriod, measure: str, *, key: str, versus: str = "city") -> None:
    """Districts from highest to lowest with interval, base and benchmark; withheld ones last."""
    frame = (
        compare.versus_peers(info.code, period.label, versus)
        if compare.is_peers(versus)
        else table(info.code, period.label)
    )
    shown = shown_table(info.code, period.label, measure, get_locale(), versus)
    shown = shown.sort_values("shown", ascending=False, na_position="last")
    value_label = measure_text(info, mapview.RATE if measure == mapview.BENCHMARK else measure)
    view = pd.DataFrame(
        {
            t("common.district"): shown["name"],
            value_label: shown["shown_text"],
            t("footnote.ci"): shown["ci_text"],
            t("footnote.denominator_short"): shown["base_text"],
            t("measure.benchmark"): shown["benchmark_text"],
        }
    )
    if not info.comparable_with_city:
        view = view.drop(columns=t("measure.benchmark"))
    if frame["denominator_kind"].isna().all():
        view = view.drop(columns=t("footnote.denominator_short"))
    st.dataframe(view, hide_index=True, width="stretch")
    # The CSV carries the numbers behind the table, unformatted, with the flags that explain the gaps.
    components.download(
        frame.assign(period=period.label),
        f"{info.code}-{period.label}.csv",
        key=key,
        decimals=rounding.table_decimals(info, frame.columns, measure=measure),
    )


def footnotes(info: Indicator, period: MapPeriod, measure: str) -> None:
    """Source, the denominator's kind and year, the interval method, and the benchmark rule."""
    frame = table(info.code, period.label)
    lines = [f"{t('footnote.source')} {as_text(info.source)}"]
    kinds = frame["denominator_kind"].dropna()
    if len(kinds) and frame["denominator_year"].notna().any():
        year = int(frame["denominator_year"].max())
        lines.append(t("footnote.denominator", kind=denominator_words(kinds.iloc[0]), year=year))
    if period.rolling:
        lines.append(t("map.rolling_note"))
    lines.append(t("footnote.ci_method"))
    if info.comparable_with_city:
        lines.append(t("map.benchmark_method"))
    st.caption(" · ".join(lines))
    basis = TotalBasis(frame["reference_basis"].iloc[0]) if len(frame) else TotalBasis.UNKNOWN
    if basis in (TotalBasis.BOUNDED, TotalBasis.AT_LEAST):
        st.caption(t("overview.total_basis", basis=t(totals.describe(basis))))
    if measure == mapview.BENCHMARK and (frame.empty or np.isnan(frame["reference_low"].iloc[0])):
        st.warning(t("map.city_missing"))
