"""Strategy editing: outcome-based contracts, one form per contract with its parties and cohorts.

A save goes through observatory.services.contracts.edit_contract: the same checks as a contracts file
and one batch (history, audit line, undo on the History page).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from observatory.i18n import t
from observatory.present.text import markdown as as_text
from observatory.services import contracts, editing
from observatory.ui import data
from observatory.ui.edit_forms import NEW, chooser, current_actor, places
from observatory.ui.resources import store

KEY = "edit-contract"
_PENDING, _OUTCOME, _FLASH = f"{KEY}-pending", f"{KEY}-outcome", "edit-flash"
#: Role columns of the form, as the contracts file names them.
ROLE_FIELDS = ("investors", "providers", "payers", "evaluators")


def _label(column: str) -> str:
    return t("edit.field.contract_threshold") if column == "threshold" else t(f"edit.field.{column}")


def outcome_lines(issues: tuple) -> list[str]:
    """A refused save's issues, one Markdown line each: cohort row (when several), field, message."""
    lines = []
    for issue in issues:
        where = [t("edit.contracts_row", row=issue.row)] if issue.row else []
        if issue.column:
            where.append(f"**{_label(issue.column)}**")
        lines.append(
            f"- {' · '.join(where)}: {as_text(issue.message)}" if where else f"- {as_text(issue.message)}"
        )
    return lines


def _show_outcome() -> None:
    result: editing.EditResult | None = st.session_state.pop(_OUTCOME, None)
    if result is None:
        return
    if result.ok:
        st.info(t("edit.unchanged"))
        return
    st.error("\n".join([t("edit.refused"), "", *outcome_lines(result.issues)]))


def _when(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def area_names(cell: object, names: dict[str, str]) -> str:
    """A cohort's ``|``-joined area codes as their names (a grouping's says it is one), as text."""
    codes = [c.strip() for c in str(cell or "").split("|") if c.strip()]
    return ", ".join(names.get(code, code) for code in codes)


def _cohorts_frame(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    if frame.empty:
        frame = pd.DataFrame(
            {"cohort": ["all"], "areas": [""], "threshold": [None], "payment": [None], "due": [None]}
        )
    frame = frame.astype({"cohort": "str", "areas": "str", "threshold": "float", "payment": "float"})
    # The stored areas by name beside their codes (shown, not edited): a grouping reads as one.
    return frame.assign(named=[area_names(cell, names) for cell in frame["areas"]])


def contracts_section() -> None:
    """Choose a contract (or a new one) and edit it: indicator, areas, dates, parties, cohorts."""
    st.caption(t("edit.contracts_intro"))
    if _PENDING in st.session_state:
        st.session_state[KEY] = st.session_state.pop(_PENDING)
    choices = editing.form_choices(store())
    table = contracts.stored_contracts(store())
    code = chooser(dict(zip(table["code"].astype(str), table["title"].astype(str), strict=True)), key=KEY)
    fields, parties, cohorts = (
        contracts.contract_form_values(store(), code) if code != NEW else ({}, {}, pd.DataFrame())
    )
    indicators = dict(zip(choices["indicators"]["code"], choices["indicators"]["name"], strict=True))
    areas = places(choices["areas"])
    partners = dict(zip(choices["partners"]["code"], choices["partners"]["name"], strict=True))
    _show_outcome()
    with st.form(f"{KEY}-form-{code}"):
        new_code = st.text_input(t("edit.field.code"), key=f"{KEY}-code-new") if code == NEW else code
        title = st.text_input(
            t("edit.field.title"), value=str(fields.get("title", "")), key=f"{KEY}-title-{code}"
        )
        options = list(indicators)
        current = fields.get("indicator")
        indicator = st.selectbox(
            t("edit.field.indicator"),
            options,
            index=options.index(current) if current in options else None,
            format_func=lambda c: f"{c} · {indicators[c]}",
            key=f"{KEY}-indicator-{code}",
        )
        comparison = st.multiselect(
            t("edit.field.comparison_areas"),
            list(areas),
            default=[a for a in fields.get("comparison_areas", []) if a in areas],  # type: ignore[attr-defined]
            format_func=lambda c: f"{c} · {areas[c]}",
            key=f"{KEY}-comparison-{code}",
        )
        left, middle, right = st.columns(3)
        baseline = left.date_input(
            t("edit.field.baseline_start"),
            value=_when(fields.get("baseline_start")),
            key=f"{KEY}-baseline-{code}",
        )
        start = middle.date_input(
            t("edit.field.start"), value=_when(fields.get("start")), key=f"{KEY}-start-{code}"
        )
        end = right.date_input(t("edit.field.end"), value=_when(fields.get("end")), key=f"{KEY}-end-{code}")
        roles = {}
        for column, role in zip(st.columns(len(ROLE_FIELDS)), ROLE_FIELDS, strict=True):
            roles[role] = column.multiselect(
                t(f"edit.field.{role}"),
                list(partners),
                default=[p for p in parties.get(role, []) if p in partners],
                format_func=lambda c: f"{c} · {partners[c]}",
                key=f"{KEY}-{role}-{code}",
            )
        st.caption(t("edit.contracts_cohorts"))
        edited = st.data_editor(
            _cohorts_frame(cohorts, areas),
            num_rows="dynamic",
            hide_index=True,
            key=f"{KEY}-cohorts-{code}",
            column_config={
                "cohort": st.column_config.TextColumn(t("edit.field.cohort")),
                "areas": st.column_config.TextColumn(
                    t("edit.field.areas"), help=t("edit.contracts_areas_help")
                ),
                "named": st.column_config.TextColumn(t("edit.field.area_names"), disabled=True),
                "threshold": st.column_config.NumberColumn(t("edit.field.contract_threshold"), format="%.3f"),
                "payment": st.column_config.NumberColumn(t("edit.field.payment")),
                "due": st.column_config.DateColumn(t("edit.field.due")),
            },
        )
        saved = st.form_submit_button(t("edit.save"), key=f"{KEY}-save-{code}")
    if not saved:
        return
    contract = {
        "code": new_code,
        "title": title,
        "indicator": indicator or "",
        "comparison_areas": comparison,
        "baseline_start": baseline,
        "start": start,
        "end": end,
    }
    rows = [
        {name: (None if pd.isna(value) else value) for name, value in row.items() if name != "named"}
        for row in edited.to_dict(orient="records")
        if str(row.get("cohort") or "").strip() or str(row.get("areas") or "").strip()
    ]
    result = contracts.edit_contract(
        store(), contract, roles, rows, actor=current_actor(), create=code == NEW
    )
    if result.changed:
        data.clear()
        st.session_state[_FLASH] = result.batch_id
        if code == NEW:
            st.session_state[_PENDING] = str(new_code)
    else:
        st.session_state[_OUTCOME] = result
    st.rerun()
