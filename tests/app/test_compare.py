"""AppTest of fair comparison: groupings on the map and the profile, the funnel, similar districts; for an
official (staff store) and for the public (the release, where groupings are published with it)."""

import pytest

from observatory.services import groups
from observatory.store import connect
from tests.app.helpers import figures, official, start


def _traces(at, kind):
    return [trace for fig in figures(at) for trace in fig["data"] if trace.get("type") == kind]


@pytest.mark.parametrize("audience", ["official", "public"])
def test_map_draws_the_grouping_and_the_funnel(grouped_app, audience):
    query = {"indicator": "violence", "period": "2025", "group": "centre"}
    at = (
        official("pages/map.py", query=query)
        if audience == "official"
        else start("pages/map.py", query=query)
    )
    assert not at.exception
    # The grouping's name is user text: escaped where every chart is shown, so plotly draws it as typed.
    outline = [t for t in _traces(at, "choropleth") if t.get("name") == "City centre &lt;b&gt;"]
    assert len(outline) == 1 and outline[0]["locations"] == ["centre"]
    # The funnel: one marker trace per place, every district drawn once, with its code.
    points = [row[0] for t in _traces(at, "scatter") if t.get("mode") == "markers" for row in t["customdata"]]
    assert sorted(points) == [f"{i:02d}" for i in range(1, 21)]
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "City centre \\<b\\>" in text  # the grouping's name is text, not HTML
    assert "overdispersion" in text or "vary as chance" in text


def test_map_benchmark_against_similar_districts(grouped_app):
    at = official("pages/map.py", query={"indicator": "violence", "period": "2025", "measure": "benchmark"})
    assert not at.exception
    at.radio(key="versus").set_value("peers").run()
    assert not at.exception
    names = {t["name"] for t in _traces(at, "choropleth")}
    assert names & {
        "better than similar districts",
        "worse than similar districts",
        "similar to similar districts",
    }
    assert any("CIPFA" in c.value for c in at.caption)


@pytest.mark.parametrize("audience", ["official", "public"])
def test_profile_of_a_grouping(grouped_app, audience):
    query = {"group": "centre", "year": "2025"}
    page = "pages/profile.py"
    at = official(page, query=query) if audience == "official" else start(page, query=query)
    assert not at.exception
    assert "City centre" in at.header[0].value
    table = at.dataframe[0].value
    assert "Violence against persons" in set(table.iloc[:, 0])
    if audience == "official":
        row = table[table.iloc[:, 0] == "Violence against persons"].iloc[0]
        assert row.iloc[1] == "711"  # districts 01–04 summed in 2025 (see tests/services/test_groups.py)


def test_profile_of_a_district_lists_its_similar_districts(grouped_app):
    at = official("pages/profile.py", query={"district": "05", "year": "2025"})
    assert not at.exception
    assert any(s.value == "Similar districts" for s in at.subheader)


def test_an_editor_saves_a_grouping_from_the_picker(demo_app):
    at = start("pages/groups.py", role="editor")
    assert not at.exception
    assert at.title[0].value == "Area groupings"
    at.text_input(key="group-code").set_value("contract")
    at.text_input(key="group-name").set_value("City contract")
    at.multiselect(key="group-members").select("05").select("06")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value == "Saved: 1 grouping(s)."
    store = connect(demo_app)
    try:
        assert groups.members(store, "contract") == ["05", "06"]
    finally:
        store.close()


def test_a_bad_grouping_csv_is_refused_naming_row_and_column(demo_app, buttons):
    at = start("pages/groups.py", role="editor")
    at.file_uploader(key="group-csv").upload("g.csv", b"group,name,area\nx,X,01\nx,X,77\n", "text/csv").run()
    at.button(key="group-csv-import").click().run()
    assert not at.exception
    issues = at.dataframe[-1].value
    assert list(issues.iloc[0][:3]) == [2, "area", "77"]


def test_staff_weights_change_the_similar_districts_and_the_public_has_none(grouped_app):
    at = official("pages/profile.py", query={"district": "05", "year": "2025"})
    before = list(at.dataframe[3].value.iloc[:, 0])
    at.number_input(key="peer-weight-density").set_value(0.0).run()
    assert not at.exception
    variables = list(at.dataframe[4].value.iloc[:, 0])
    assert "Population density (residents per km²)" not in variables
    assert list(at.dataframe[3].value.iloc[:, 0]) != before
    public = start("pages/profile.py", query={"district": "05", "year": "2025"})
    assert not public.exception
    assert not [n for n in public.number_input if n.key and n.key.startswith("peer-weight")]
