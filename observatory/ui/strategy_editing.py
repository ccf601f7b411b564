"""The strategy editing screen: objectives (target history, assessments), actions, axes, partners.

Staff pages read and write the staff store; every save goes through observatory.services.editing,
which checks the role again and writes one batch, and the cached dashboard reads are cleared after it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from observatory.domain import ActionStatus, ImportKind, Sector
from observatory.i18n import format_date, format_number, format_period, t
from observatory.present.text import markdown as as_text
from observatory.present.text import message
from observatory.services import editing
from observatory.ui.edit_forms import (
    NEW,
    Field,
    chooser,
    current_actor,
    current_row,
    edit_form,
    keep_result,
    places,
    show_outcome,
)
from observatory.ui.resources import store

# Stored column → import contract column, where they differ.
_RENAMES = {
    "axis_code": "axis",
    "indicator_code": "indicator",
    "area_code": "area",
    "objective_code": "objective",
    "start_date": "start",
    "end_date": "end",
}


def _named(frame: pd.DataFrame, label: str = "title") -> dict[str, str]:
    return dict(zip(frame["code"].astype(str), frame[label].astype(str), strict=True))


def _objective_fields(choices: dict[str, pd.DataFrame]) -> list[Field]:
    axes, indicators = _named(choices["axes"]), _named(choices["indicators"], "name")
    areas = places(choices["areas"])
    return [
        Field("title"),
        Field("axis", "select", tuple(axes), axes),
        Field("indicator", "select", tuple(indicators), indicators),
        Field("area", "select", tuple(areas), areas),
        Field("baseline_period"),
        Field("baseline_value", "number"),
        Field("target_value", "number"),
        Field("target_period"),
    ]


def _action_fields(choices: dict[str, pd.DataFrame]) -> list[Field]:
    objectives, partners = _named(choices["objectives"]), _named(choices["partners"], "name")
    statuses = {s.value: t(f"action_status.{s.value}") for s in ActionStatus}
    areas, indicators = places(choices["areas"]), _named(choices["indicators"], "name")
    return [
        Field("title"),
        Field("objective", "select", tuple(objectives), objectives),
        Field("lead_partner", "select", tuple(partners), partners),
        Field("partners", "multi", tuple(partners), partners),
        Field("status", "select", tuple(statuses), statuses),
        Field("start", "date"),
        Field("end", "date"),
        Field("budget", "number"),
        # Where and on what the action is evaluated (the city's code: city-wide).
        Field("areas", "multi", tuple(areas), areas),
        Field("indicators", "multi", tuple(indicators), indicators),
        Field("comparison_areas", "multi", tuple(areas), areas),
    ]


def _change(old: object, new: object, shown: str) -> str:
    return shown.format(old=old, new=new) if old != new else str(new)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """An objective's changes in words: when, who, which change, baseline, target and deadline old → new."""
    rows = []
    for r in history.itertuples():
        base_old = f"{format_number(r.old_baseline_value)} ({format_period(str(r.old_baseline_period))})"
        base_new = f"{format_number(r.new_baseline_value)} ({format_period(str(r.new_baseline_period))})"
        rows.append(
            {
                t("edit.col_when"): format_date(r.changed_at),
                t("edit.col_who"): r.user_name,
                t("edit.col_change"): int(r.batch_id),
                t("edit.col_baseline"): _change(base_old, base_new, "{old} → {new}"),
                t("edit.col_target"): _change(
                    format_number(r.old_target_value), format_number(r.new_target_value), "{old} → {new}"
                ),
                t("edit.col_deadline"): _change(
                    format_period(str(r.old_target_period)),
                    format_period(str(r.new_target_period)),
                    "{old} → {new}",
                ),
            }
        )
    return pd.DataFrame(rows)


def _history(code: str) -> None:
    st.subheader(t("edit.history_heading"))
    history = editing.objective_history(store(), code)
    if history.empty:
        st.caption(t("edit.history_none"))
        return
    st.dataframe(history_table(history), hide_index=True, key=f"history-{code}")


def _save_assessment(code: str) -> None:
    state = st.session_state
    year, text = state.get(f"assessment-year-{code}"), state.get(f"assessment-text-{code}") or ""
    result = editing.add_assessment(store(), code, int(year or 0), text, actor=current_actor())
    keep_result(result, key=f"assessment-{code}")
    if result.changed:
        # Callbacks run before the widgets are drawn, so the text box may be emptied here.
        state[f"assessment-text-{code}"] = ""


def _assessment(code: str) -> None:
    st.subheader(t("edit.assessment_heading"))
    show_outcome(f"assessment-{code}")
    with st.form(f"assessment-form-{code}"):
        st.number_input(
            t("edit.field.year"), value=date.today().year - 1, step=1, key=f"assessment-year-{code}"
        )
        st.text_area(t("edit.field.text"), key=f"assessment-text-{code}", help=t("edit.assessment_help"))
        st.form_submit_button(
            t("edit.assessment_save"), key=f"assessment-save-{code}", on_click=_save_assessment, args=(code,)
        )
    versions = editing.assessment_versions(store(), code)
    if versions.empty:
        return
    with st.expander(t("edit.assessment_versions", count=len(versions))):
        for item in versions.itertuples():
            st.markdown(f"**{item.year}** — {as_text(item.text)}")
            st.caption(
                message("strategy.assessment_by", author=item.author, date=format_date(item.created_at))
            )


def objectives_section() -> None:
    """Choose an objective (or a new one), edit it, see its target history, write its assessment."""
    choices = editing.form_choices(store())
    table = choices["objectives"]
    code = chooser(_named(table), key="edit-objective")
    current = current_row(table, code, _RENAMES)
    edit_form(ImportKind.OBJECTIVES, _objective_fields(choices), current, code=code, key="edit-objective")
    if code != NEW:
        _history(code)
        _assessment(code)


def actions_section() -> None:
    """Choose an action (or a new one) and edit it, with its lead and other partners."""
    choices = editing.form_choices(store())
    table = choices["actions"]
    code = chooser(_named(table), key="edit-action")
    current = current_row(table, code, _RENAMES)
    links = choices["action_partners"]
    current["partners"] = list(links.loc[links["action_code"] == code, "partner_code"])
    stored = table.loc[table["code"] == code]
    for field, column in (
        ("areas", "target_areas"),
        ("indicators", "result_indicators"),
        ("comparison_areas", "comparison_areas"),
    ):
        cell = stored[column].iloc[0] if len(stored) else None
        current[field] = [c for c in str(cell).split("|") if c] if isinstance(cell, str) else []
    edit_form(ImportKind.ACTIONS, _action_fields(choices), current, code=code, key="edit-action")


def axes_section() -> None:
    """Choose an axis (or a new one) and edit its title and description."""
    table = editing.form_choices(store())["axes"]
    code = chooser(_named(table), key="edit-axis")
    fields = [Field("title"), Field("description", "area")]
    edit_form(ImportKind.AXES, fields, current_row(table, code, {}), code=code, key="edit-axis")


def partners_section() -> None:
    """Choose a partner (or a new one) and edit its name and sector."""
    table = editing.form_choices(store())["partners"]
    code = chooser(_named(table, "name"), key="edit-partner")
    sectors = {s.value: t(f"sector.{s.value}") for s in Sector}
    fields = [Field("name"), Field("sector", "select", tuple(sectors), sectors)]
    edit_form(ImportKind.PARTNERS, fields, current_row(table, code, {}), code=code, key="edit-partner")
