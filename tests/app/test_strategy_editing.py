"""AppTest of the strategy editing page: targets and their history, assessments, partners, routing."""

import os
from datetime import date, datetime

import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import editing, publish
from observatory.store import connect, queries
from tests.app.helpers import start
from tests.services.test_editing import OB1

PAGE = "pages/strategy_editing.py"
STRATEGY = "pages/strategy.py"


def _editor(role="editor"):
    return start(PAGE, role=role)


def _stored_objective(path, code="OB1"):
    store = connect(path)
    try:
        return queries.strategy(store)["objectives"].set_index("code").loc[code]
    finally:
        store.close()


def _save_target(at, value):
    at.number_input(key="edit-objective-target_value-OB1").set_value(value)
    at.button(key="edit-objective-save-OB1").click().run()


def test_editor_opens_the_page_with_the_first_objective_chosen(demo_app):
    at = _editor()
    assert not at.exception
    assert at.title[0].value == "Strategy editing"
    assert at.selectbox(key="edit-objective").value == "OB1"
    assert at.number_input(key="edit-objective-target_value-OB1").value == 1442.0


def test_changed_target_is_saved_and_shown_in_the_history(demo_app):
    at = _editor()
    _save_target(at, 1400.0)
    assert not at.exception
    assert at.success[0].value.startswith("Saved as change")
    assert _stored_objective(demo_app)["target_value"] == 1400.0
    history = at.dataframe[0].value
    assert list(history["Target"]) == ["1,442 → 1,400"]
    assert list(history["Who"]) == ["editor"]


def test_changed_target_shows_on_the_strategy_page_without_a_name(demo_app):
    at = _editor()
    _save_target(at, 1400.0)
    at.switch_page(STRATEGY).run()
    assert not at.exception
    notes = [c.value for c in at.caption if c.value.startswith("Target changed on")]
    assert len(notes) == 1
    assert "1,442 by 2027 → 1,400 by 2027" in notes[0]
    assert "editor" not in notes[0]


def test_refused_target_names_the_field_and_writes_nothing(demo_app):
    at = _editor()
    at.text_input(key="edit-objective-target_period-OB1").input("2020")
    at.button(key="edit-objective-save-OB1").click().run()
    assert not at.exception
    assert "Deadline" in at.error[0].value and "'2020'" in at.error[0].value
    assert _stored_objective(demo_app)["target_period"] == "2027"


def test_saving_an_unchanged_form_says_so(demo_app):
    at = _editor()
    at.button(key="edit-objective-save-OB1").click().run()
    assert at.info[0].value == "Nothing changed: nothing was saved."


def _write_assessment(at, year, text):
    at.number_input(key="assessment-year-OB1").set_value(year)
    at.text_area(key="assessment-text-OB1").input(text)
    at.button(key="assessment-save-OB1").click().run()


def test_assessment_shows_on_the_strategy_page_with_its_author(demo_app):
    at = _editor()
    _write_assessment(at, 2025, "Burglary fell where the visits were made.")
    assert not at.exception
    at.switch_page(STRATEGY).run()
    assert any("Burglary fell where the visits were made." in m.value for m in at.markdown)
    assert any(c.value.startswith("by editor on") for c in at.caption)


def test_rewriting_a_year_keeps_the_earlier_text_among_the_versions(demo_app):
    at = _editor()
    _write_assessment(at, 2025, "First draft.")
    _write_assessment(at, 2025, "Agreed text.")
    assert at.expander[-1].label == "Every version (2)"
    at.switch_page(STRATEGY).run()
    texts = " ".join(m.value for m in at.markdown)
    assert "Agreed text." in texts
    assert "First draft." not in texts


def test_blank_assessment_is_refused_naming_the_text(demo_app):
    at = _editor()
    _write_assessment(at, 2025, "   ")
    assert "Assessment" in at.error[0].value


def test_new_partner_is_created_and_chosen(demo_app):
    at = _editor()
    at.selectbox(key="edit-partner").select("__new__").run()
    at.text_input(key="edit-partner-code-new").input("P99")
    at.text_input(key="edit-partner-name-__new__").input("Bar owners' association")
    at.selectbox(key="edit-partner-sector-__new__").select("private")
    at.button(key="edit-partner-save-__new__").click().run()
    assert not at.exception
    assert at.selectbox(key="edit-partner").value == "P99"
    assert at.text_input(key="edit-partner-name-P99").value == "Bar owners' association"


def test_admin_may_use_the_page(demo_app):
    at = _editor("admin")
    assert not at.exception
    assert at.title[0].value == "Strategy editing"


@pytest.mark.parametrize("role", ["viewer", None], ids=["viewer", "anonymous"])
def test_the_page_is_not_routable_below_editor(demo_app, role):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        start(PAGE, role=role)


@pytest.mark.parametrize(
    ("lang", "title"), [("pt", "Edição da estratégia"), ("fr", "Édition de la stratégie")]
)
def test_page_renders_in_every_language(demo_app, lang, title):
    at = start(PAGE, role="editor", query={"lang": lang})
    assert not at.exception
    assert at.title[0].value == title


def test_public_page_says_when_a_target_changed_once_published(demo_app):
    store = connect(demo_app)
    try:
        editing.save(
            store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=Actor("ana", Role.EDITOR)
        )
        admin = Actor("root", Role.ADMIN)
        publish.publish(
            store, actor=admin, snapshot_path=os.environ["OBSERVATORY_SNAPSHOT"], now=datetime(2026, 2, 1)
        )
    finally:
        store.close()
    at = start(STRATEGY)
    assert not at.exception
    notes = [c.value for c in at.caption if c.value.startswith("Target changed on")]
    assert len(notes) == 1
    assert "1,442 by 2027 → 1,400 by 2027" in notes[0]
    assert not any("ana" in c.value.split() for c in at.caption)


def _stored_action(path, code="AC01"):
    store = connect(path)
    try:
        plan = queries.strategy(store)
    finally:
        store.close()
    links = plan["action_partners"]
    return plan["actions"].set_index("code").loc[code], sorted(
        links.loc[links["action_code"] == code, "partner_code"]
    )


def test_action_status_end_and_partners_are_saved(demo_app):
    at = _editor()
    assert at.multiselect(key="edit-action-partners-AC01").value == ["P01", "P09", "P11"]
    at.selectbox(key="edit-action-status-AC01").select("completed")
    at.date_input(key="edit-action-end-AC01").set_value(date(2025, 6, 30))
    at.multiselect(key="edit-action-partners-AC01").unselect("P09")
    at.button(key="edit-action-save-AC01").click().run()
    assert not at.exception
    action, partners = _stored_action(demo_app)
    assert (action["status"], action["end_date"].date()) == ("completed", date(2025, 6, 30))
    assert partners == ["P01", "P11"]


def test_action_ending_before_it_starts_names_the_end(demo_app):
    at = _editor()
    at.date_input(key="edit-action-end-AC01").set_value(date(2020, 1, 1))
    at.button(key="edit-action-save-AC01").click().run()
    assert "**End**" in at.error[0].value
    assert _stored_action(demo_app)[0]["end_date"].date() == date(2026, 12, 31)
