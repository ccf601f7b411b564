"""The series-break register of one indicator, on the indicators page: list, add, move or re-note, remove.

A break is the first day of a series that is not comparable with what came before (a new definition,
a redrawn commune map). Writes go through services.breaks with the signed-in actor (the role is
checked again there); after one, the cached dashboard reads are cleared so trend charts draw the
new marker at once, and the page runs again to list the register as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from observatory.domain import Actor, ObservatoryError
from observatory.i18n import format_date, t
from observatory.present.text import message
from observatory.services import breaks
from observatory.ui import data
from observatory.ui.resources import store

_FLASH = "breaks-flash"
_EARLIEST, _LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _write(call: Callable[[], None], done: str) -> None:
    """Run one write; on success clear the cached reads and run the page again, else say why."""
    try:
        call()
    except ObservatoryError as exc:
        st.error(message("breaks.refused", reason=str(exc)))
        return
    data.clear()  # trend charts and trend tests must see the register as it is now
    st.session_state[_FLASH] = done
    st.rerun()


def _table(frame: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("breaks.col_date"): [format_date(d) for d in frame["break_date"]],
            t("breaks.col_note"): ["" if pd.isna(n) else str(n) for n in frame["note"]],
        }
    )
    st.dataframe(shown, hide_index=True, key="breaks-table")


def _add(actor: Actor, code: str) -> None:
    st.markdown(f"**{t('breaks.add_heading')}**")
    day = st.date_input(
        t("breaks.date"), value=None, min_value=_EARLIEST, max_value=_LATEST, key=f"break-add-date-{code}"
    )
    note = st.text_input(t("breaks.note"), key=f"break-add-note-{code}", help=t("breaks.note_help"))
    if not st.button(t("breaks.add"), key=f"break-add-{code}"):
        return
    if not isinstance(day, date):
        st.error(t("breaks.date_missing"))
        return
    _write(
        lambda: breaks.add_break(store(), code, day, note, actor=actor),
        t("breaks.added", date=format_date(day)),
    )


def _edit(actor: Actor, code: str, frame: pd.DataFrame) -> None:
    st.markdown(f"**{t('breaks.edit_heading')}**")
    current: date = st.selectbox(
        t("breaks.choose"), list(frame["break_date"]), format_func=format_date, key=f"break-choose-{code}"
    )
    stored = frame.loc[frame["break_date"] == current, "note"].iloc[0]
    suffix = f"{code}-{current.isoformat()}"  # another break chosen shows that break's stored values
    moved = st.date_input(
        t("breaks.date"),
        value=current,
        min_value=_EARLIEST,
        max_value=_LATEST,
        key=f"break-edit-date-{suffix}",
    )
    note = st.text_input(
        t("breaks.note"), value="" if pd.isna(stored) else str(stored), key=f"break-edit-note-{suffix}"
    )
    save, remove = st.columns(2)
    if save.button(t("breaks.save"), key=f"break-save-{code}"):
        new_date = moved if isinstance(moved, date) else current
        _write(
            lambda: breaks.edit_break(store(), code, current, actor=actor, new_date=new_date, note=note),
            t("breaks.saved", date=format_date(new_date)),
        )
    if remove.button(t("breaks.remove"), key=f"break-remove-{code}"):
        _write(
            lambda: breaks.remove_break(store(), code, current, actor=actor),
            t("breaks.removed", date=format_date(current)),
        )


def breaks_section(actor: Actor, code: str) -> None:
    """The register of indicator ``code``: its breaks, then forms to add, edit and remove one."""
    st.subheader(f"{t('breaks.heading')} · {code}")  # below the whole catalogue: name whose register
    st.caption(t("breaks.intro"))
    done = st.session_state.pop(_FLASH, None)
    if done:
        st.success(done)
    frame = breaks.list_breaks(store(), code)
    if frame.empty:
        st.caption(t("breaks.none"))
    else:
        _table(frame)
    _add(actor, code)
    if not frame.empty:
        _edit(actor, code, frame)
