"""The Audit log screen: filters, one page of lines, and a CSV download of everything the filters keep.

There is no edit or delete here: the log is append-only everywhere.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from observatory.domain import Actor
from observatory.i18n import format_datetime, format_number, t
from observatory.present import downloads
from observatory.services import audit
from observatory.ui import components
from observatory.ui.resources import store

_PAGE = "audit-page"


def _all_or(value: str | None) -> str:
    return t("common.all") if value is None else value


def _first_page() -> None:
    # A new filter starts on its first page.
    st.session_state[_PAGE] = 1


def _days(chosen: object) -> tuple[date | None, date | None]:
    """First and last day of the range picked (one day while only one end is picked; none at all)."""
    picked = [d for d in (chosen if isinstance(chosen, tuple | list) else (chosen,)) if isinstance(d, date)]
    if not picked:
        return None, None
    return picked[0], picked[-1]


def filters(actor: Actor) -> audit.AuditFilter:
    """Action, person and day range (every choice can be left at "All")."""
    actions, people = audit.choices(store(), actor=actor)
    left, middle, right = st.columns(3)
    action = left.selectbox(
        t("audit.action"), [None, *actions], key="audit-action", format_func=_all_or, on_change=_first_page
    )
    person = middle.selectbox(
        t("audit.person"), [None, *people], key="audit-person", format_func=_all_or, on_change=_first_page
    )
    chosen = right.date_input(t("audit.days"), value=[], key="audit-days", on_change=_first_page)
    first, last = _days(chosen)
    return audit.AuditFilter(action=action, actor=person, first_day=first, last_day=last)


def lines(actor: Actor, where: audit.AuditFilter) -> None:
    """One page of the matching lines, newest first, and the page choice."""
    found = audit.page(store(), where, number=int(st.session_state.get(_PAGE, 1)), actor=actor)
    if found.total == 0:
        st.info(t("audit.none"))
        return
    first = (found.number - 1) * audit.PAGE_SIZE + 1
    last = first + len(found.lines) - 1
    total = format_number(found.total)
    st.caption(t("audit.showing", first=format_number(first), last=format_number(last), total=total))
    frame = pd.DataFrame(
        {
            t("audit.col_when"): [format_datetime(moment) for moment in found.lines["logged_at"]],
            t("audit.col_who"): found.lines["actor"],
            t("audit.col_action"): found.lines["action"],
            t("audit.col_detail"): found.lines["detail"].fillna(""),
        }
    )
    st.dataframe(frame, hide_index=True)
    if found.pages > 1:
        st.number_input(t("audit.page", pages=found.pages), min_value=1, step=1, key=_PAGE)


def download(actor: Actor, where: audit.AuditFilter) -> None:
    """The filtered log as CSV, built only when the button is pressed (a long log is costly to build)."""
    staff = store()

    def csv() -> bytes:
        return downloads.csv_bytes(audit.export(staff, where, actor=actor))

    components.file_button(
        t("audit.download", limit=format_number(audit.EXPORT_LIMIT)),
        csv,
        "audit-log.csv",
        components.CSV,
        key="audit-csv",
    )
