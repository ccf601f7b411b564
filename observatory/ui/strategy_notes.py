"""The strategy screen's notes beside each objective's numbers: when its target changed, what staff wrote.

Both are shown to every visitor. A target change names the date and the old and new target, never
who changed it (the published release does not hold staff names); assessments show their author to
staff only, and their date to everyone.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.i18n import format_date, format_period, t
from observatory.present.strategy_text import value_text
from observatory.present.text import markdown as as_text
from observatory.present.text import message


def target_change_note(row: pd.Series, changes: pd.DataFrame) -> None:
    """One line for the objective's latest change of target or deadline (nothing when it never changed).

    Args:
        row: The objective's row of the objective table (its unit formats the values).
        changes: Its target changes, newest first.
    """
    if changes.empty:
        return
    latest = changes.iloc[0]
    unit = str(row["unit"])
    st.caption(
        t(
            "strategy.target_changed",
            date=format_date(latest["changed_at"]),
            old=value_text(unit, float(latest["old_target_value"])),
            new=value_text(unit, float(latest["new_target_value"])),
            old_period=format_period(str(latest["old_target_period"])),
            new_period=format_period(str(latest["new_target_period"])),
        )
    )


def _assessment(item: pd.Series) -> None:
    st.markdown(f"**{item['year']}** — {as_text(item['text'])}")
    # The public release holds no author (staff names stay staff-side): only the date is said.
    author = str(item["author"] or "")
    when = format_date(item["created_at"])
    st.caption(
        message("strategy.assessment_by", author=author, date=when)
        if author
        else t("strategy.assessment_on", date=when)
    )


def assessment_notes(written: pd.DataFrame, *, code: str) -> None:
    """The latest assessment of the newest year; earlier years folded away.

    Args:
        written: The objective's latest assessment per year, newest year first.
        code: The objective's code (keys the folded part).
    """
    if written.empty:
        return
    st.markdown(f"**{t('strategy.assessments_heading')}**")
    _assessment(written.iloc[0])
    if len(written) > 1:
        with st.expander(t("strategy.earlier_assessments"), key=f"assessments-{code}"):
            for _, item in written.iloc[1:].iterrows():
                _assessment(item)
