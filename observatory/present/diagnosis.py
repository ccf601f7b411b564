"""The security diagnosis in the shape of a French local security council's (CLSPD) diagnosis.

Three parts: the crime situation (recorded offences by type and by district, their changes and five-year
trends), the feeling of insecurity (survey results with their intervals, and where they diverge from
recorded crime), and the responses in place (actions, partners by sector, activity levels). Each part opens
with a text block staff may rewrite for the year (:data:`BLOCKS`); until they do, the document prints an
automatic first draft written from the figures, and says so.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from observatory.charts.palette import STATE_COLOURS
from observatory.domain import Polarity
from observatory.i18n import format_number, locale_scope, t
from observatory.present import svg
from observatory.present.doc_parts import Context, codes_of, context, district_map, document, headline_cards
from observatory.present.document import (
    Block,
    Document,
    Figure,
    Heading,
    KeyFigures,
    Paragraph,
    Table,
)
from observatory.services import profile_crime, profile_panel, strategy, where
from observatory.stats import compare
from observatory.store import Store, queries

#: The text blocks staff may write, in document order.
BLOCKS = ("introduction", "crime", "feeling", "responses", "conclusions")
KIND = "diagnosis"


def texts(store: Store, year: int) -> dict[str, str]:
    """The staff's text of each block for the year ("" where none is written yet)."""
    found = queries.document_texts(store, KIND, year)
    written = dict(zip(found["block"], found["text"], strict=True))
    return {block: str(written.get(block, "")) for block in BLOCKS}


def _block(written: dict[str, str], block: str, draft: str) -> list[Block]:
    if written.get(block):
        return [Paragraph(written[block])]
    return [Paragraph(draft), Paragraph(t("doc.diagnosis.draft_note"), note=True)]


def _offence_rows(grid: where.Grid, data: profile_panel.ProfileData) -> tuple[tuple[str, ...], ...]:
    city = grid.cells[grid.cells["level"] == 0].set_index("indicator")
    rows = []
    for code in data.offence_codes:
        if code not in city.index:
            continue
        cell = city.loc[code]
        rows.append(
            (
                str(cell["indicator_name"]),
                format_number(float(cell["value"]), decimals=2)
                if pd.notna(cell["value"])
                else format_number(None),
                t(f"verdict.{cell['change_verdict']}"),
                t(f"trends.trend.{cell['trend']}"),
            )
        )
    return tuple(rows)


def _crime(
    store: Store, data: profile_panel.ProfileData, grid: where.Grid, year: int, ctx: Context
) -> list[Block]:
    blocks: list[Block] = []
    rows = _offence_rows(grid, data)
    if rows:
        header = (t("common.indicator"), t("doc.col_value"), t("doc.col_change"), t("doc.col_trend"))
        blocks.append(
            Table(header, rows, caption=t("doc.diagnosis.offences_caption"), widths=(2.4, 1.2, 2.0, 2.0))
        )
    offences = data.offences
    mine = offences[(offences["year"] == year) & (offences["area_code"] != data.city_code)]
    if len(mine):
        names = dict(zip(data.areas["code"], data.areas["name"], strict=True))
        city = offences[(offences["year"] == year) & (offences["area_code"] == data.city_code)]
        reference = float(city["rate"].iloc[0]) if len(city) else float("nan")
        ranked = mine.sort_values("rate", ascending=False).head(25)
        states = _states(ranked, reference)
        bars = [
            svg.Bar(
                names.get(r.area_code, r.area_code),
                float(r.rate),
                float(r.lower),
                float(r.upper),
                state,
                format_number(float(r.rate), decimals=1),
            )
            for r, state in zip(ranked.itertuples(), states, strict=True)
        ]
        title = t("doc.diagnosis.offences_by_district")
        drawn = svg.bars(bars, reference=reference, reference_label=t("common.city"), alt=title)
        blocks.append(
            Figure(drawn, title, t("doc.per_1000_residents"), ctx.source, str(year), ctx.made, alt=title)
        )
        every = dict(zip(mine["area_code"], _states(mine, reference), strict=True))
        fills = {str(code): STATE_COLOURS.get(state, "#FFFFFF") for code, state in every.items()}
        drawn_map = district_map(
            store,
            fills=fills,
            highlight=None,
            title=t("doc.diagnosis.offences_map"),
            unit=t("doc.per_1000_residents"),
            period=str(year),
            ctx=ctx,
            width=0.7,
        )
        if drawn_map is not None:
            blocks.append(drawn_map)
    return blocks


def _states(frame: pd.DataFrame, reference: float) -> list[str]:
    """Each district's offences rate against the city's, by the one benchmark rule (lower is better)."""
    found = compare.benchmark_many(frame["lower"], frame["upper"], reference, Polarity.LOWER_IS_BETTER)
    return [str(v) for v in found]


