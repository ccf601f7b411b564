"""AppTest of the contracts tab of strategy editing, and of contract results on the strategy page."""

from __future__ import annotations

from datetime import date

from observatory.domain import Actor, Role
from observatory.services import contracts, groups
from observatory.store import connect
from observatory.store import contracts as stored
from tests.app.helpers import start
from tests.services.test_contract_form import COHORTS, CONTRACT, PARTIES

PAGE = "pages/strategy_editing.py"
STRATEGY = "pages/strategy.py"


def _saved(path) -> None:
    store = connect(path)
    try:
        result = contracts.edit_contract(
            store, CONTRACT, PARTIES, COHORTS, actor=Actor("editor", Role.EDITOR), create=True
        )
        assert result.changed
    finally:
        store.close()


def _titles(path) -> list[str]:
    store = connect(path)
    try:
        return list(stored.contracts(store)["title"])
    finally:
        store.close()


def test_an_editor_changes_a_contract_from_the_form(demo_app, buttons):
    _saved(demo_app)
    at = start(PAGE, role="editor")
    assert not at.exception
    assert at.selectbox(key="edit-contract").value == "SIB2"
    assert at.text_input(key="edit-contract-title-SIB2").value == "Home-security bond"
    at.text_input(key="edit-contract-title-SIB2").set_value("Burglary bond")
    at.button(key="edit-contract-save-SIB2").click().run()
    assert not at.exception
    assert _titles(demo_app) == ["Burglary bond"]
    assert any(s.value.startswith("Saved as change") for s in at.success)


def test_a_refused_save_says_which_field_in_the_readers_language(demo_app, buttons):
    _saved(demo_app)
    at = start(PAGE, role="editor", query={"lang": "fr"})
    at.date_input(key="edit-contract-end-SIB2").set_value(date(2020, 1, 1))
    at.button(key="edit-contract-save-SIB2").click().run()
    assert not at.exception
    assert _titles(demo_app) == ["Home-security bond"]
    error = at.error[0].value
    assert ("ligne 1" in error and "**Fin**" in error) or "Fin" in error


def test_contract_results_show_on_the_strategy_page(demo_app):
    _saved(demo_app)
    at = start(STRATEGY, role="viewer")
    assert not at.exception
    frames = [f.value for f in at.dataframe if "Payment due" in f.value.columns]
    assert frames, "no contract table"
    table = frames[0].set_index("Cohort")
    assert table.loc["all", "Status"] == "threshold met"
    assert table.loc["quiet", "Status"] == "threshold not met"


def test_a_grouping_is_offered_by_name_and_a_contract_naming_it_saves(demo_app, buttons):
    store = connect(demo_app)
    try:
        editor = Actor("editor", Role.EDITOR)
        assert groups.save_group(store, "centre", "City centre", ["01", "05"], actor=editor).ok
        cohorts = [{**COHORTS[0], "areas": "centre|12|18"}, COHORTS[1]]
        done = contracts.edit_contract(store, CONTRACT, PARTIES, cohorts, actor=editor, create=True)
        assert done.changed, done.issues
    finally:
        store.close()
    at = start(PAGE, role="editor")
    assert not at.exception
    comparison = at.multiselect(key="edit-contract-comparison-SIB2")
    assert "centre · City centre (grouping)" in comparison.options
    comparison.set_value([*comparison.value, "centre"])
    at.button(key="edit-contract-save-SIB2").click().run()
    assert not at.exception
    store = connect(demo_app)
    try:
        saved = stored.contracts(store)["comparison_areas"].iloc[0]
        assert "centre" in saved.split("|")
        assert set(stored.cohorts(store)["areas"]) == {"centre|12|18", "11"}
    finally:
        store.close()
