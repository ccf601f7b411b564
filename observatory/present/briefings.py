"""The district briefing (1–2 pages) and the city briefing (2–4 pages), from the pages' own services.

The district briefing prints the profile page's table (:func:`profile_table.display_table` of
:func:`services.profile.district_profile`), the map with the district outlined and every district named,
recorded crime beside felt insecurity, and the objectives set for the district; made for an area
grouping (:func:`group_briefing`), the grouping's profile table and its union outlined on the map. The
city briefing prints
the overview's headline cards (:mod:`observatory.present.headline_text`), the "what changed, where" grid
(:func:`services.where.grid`) and the objectives by status.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pandas as pd

from observatory.charts.palette import STATE_SYMBOLS
from observatory.domain import NotFound
from observatory.i18n import format_number, format_percent, locale_scope, t
from observatory.present import group_table, profile_table, svg, where_view
from observatory.present.doc_parts import (
    Context,
    codes_of,
    context,
    district_map,
    document,
    headline_cards,
    state_legend,
)
from observatory.present.document import (
    Block,
    Document,
    Figure,
    Heading,
    KeyFigure,
    KeyFigures,
    PageBreak,
    Paragraph,
    Table,
)
from observatory.present.strategy_text import status_label, status_note
from observatory.services import group_profile, groups, profile, profile_panel, strategy, views, where
from observatory.store import Store, queries

#: Columns of the grid a city briefing prints: the city and the districts that moved most.
GRID_AREAS = 8


def _profile_blocks(found: profile.DistrictProfile) -> list[Block]:
    table = found.table
    if table.empty:
        return [Paragraph(t("doc.no_data"))]
    shown = profile_table.display_table(table, found.year)
    keep = [c for c in shown.columns if c != t("profile.col_theme")]
    rows = tuple(tuple(str(v) for v in row) for row in shown[keep].itertuples(index=False))
    return [
        Heading(t("doc.district.indicators")),
        Table(
            tuple(keep),
            rows,
            caption=t("doc.district.table_caption", year=found.year),
            widths=(2.2, 1.0, 2.2, 1.3, 1.2, 1.1, 1.5, 1.6),
        ),
    ]


def _crime_figure(found: profile.DistrictProfile, ctx: Context) -> list[Block]:
    crime = found.crime
    blocks: list[Block] = [Heading(t("profile.crime_heading"))]
    series = crime.series
    if series.empty:
        return [*blocks, Paragraph(t("profile.no_comparison"))]
    names = {"district": found.name, "city": ctx.city_name or t("common.city")}
    for measure, title, unit in (
        ("offences", t("profile.offences_rate"), t("doc.per_1000_residents")),
        ("feeling", t("doc.feeling_title"), "%"),
    ):
        part = series[series["measure"] == measure]
        if part.empty:
            continue
        lines = [
            svg.Series(
                names[area],
                tuple(
                    (int(r.year), float(r.value), float(r.lower), float(r.upper))
                    for r in part[part["area"] == area].sort_values("year").itertuples()
                ),
            )
            for area in ("district", "city")
        ]
        drawn = svg.lines(lines, alt=title, height=140, tick=lambda v: format_number(v, decimals=1))
        years = part["year"]
        period = f"{int(years.min())}–{int(years.max())}"
        blocks.append(Figure(drawn, title, unit, ctx.source, period, ctx.made, alt=title, width=0.8))
    if crime.first_year is not None:
        key = "profile.diverge" if crime.diverges else "profile.no_divergence"
        blocks.append(Paragraph(t(key, first=crime.first_year, last=crime.last_year)))
    return blocks


def objective_rows(table: pd.DataFrame) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Objectives as printed: code and title, indicator and area, baseline, target, now, status and why."""
    header = (
        t("doc.col_objective"),
        t("common.indicator"),
        t("common.baseline"),
        t("common.target"),
        t("doc.col_current"),
        t("doc.col_status"),
    )
    rows = []
    for _, row in table.iterrows():
        unit = str(row["unit"])
        rows.append(
            (
                f"{row['code']} · {row['title']}",
                f"{row['indicator_name']} — {row['area_name']}",
                f"{_value(unit, row['baseline_value'])} ({row['baseline_year']})",
                f"{_value(unit, row['target_value'])} ({row['target_year']})",
                _current(unit, row),
                f"{status_label(str(row['status']))} — {status_note(row)}",
            )
        )
    return header, tuple(rows)


