"""AppTest of area groupings beside districts: the trends page, the "what changed, where" grid."""

import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import groups, imports
from observatory.store import connect, queries
from tests.app.helpers import figures, official, start

EDITOR = Actor("rita", Role.EDITOR)


def _line_names(figure):
    return [trace["name"] for trace in figure["data"] if trace.get("mode") == "lines+markers"]


@pytest.mark.parametrize("audience", ["official", "public"])
def test_a_grouping_is_a_series_on_the_trends_page(grouped_app, audience):
    query = {"indicator": "burglary", "view": "year", "measure": "rate", "groups": "centre"}
    at = (
        official("pages/trends.py", query=query)
        if audience == "official"
        else start("pages/trends.py", query=query)
    )
    assert not at.exception
    # The grouping's name is user text: drawn as typed, never as markup.
    assert sorted(_line_names(figures(at)[0])) == ["City centre &lt;b&gt;", "Portelva"]
    [verdicts] = [d.value for d in at.dataframe if "Trend" in d.value.columns]
    assert list(verdicts.iloc[:, 0]) == ["Portelva", "City centre <b>"]
    assert verdicts["Trend"].iloc[1] != ""


def test_the_groups_picker_is_absent_without_groupings(demo_app):
    at = official("pages/trends.py", query={"indicator": "burglary"})
    assert not at.exception
    assert not [m for m in at.multiselect if m.key == "groups"]


def _cells_shown(at):
    [grid] = [f for f in figures(at) if f["data"] and f["data"][0].get("type") == "heatmap"]
    return list(grid["data"][0]["x"])


def test_the_grid_shows_districts_groupings_or_both(grouped_app):
    at = official("pages/where.py")
    assert not at.exception
    assert "City centre &lt;b&gt;" not in _cells_shown(at)  # districts, as before, until groupings are chosen
    at.radio(key="where_show").set_value("groups").run()
    assert not at.exception
    assert _cells_shown(at) == ["Portelva", "City centre &lt;b&gt;"]  # drawn as typed
    at.radio(key="where_show").set_value("both").run()
    shown = _cells_shown(at)
    assert "City centre &lt;b&gt;" in shown and len(shown) > 2


def test_an_editor_names_a_grouping_as_an_action_s_target_area(grouped_app, buttons):
    at = start("pages/strategy_editing.py", role="editor")
    at.selectbox(key="edit-action").select("AC01").run()
    field = at.multiselect(key="edit-action-areas-AC01")
    assert "centre" in field.options or any("City centre" in str(o) for o in field.options)
    field.set_value(["centre"])
    at.button(key="edit-action-save-AC01").click().run()
    assert not at.exception
    store = connect(grouped_app)
    try:
        stored = queries.strategy(store)["actions"].set_index("code")
        assert stored.at["AC01", "target_areas"] == "centre"
        assert groups.delete_group(store, "centre", actor=EDITOR).used_by == (("action", "AC01"),)
    finally:
        store.close()


def test_an_editor_deletes_a_grouping_and_is_told_when_it_is_in_use(grouped_app, buttons):
    store = connect(grouped_app)
    try:
        text = "code,objective,title,lead_partner,partners,status,start,end,budget,areas,indicators\n"
        text += "AC77,OB1,Patrols,P02,,planned,2024-01-01,2025-12-31,100,centre,burglary\n"
        assert imports.import_table(store, ImportKind.ACTIONS, text.encode(), "a.csv", actor=EDITOR).ok
    finally:
        store.close()
    at = start("pages/groups.py", role="editor")
    at.selectbox(key="group-delete-code").select("centre")
    [button] = [b for b in at.button if b.label == "Delete the grouping"]
    button.click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Not deleted: the grouping is the area of action AC77. Change those first."
    ]
    store = connect(grouped_app)
    try:
        text = "code,objective,title,lead_partner,partners,status,start,end,budget,areas,indicators\n"
        text += "AC77,OB1,Patrols,P02,,planned,2024-01-01,2025-12-31,100,01|02,burglary\n"
        assert imports.import_table(store, ImportKind.ACTIONS, text.encode(), "a.csv", actor=EDITOR).ok
    finally:
        store.close()
    at = start("pages/groups.py", role="editor")
    at.selectbox(key="group-delete-code").select("centre")
    [button] = [b for b in at.button if b.label == "Delete the grouping"]
    button.click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Deleted (batch ")
    store = connect(grouped_app)
    try:
        assert groups.list_groups(store).empty
    finally:
        store.close()


@pytest.mark.parametrize("audience", ["official", "public"])
def test_the_documents_page_makes_a_grouping_s_briefing(grouped_app, downloads, audience):
    at = official("pages/documents.py") if audience == "official" else start("pages/documents.py")
    at.selectbox(key="doc_kind").select("district").run()
    places = at.selectbox(key="district")
    assert places.options[-1] == "City centre <b> (grouping)"  # offered after the districts, said to be one
    places.select("centre").run()
    at.radio(key="doc_format").set_value("html").run()
    assert not at.exception
    [name] = [n for n in downloads if n.startswith("district-centre-") and n.endswith(".html")]
    page = downloads[name].decode()
    assert "City centre &lt;b&gt;" in page  # the grouping's name, as text
    assert ("INTERNAL" in page) is (audience == "official")
