"""District profile: cached reads and the pieces of the page.

The store is read once (:func:`profile_data`); each (district, year) is assembled once
(:func:`district_profile`); a rerun with the same selections only draws.
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from observatory.i18n import format_number, get_locale, rate_words, t
from observatory.present import profile_charts as figures
from observatory.present import profile_table as words
from observatory.present.text import markdown as as_text
from observatory.present.text import message
from observatory.services import profile
from observatory.ui import components
from observatory.ui.resources import cached, reader


def _title(view: profile.DistrictProfile, key: str) -> str:
    """A chart's title: the district, what the chart shows and the year."""
    return f"{view.name} — {t(key)} ({view.year})"


KINDS = profile.KIND_ORDER


@cached(max_entries=2, resource=True)
def profile_data() -> profile.ProfileData:
    """Panels, denominators and areas behind every district profile.

    Kept as one shared object, never copied: the services only read it, and as a pickled copy it cost
    every new district an unpickling (0.08 s and a transient 200 MB at 1,000 districts).
    """
    return profile.load(reader())


@cached(max_entries=2)
def district_names() -> dict[str, str]:
    """District code → name, in code order."""
    frame = profile.districts(profile_data())
    return dict(zip(frame["code"].astype(str), frame["name"].astype(str), strict=True))


@cached(max_entries=2)
def year_options() -> tuple[list[int], int | None]:
    """Years with district data (newest first) and the latest year complete for every indicator."""
    return profile.years(profile_data())


@cached()
def district_profile(district: str, year: int) -> profile.DistrictProfile:
    """The assembled profile of one district and year."""
    return profile.district_profile(profile_data(), district, year)


@cached(max_entries=1)
def _data_version() -> str:
    """A token renewed whenever cached data is cleared (after an import) or expires."""
    return uuid.uuid4().hex


@cached(resource=True)
def _figures(version: str, district: str, year: int, locale: str) -> dict[str, go.Figure]:
    """The page's figures, built once per data version, selection and language.

    Building a plotly figure with its template costs far more than drawing it, and a cached
    figure is only read (Streamlit serialises a copy), so figures are kept as shared resources
    keyed by the data version rather than pickled.
    """
    del version, locale  # cache keys only: the current language is already set for t()
    view = district_profile(district, year)
    built = {"crime": _crime_figure(view)}
    for kind in KINDS:
        compared = _compared(view, kind)
        if len(compared):
            built[f"spine-{kind}"] = figures.spine_figure(compared, district=view.name)
    panels = _trend_panels(view)
    if panels:
        trends = view.trends.rename(columns={"shown": "value"})
        built["trends"] = figures.small_multiples(trends, panels, panel="code", labels=_labels(view))
    return built


@cached()
def _tables(district: str, year: int, locale: str) -> dict[str, pd.DataFrame]:
    """The formatted table of each kind, in one language."""
    del locale  # cache key only
    view = district_profile(district, year)
    return {
        kind: words.display_table(view.table[view.table["kind"] == kind], view.year)
        for kind in KINDS
        if (view.table["kind"] == kind).any()
    }


def _page_figures(view: profile.DistrictProfile) -> dict[str, go.Figure]:
    return _figures(_data_version(), view.code, view.year, get_locale())


def _labels(view: profile.DistrictProfile) -> dict[str, str]:
    return {"district": view.name, "city": t("common.city")}


def _compared(view: profile.DistrictProfile, kind: str) -> pd.DataFrame:
    rows = view.table[view.table["kind"] == kind]
    return rows[rows["comparable"] & rows["city"].notna()]


def context_metrics(view: profile.DistrictProfile) -> None:
    """Residents, dwellings, area and density as four figures in a row."""
    ctx = view.context
    cells = st.columns(4)
    cells[0].metric(t("profile.residents", year=ctx.residents_year or "–"), format_number(ctx.residents))
    cells[1].metric(t("profile.dwellings", year=ctx.dwellings_year or "–"), format_number(ctx.dwellings))
    cells[2].metric(t("profile.area"), format_number(ctx.area_km2, decimals=2))
    cells[3].metric(t("profile.density"), format_number(ctx.density))


def _change_row(change: Any) -> dict[str, Any]:
    """The fields of a stats Change that :func:`profile_table.change_text` reads."""
    return {
        "change": change.estimate,
        "change_measure": change.measure.value,
        "change_lower": change.lower,
        "change_upper": change.upper,
    }


def _feeling_name(view: profile.DistrictProfile) -> str:
    rows = view.table[view.table["code"] == view.crime.feeling_code]
    return str(rows["name"].iloc[0]) if len(rows) else ""


def _crime_panels(view: profile.DistrictProfile) -> list[tuple[str, str, str]]:
    panels = [
        (
            "offences",
            t("profile.offences_rate"),
            rate_words(1000, "residents"),
        )
    ]
    if (view.crime.series["measure"] == "feeling").any():
        panels.append(("feeling", _feeling_name(view), t("unit.percent")))
    return panels


