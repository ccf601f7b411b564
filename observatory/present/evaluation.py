"""The yearly evaluation of the strategy: per axis and objective, the numbers and the words side by side.

For each objective: baseline, target and deadline, the current value with its 95% interval, the status
and why (:func:`services.strategy.objective_table`, the strategy page's table), the change since the
baseline and whether it is beyond chance, the trajectory with the target drawn, the actions with their
partners and status, and the year's written assessment. Activity indicators follow, with the city's
figures and change (the overview's headlines). The impact estimates of the objective's actions
(:func:`services.impact.estimates`, the strategy page's) are printed with their verdicts in words.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from observatory.i18n import format_date, format_number, locale_scope, t
from observatory.present import svg
from observatory.present.briefings import objective_rows
from observatory.present.doc_parts import codes_of, context, document, headline_cards
from observatory.present.document import (
    Block,
    Document,
    Figure,
    Heading,
    KeyFigures,
    Paragraph,
    Table,
)
from observatory.present.strategy_text import actions_table, change_text
from observatory.services import impact, strategy, views
from observatory.store import Store


def _trajectory(store: Store, row: pd.Series, source: str, made: str) -> Figure | None:
    frame = strategy.objective_trajectory(store, str(row["code"]))
    if frame.empty:
        return None
    unit = str(row["unit"])
    line = svg.Series(
        str(row["area_name"]),
        tuple((int(r.year), float(r.value), float(r.lower), float(r.upper)) for r in frame.itertuples()),
    )
    target = (int(row["target_year"]), float(row["target_value"])) if pd.notna(row["target_value"]) else None
    title = f"{row['code']} · {row['indicator_name']}"
    label = (
        t(
            "doc.target_label",
            value=format_number(float(row["target_value"]), decimals=1),
            year=row["target_year"],
        )
        if target
        else ""
    )
    drawn = svg.lines(
        [line],
        target=target,
        target_label=label,
        alt=title,
        height=130,
        tick=lambda v: format_number(v, decimals=1),
    )
    years = frame["year"]
    period = f"{int(years.min())}–{int(years.max())}"
    unit_words = "%" if unit == "percent" else t(f"unit.{unit}")
    return Figure(drawn, title, unit_words, source, period, made, alt=title, width=0.75)


def _assessment(notes: pd.DataFrame, code: str, year: int, *, public: bool) -> list[Block]:
    mine = notes[(notes["objective_code"] == code) & (notes["year"] <= year)] if len(notes) else notes
    if mine.empty:
        return [Paragraph(t("doc.evaluation.no_assessment"), note=True)]
    latest = mine.sort_values(["year", "created_at"], ascending=False).iloc[0]
    heading = t("doc.evaluation.assessment", year=int(latest["year"]))
    if not public:
        heading += " — " + t(
            "doc.evaluation.written_by", author=str(latest["author"]), date=format_date(latest["created_at"])
        )
    return [Paragraph(heading, note=True), Paragraph(str(latest["text"]))]


def _impact_blocks(found: pd.DataFrame, objective: str, names: dict[str, str]) -> list[Block]:
    """The impact estimates of the objective's actions, in the strategy page's words."""
    mine = found[found["objective_code"] == objective] if len(found) else found
    if mine.empty:
        return []
    rows = tuple(
        (str(r.action_code), names.get(str(r.indicator_code), str(r.indicator_code)), str(r.text))
        for r in mine.itertuples()
    )
    header = (t("strategy.col_action"), t("common.indicator"), t("doc.evaluation.impact"))
    return [Table(header, rows, widths=(1.0, 1.8, 4.2))]


def _activity(store: Store) -> list[Block]:
    cards = headline_cards(store, codes_of(store, kind="activity"))
    if not cards:
        return []
    return [Heading(t("doc.evaluation.activity")), KeyFigures(tuple(cards))]


def evaluation(
    store: Store, *, year: int | None = None, lang: str = "en", now: datetime | None = None
) -> Document:
    """The strategy's evaluation for ``year`` (default: the latest year any objective has a value for)."""
    with locale_scope(lang):
        ctx = context(store, now=now)
        table = strategy.objective_table(store)
        if year is None:
            known = table["current_year"].dropna()
            year = int(known.max()) if len(known) else (now or datetime.now()).year
        blocks: list[Block] = []
        if table.empty:
            blocks.append(Paragraph(t("doc.district.no_objectives")))
        counts = strategy.status_counts(table)
        summary = ", ".join(
            f"{n} {t(f'progress.{s}')}" for s, n in zip(counts["status"], counts["count"], strict=True) if n
        )
        if summary:
            blocks.append(Paragraph(t("doc.evaluation.summary", count=len(table), summary=summary)))
        notes = strategy.latest_assessments(store)
        # Did the actions work? The strategy page's estimates, remembered until the data change.
        found = store.memo(("impact_estimates", lang), lambda: impact.estimates(store, lang=lang))
        catalogue = views.catalogue(store)
        names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
        actions = strategy.all_actions(store)
        axes = strategy.axes(store)
        for axis in axes.itertuples():
            mine = table[table["axis_code"] == axis.code]
            if mine.empty:
                continue
            blocks.append(Heading(f"{axis.code} · {axis.title}"))
            for _, row in mine.iterrows():
                header, rows = objective_rows(pd.DataFrame([row]))
                blocks += [Heading(f"{row['code']} · {row['title']}", level=2)]
                blocks.append(Table(header[1:], tuple(r[1:] for r in rows), widths=(1.8, 1.1, 1.1, 1.6, 2.4)))
                blocks.append(Paragraph(change_text(row)))
                drawn = _trajectory(store, row, ctx.source, ctx.made)
                if drawn is not None:
                    blocks.append(drawn)
                doing = actions[actions["objective_code"] == row["code"]]
                if len(doing):
                    shown = actions_table(doing)
                    blocks.append(
                        Table(
                            tuple(shown.columns),
                            tuple(tuple(str(v) for v in r) for r in shown.itertuples(index=False)),
                            widths=(2.2, 1.6, 1.8, 1.0, 1.0, 1.0, 0.8),
                        )
                    )
                blocks += _impact_blocks(found, str(row["code"]), names)
                blocks += _assessment(notes, str(row["code"]), year, public=ctx.audience == "public")
        blocks += _activity(store)
        blocks.append(Paragraph(t("doc.evaluation.method"), note=True))
        return document("evaluation", t("doc.evaluation.title", city=ctx.city_name), year, lang, ctx, blocks)
