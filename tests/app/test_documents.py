"""AppTest of the Documents page and the "What changed, where" page, for every role."""

from __future__ import annotations

import pytest

from observatory.store import connect, queries
from tests.app.helpers import figures, start

pytestmark = pytest.mark.xdist_group("app-documents")

ROLES = (None, "viewer", "editor")


def _downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.mark.parametrize("role", ROLES)
def test_the_documents_page_offers_every_document_to_every_role(demo_app, role):
    at = start("pages/documents.py", role=role)
    assert not at.exception
    kinds = at.selectbox(key="doc_kind")
    assert list(kinds.options) == [
        "District briefing",
        "City briefing",
        "Yearly evaluation of the strategy",
        "Security diagnosis",
    ]
    assert "Make and download" in _downloads(at)
    sources = [r for r in at.radio if r.key == "doc_source"]
    # The public reads the release only; signed-in staff choose the staff database or the release.
    assert bool(sources) is (role is not None)


def test_an_editor_writes_the_diagnosis_text_for_the_year(demo_app, buttons):
    at = start("pages/documents.py", role="editor")
    at.selectbox(key="doc_kind").select("diagnosis").run()
    assert not at.exception
    area = next(a for a in at.text_area if a.key and a.key.endswith("_introduction"))
    year = int(area.key.split("_")[2])
    area.input("Portelva's own introduction, *as typed*.")
    next(b for b in at.button if "Save the texts" in str(b.label)).click().run()
    assert not at.exception
    assert any("1 block(s) saved" in s.value for s in at.success)
    store = connect(demo_app)
    try:
        assert year == queries.observation_years(store)[0]
        found = queries.document_texts(store, "diagnosis", year)
    finally:
        store.close()
    assert found.set_index("block").at["introduction", "text"] == "Portelva's own introduction, *as typed*."


@pytest.mark.parametrize("role", (None, "viewer"))
def test_the_grid_page_shows_every_indicator_for_the_city_and_the_districts(demo_app, role):
    at = start("pages/where.py", role=role)
    assert not at.exception
    grid = figures(at)[0]["data"][0]
    assert grid["type"] == "heatmap"
    assert len(grid["y"]) >= 10 and len(grid["x"]) >= 10
    assert grid["x"][0] == "Portelva", "the city comes first"
    at.radio(key="lens").set_value("benchmark").run()
    assert not at.exception
    assert any("Click a cell" in c.value for c in at.caption)
