"""The staff page of area groupings: the groupings as stored, a form with a district picker, a CSV upload,
a boundary file's attribute and a deletion. Each write is one batch (history, audit line, rollback) through
:mod:`observatory.services.groups`, which checks the role again; the cached reads are cleared after it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.i18n import t
from observatory.present import text
from observatory.services import groups
from observatory.ui import data, session
from observatory.ui.resources import store
from observatory.ui.upload_report import issues_table

_FLASH = "groups_flash"


def listing() -> None:
    """The groupings stored, with their member districts' names."""
    found = groups.list_groups(store())
    if found.empty:
        st.info(t("groups.empty"))
        return
    districts = groups.queries.areas(store(), level=1)
    names = dict(zip(districts["code"].astype(str), districts["name"].astype(str), strict=True))
    st.dataframe(
        pd.DataFrame(
            {
                t("groups.code"): found["code"],
                t("groups.name"): found["name"],
                t("groups.members"): [
                    ", ".join(names.get(c, c) for c in codes) for codes in found["member_codes"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _done(result: groups.GroupResult) -> None:
    """Keep the outcome for the next run and clear the cached reads after a write."""
    if result.batch_id:
        data.clear()
    st.session_state[_FLASH] = result


def flash() -> None:
    """The outcome of the last write: saved, unchanged, or its issues naming file, row and column."""
    result = st.session_state.pop(_FLASH, None)
    if result is None:
        return
    if isinstance(result, groups.Deletion):
        _deletion_words(result)
        return
    if not result.ok:
        st.error(t("report.status_rejected"))
        frame = pd.DataFrame(
            [
                {
                    "row": i.row,
                    "column": i.column,
                    "value": i.value,
                    "message": i.message,
                    "severity": i.severity.value,
                    "code": i.code,
                }
                for i in result.issues
            ]
        )
        st.dataframe(issues_table(frame), hide_index=True, width="stretch")
    elif result.batch_id:
        st.success(t("groups.saved", count=result.groups))
    else:
        st.info(t("groups.unchanged"))


def delete() -> None:
    """Delete a grouping (one batch, undone from the history page), refused in words while an action or an
    objective names it."""
    found = groups.list_groups(store())
    if found.empty:
        return
    names = dict(zip(found["code"].astype(str), found["name"].astype(str), strict=True))
    with st.form("group-delete"):
        code = st.selectbox(
            t("groups.delete_choose"),
            list(names),
            key="group-delete-code",
            format_func=lambda c: f"{c} · {names[c]}",
        )
        st.form_submit_button(t("groups.delete"), on_click=_delete, args=(code,))


def _delete(code: str) -> None:
    actor = session.begin_run()
    code = st.session_state.get("group-delete-code", code)
    done = groups.delete_group(store(), code, actor=actor)
    if done.batch_id:
        data.clear()
    st.session_state[_FLASH] = done


def in_use_words(used_by: tuple[tuple[str, str], ...]) -> str:
    """What names a grouping as an area, in words ("action AC01, contract SIB1"), codes as text."""
    return ", ".join(t(f"groups.use_{kind}", code=text.markdown(code)) for kind, code in used_by)


def undo_refused_words(refused: groups.GroupInUse) -> str:
    """Why an undo that would remove a grouping in use is refused, as a deletion's refusal says it."""
    named = ", ".join(text.markdown(code) for code in refused.groups)
    return t("groups.undo_refused", groups=named, uses=in_use_words(refused.used_by))


def _deletion_words(done: groups.Deletion) -> None:
    if done.batch_id:
        st.success(t("groups.deleted", batch=done.batch_id))
    elif done.used_by:
        st.error(t("groups.delete_refused", uses=in_use_words(done.used_by)))
    else:
        st.info(t("groups.unchanged"))


def form() -> None:
    """A grouping typed in: code, name and the member districts picked from the city's districts."""
    districts = groups.queries.areas(store(), level=1)
    names = dict(zip(districts["code"].astype(str), districts["name"].astype(str), strict=True))
    with st.form("group-form"):
        code = st.text_input(t("groups.code"), key="group-code")
        name = st.text_input(t("groups.name"), key="group-name")
        chosen = st.multiselect(
            t("groups.members"), list(names), key="group-members", format_func=lambda c: f"{c} · {names[c]}"
        )
        st.form_submit_button(t("groups.save"), on_click=_save, args=(code, name, chosen))


def _save(code: str, name: str, chosen: list[str]) -> None:
    actor = session.begin_run()
    code = st.session_state.get("group-code", code)
    name = st.session_state.get("group-name", name)
    chosen = st.session_state.get("group-members", chosen)
    _done(groups.save_group(store(), code, name, chosen, actor=actor))


def csv_upload() -> None:
    """Groupings from a CSV (group, name, area), all or nothing."""
    upload = st.file_uploader(t("groups.csv"), type=["csv", "txt"], key="group-csv")
    if upload is not None and st.button(t("groups.import"), key="group-csv-import"):
        _done(groups.import_csv(store(), upload.getvalue(), upload.name, actor=session.actor()))
        st.rerun()


def boundary_upload() -> None:
    """Groupings from a boundary file's attribute: one grouping per value."""
    upload = st.file_uploader(
        t("groups.boundary"), type=["geojson", "json", "gpkg", "zip"], key="group-boundary"
    )
    if upload is None:
        return
    fields = groups.boundary_fields(upload.getvalue(), upload.name)
    if not fields:
        return
    left, right = st.columns(2)
    code_field = left.selectbox(t("groups.code_field"), fields, key="group-code-field")
    attribute = right.selectbox(t("groups.attribute"), fields, key="group-attribute")
    if st.button(t("groups.import"), key="group-boundary-import"):
        result = groups.from_boundary_attribute(
            store(),
            upload.getvalue(),
            upload.name,
            code_field=code_field,
            attribute=attribute,
            actor=session.actor(),
        )
        _done(result)
        st.rerun()
