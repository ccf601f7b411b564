"""The strategy screen's cached reads and its objective block: figures, progress, trajectory, actions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from observatory import charts
from observatory.i18n import format_percent, format_period, get_locale, t
from observatory.present import text
from observatory.present.strategy_text import (
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    WORDS,
    actions_table,
    change_text,
    rounded_objectives,
    rounded_trajectory,
    status_label,
    status_note,
    value_text,
)
from observatory.services import strategy
from observatory.ui.components import chart, download
from observatory.ui.resources import cached, reader
from observatory.ui.strategy_impact import Known, estimable, impact_notes, known, known_verdicts
from observatory.ui.strategy_notes import assessment_notes, target_change_note

ALL = "all"

__all__ = [
    "ALL",
    "STATUS_COLOURS",
    "STATUS_SYMBOLS",
    "actions",
    "assessments",
    "axes",
    "objective_block",
    "objective_blocks",
    "objectives",
    "objectives_download",
    "status_label",
    "status_overview",
    "status_summary",
    "target_changes",
    "trajectory",
    "value_text",
]


@cached()
def objectives() -> pd.DataFrame:
    """Every objective with its current value, change test and status."""
    return strategy.objective_table(reader())


@cached()
def axes() -> pd.DataFrame:
    """The strategy's axes."""
    return strategy.axes(reader())


@cached()
def trajectory(code: str) -> pd.DataFrame:
    """Yearly values of one objective with their intervals."""
    return strategy.objective_trajectory(reader(), code)


@cached()
def actions() -> pd.DataFrame:
    """Every action with its partners."""
    return strategy.all_actions(reader())


@cached()
def assessments() -> pd.DataFrame:
    """The latest written assessment of each objective and year (earlier versions stay staff-side)."""
    return strategy.latest_assessments(reader())


@cached()
def target_changes() -> pd.DataFrame:
    """Every committed change of an objective's target or deadline, newest first, without names."""
    return strategy.target_changes(reader())


def status_summary() -> pd.DataFrame:
    """Objectives per status (every status listed), from the cached objective table."""
    return strategy.status_counts(objectives())


def status_overview(table: pd.DataFrame) -> None:
    """One line counting the objectives shown per status, with symbols and words."""
    counts = strategy.status_counts(table)
    parts = [f"{status_label(r.status)}: **{r.count}**" for r in counts.itertuples() if r.count]
    st.markdown(" · ".join(parts) if parts else t("strategy.no_objectives"))


def _figures(row: pd.Series) -> None:
    unit = str(row["unit"])
    first, second, third, fourth = st.columns(4)
    first.metric(
        t("strategy.baseline", period=format_period(str(row["baseline_period"]))),
        value_text(unit, row["baseline_value"]),
    )
    second.metric(
        t("strategy.target", period=format_period(str(row["target_period"]))),
        value_text(unit, row["target_value"]),
    )
    if row["current_period"] is None or pd.isna(row["current_value"]):
        third.metric(t("strategy.latest_none"), "–")
        return
    third.metric(
        t("strategy.latest", period=format_period(str(row["current_period"]))),
        value_text(unit, row["current_value"]),
    )
    if not pd.isna(row["current_lower"]):
        low = value_text(unit, row["current_lower"], interval=True)
        high = value_text(unit, row["current_upper"], interval=True)
        third.caption(t("strategy.ci", low=low, high=high))
    fourth.metric(
        t("strategy.expected", year=int(row["current_year"])), value_text(unit, row["expected_now"])
    )


def _progress(row: pd.Series) -> None:
    share = 0.0 if pd.isna(row["share_done"]) else float(row["share_done"])
    text = t(
        "strategy.progress",
        status=status_label(str(row["status"])),
        share=format_percent(share * 100, decimals=0),
    )
    st.progress(share, text=text)


Point = tuple[int, float, float, float]


@cached(resource=True)
def _trajectory_figure(
    points: tuple[Point, ...], ends: tuple[date, float, date, float], y_title: str, labels: tuple[str, ...]
) -> go.Figure:
    """The trajectory chart from (year, value, lower, upper) points, built once per data and words.

    Kept as a shared resource because building a plotly figure costs tens of milliseconds and a
    page shows one per objective; st.plotly_chart only reads it (``to_dict``), never changes it.
    Every input is part of the key, so new data or another language gives a new figure.
    """
    frame = pd.DataFrame(list(points), columns=["year", "value", "lower", "upper"], dtype=float)
    frame["period"] = [date(int(y), 1, 1) for y in frame["year"]]
    words = dict(zip(("actual", "baseline", "target", "path"), labels, strict=True))
    figure = charts.trajectory(
        frame,
        x="period",
        y="value",
        labels=words,
        y_title=y_title,
        baseline=(ends[0], ends[1]),
        target=(ends[2], ends[3]),
    )
    if frame["lower"].notna().any():
        # The observed values carry their 95% interval as error bars on the "actual" line.
        bars = {
            "type": "data",
            "symmetric": False,
            "array": (frame["upper"] - frame["value"]).tolist(),
            "arrayminus": (frame["value"] - frame["lower"]).tolist(),
        }
        figure.update_traces(error_y=bars, selector={"name": words["actual"]})
    return figure


