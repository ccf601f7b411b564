"""Overview page: cached headline figures, movers and their rendering."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory import charts
from observatory.domain import Unit, shown_decimals
from observatory.i18n import (
    format_number,
    format_percent,
    t,
)
from observatory.present import headline_text as words
from observatory.present import rounding, where_view
from observatory.present.strategy_text import status_label
from observatory.present.text import markdown as escape
from observatory.services import headlines, totals, views, where
from observatory.ui import components, widgets
from observatory.ui import strategy as strategy_ui
from observatory.ui.components import download
from observatory.ui.resources import cached, reader, settings


@cached()
def result_headlines() -> list[headlines.Headline]:
    """City headlines of every result indicator (those with comparable periods)."""
    catalogue = views.catalogue(reader())
    results = catalogue.loc[catalogue["kind"] == "result", "code"]
    # A city that keeps no result indicator yet still gets its latest figures on the landing page.
    codes = results if len(results) else catalogue["code"]
    found = [headlines.city_headline(reader(), code, settings().city_code) for code in codes]
    return [h for h in found if h is not None]


@cached()
def movers(code: str) -> pd.DataFrame:
    """Districts that moved beyond chance for one indicator."""
    return headlines.movers(reader(), code, limit=6)


def headline_card(h: headlines.Headline, main: headlines.Window) -> None:
    """One bordered card: value, rate with interval and denominator, and the change in words; its own
    period when it is not the page's ``main`` one. The name is the catalogue's text, shown as text."""
    with st.container(border=True):
        st.markdown(f"**{escape(h.name)}**")
        # Large text, not a heading: a heading level here would come before the page's h2 sections.
        st.container(key=f"figure-{h.code}").markdown(words.value_text(h))
        st.caption(words.rate_text(h) or " ")
        st.markdown(words.change_text(h))
        if words.basis_text(h):
            st.caption(words.basis_text(h))
        if h.window.label != main.label:
            # This indicator's latest period is not the page's (another source, another rhythm).
            st.caption(words.window_text(h.window))


def period_note(cards: list[headlines.Headline]) -> str:
    """The sentence naming the period most cards show."""
    return t("overview.period_note", window=words.window_text(words.main_window(cards)))


def headline_grid(cards: list[headlines.Headline], *, columns: int = 3) -> None:
    """Cards in rows of ``columns``."""
    main = words.main_window(cards)
    for start in range(0, len(cards), columns):
        for column, card in zip(st.columns(columns), cards[start : start + columns], strict=False):
            with column:
                headline_card(card, main)


def movers_table(frame: pd.DataFrame, filename: str) -> None:
    """Significant moves, with the words that say which way and whether it is better or worse."""
    if frame.empty:
        st.info(t("overview.no_movers"))
        return
    written = rounding.movers_download(frame)
    places = shown_decimals(Unit.PERCENT, change=True)
    shown = pd.DataFrame(
        {
            t("common.district"): written["name"],
            t("overview.col_previous"): written["previous"].map(format_number),
            t("overview.col_latest"): written["latest"].map(format_number),
            t("overview.col_change"): [format_percent(p, decimals=places) for p in written["change_percent"]],
            t("footnote.ci"): [
                f"{format_percent(lo, decimals=places)} – {format_percent(hi, decimals=places)}"
                for lo, hi in zip(
                    written["change_percent_lower"], written["change_percent_upper"], strict=True
                )
            ],
            t("overview.col_verdict"): [t(f"verdict.{v}") for v in written["verdict"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    download(written, filename, key="movers-csv", words={"verdict": "verdict"})


def strategy_at_a_glance() -> None:
    """Objectives counted by status, then each objective's status in symbol and words."""
    table = strategy_ui.objectives()
    strategy_ui.status_overview(table)
    lines = [
        f"- {status_label(str(row.status))} — **{escape(row.code)}** {escape(row.title)}"
        for row in table.sort_values(["status", "code"]).itertuples()
    ]
    st.markdown("\n".join(lines))
    st.page_link("pages/strategy.py", label=t("overview.strategy_link"), icon=":material/flag:")


@cached()
def where_grid() -> where.Grid:
    """Every indicator × the city, every district and every area grouping, with the verdicts of the map
    and trends pages."""
    return where.grid(reader(), with_groups=True)


def _open_trend(key: str) -> None:
    """On a click in the grid: hand the indicator and the district to the Trends page, then go there."""
    state = st.session_state.get(key)
    points = state.selection.points if state is not None else []
    found = where_view.clicked(list(points))
    if found is None:
        return
    indicator, area = found
    cells = where_grid().cells
    grouped = set(cells.loc[cells["level"] == where.GROUP_LEVEL, "area_code"])
    st.session_state["indicator"] = indicator
    st.session_state["districts"] = [] if area == totals.city_code(reader()) or area in grouped else [area]
    st.session_state["groups"] = [area] if area in grouped else []
    st.session_state["_open_trend"] = True


def _areas_shown(cells: pd.DataFrame, *, key: str) -> tuple[pd.DataFrame, str]:
    """The cells of the city and of the districts, the groupings or both, as chosen (no choice without
    groupings), and the choice."""
    if not (cells["level"] == where.GROUP_LEVEL).any():
        return cells, "districts"
    show = widgets.select(
        t("where.show"),
        list(where_view.SHOW),
        key=f"{key}_show",
        radio=True,
        horizontal=True,
        format_func=lambda v: t(f"where.show.{v}"),
    )
    return cells[cells["level"].isin(where_view.SHOW[show])], show


def where_section(*, key: str = "where") -> None:
    """The grid of what changed where: a lens, the areas shown, the heatmap and the disagreements."""
    grid = where_grid()
    if grid.cells.empty:
        st.info(t("map.no_data"))
        return
    if st.session_state.pop("_open_trend", False):
        st.switch_page("pages/trends.py")
    lens = widgets.select(
        t("where.lens"),
        list(where.LENSES),
        key="lens",
        radio=True,
        horizontal=True,
        format_func=lambda v: t(f"where.lens.{v}"),
    )
    cells, show = _areas_shown(grid.cells, key=key)
    words = "" if show == "districts" else "_any"
    names = dict(zip(cells["area_code"], cells["area_name"], strict=False))
    districts = list(dict.fromkeys(cells.loc[cells["level"] != 0, "area_code"]))
    wanted = widgets.multiselect(
        t(f"where.areas{words}"),
        districts,
        key="where_areas",
        format_func=lambda c: str(names.get(c, c)),
        placeholder=t(f"where.areas_placeholder{words}"),
    )
    shown = where_view.view(where.Grid(cells, grid.disagreements), lens, wanted or None)
    figure = charts.state_grid(
        shown.rows,
        shown.columns,
        shown.states,
        shown.hovers,
        row_ids=shown.row_ids,
        column_ids=shown.column_ids,
        title=t("where.title." + lens),
    )
    components.chart(
        figure,
        key=key,
        title=t("where.title." + lens),
        on_select=lambda: _open_trend(key),
        selection_mode="points",
        width="stretch",
    )
    legend = " · ".join(t(f"where.state.{state}") for state in where.STATES)
    st.caption(legend)
    if shown.hidden_areas:
        st.caption(t(f"where.hidden{words}", count=shown.hidden_areas))
    st.caption(t("where.click"))
    for line in where_view.disagreements(grid):
        st.markdown(f"- {escape(line)}")
    download(
        where_view.rounded(grid.cells),
        "what-changed-where.csv",
        key=f"{key}-csv",
        words=where_view.WORDS,
    )
