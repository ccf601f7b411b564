"""The import history: batches with filters, one batch's stored report, rollback with a confirmation.

Reads the staff store directly, not through the cached reads: staff expect to see the batch they
have just made.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.domain import Actor, BatchState, NotFound
from observatory.i18n import format_date, t
from observatory.present.text import markdown as as_text
from observatory.present.text import message
from observatory.services import groups, history, imports
from observatory.ui import data, groups_editing, upload_report, widgets
from observatory.ui.components import download
from observatory.ui.resources import store

_PENDING = "history-pending"  # the batch id awaiting confirmation of its rollback
_NOTICE = "history-notice"  # (rolled back id, new id) to announce after the rerun
_COLUMNS = {
    "id": "history.col_batch",
    "when": "history.col_when",
    "user_name": "history.col_who",
    "kind": "history.col_kind",
    "filename": "history.col_file",
    "sha256_short": "history.col_sha",
    "rows_read": "upload.count_read",
    "created": "upload.count_created",
    "updated": "upload.count_updated",
    "unchanged": "upload.count_unchanged",
    "rejected": "upload.count_rejected",
    "state": "history.col_state",
    "rolls_back": "history.col_rolls_back",
}


def state_label(state: str) -> str:
    """A batch state in words."""
    return t(f"history.state_{state}")


def kind_label(kind: str) -> str:
    """A batch kind in words (the upload kinds' short names; rollback and boundaries translated)."""
    return t(f"history.kind_{kind}") if kind in ("rollback", "areas") else kind


def when_text(moment: object) -> str:
    """A batch time as the locale's date and a 24-hour clock time (UTC, as stored)."""
    stamp = pd.Timestamp(moment)
    return f"{format_date(stamp.to_pydatetime())} {stamp:%H:%M}"


def filters() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chosen states and kinds (nothing chosen: all), kept in the URL."""
    left, right = st.columns(2)
    with left:
        states = widgets.multiselect(
            t("history.filter_state"),
            [s.value for s in BatchState],
            key="history-state",
            format_func=state_label,
        )
    with right:
        kinds = widgets.multiselect(
            t("history.filter_kind"), history.kinds(store()), key="history-kind", format_func=kind_label
        )
    return tuple(states), tuple(kinds)


def batch_list(states: tuple[str, ...], kinds: tuple[str, ...]) -> pd.DataFrame:
    """Show the batches (newest first) with a CSV download; returns the frame shown."""
    frame = history.batches(store(), states=states, kinds=kinds)
    if frame.empty:
        st.info(t("history.none"))
        return frame
    shown = frame.assign(
        when=[when_text(v) for v in frame["started_at"]],
        state=[state_label(s) for s in frame["state"]],
        kind=[kind_label(k) for k in frame["kind"]],
    )[list(_COLUMNS)]
    headers = {column: t(key) for column, key in _COLUMNS.items()}
    config = {headers["sha256_short"]: st.column_config.TextColumn(help=t("history.col_sha_help"))}
    st.dataframe(shown.rename(columns=headers), hide_index=True, column_config=config, key="history-table")
    full = frame.drop(columns=["sha256_short"])
    download(full, "import-history.csv", key="history-csv")
    return frame


def choose_batch(frame: pd.DataFrame) -> int:
    """The batch whose detail is shown (the newest by default; kept in the URL, so a link opens it)."""
    rows = {int(r.id): r for r in frame.itertuples()}

    def label(batch_id: int) -> str:
        row = rows[batch_id]
        return t(
            "history.batch_option",
            batch=batch_id,
            kind=kind_label(str(row.kind)),
            file=row.filename,
            state=state_label(str(row.state)),
        )

    return int(widgets.select(t("history.batch"), list(rows), key="history-batch", format_func=label))


def _announce() -> None:
    notice = st.session_state.pop(_NOTICE, None)
    if notice is not None:
        st.success(t("history.rolled_back", batch=notice[0], new=notice[1]))


def batch_detail(actor: Actor, batch_id: int) -> None:
    """One batch: who, when, the full SHA-256, what was detected, its issues, and rollback."""
    _announce()
    try:
        found = history.detail(store(), batch_id)
    except NotFound as exc:
        st.error(as_text(exc))
        return
    batch = found.batch
    st.subheader(t("history.detail_heading", batch=batch_id))
    st.markdown(
        message(
            "history.detail_line",
            file=batch["filename"],
            kind=kind_label(str(batch["kind"])),
            who=batch["user_name"],
            when=when_text(batch["started_at"]),
            state=state_label(str(batch["state"])),
        )
    )
    st.caption(t("history.sha_full"))
    st.code(str(batch["sha256"]), language=None)
    if found.detected:
        detected = found.detected
        st.caption(
            upload_report.detected_text(*(detected.get(k) for k in ("encoding", "delimiter", "decimal")))
        )
    upload_report.issues_view(found.issues, key="history-issues", filename=str(batch["filename"]))
    if found.can_roll_back:
        _rollback(actor, batch_id, str(batch["filename"]))


def _rollback(actor: Actor, batch_id: int, filename: str) -> None:
    """A rollback button, then a confirmation; a refusal is shown in words."""
    if st.session_state.get(_PENDING) != batch_id:
        if st.button(t("history.rollback"), key="history-rollback"):
            st.session_state[_PENDING] = batch_id
            st.rerun()
        return
    st.warning(message("history.confirm_text", batch=batch_id, file=filename))
    yes, no = st.columns(2)
    if no.button(t("history.cancel"), key="history-cancel"):
        st.session_state.pop(_PENDING, None)
        st.rerun()
    if yes.button(t("history.confirm"), key="history-confirm", type="primary"):
        st.session_state.pop(_PENDING, None)
        try:
            new_id = imports.rollback(store(), batch_id, actor=actor)
        except groups.GroupInUse as exc:
            st.error(groups_editing.undo_refused_words(exc))
            return
        except (imports.RollbackRefused, NotFound) as exc:
            reason = str(exc)
            st.error(message("history.refused", reason=reason[:1].upper() + reason[1:]))
            return
        data.clear()  # cached dashboard reads must forget the undone rows
        st.session_state[_NOTICE] = (batch_id, new_id)
        st.rerun()
