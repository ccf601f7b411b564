"""Pieces of the methodology page: the indicator catalogue (filtered, grouped, downloadable), the methods."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

import pandas as pd
import streamlit as st

from observatory.domain import Granularity, IndicatorKind, Polarity, Unit, shown_decimals
from observatory.i18n import (
    denominator_words,
    enum_label,
    format_number,
    format_percent,
    rate_words,
    round_shown,
    t,
)
from observatory.present import downloads, text
from observatory.services import catalogue as service
from observatory.services import open_data, publish
from observatory.store import Store
from observatory.ui import components
from observatory.ui.resources import cached, reader, reads_published, settings

#: Kinds in the order the catalogue groups them; "all" is the filter's first option.
KINDS = tuple(kind.value for kind in IndicatorKind)
ALL = "all"
#: The method sections, in reading order: each has a "methodology.<name>_title" and "_text" key.
METHOD_SECTIONS = (
    "rates",
    "intervals",
    "benchmark",
    "change",
    "trend",
    "progress",
    "impact",
    "contracts",
    "disclosure",
    "releases",
    "recorded_crime",
)
_SEARCHED = ("code", "name", "theme", "description", "source")


@cached()
def catalogue_table() -> pd.DataFrame:
    """Every indicator with what is stored of it (see services.catalogue.indicator_catalogue)."""
    return service.indicator_catalogue(reader())


@cached(max_entries=8)
def method_figures() -> service.MethodFigures:
    """The numbers the method texts quote, from the statistics code."""
    return service.method_figures()


def _fold(text: str) -> str:
    """Lower case without accents, so "violencia" finds "Violência"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def filter_catalogue(frame: pd.DataFrame, kind: str, query: str) -> pd.DataFrame:
    """Rows of one kind ("all" for every kind) whose code, name, theme, definition or source holds every word.

    The search ignores case and accents; rows come grouped by kind (in :data:`KINDS` order), then theme.
    """
    shown = frame if kind == ALL else frame[frame["kind"] == kind]
    words = _fold(query).split()
    if words:
        haystack = shown[list(_SEARCHED)].fillna("").astype(str).agg(" ".join, axis=1).map(_fold)
        shown = shown[[all(word in text for word in words) for text in haystack]]
    rank = {kind: i for i, kind in enumerate(KINDS)}
    order = shown.assign(_rank=shown["kind"].map(rank).fillna(len(KINDS)))
    return order.sort_values(["_rank", "theme", "code"], kind="stable").drop(columns="_rank")


escape = text.markdown


def _label(enum: type[StrEnum], value: object) -> str:
    """The translated word for a stored enum value; an unknown value is shown as stored."""
    try:
        return enum_label(enum(str(value)))
    except ValueError:
        return str(value)


def denominator_text(row: pd.Series) -> str:
    """ "rate per 1,000 dwellings (2016–2025)", or the words for "no denominator"."""
    kind = row["denominator_kind"]
    if not isinstance(kind, str) or not kind:
        return t("methodology.no_denominator")
    text = rate_words(float(row["multiplier"]), kind)
    years = row.get("denominator_years", "")
    return f"{text} ({years})" if years else text


def threshold_text(row: pd.Series) -> str:
    """What disclosure control does to this indicator's counts."""
    if row["unit"] not in (Unit.COUNT.value, Unit.AMOUNT.value):
        return t("methodology.threshold_not_count")
    threshold = int(row["disclosure_threshold"])
    if threshold <= 1:
        return t("methodology.threshold_none")
    return t("methodology.threshold_counts", last=threshold - 1, threshold=threshold)


def stored_text(row: pd.Series) -> str:
    """ "month · 2016–2025 · 20 districts", or the words for "nothing stored"."""
    if not row["granularities"]:
        return t("methodology.nothing_stored")
    parts = [", ".join(_label(Granularity, g) for g in str(row["granularities"]).split(", "))]
    parts.append(str(row["years"]))
    if pd.notna(row["districts"]) and int(row["districts"]) > 0:
        parts.append(t("methodology.stored_districts", count=int(row["districts"])))
    if bool(row["city"]):
        parts.append(t("methodology.stored_city"))
    if pd.notna(row["withheld"]) and int(row["withheld"]) > 0:
        parts.append(t("methodology.withheld_rows", count=format_number(int(row["withheld"]))))
    return " · ".join(parts)


