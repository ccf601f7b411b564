"""The strategy screen's impact notes: did each action move its result indicators, with the picture."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from observatory import charts
from observatory.i18n import get_locale, rate_label, t
from observatory.present.impact import checks_text, picture_labels, verdicts_by_action
from observatory.services import impact, strategy, views
from observatory.ui import components
from observatory.ui.resources import cached, reader


@cached()
def _estimates(locale: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every action's estimates in one language and their pictures, computed once per source."""
    return impact.estimates_with_pictures(reader(), lang=locale)


@cached()
def estimable() -> list[str]:
    """Codes of the actions an estimate is made for (target areas and result indicators named)."""
    return impact.estimable(reader())


Known = tuple[pd.DataFrame, pd.DataFrame]


def known() -> Known:
    """The estimates to show with the actions: all of them when the reader turned them on (computed
    then, if need be), else those some earlier run computed for the data as it is now (never computed
    here).

    The kept ones are not cached by the page: the memory fills as readers turn the estimates on;
    reading it costs one query (the data state), so a page reads it once per run and hands it on.
    """
    if st.session_state.get("impact"):
        return _estimates(get_locale())
    return impact.memoized_with_pictures(reader(), lang=get_locale())


def known_verdicts(kept: Known) -> dict[str, str]:
    """Each action's verdicts in a few words, for the actions whose estimates are known (else empty)."""
    table, _ = kept
    if table.empty:
        return {}
    names = {code: _indicator_words(code, get_locale())[0] for code in table["indicator_code"].unique()}
    return verdicts_by_action(table, names)


@cached()
def _action_facts() -> pd.DataFrame:
    return strategy.all_actions(reader())[["code", "objective_code", "title", "start_date"]]


@cached()
def _indicator_words(code: str, locale: str) -> tuple[str, str, float]:
    info = views.indicator(reader(), code)
    scale = float(info.multiplier) if info.has_rate else 1.0
    return info.name, rate_label(info) if info.has_rate else t(f"unit.{info.unit}"), scale


def impact_wanted() -> bool:
    """Whether the reader asked for the impact estimates (a toggle above the objectives).

    The estimates fit several count regressions per action (about 3 s for the demo's six on an idle
    machine, much more on a busy one), so they are computed when asked for, then cached per source.
    """
    return bool(st.toggle(t("impact.toggle"), key="impact", help=t("impact.toggle_help")))


def impact_notes(objective_code: str, kept: Known | None = None) -> None:
    """Under an objective: each of its actions' estimates, checks and picture (nothing when none).

    Shown open when the reader turned the estimates on (computed then, if need be); otherwise, where
    earlier runs computed them for the data as it is, folded in an expander under the actions table.
    """
    wanted = bool(st.session_state.get("impact"))
    if wanted:
        table, pictures = _estimates(get_locale())
    elif kept is not None:
        table, pictures = kept
    else:
        return
    mine = table[table["objective_code"] == objective_code]
    if mine.empty:
        return
    if wanted:
        st.markdown(f"**{t('impact.heading')}**")
        _notes(mine, pictures)
    else:
        with st.expander(t("impact.expander")):
            _notes(mine, pictures)


def _notes(mine: pd.DataFrame, pictures: pd.DataFrame) -> None:
    facts = _action_facts().set_index("code")
    for _, row in mine.iterrows():
        action, indicator = str(row["action_code"]), str(row["indicator_code"])
        name, y_title, scale = _indicator_words(indicator, get_locale())
        title = str(facts.loc[action, "title"]) if action in facts.index else action
        # Titles are staff text: shown as text, never Markdown.
        st.text(f"{action} · {title} · {name}")
        st.text(str(row["text"]))
        st.caption(t(f"impact.method.{row['method']}") + " · " + " ".join(checks_text(row)))
        picture = pictures[(pictures["action_code"] == action) & (pictures["indicator_code"] == indicator)]
        if picture.empty or action not in facts.index:
            continue
        # Drawn on request: a page of eight objectives would otherwise build every picture at each run.
        if st.toggle(t("impact.picture_title"), key=f"impact-show-{action}-{indicator}"):
            start = pd.Timestamp(facts.loc[action, "start_date"]).date()
            figure = charts.counterfactual(
                picture,
                start=date(start.year, start.month, 1),
                y_title=y_title,
                labels=picture_labels(),
                scale=scale,
            )
            components.chart(figure, key=f"impact-{action}-{indicator}", title=f"{action} — {y_title}")