def _crime_words(view: profile.DistrictProfile) -> None:
    crime = view.crime
    if crime.first_year is None:
        st.caption(t("profile.no_comparison"))
        return
    span = {"first": crime.first_year, "last": crime.last_year}
    lines = (
        (t("profile.offences_rate"), crime.offences_change, crime.offences_verdict),
        (_feeling_name(view), crime.feeling_change, crime.feeling_verdict),
    )
    for label, change, verdict in lines:
        text = words.change_text(_change_row(change))
        st.markdown(
            message(
                "profile.change_line",
                indicator=label,
                change=text,
                verdict=words.verdict_text(verdict),
                **span,
            )
        )
    if crime.diverges:
        st.warning(t("profile.diverge", **span), icon=":material/call_split:")
    else:
        st.caption(t("profile.no_divergence", **span))


def _crime_figure(view: profile.DistrictProfile) -> go.Figure:
    return figures.small_multiples(
        view.crime.series,
        _crime_panels(view),
        panel="measure",
        labels=_labels(view),
        columns=2,
        panel_height=300,
    )


def crime_section(view: profile.DistrictProfile) -> None:
    """Recorded offences beside felt insecurity, their trends, changes and the divergence flag.

    Offences are a rate per 1,000 residents: without residents (and with no survey) there is nothing
    to draw, and the section is left out rather than shown empty under a wrong label.
    """
    if not view.crime.series["value"].notna().any():
        return
    st.subheader(t("profile.crime_heading"))
    # The chart's table and the download hold the figures as the profile writes them, the measure
    # named as the chart's panels and the area in words.
    names = {"offences": t("profile.offences_rate"), "feeling": _feeling_name(view)}
    series = words.rounded_crime(view.crime.series)
    series["measure"] = [names.get(str(m), str(m)) for m in series["measure"]]
    components.chart(
        _page_figures(view)["crime"],
        key="profile-crime",
        title=_title(view, "profile.crime_heading"),
        data=series,
    )
    _crime_words(view)
    components.download(
        series,
        f"crime-feeling-{view.code}-{view.year}.csv",
        key="profile-crime-csv",
        words={"area": "common"},
    )


def kind_section(view: profile.DistrictProfile, kind: str) -> None:
    """The spine chart and the table of one kind of indicator."""
    tables = _tables(view.code, view.year, get_locale())
    if kind not in tables:
        return
    st.subheader(t(f"profile.section_{kind}"))
    spine = _page_figures(view).get(f"spine-{kind}")
    if spine is not None:
        # Its figures are the table right below it.
        components.chart(spine, key=f"profile-spine-{kind}", title=_title(view, f"profile.section_{kind}"))
    rows = view.table[view.table["kind"] == kind]
    apart = rows.loc[~rows["comparable"], "name"]
    if len(apart):
        st.caption(message("profile.not_comparable", names=", ".join(apart)))
    st.dataframe(tables[kind], hide_index=True, width="stretch")


def _y_title(row: pd.Series) -> str:
    if words.has_denominator(row):
        return rate_words(float(row["multiplier"]), str(row["denominator_kind"]))
    return t(f"unit.{row['unit']}")


def _trend_panels(view: profile.DistrictProfile) -> list[tuple[str, str, str]]:
    results = view.table[view.table["kind"] == "result"]
    return [(row["code"], row["name"], _y_title(row)) for _, row in results.iterrows()]


def trends_section(view: profile.DistrictProfile) -> None:
    """Small yearly trend lines of every result indicator, the district against the city."""
    figure = _page_figures(view).get("trends")
    if figure is None:
        return
    st.subheader(t("profile.trends_heading", years=view.trends["year"].nunique()))
    heading = t("profile.trends_heading", years=view.trends["year"].nunique())
    trends = words.rounded_trends(view.trends, view.table)
    components.chart(
        figure,
        key="profile-trends",
        title=f"{view.name} — {heading} ({view.year})",
        data=trends,
    )
    st.caption(t("profile.trends_caption"))
    components.download(
        trends,
        f"trends-{view.code}-{view.year}.csv",
        key="profile-trends-csv",
        words={"area": "common"},
    )


def table_download(view: profile.DistrictProfile) -> None:
    """The whole profile table (raw numbers) as CSV."""
    frame = words.rounded(view.table[[c for c in words.CSV_COLUMNS if c in view.table.columns]])
    if "benchmark" in frame.columns:
        frame["benchmark"] = [words.benchmark_text(str(b)) for b in frame["benchmark"]]
    components.download(
        frame.assign(district=view.code),
        f"profile-{view.code}-{view.year}.csv",
        key="profile-table-csv",
        words=words.WORDS,
    )


def footnotes(view: profile.DistrictProfile) -> None:
    """Sources, denominators, intervals, benchmark and change methods, and what the offences total holds."""
    sources = sorted({str(s) for s in view.table["source"] if s})
    offences = view.table.loc[view.table["code"].isin(view.crime.offence_codes), "name"]
    lines = [
        f"{t('footnote.source')} {as_text('; '.join(sources))}",
        t("profile.footnote_denominators"),
        t("footnote.ci_method"),
        t("profile.footnote_benchmark"),
        t("profile.footnote_change"),
        message("profile.offences_rule", names=", ".join(offences)),
    ]
    for line in lines:
        st.caption(line)
