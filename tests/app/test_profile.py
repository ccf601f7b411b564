"""AppTest of the district profile page: selections in the URL, charts, divergence flag, languages."""

from pathlib import Path

from tests.app.helpers import figures, official

PAGE = "pages/profile.py"
PAGE_FILE = Path(__file__).resolve().parents[2] / PAGE


def _start_in(lang, query):
    return official(PAGE, query={"lang": lang, **query})


def _query_value(at, key):
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def test_page_renders_its_charts_tables_and_downloads(demo_app):
    at = official(PAGE, query={"district": "05"})
    assert not at.exception
    # Crime beside feeling, the context and result spines, and the result trends.
    assert len(figures(at)) == 4
    # The three profile tables, then the similar districts and the variables they are found on.
    assert len(at.dataframe) == 5
    # Each table as CSV and as .xlsx, and the district briefing (its own button, key doc-district).
    buttons = at.get("download_button")
    assert len([b for b in buttons if not b.key.startswith("doc-")]) == 3 * 2
    assert [b.key for b in buttons if b.key.startswith("doc-")] == ["doc-district"]
    assert len(at.metric) == 4


def test_default_year_is_the_latest_complete_year(demo_app):
    at = official(PAGE)
    assert not at.exception
    assert at.selectbox(key="year").value == 2025
    assert at.selectbox(key="district").value == "01"


def test_url_restores_district_and_year(demo_app):
    at = official(PAGE, query={"district": "12", "year": "2023"})
    assert not at.exception
    assert at.selectbox(key="district").value == "12"
    assert at.selectbox(key="year").value == 2023
    assert "Bairro da Lameira" in at.header[0].value
    assert "2023" in at.header[0].value


def test_choosing_a_district_changes_the_profile_and_the_url(demo_app):
    at = official(PAGE, query={"district": "01"})
    before = figures(at)
    at.selectbox(key="district").select("07").run()
    assert not at.exception
    assert "Santa Luzia" in at.header[0].value
    assert _query_value(at, "district") == "07"
    assert figures(at) != before


def test_choosing_a_year_changes_the_url(demo_app):
    at = official(PAGE, query={"district": "05"})
    at.selectbox(key="year").select(2020).run()
    assert not at.exception
    assert _query_value(at, "year") == "2020"
    assert "2020" in at.header[0].value


def test_district_05_is_flagged_as_diverging(demo_app):
    at = official(PAGE, query={"district": "05", "year": "2025"})
    assert len(at.warning) == 1
    assert "diverge" in at.warning[0].body


def test_a_district_without_divergence_is_not_flagged(demo_app):
    at = official(PAGE, query={"district": "03", "year": "2025"})
    assert not at.exception
    assert len(at.warning) == 0


def test_unknown_district_in_the_url_falls_back_to_the_first(demo_app):
    at = official(PAGE, query={"district": "99"})
    assert not at.exception
    assert at.selectbox(key="district").value == "01"


def test_spine_says_the_benchmark_in_words(demo_app):
    at = official(PAGE, query={"district": "05", "year": "2025"})
    names = {trace.get("name") for figure in figures(at) for trace in figure["data"]}
    assert "better than the city" in names


def test_every_language_renders(demo_app):
    titles = set()
    for lang in ("en", "pt", "fr"):
        at = _start_in(lang, {"district": "05"})
        assert not at.exception, lang
        titles.add(at.title[0].value)
        assert len(at.warning) == 1, lang
    assert len(titles) == 3
