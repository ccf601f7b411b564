"""Starter catalogues on the indicators page: every police.uk crime type or SSMSI class in one click.

The button's callback hands the choice to services.starters (role checked again there), which writes
one indicators batch; names are written in the language the page is shown in. The outcome is kept
for the run that follows, which draws the catalogue as stored.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.domain import ObservatoryError
from observatory.i18n import format_number, get_locale, locale_scope, t
from observatory.services import starters
from observatory.ui import data, edit_forms
from observatory.ui.resources import store

_FLASH = "starter-flash"


def _outcome(result: starters.StarterResult) -> tuple[str, str]:
    """(``success`` | ``info`` | ``error``, words) for what adding a starter did."""
    if not result.report.ok:
        reasons = "; ".join(issue.message for issue in result.report.errors)
        return "error", t("starter.refused", reason=reasons)
    lines = [
        t(
            "starter.done",
            created=format_number(len(result.created)),
            unchanged=format_number(len(result.unchanged)),
        )
    ]
    lines += [t("starter.derived_made", code=code, n=len(parts)) for code, parts in result.derived.items()]
    lines += [t("starter.not_derived", code=code) for code in result.not_derived]
    if result.report.batch_id:
        lines.append(t("edit.saved", batch=result.report.batch_id))
    return ("success" if result.created else "info"), "  \n".join(lines)


def _add(name: str, locale: str) -> None:
    """Button callback: create the starter's missing indicators as one batch, names in ``locale``.

    A callback runs before dashboard.py has set the run's language, so the page passes it.
    """
    try:
        result = starters.add(store(), name, actor=edit_forms.current_actor(), locale=locale)
    except ObservatoryError as exc:
        with locale_scope(locale):
            st.session_state[_FLASH] = ("error", t("starter.refused", reason=str(exc)))
        return
    if result.created:
        data.clear()  # the pages must see the new indicators
    with locale_scope(locale):
        st.session_state[_FLASH] = _outcome(result)


def _table(frame: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            t("starter.col_code"): frame["code"],
            t("starter.col_name"): frame["name"],
            t("starter.col_polarity"): [t(f"polarity.{p}") for p in frame["polarity"]],
            t("starter.col_denominator"): [t(f"denominator.{d}") for d in frame["denominator"]],
            t("starter.col_status"): [
                t("starter.exists") if found else t("starter.new") for found in frame["exists"]
            ],
        }
    )
    st.dataframe(shown, hide_index=True, key="starter-table")


def starter_section() -> None:
    """Choose a starter catalogue, see what it would create, and create it with one click."""
    st.subheader(t("starter.heading"))
    st.caption(t("starter.intro"))
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        getattr(st, flash[0])(flash[1])
    options = sorted(starters.CATALOGUES)
    locale = get_locale()

    def label(name: str) -> str:  # Streamlit may call it outside the run: bound to the run's language
        with locale_scope(locale):
            return t(f"starter.name_{name}")

    name = st.selectbox(t("starter.choose"), options, format_func=label, key="starter-choice")
    frame = starters.plan(store(), name, locale)
    _table(frame)
    for row in frame[frame["derived"] != ""].itertuples():
        st.caption(t("starter.derived_note", code=row.code, parts=row.derived))
    missing = int((~frame["exists"]).sum())
    st.button(
        t("starter.add", n=format_number(missing)),
        key="starter-add",
        type="primary",
        disabled=missing == 0,
        on_click=_add,
        args=(name, locale),
    )
