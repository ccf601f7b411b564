"""Pages in the reader's language: the Portuguese name where staff gave one, the marked original where not."""

import os

import pytest

from observatory import i18n
from observatory.domain import ImportKind
from observatory.services import imports
from observatory.store import connect
from tests.app.helpers import official
from tests.services.test_content_languages import EDITOR, WITH_LANGUAGES


@pytest.fixture(autouse=True)
def _english():
    i18n.set_locale("en")
    yield
    i18n.set_locale("en")


@pytest.fixture
def translated(demo_app):
    store = connect(os.environ["OBSERVATORY_DB"])
    try:
        report = imports.import_table(store, ImportKind.INDICATORS, WITH_LANGUAGES, "names.csv", actor=EDITOR)
    finally:
        store.close()
    assert report.ok
    return demo_app


def test_a_portuguese_map_shows_the_portuguese_name_where_given(translated):
    at = official("pages/map.py", query={"indicator": "burglary", "lang": "pt"})
    assert not at.exception
    assert "Assaltos a residências" in at.header[0].value
    picker = at.selectbox(key="indicator")
    assert picker.format_func("burglary") == "Assaltos a residências"
    assert picker.format_func("violence") == "Violence against persons [en]"


def test_a_portuguese_map_shows_the_marked_original_where_not(translated):
    at = official("pages/map.py", query={"indicator": "violence", "lang": "pt"})
    assert not at.exception
    assert "Violence against persons [en]" in at.header[0].value.replace("\\", "")  # as the reader sees it


def test_the_same_page_in_english_shows_the_original_unmarked(translated):
    at = official("pages/map.py", query={"indicator": "burglary", "lang": "en"})
    assert not at.exception
    assert "Burglary of dwellings" in at.header[0].value and "[en]" not in at.header[0].value


def test_the_french_methodology_lists_the_french_name(translated):
    at = official("pages/methodology.py", query={"lang": "fr"})
    assert not at.exception
    entries = [md.value for md in at.markdown if md.value.startswith("**")]
    assert any(entry.startswith("**Cambriolages** · `burglary`") for entry in entries)
    assert any(entry.startswith("**Violence against persons \\[en\\]** · `violence`") for entry in entries)
