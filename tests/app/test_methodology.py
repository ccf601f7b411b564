"""AppTest of the methodology page, and its pieces: filtering, entries, translated words, method figures."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from observatory import i18n
from observatory.ui import methodology
from tests.app.helpers import official

PAGE = "pages/methodology.py"
PAGE_FILE = Path(__file__).resolve().parents[2] / PAGE


def _page_in(lang: str) -> AppTest:
    return official(PAGE, query={"lang": lang})


@pytest.fixture(autouse=True)
def _english():
    i18n.set_locale("en")
    yield
    i18n.set_locale("en")


def _entries(at) -> list[str]:
    """The indicator codes of the entries shown (each entry's first line ends with its code)."""
    return [md.value.split("`")[1] for md in at.markdown if md.value.startswith("**") and " · `" in md.value]


def _param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def _catalogue(**changes) -> pd.DataFrame:
    row = {
        "code": "burglary",
        "name": "Burglary of dwellings",
        "kind": "result",
        "theme": "property crime",
        "unit": "count",
        "polarity": "lower_is_better",
        "denominator_kind": "dwellings",
        "multiplier": 1000.0,
        "denominator_years": "2016–2025",
        "disclosure_threshold": 5,
        "granularities": "month",
        "years": "2016–2025",
        "first_year": 2016,
        "last_year": 2025,
        "districts": 20,
        "city": False,
        "withheld": 0,
        "series_breaks": "",
        "description": "Recorded burglaries of homes.",
        "source": "Police",
    }
    row.update(changes)
    return pd.DataFrame([row])


# --- the page -----------------------------------------------------------------------------------


def test_page_lists_every_indicator_and_the_methods(demo_app):
    at = official(PAGE)
    assert not at.exception
    assert len(_entries(at)) == 16
    assert [h.value for h in at.header] == ["Indicators", "Statistical methods"]
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:3] == ["Context indicators", "Activity indicators", "Result indicators"]
    assert "Progress towards a target" in subheaders


def test_entries_are_grouped_by_kind_then_theme(demo_app):
    at = official(PAGE)
    codes = _entries(at)
    assert codes[:2] == ["unemployment", "youth_share"]
    assert codes.index("treatment_referrals") < codes.index("burglary")
    assert codes.index("help_centre_contacts") < codes.index("safe_house_nights")


def test_entry_shows_denominator_polarity_threshold_and_coverage_in_words(demo_app):
    at = official(PAGE)
    burglary = next(md.value for md in at.markdown if "`burglary`" in md.value)
    assert "rate per 1,000 dwellings (2016–2025)" in burglary
    assert "lower is better" in burglary
    assert "counts from 1 to 4 shown as “\\< 5”" in burglary
    assert "month · 2016–2025 · 20 districts" in burglary
    domestic = next(md.value for md in at.markdown if "`domestic_violence`" in md.value)
    assert "counts from 1 to 9" in domestic


def test_kind_filter_keeps_one_kind_and_goes_into_the_url(demo_app):
    at = official(PAGE)
    at.radio(key="kind").set_value("context").run()
    assert not at.exception
    assert sorted(_entries(at)) == ["unemployment", "youth_share"]
    assert _param(at, "kind") == "context"


def test_search_narrows_the_list_and_goes_into_the_url(demo_app):
    at = official(PAGE)
    at.text_input(key="search").input("BURGLARY").run()
    assert not at.exception
    assert _entries(at) == ["burglary"]
    assert _param(at, "search") == "BURGLARY"


def test_emptied_search_leaves_the_url(demo_app):
    at = official(PAGE, query={"search": "drug"})
    at.text_input(key="search").input("").run()
    assert len(_entries(at)) == 16
    assert "search" not in at.query_params


def test_url_restores_kind_and_search(demo_app):
    at = official(PAGE, query={"kind": "activity", "search": "drug"})
    assert not at.exception
    assert at.radio(key="kind").value == "activity"
    assert at.text_input(key="search").value == "drug"
    assert _entries(at) == ["treatment_referrals"]


def test_no_match_says_so(demo_app):
    at = official(PAGE, query={"search": "no such indicator"})
    assert not at.exception
    assert _entries(at) == []
    assert at.info[0].value == "No indicator matches this kind and search."


def test_catalogue_can_be_downloaded(demo_app):
    at = official(PAGE)
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download CSV", "Download spreadsheet (.xlsx)"]


@pytest.mark.parametrize(
    ("lang", "title", "check", "polarity"),
    [
        ("en", "Methodology", "50.2 to 82.8", "lower is better"),
        ("pt", "Metodologia", "50,2 a 82,8", "quanto mais baixo, melhor"),
        ("fr", "Méthodologie", "50,2 à 82,8", "plus bas, c'est mieux"),
    ],
)
def test_every_language_renders_texts_figures_and_enum_words(demo_app, lang, title, check, polarity):
    at = _page_in(lang)
    assert not at.exception
    assert at.title[0].value == title
    texts = " ".join(md.value for md in at.markdown)
    assert check in texts
    assert polarity in texts


# --- the pieces ---------------------------------------------------------------------------------


def test_filter_ignores_case_and_accents():
    frame = _catalogue(name="Violência doméstica", code="dv")
    assert list(methodology.filter_catalogue(frame, "all", "VIOLENCIA")["code"]) == ["dv"]


def test_filter_needs_every_word():
    frame = _catalogue()
    assert len(methodology.filter_catalogue(frame, "all", "burglary police")) == 1
    assert methodology.filter_catalogue(frame, "all", "burglary fraud").empty


def test_filter_by_kind_drops_other_kinds():
    frame = pd.concat([_catalogue(), _catalogue(code="jobs", kind="context", theme="social")])
    assert list(methodology.filter_catalogue(frame, "context", "")["code"]) == ["jobs"]
    assert list(methodology.filter_catalogue(frame, "all", "")["code"]) == ["jobs", "burglary"]


def test_markdown_from_the_data_is_escaped():
    row = _catalogue(name="Fines *paid* in $", description="a_b [link](x)").iloc[0]
    text = methodology.indicator_markdown(row)
    assert "\\*paid\\*" in text
    assert "\\$" in text
    assert "a\\_b \\[link\\](x)" in text


def test_indicator_without_denominator_says_so():
    row = _catalogue(denominator_kind="", denominator_years="").iloc[0]
    assert methodology.denominator_text(row) == "none: the value is shown as it is"


def test_percentages_have_no_disclosure_threshold():
    row = _catalogue(unit="percent").iloc[0]
    assert methodology.threshold_text(row) == "not applicable (not a count)"


def test_threshold_of_one_withholds_nothing():
    row = _catalogue(disclosure_threshold=1).iloc[0]
    assert methodology.threshold_text(row) == "no count withheld"


def test_nothing_stored_is_said_in_words():
    row = _catalogue(granularities="", years="", districts=pd.NA, withheld=pd.NA).iloc[0]
    assert methodology.stored_text(row) == "nothing stored yet"


def test_withheld_values_and_city_rows_are_mentioned():
    row = _catalogue(districts=0, city=True, withheld=7).iloc[0]
    assert methodology.stored_text(row) == "month · 2016–2025 · the city as a whole · 7 values not published"


def test_series_breaks_are_listed_in_the_entry():
    row = _catalogue(series_breaks="2025-07-01 (new definition)").iloc[0]
    assert "**Series breaks:** 2025-07-01 (new definition)" in methodology.indicator_markdown(row)


def test_unknown_enum_value_is_shown_as_stored():
    row = _catalogue(polarity="sideways").iloc[0]
    assert "**Polarity:** sideways" in methodology.indicator_markdown(row)
