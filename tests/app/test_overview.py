"""AppTest of the overview page: starts, builds the demo on a fresh database, shows what changed."""

from observatory.store import connect, queries
from tests.app.helpers import official


def test_fresh_database_builds_the_demo_and_the_overview_renders(app_env, tmp_path):
    path = app_env(tmp_path / "fresh.duckdb")
    at = official()
    assert not at.exception
    store = connect(path)
    assert len(queries.areas(store, level=1)) == 20
    store.close()
    assert at.title[0].value == "City overview"


def test_headline_cards_say_rate_denominator_and_verdict(demo_app):
    at = official()
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "per 1,000 dwellings (2025)" in text
    assert "beyond chance" in text


def test_indicator_choice_changes_the_movers_table(demo_app):
    at = official(query={"indicator": "burglary"})
    first = at.dataframe[0].value
    at.selectbox(key="indicator").select("drug_offences").run()
    assert not at.exception
    assert at.query_params["indicator"] in ("drug_offences", ["drug_offences"])
    assert not at.dataframe or not at.dataframe[0].value.equals(first)


def test_movers_are_only_significant_moves(demo_app):
    at = official(query={"indicator": "burglary"})
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert all("beyond chance" in v for v in table["Verdict"])


def test_url_restores_the_selection(demo_app):
    at = official(query={"indicator": "robbery"})
    assert at.selectbox(key="indicator").value == "robbery"


def test_every_language_renders(demo_app):
    titles = {}
    for lang in ("en", "pt", "fr"):
        at = official(query={"lang": lang})
        assert not at.exception, lang
        titles[lang] = at.title[0].value
    assert len(set(titles.values())) == 3


def test_strategy_summary_counts_every_objective_with_words(demo_app):
    at = official()
    text = " ".join(m.value for m in at.markdown)
    for word in ("achieved", "on track", "deteriorating", "too early to tell"):
        assert word in text
    assert text.count("OB") >= 8