def _trajectory(row: pd.Series) -> None:
    code = str(row["code"])
    frame = trajectory(code)
    labels = (t("common.actual"), t("common.baseline"), t("common.target"), t("common.path_to_target"))
    points = tuple(
        (int(r.year), float(r.value), float(r.lower), float(r.upper))
        for r in frame[["year", "value", "lower", "upper"]].itertuples()
    )
    unit_words = t(f"unit.{row['unit']}")
    ends = (
        date(int(row["baseline_year"]), 1, 1),
        float(row["baseline_value"]),
        date(int(row["target_year"]), 1, 1),
        float(row["target_value"]),
    )
    figure = _trajectory_figure(points, ends, text.plotly(f"{row['indicator_name']} ({unit_words})"), labels)
    chart(
        figure,
        key=f"trajectory-{code}",
        title=f"{code} — {row['title']}",
        data=frame[["year", "value", "lower", "upper", "withheld"]],
    )
    withheld = [str(y) for y in frame.loc[frame["withheld"], "year"]]
    notes = [t("strategy.trajectory_note")]
    if withheld:
        notes.append(t("strategy.withheld_years", years=", ".join(withheld)))
    st.caption(" · ".join(notes))
    download(
        rounded_trajectory(frame, str(row["unit"])), f"{code}-trajectory.csv", key=f"trajectory-{code}-csv"
    )


@cached()
def _actions_in_words(locale: str) -> dict[str, pd.DataFrame]:
    """Every objective's actions table in one language, built once (dates in words cost time)."""
    frame = actions()
    return {
        str(code): actions_table(group).reset_index(drop=True)
        for code, group in frame.groupby("objective_code", sort=False)
    }


def _actions(mine: pd.DataFrame | None, verdicts: list[str] | None = None) -> None:
    st.markdown(f"**{t('strategy.actions_heading')}**")
    if mine is None or mine.empty:
        st.caption(t("strategy.no_actions"))
        return
    if verdicts is not None:
        mine = mine.assign(**{t("impact.col_verdict"): verdicts})
    st.dataframe(mine, hide_index=True)


def objective_block(
    row: pd.Series,
    actions_shown: pd.DataFrame | None,
    written: pd.DataFrame,
    changes: pd.DataFrame | None = None,
    verdicts: list[str] | None = None,
    kept: Known | None = None,
) -> None:
    """Everything about one objective: figures, target changes, progress, assessments, trajectory, actions.

    Args:
        row: The objective's row of the objective table.
        actions_shown: Its actions in words (None when it has none).
        written: Its latest written assessment per year, newest year first.
        changes: Its changes of target or deadline, newest first (None: none).
        verdicts: Its actions' impact verdicts in words, in the table's order (None: no column).
        kept: The impact estimates already computed (their details fold under the table).
    """
    code = str(row["code"])
    with st.container(border=True):
        st.subheader(text.joined([code, row["title"]]))
        st.badge(status_label(str(row["status"])), color=STATUS_COLOURS.get(str(row["status"]), "gray"))
        st.caption(
            text.message("strategy.measured_on", indicator=row["indicator_name"], area=row["area_name"])
        )
        _figures(row)
        target_change_note(row, changes if changes is not None else pd.DataFrame())
        _progress(row)
        st.markdown(change_text(row))
        st.caption(status_note(row))
        assessment_notes(written, code=code)
        _trajectory(row)
        _actions(actions_shown, verdicts)
        impact_notes(code, kept)


def objectives_download(table: pd.DataFrame) -> None:
    """CSV and .xlsx of the objectives shown: figures as the blocks write them, codes in words."""
    download(rounded_objectives(table), "objectives.csv", key="objectives-csv", words=WORDS)


def objective_blocks(table: pd.DataFrame) -> None:
    """One block per objective of the table, in its order (actions and assessments read once)."""
    shown = _actions_in_words(get_locale())
    written, changes = assessments(), target_changes()
    kept = known()
    verdicts, able, pending = known_verdicts(kept), set(estimable()), t("impact.not_computed")
    every = actions()
    for _, row in table.iterrows():
        code = str(row["code"])
        mine = changes[changes["objective_code"] == code]
        codes = [str(c) for c in every.loc[every["objective_code"] == code, "code"]]
        words = [verdicts.get(c, pending if c in able else "–") for c in codes] if verdicts else None
        objective_block(row, shown.get(code), written[written["objective_code"] == code], mine, words, kept)