def indicator_markdown(row: pd.Series) -> str:
    """One indicator's entry: name, code, definition, then its facts as a list."""
    facts = [
        (t("methodology.field_unit"), _label(Unit, row["unit"])),
        (t("methodology.field_denominator"), denominator_text(row)),
        (t("methodology.field_polarity"), _label(Polarity, row["polarity"])),
        (t("methodology.field_threshold"), escape(threshold_text(row))),
        (t("methodology.field_stored"), stored_text(row)),
    ]
    if row["series_breaks"]:
        facts.append((t("methodology.field_breaks"), escape(row["series_breaks"])))
    facts.append((t("methodology.field_source"), escape(row["source"]) or "–"))
    head = f"**{escape(row['name'])}** · {text.code_span(row['code'])}"
    definition = escape(row["description"]) if row["description"] else ""
    listed = "\n".join(f"- **{name}:** {value}" for name, value in facts)
    return "\n\n".join(part for part in (head, definition, listed) if part)


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The catalogue with translated words and headers, for reading on screen."""
    rows = [
        {
            t("methodology.field_code"): row["code"],
            t("methodology.field_name"): row["name"],
            t("methodology.field_kind"): _label(IndicatorKind, row["kind"]),
            t("methodology.field_theme"): row["theme"],
            t("methodology.field_unit"): _label(Unit, row["unit"]),
            t("methodology.field_denominator"): denominator_text(row),
            t("methodology.field_polarity"): _label(Polarity, row["polarity"]),
            t("methodology.field_threshold"): threshold_text(row),
            t("methodology.field_stored"): stored_text(row),
            t("methodology.field_definition"): row["description"],
            t("methodology.field_source"): row["source"],
        }
        for _, row in frame.iterrows()
    ]
    return pd.DataFrame(rows)


def render_catalogue(frame: pd.DataFrame) -> None:
    """The shown indicators grouped by kind, then theme, one bordered entry each."""
    for kind, by_kind in frame.groupby("kind", sort=False):
        st.subheader(t(f"methodology.heading_{kind}") if kind in KINDS else str(kind))
        if kind in KINDS:
            st.caption(t(f"methodology.about_{kind}"))
        for theme, by_theme in by_kind.groupby("theme", sort=False):
            st.markdown(f"#### {escape(theme)}")
            for _, row in by_theme.iterrows():
                with st.container(border=True):
                    st.markdown(indicator_markdown(row))


def download_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The catalogue entries as the download holds them: every stored column, the coded ones (kind,
    unit, polarity, denominator, granularities, the city) in the words the page writes them with, the
    multiplier whole as the page writes it ("per 1,000")."""
    out = frame.copy()
    for column, enum in (("kind", IndicatorKind), ("unit", Unit), ("polarity", Polarity)):
        out[column] = [_label(enum, v) for v in out[column]]
    out["denominator_kind"] = [
        denominator_words(k) if isinstance(k, str) and k else "" for k in out["denominator_kind"]
    ]
    out["granularities"] = [
        ", ".join(_label(Granularity, g) for g in str(v).split(", ")) if v else ""
        for v in out["granularities"]
    ]
    out["city"] = [t("trends.yes") if bool(v) else t("trends.no") for v in out["city"]]
    out["multiplier"] = [round_shown(float(v), shown_decimals(Unit.COUNT)) for v in out["multiplier"]]
    return out


def render_downloads(frame: pd.DataFrame) -> None:
    """The table view of the shown indicators and the CSV of their catalogue entries."""
    with st.expander(t("methodology.table_heading")):
        st.dataframe(display_table(frame), hide_index=True, width="stretch")
    components.download(download_table(frame), "indicator-catalogue.csv", key="catalogue-csv")


def method_values(figures: service.MethodFigures) -> dict[str, str]:
    """The figures of the method texts, formatted for the current language."""
    return {
        "byar_from": format_number(figures.byar_from),
        "check_count": format_number(figures.check_count),
        "check_lower": format_number(figures.check_lower, decimals=1),
        "check_upper": format_number(figures.check_upper, decimals=1),
        "wilson_percent": format_percent(figures.wilson_percent, decimals=0),
        "wilson_n": format_number(figures.wilson_n),
        "wilson_lower": format_percent(figures.wilson_lower, decimals=1),
        "wilson_upper": format_percent(figures.wilson_upper, decimals=1),
        "trend_points": format_number(figures.trend_points),
        "trend_chi2": format_number(figures.trend_chi2, decimals=4),
        "on_track": format_number(figures.on_track_from, decimals=2),
        "moderate": format_number(figures.moderate_from, decimals=1),
        "default_threshold": format_number(figures.default_threshold),
    }


def render_methods() -> None:
    """The statistical methods in plain words, with the figures the statistics code uses."""
    st.header(t("methodology.methods_heading"))
    values = method_values(method_figures())
    for section in METHOD_SECTIONS:
        st.subheader(t(f"methodology.{section}_title"))
        st.markdown(t(f"methodology.{section}_text", **values))


@cached(max_entries=2)
def package_files() -> list[open_data.PackageFile] | None:
    """The files of the open-data package written beside the release now read (None when there is none)."""
    return open_data.stored_files(reader(), settings().snapshot_path)


def _open_data_csv(store: Store) -> bytes:
    """The release's values as one CSV, made when its button is pressed. The open-data file is for
    machines as much as people: stored column names, "," and "."."""
    frame = publish.open_data(store)
    return downloads.csv_bytes(frame, lang="en", headers={str(c): str(c) for c in frame.columns})


def render_open_data() -> None:
    """The published release as open data, for the public (signed-in users read unpublished data).

    Nothing is built on a page view: the package was written when the release was published, and both
    downloads are produced only when a visitor presses their button (Streamlit's deferred download).
    """
    if not reads_published():
        return
    published, path = reader(), settings().snapshot_path
    st.header(t("methodology.open_data_heading"))
    st.markdown(t("methodology.open_data_package_text"))
    files = package_files()
    if files:
        size = sum(f.size for f in files)
        tables = sum(1 for f in files if f.path.endswith(".csv"))
        st.caption(
            t("methodology.open_data_contents", tables=tables, size=format_number(size / 1e6, decimals=1))
        )
    st.download_button(
        t("methodology.open_data_package_button"),
        lambda: open_data.package_bytes(published, path),
        file_name="observatory-open-data.zip",
        mime="application/zip",
        key="open-data-zip",
    )
    st.markdown(t("methodology.open_data_text"))
    components.file_button(
        t("methodology.open_data_button"),
        lambda: _open_data_csv(published),
        "observatory-published-values.csv",
        components.CSV,
        key="open-data-csv",
    )
