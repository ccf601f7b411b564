"""Pieces shared by the staff editing pages: fields declared as data, one form per row, the outcome.

A form holds one row of a table under the import contract's column names; saving hands it to
:func:`observatory.services.editing.save`, which checks it like an uploaded file and writes it as one
batch. Widget keys carry the row's code, so choosing another row shows that row's stored values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from observatory.domain import Actor, ImportKind
from observatory.i18n import t
from observatory.present.text import markdown as as_text
from observatory.services import editing
from observatory.ui import data, session
from observatory.ui.resources import store

NEW = "__new__"
_FLASH = "edit-flash"
_OUTCOME = "edit-outcome:"


@dataclass(frozen=True)
class Field:
    """One field of a form.

    Attributes:
        name: The import contract's column name (also names the label ``edit.field.<name>``).
        widget: text, area, number, integer, select, multi or date.
        options: Choices of a select or multi field.
        labels: Words for each choice (the choice itself when absent).
        help: Catalogue key of a help text.
    """

    name: str
    widget: str = "text"
    options: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    help: str | None = None

    def label(self, option: str) -> str:
        """Words for one choice."""
        return self.labels.get(option, option)


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, list | tuple) and bool(pd.isna(value)))


def _select(spec: Field, value: Any, common: dict[str, Any]) -> object:
    options = list(spec.options)
    index = options.index(value) if value in options else 0
    return st.selectbox(options=options, index=index, format_func=spec.label, **common)


def _multi(spec: Field, value: Any, common: dict[str, Any]) -> object:
    chosen = [v for v in (value or []) if v in spec.options]
    return st.multiselect(options=list(spec.options), default=chosen, format_func=spec.label, **common)


def _number(spec: Field, value: Any, common: dict[str, Any]) -> object:
    return st.number_input(value=None if _blank(value) else float(value), **common)


def _integer(spec: Field, value: Any, common: dict[str, Any]) -> object:
    return st.number_input(value=None if _blank(value) else int(value), step=1, **common)


def _date(spec: Field, value: Any, common: dict[str, Any]) -> object:
    shown: date | None = None if _blank(value) else pd.Timestamp(value).date()
    return st.date_input(value=shown, min_value=date(2000, 1, 1), max_value=date(2100, 12, 31), **common)


def _area(spec: Field, value: Any, common: dict[str, Any]) -> object:
    return st.text_area(value="" if _blank(value) else str(value), **common)


def _text(spec: Field, value: Any, common: dict[str, Any]) -> object:
    return st.text_input(value="" if _blank(value) else str(value), **common)


_WIDGETS: dict[str, Callable[[Field, Any, dict[str, Any]], object]] = {
    "select": _select,
    "multi": _multi,
    "number": _number,
    "integer": _integer,
    "date": _date,
    "area": _area,
    "text": _text,
}


def field_input(spec: Field, value: object, key: str) -> object:
    """Draw one field holding ``value`` and return what it holds now."""
    common = {"label": t(f"edit.field.{spec.name}"), "key": key, "help": t(spec.help) if spec.help else None}
    return _WIDGETS[spec.widget](spec, value, common)


def flash() -> None:
    """Show, once, the change a save just wrote (kept in the session by the save's callback)."""
    batch = st.session_state.pop(_FLASH, None)
    if batch:
        st.success(t("edit.saved", batch=batch))


def chooser(options: Mapping[str, str], *, key: str) -> str:
    """Pick the row to edit (code · title), or a new one; a row just created is picked by its save."""
    if st.session_state.get(key) not in (*options, NEW):
        st.session_state.pop(key, None)
    return st.selectbox(
        t("edit.choose"),
        [*options, NEW],
        key=key,
        format_func=lambda code: t("edit.new") if code == NEW else f"{code} · {options[code]}",
    )


def keep_result(result: editing.EditResult, *, key: str, new_code: str = "") -> None:
    """Remember what a save did for the run that follows; after a write, forget the cached reads.

    Called from a widget callback, which runs before the page: the outcome is shown by
    :func:`show_outcome` (words are chosen there, in the run's language).
    """
    if result.changed:
        data.clear()
        st.session_state[_FLASH] = result.batch_id
        if new_code:
            st.session_state[key] = new_code
        return
    st.session_state[_OUTCOME + key] = result


def show_outcome(key: str) -> None:
    """Say why the last save of form ``key`` was refused (field by field), or that nothing changed."""
    result: editing.EditResult | None = st.session_state.pop(_OUTCOME + key, None)
    if result is None:
        return
    if result.ok:
        st.info(t("edit.unchanged"))
        return
    lines = [
        f"- **{t(f'edit.field.{issue.column}')}**: {as_text(issue.message)}"
        if issue.column
        else f"- {as_text(issue.message)}"
        for issue in result.issues
    ]
    st.error("\n".join([t("edit.refused"), "", *lines]))


def current_actor() -> Actor:
    """Who is saving, checked again now: a widget callback runs before the dashboard checked the session."""
    return session.begin_run()


def _submit(kind: ImportKind, names: tuple[str, ...], code: str, key: str) -> None:
    create = code == NEW
    state = st.session_state
    values: dict[str, object] = {"code": state.get(f"{key}-code-new", "") if create else code}
    values.update({name: state.get(f"{key}-{name}-{code}") for name in names})
    result = editing.save(store(), kind, values, actor=current_actor(), create=create)
    keep_result(result, key=key, new_code=str(values["code"]) if create else "")


def edit_form(
    kind: ImportKind, fields: Sequence[Field], current: Mapping[str, object], *, code: str, key: str
) -> None:
    """A form for one stored row (``code``) or a new one (:data:`NEW`); saving writes one batch.

    The save runs as the submit button's callback, before the page is drawn again, so the page
    then shows the stored state, the new row chosen, and the outcome.

    Args:
        kind: Which table (its import contract names the fields).
        fields: The fields after the code, in order.
        current: The stored row under the contract's names (empty for a new row).
        code: The row's code, or NEW.
        key: Prefix of the widget keys; also the key of the row chooser.
    """
    show_outcome(key)
    with st.form(f"{key}-form-{code}"):
        if code == NEW:
            st.text_input(t("edit.field.code"), key=f"{key}-code-new")
        for spec in fields:
            field_input(spec, current.get(spec.name), f"{key}-{spec.name}-{code}")
        names = tuple(spec.name for spec in fields)
        st.form_submit_button(
            t("edit.save"), key=f"{key}-save-{code}", on_click=_submit, args=(kind, names, code, key)
        )


def current_row(frame: pd.DataFrame, code: str, renames: Mapping[str, str]) -> dict[str, object]:
    """The stored row ``code`` of ``frame`` under the contract's names (empty for a new row)."""
    if code == NEW or code not in set(frame["code"]):
        return {}
    row = frame.set_index("code").loc[code].to_dict()
    return {renames.get(name, name): value for name, value in row.items()}


def places(areas: pd.DataFrame) -> dict[str, str]:
    """The city, the districts and the area groupings an objective, an action or a contract may name
    (:func:`editing.form_choices`' areas), code → name; a grouping's name says it is one."""
    names = dict(zip(areas["code"].astype(str), areas["name"].astype(str), strict=True))
    grouped = set(areas.loc[areas["level"] == editing.GROUP_LEVEL, "code"].astype(str))
    return {code: t("groups.tagged", name=name) if code in grouped else name for code, name in names.items()}