def _value(unit: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return format_number(None)
    return format_percent(float(value)) if unit == "percent" else format_number(float(value), decimals=0)


def _current(unit: str, row: pd.Series) -> str:
    if pd.isna(row["current_value"]):
        return t("doc.no_current")
    text = f"{_value(unit, row['current_value'])} ({row['current_year']:.0f})"
    if pd.notna(row["current_lower"]) and pd.notna(row["current_upper"]):
        text += " " + t(
            "doc.ci", low=_value(unit, row["current_lower"]), high=_value(unit, row["current_upper"])
        )
    return text


def district_briefing(
    store: Store, code: str, *, year: int | None = None, lang: str = "en", now: datetime | None = None
) -> Document:
    """One district in one year (the latest with data when ``year`` is None).

    Raises:
        NotFound: If ``code`` is not a district.
    """
    with locale_scope(lang):
        ctx = context(store, now=now)
        data = profile_panel.load(store)
        _, latest = profile.years(data)
        chosen = year if year is not None else latest
        if chosen is None:
            raise NotFound("no complete year of district data yet (the profile has none either)")
        found = profile.district_profile(data, code, int(chosen))
        blocks: list[Block] = []
        people = found.context
        if not math.isnan(people.residents):
            blocks.append(
                Paragraph(
                    t(
                        "doc.district.context",
                        residents=format_number(people.residents),
                        year=people.residents_year or "",
                        density=format_number(people.density),
                    )
                )
            )
        drawn = district_map(
            store,
            fills={code: "#F0E442"},
            highlight=code,
            around=code,
            title=t("doc.district.map_title", name=found.name),
            unit="",
            period=str(found.year),
            ctx=ctx,
            width=0.55,
        )
        if drawn is not None:
            blocks.append(drawn)
        blocks += _profile_blocks(found)
        blocks += _crime_figure(found, ctx)
        blocks += _area_objectives(store, code)
        blocks.append(Paragraph(t("doc.method_note"), note=True))
        return document("district", t("doc.district.title", name=found.name), found.year, lang, ctx, blocks)


def group_briefing(
    store: Store, code: str, *, year: int | None = None, lang: str = "en", now: datetime | None = None
) -> Document:
    """The district briefing made for an area grouping: its districts, the map with their union outlined,
    every indicator that adds up summed over them beside the city (:func:`group_profile.group_profile`,
    the profile page's table), and the objectives set for the grouping.

    Raises:
        NotFound: If ``code`` is not a grouping, or there is no complete year of district data.
    """
    with locale_scope(lang):
        listed = groups.list_groups(store).set_index("code")
        if code not in listed.index:
            raise NotFound(f"no district or grouping {code!r}")
        ctx = context(store, now=now)
        _, latest = profile.years(profile_panel.load(store))
        chosen = year if year is not None else latest
        if chosen is None:
            raise NotFound("no complete year of district data yet (the profile has none either)")
        name = str(listed.at[code, "name"])
        members = [str(m) for m in listed.at[code, "member_codes"]]
        areas = queries.areas(store, level=1)
        names = dict(zip(areas["code"].astype(str), areas["name"].astype(str), strict=True))
        blocks: list[Block] = [
            Paragraph(t("profile.group_heading", group=name, members=len(members))),
            Paragraph(t("profile.group_members", districts=", ".join(names.get(m, m) for m in members))),
        ]
        drawn = district_map(
            store,
            fills=dict.fromkeys(members, "#F0E442"),
            highlight=code,
            title=t("doc.district.map_title", name=name),
            unit="",
            period=str(chosen),
            ctx=ctx,
            width=0.55,
            outline=groups.outline(store, code),
        )
        if drawn is not None:
            blocks.append(drawn)
        frame = group_profile.group_profile(store, code, int(chosen))
        blocks.append(Heading(t("doc.district.indicators")))
        if frame.empty:
            blocks.append(Paragraph(t("doc.no_data")))
        else:
            infos = {str(c): views.indicator(store, str(c)) for c in frame["indicator_code"]}
            shown = group_table.display_table(frame, infos)
            rows = tuple(tuple(str(v) for v in row) for row in shown.itertuples(index=False))
            blocks.append(
                Table(
                    tuple(shown.columns),
                    rows,
                    caption=t("doc.district.table_caption", year=chosen),
                    widths=(2.2, 1.6, 1.6, 1.6, 1.4, 1.3, 1.8),
                )
            )
            blocks.append(Paragraph(t("groups.method"), note=True))
        blocks += _area_objectives(store, code)
        blocks.append(Paragraph(t("doc.method_note"), note=True))
        return document("district", t("doc.district.title", name=name), chosen, lang, ctx, blocks)


def _cards(store: Store) -> list[KeyFigure]:
    """The overview's cards: every result indicator (every indicator when the city keeps no result one)."""
    results = codes_of(store, kind="result")
    return headline_cards(store, results or [str(c) for c in views.catalogue(store)["code"]])


def grid_table(grid: where.Grid, *, lens: str = "change", columns: int = GRID_AREAS) -> Table:
    """The grid as coloured cells: indicators down, the city and the districts that moved most across.

    Each cell holds the state's symbol, so it reads without colour; the lens picks the verdict shown.
    """
    cells = grid.cells
    order = list(dict.fromkeys(cells["area_code"]))
    city = cells.loc[cells["level"] == 0, "area_code"].unique().tolist()
    moved = cells[cells[f"{lens}_state"].isin(("better", "worse", "higher", "lower"))]
    ranked = moved["area_code"].value_counts()
    districts = [a for a in ranked.index if a not in city] + [
        a for a in order if a not in city and a not in ranked.index
    ]
    # Against the city, the city itself is the reference: its column would say nothing.
    first = [] if lens == "benchmark" else city
    areas = first + districts[: max(columns - len(first), 0)]
    names = dict(zip(cells["area_code"], cells["area_name"], strict=False))
    header = (t("common.indicator"), *(names[a] for a in areas))
    rows, states = [], []
    for _, part in cells.groupby("indicator", sort=False):
        by_area = part.set_index("area_code")
        row, state = [str(part["indicator_name"].iloc[0])], [""]
        for area in areas:
            value = str(by_area.at[area, f"{lens}_state"]) if area in by_area.index else "not_comparable"
            row.append(STATE_SYMBOLS[value])
            state.append(value)
        rows.append(tuple(row))
        states.append(tuple(state))
    return Table(
        header,
        tuple(rows),
        caption=t(f"doc.grid_caption.{lens}"),
        widths=(2.6, *([1.0] * len(areas))),
        states=tuple(states),
    )


def city_briefing(store: Store, *, lang: str = "en", now: datetime | None = None) -> Document:
    """The city at a glance: headline cards, the grid of what changed where, the objectives by status."""
    with locale_scope(lang):
        ctx = context(store, now=now)
        blocks: list[Block] = [Heading(t("doc.city.headlines"))]
        cards = _cards(store)
        blocks.append(KeyFigures(tuple(cards)) if cards else Paragraph(t("doc.no_data")))
        grid = where.grid(store)
        blocks.append(Heading(t("where.heading")))
        if grid.cells.empty:
            blocks.append(Paragraph(t("doc.no_data")))
        else:
            blocks += [
                Paragraph(t("where.intro")),
                grid_table(grid, lens="change"),
                grid_table(grid, lens="benchmark"),
            ]
            blocks.append(state_legend())
            blocks += [Paragraph(line) for line in where_view.disagreements(grid)]
        table = strategy.objective_table(store)
        blocks += [PageBreak(), Heading(t("doc.city.objectives"))]
        if table.empty:
            blocks.append(Paragraph(t("doc.district.no_objectives")))
        else:
            counts = strategy.status_counts(table)
            blocks.append(
                Table(
                    (t("doc.col_status"), t("doc.col_count")),
                    tuple(
                        (status_label(s), str(n))
                        for s, n in zip(counts["status"], counts["count"], strict=True)
                    ),
                    widths=(3.0, 1.0),
                    numeric=(False, True),
                )
            )
            header, rows = objective_rows(table.sort_values(["status", "code"]))
            blocks.append(Table(header, rows, widths=(2.2, 1.8, 1.1, 1.1, 1.6, 2.4)))
        blocks.append(Paragraph(t("doc.method_note"), note=True))
        return document(
            "city", t("doc.city.title", city=ctx.city_name), headline_period(cards), lang, ctx, blocks
        )


def headline_period(cards: list[KeyFigure]) -> str:
    """The period most cards show (their last line)."""
    if not cards:
        return ""
    periods = pd.Series([card.lines[-1] for card in cards if card.lines])
    return str(periods.mode().iloc[0]) if len(periods) else ""


def _area_objectives(store: Store, code: str) -> list[Block]:
    """The objectives set on one area (a district or a grouping), under their heading."""
    objectives = strategy.objective_table(store)
    mine = objectives[objectives["area_code"] == code]
    if mine.empty:
        return [Heading(t("doc.district.objectives")), Paragraph(t("doc.district.no_objectives"))]
    header, rows = objective_rows(mine)
    return [Heading(t("doc.district.objectives")), Table(header, rows, widths=(2.2, 1.8, 1.1, 1.1, 1.6, 2.4))]