def _feeling(store: Store, data: profile_panel.ProfileData, year: int) -> list[Block]:
    feeling = profile_crime.feeling_indicator(data.indicators)
    cards = headline_cards(store, codes_of(store, kind="result", unit="percent"))
    blocks: list[Block] = [KeyFigures(tuple(cards))] if cards else [Paragraph(t("doc.diagnosis.no_survey"))]
    if feeling is None:
        return blocks
    diverging = []
    districts = data.areas[data.areas["level"] == 1]
    for area in districts.itertuples():
        found = profile_crime.crime_and_feeling(data, str(area.code), year, span=5)
        if found.diverges:
            diverging.append(f"{area.name} ({found.first_year}–{found.last_year})")
    blocks.append(
        Paragraph(
            t("doc.diagnosis.diverging", districts=", ".join(diverging))
            if diverging
            else t("doc.diagnosis.no_divergence")
        )
    )
    return blocks


def _responses(store: Store) -> list[Block]:
    actions = strategy.all_actions(store)
    partners = strategy.partner_view(store)
    blocks: list[Block] = []
    if len(actions):
        counts = actions["status"].value_counts()
        blocks.append(
            Table(
                (t("strategy.col_status"), t("doc.col_count")),
                tuple((t(f"action_status.{s}"), str(int(n))) for s, n in counts.items()),
                caption=t("doc.diagnosis.actions_caption", count=len(actions)),
                widths=(3.0, 1.0),
                numeric=(False, True),
            )
        )
    if len(partners):
        by_sector = partners.groupby("sector").agg(
            partners=("partner_code", "count"), led=("actions_led", "sum"), joined=("actions_joined", "sum")
        )
        blocks.append(
            Table(
                (t("doc.col_sector"), t("doc.col_partners"), t("doc.col_led"), t("doc.col_joined")),
                tuple(
                    (t(f"sector.{sector}"), str(int(r.partners)), str(int(r.led)), str(int(r.joined)))
                    for sector, r in by_sector.iterrows()
                ),
                widths=(2.0, 1.0, 1.0, 1.0),
                numeric=(False, True, True, True),
            )
        )
    cards = headline_cards(store, codes_of(store, kind="activity"), rate=False)
    if cards:
        blocks.append(KeyFigures(tuple(cards)))
    return blocks


def drafts(
    store: Store, data: profile_panel.ProfileData, grid: where.Grid, year: int, city: str
) -> dict[str, str]:
    """The automatic first draft of each block, written from the figures the document prints."""
    cells = grid.cells[grid.cells["level"] == 0]
    worse = cells.loc[cells["change_state"] == "worse", "indicator_name"].tolist()
    better = cells.loc[cells["change_state"] == "better", "indicator_name"].tolist()
    actions = strategy.all_actions(store)
    partners = strategy.partner_view(store)
    none = t("doc.diagnosis.none")
    return {
        "introduction": t(
            "doc.diagnosis.draft.introduction", city=city, year=year, count=len(data.indicators)
        ),
        "crime": t(
            "doc.diagnosis.draft.crime", worse=", ".join(worse) or none, better=", ".join(better) or none
        ),
        "feeling": t("doc.diagnosis.draft.feeling"),
        "responses": t("doc.diagnosis.draft.responses", actions=len(actions), partners=len(partners)),
        "conclusions": t("doc.diagnosis.draft.conclusions"),
    }


def diagnosis(
    store: Store, *, year: int | None = None, lang: str = "en", now: datetime | None = None
) -> Document:
    """The security diagnosis for ``year`` (default: the latest year with recorded offences)."""
    with locale_scope(lang):
        ctx = context(store, now=now)
        data = profile_panel.load(store)
        known = data.offences["year"].dropna()
        if year is None:
            year = int(known.max()) if len(known) else (now or datetime.now()).year
        grid = where.grid(store)
        written = texts(store, year) if ctx.audience == "internal" else {}
        draft = drafts(store, data, grid, year, ctx.city_name)
        blocks: list[Block] = [
            Heading(t("doc.diagnosis.introduction")),
            *_block(written, "introduction", draft["introduction"]),
        ]
        blocks += [Heading(t("doc.diagnosis.crime")), *_block(written, "crime", draft["crime"])]
        blocks += _crime(store, data, grid, year, ctx)
        blocks += [Heading(t("doc.diagnosis.feeling")), *_block(written, "feeling", draft["feeling"])]
        blocks += _feeling(store, data, year)
        blocks += [Heading(t("doc.diagnosis.responses")), *_block(written, "responses", draft["responses"])]
        blocks += _responses(store)
        blocks += [
            Heading(t("doc.diagnosis.conclusions")),
            *_block(written, "conclusions", draft["conclusions"]),
        ]
        blocks.append(Paragraph(t("doc.method_note"), note=True))
        return document(KIND, t("doc.diagnosis.title", city=ctx.city_name), year, lang, ctx, blocks)
