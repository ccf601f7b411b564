"""AppTest of the series-break register on the indicators page: add, change, remove, refusals."""

from datetime import date

import pytest

from observatory.domain import Actor, Role
from observatory.services import breaks
from observatory.store import connect
from tests.app.helpers import figures, start

PAGE = "pages/indicators.py"
BREAK = date(2023, 1, 1)


def _register(path, code="burglary"):
    store = connect(path)
    try:
        frame = breaks.list_breaks(store, code)
    finally:
        store.close()
    return [
        (d, None if n is None or n != n else n)
        for d, n in zip(frame["break_date"], frame["note"], strict=True)
    ]


def _seed(path, when=BREAK, note="New recording rules"):
    store = connect(path)
    try:
        breaks.add_break(store, "burglary", when, note, actor=Actor("setup", Role.EDITOR))
    finally:
        store.close()


@pytest.fixture
def burglary(demo_app, buttons):
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("burglary").run()
    return at


def _shown(at):
    return next(t.value for t in at.dataframe if "What changed" in t.value.columns)


def test_register_starts_empty_for_the_demo_indicator(burglary):
    assert not burglary.exception
    assert any(c.value == "No series break is registered for this indicator." for c in burglary.caption)


def test_break_added_on_the_page_is_stored_and_listed(burglary, demo_app):
    burglary.date_input(key="break-add-date-burglary").set_value(BREAK)
    burglary.text_input(key="break-add-note-burglary").input("New recording rules")
    burglary.button(key="break-add-burglary").click().run()
    assert not burglary.exception
    assert _register(demo_app) == [(BREAK, "New recording rules")]
    assert burglary.success[0].value == "Series break from 1 January 2023 added."
    assert _shown(burglary).values.tolist() == [["1 January 2023", "New recording rules"]]


def test_break_without_a_date_is_asked_for(burglary, demo_app):
    burglary.button(key="break-add-burglary").click().run()
    assert burglary.error[0].value == "Choose the first day of the new series."
    assert _register(demo_app) == []


def test_break_on_a_date_already_registered_is_refused_in_words(burglary, demo_app):
    _seed(demo_app)
    burglary.date_input(key="break-add-date-burglary").set_value(BREAK)
    burglary.button(key="break-add-burglary").click().run()
    assert not burglary.exception
    assert burglary.error[0].value.startswith("The register was not changed:")
    assert _register(demo_app) == [(BREAK, "New recording rules")]


def test_break_moved_and_renoted_on_the_page(demo_app, buttons):
    _seed(demo_app)
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("burglary").run()
    suffix = "burglary-2023-01-01"
    at.date_input(key=f"break-edit-date-{suffix}").set_value(date(2023, 7, 1))
    at.text_input(key=f"break-edit-note-{suffix}").input("Commune map redrawn")
    at.button(key="break-save-burglary").click().run()
    assert not at.exception
    assert _register(demo_app) == [(date(2023, 7, 1), "Commune map redrawn")]


def test_break_removed_on_the_page_leaves_the_register(demo_app, buttons):
    _seed(demo_app)
    _seed(demo_app, date(2025, 7, 1), "Violence split in two indicators")
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("burglary").run()
    at.selectbox(key="break-choose-burglary").select(BREAK).run()
    at.button(key="break-remove-burglary").click().run()
    assert not at.exception
    assert _register(demo_app) == [(date(2025, 7, 1), "Violence split in two indicators")]
    assert at.success[0].value == "Series break from 1 January 2023 removed."


def test_break_added_on_the_page_is_drawn_on_the_trend_chart_at_once(demo_app, buttons):
    trends = start("pages/trends.py", role="editor", query={"indicator": "burglary"})
    assert not figures(trends)[0]["layout"].get("shapes")  # the cached reads now hold no break
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("burglary").run()
    at.date_input(key="break-add-date-burglary").set_value(BREAK)
    at.button(key="break-add-burglary").click().run()
    again = start("pages/trends.py", role="editor", query={"indicator": "burglary"})
    assert [shape["x0"] for shape in figures(again)[0]["layout"]["shapes"]] == ["2023-01-01"]


def test_new_indicator_form_has_no_register(demo_app):
    at = start(PAGE, role="editor")
    at.selectbox(key="indicator-edit").select("__new__").run()
    assert not [b for b in at.button if b.key.startswith("break-")]


def test_register_speaks_french(demo_app, buttons):
    at = start(PAGE, role="editor", query={"lang": "fr"})
    at.selectbox(key="indicator-edit").select("burglary").run()
    assert "Ruptures de série · burglary" in [h.value for h in at.subheader]
