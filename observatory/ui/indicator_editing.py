"""The indicator catalogue editing screen: every field of an indicator, and new indicators.

Saving goes through observatory.services.editing (role checked again, one batch per change); the
cached dashboard reads are cleared after it, so a changed threshold or name shows at once.
"""

from __future__ import annotations

import streamlit as st

from observatory.domain import ImportKind, IndicatorKind, Polarity, Unit, translation_columns
from observatory.i18n import t
from observatory.services import editing
from observatory.ui.edit_forms import Field, chooser, current_row, edit_form
from observatory.ui.resources import store

_RENAMES = {"denominator_kind": "denominator", "disclosure_threshold": "threshold"}


def _words(prefix: str, values: list[str]) -> dict[str, str]:
    return {value: t(f"{prefix}.{value}") for value in values}


def _fields() -> list[Field]:
    kinds = _words("kind", [k.value for k in IndicatorKind])
    units = _words("unit", [u.value for u in Unit])
    polarities = _words("polarity", [p.value for p in Polarity])
    denominators = {"": t("edit.none"), **_words("denominator", editing.denominator_kinds(store()))}
    return [
        Field("name"),
        Field("theme"),
        Field("kind", "select", tuple(kinds), kinds),
        Field("unit", "select", tuple(units), units),
        Field("polarity", "select", tuple(polarities), polarities),
        Field("denominator", "select", tuple(denominators), denominators),
        Field("multiplier", "number"),
        Field("threshold", "integer", help="edit.threshold_help"),
        Field("description", "area"),
        Field("source"),
        # The texts in each language; a blank one shows the original, marked, to readers of that language.
        *(
            Field(name, "area" if name.startswith("description") else "text")
            for name in translation_columns()
        ),
    ]


def indicator_section() -> str:
    """Choose an indicator (or a new one) and edit it; the catalogue as stored below.

    Returns:
        The code chosen (:data:`observatory.ui.edit_forms.NEW` for a new indicator).
    """
    table = editing.form_choices(store())["indicators"]
    code = chooser(dict(zip(table["code"], table["name"], strict=True)), key="indicator-edit")
    current = current_row(table, code, _RENAMES)
    if current.get("denominator") is None:
        current["denominator"] = ""
    edit_form(ImportKind.INDICATORS, _fields(), current, code=code, key="indicator-edit")
    st.dataframe(table, hide_index=True, key="indicator-catalogue")
    return code
