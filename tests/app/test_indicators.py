"""AppTest of the indicator catalogue editing page: thresholds, new indicators, who may route to it."""

import pytest

from observatory.store import connect, queries
from tests.app.helpers import start

PAGE = "pages/indicators.py"


def _stored(path, code="burglary"):
    store = connect(path)
    try:
        return queries.indicators(store).set_index("code").loc[code]
    finally:
        store.close()


def _open_burglary():
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("burglary").run()
    return at


def test_changed_threshold_is_saved_and_shown_in_the_catalogue(demo_app):
    at = _open_burglary()
    at.number_input(key="indicator-edit-threshold-burglary").set_value(8)
    at.button(key="indicator-edit-save-burglary").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved as change")
    assert _stored(demo_app)["disclosure_threshold"] == 8
    catalogue = at.dataframe[0].value.set_index("code")
    assert catalogue.loc["burglary", "disclosure_threshold"] == 8


def test_threshold_below_1_is_refused_naming_the_threshold(demo_app):
    at = _open_burglary()
    before = _stored(demo_app)["disclosure_threshold"]
    at.number_input(key="indicator-edit-threshold-burglary").set_value(0)
    at.button(key="indicator-edit-save-burglary").click().run()
    assert "Disclosure threshold" in at.error[0].value
    assert _stored(demo_app)["disclosure_threshold"] == before


def test_threshold_field_explains_what_is_withheld(demo_app):
    at = _open_burglary()
    help_text = at.number_input(key="indicator-edit-threshold-burglary").help
    assert "from 1 to k−1 are withheld" in help_text


def test_new_indicator_is_added_and_chosen(demo_app):
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("__new__").run()
    at.text_input(key="indicator-edit-code-new").input("youth_contacts")
    at.text_input(key="indicator-edit-name-__new__").input("Outreach contacts")
    at.text_input(key="indicator-edit-theme-__new__").input("prevention")
    at.selectbox(key="indicator-edit-kind-__new__").select("activity")
    at.button(key="indicator-edit-save-__new__").click().run()
    assert not at.exception
    assert at.selectbox(key="indicator-edit").value == "youth_contacts"
    assert _stored(demo_app, "youth_contacts")["kind"] == "activity"


@pytest.mark.parametrize("role", ["viewer", None], ids=["viewer", "anonymous"])
def test_the_page_is_not_routable_below_editor(demo_app, role):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        start(PAGE, role=role)


def test_starter_catalogue_is_created_in_one_click(demo_app, buttons):
    at = start(PAGE, role="editor")
    assert at.selectbox(key="starter-choice").value == "police_uk"
    table = at.dataframe[-1].value
    assert len(table) == 15
    assert (table["In the catalogue"] == "already there (left as it is)").sum() == 2  # burglary, robbery
    assert at.button(key="starter-add").label == "Create the 13 missing indicators"
    at.button(key="starter-add").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("13 indicators created, 2 already in the catalogue")
    assert "all_crime is now the sum of 13 indicators" in at.success[0].value
    assert _stored(demo_app, "shoplifting")["name"] == "Shoplifting"
    assert at.button(key="starter-add").disabled


def test_starter_names_follow_the_page_language(demo_app, buttons):
    at = start(PAGE, role="editor", query={"lang": "pt"})
    at.selectbox(key="starter-choice").set_value("ssmsi").run()
    at.button(key="starter-add").click().run()
    assert not at.exception
    assert _stored(demo_app, "vols_de_vehicules")["name"] == "Furto de veículos"
    assert _stored(demo_app, "cambriolages_de_logement")["denominator_kind"] == "dwellings"
