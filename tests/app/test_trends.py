"""AppTest of the trends page: chart, districts, views, measures, verdicts, URL state, languages."""

from pathlib import Path

import pytest

from observatory.store import connect
from tests.app.helpers import figures, official

PAGE = "pages/trends.py"
PAGE_FILE = Path(__file__).resolve().parents[2] / PAGE


def _open(query=None):
    return official(PAGE, query={"indicator": "burglary", **(query or {})})


def _line_names(figure):
    return [trace["name"] for trace in figure["data"] if trace.get("mode") == "lines+markers"]


def _table_values(at, index):
    return at.dataframe[index].value


def test_page_renders_the_city_line_with_its_band(demo_app):
    at = _open()
    assert not at.exception
    assert at.title[0].value == "Trends over time"
    [figure] = figures(at)
    assert _line_names(figure) == ["Portelva"]
    assert any(trace.get("fill") == "tonexty" for trace in figure["data"])


def test_chosen_districts_add_one_line_each(demo_app):
    at = _open()
    at.multiselect(key="districts").select("05").select("12").run()
    assert not at.exception
    assert sorted(_line_names(figures(at)[0])) == ["Bairro da Lameira", "Conceição", "Portelva"]
    assert list(at.query_params["districts"]) == ["05", "12"]


def test_rolling_view_draws_one_point_per_month(demo_app):
    at = _open({"view": "rolling12", "measure": "count"})
    assert not at.exception
    [line] = [t for t in figures(at)[0]["data"] if t.get("mode") == "lines+markers"]
    # Ten years of months, the first eleven without a full window.
    assert len(line["x"]) == 120 - 11


def test_measure_switches_between_rate_and_count(demo_app):
    at = _open({"measure": "rate"})
    rate = figures(at)[0]
    at.radio(key="measure").set_value("count").run()
    assert not at.exception
    count = figures(at)[0]
    [rate_line] = [t for t in rate["data"] if t.get("mode") == "lines+markers"]
    [count_line] = [t for t in count["data"] if t.get("mode") == "lines+markers"]
    assert max(count_line["y"]) > 1000 > max(rate_line["y"])


def test_survey_indicator_offers_only_the_yearly_view_and_no_month_table(demo_app):
    at = _open()
    at.selectbox(key="indicator").select("feel_unsafe").run()
    assert not at.exception
    assert at.radio(key="view").options == ["yearly"]
    assert len(at.dataframe) == 1


def test_verdicts_are_in_words_with_polarity(demo_app):
    at = _open({"districts": ["05"]})
    verdicts = _table_values(at, 0)
    assert list(verdicts["Area"]) == ["Portelva", "Conceição"]
    assert verdicts.set_index("Area").loc["Conceição", "Trend"] == "decreasing — getting better"


def test_month_table_compares_with_a_year_earlier(demo_app):
    at = _open()
    changes = _table_values(at, 1)
    assert list(changes["Comparison"]) == [
        "December 2025 vs December 2024",
        "12 months to December 2025 vs the 12 before",
    ]
    assert set(changes["Beyond chance"]) <= {"yes", "no"}


def test_withheld_months_say_not_published(demo_app):
    at = _open({"districts": ["13"]})
    at.selectbox(key="indicator").select("outreach_contacts").run()
    assert not at.exception
    changes = _table_values(at, 1)
    assert "not published" in set(changes["Earlier (count)"])


def test_every_table_can_be_downloaded(demo_app):
    at = _open()
    assert len(at.get("download_button")) == 3 * 2  # each table as CSV and as .xlsx


def test_series_break_is_drawn_and_named(demo_app):
    store = connect(demo_app)
    with store.transaction() as cur:
        cur.execute("INSERT INTO series_breaks VALUES ('burglary', DATE '2023-01-01', 'New recording rules')")
    store.close()
    at = _open()
    assert not at.exception
    layout = figures(at)[0]["layout"]
    assert [shape["x0"] for shape in layout["shapes"]] == ["2023-01-01"]
    assert layout["annotations"][0]["text"] == "New recording rules"
    assert set(_table_values(at, 0)["Trend"]) == {"cannot be calculated"}


def test_url_restores_the_selections(demo_app):
    at = official(
        PAGE, query={"indicator": "robbery", "view": "quarter", "measure": "count", "districts": ["07", "20"]}
    )
    assert not at.exception
    assert at.selectbox(key="indicator").value == "robbery"
    assert at.radio(key="view").value == "quarter"
    assert at.radio(key="measure").value == "count"
    assert at.multiselect(key="districts").value == ["07", "20"]


def _page_in(lang, query):
    return official(PAGE, query={"lang": lang, **query})


@pytest.mark.parametrize(
    ("lang", "title", "verdict"),
    [
        ("en", "Trends over time", "decreasing — getting better"),
        ("pt", "Evolução ao longo do tempo", "em descida — a melhorar"),
        ("fr", "Évolution dans le temps", "en baisse — s’améliore"),
    ],
)
def test_every_language_renders(demo_app, lang, title, verdict):
    at = _page_in(lang, {"indicator": "burglary", "districts": ["05"]})
    assert not at.exception
    assert at.title[0].value == title
    assert verdict in set(_table_values(at, 0).iloc[:, 3])


def test_a_rise_from_zero_shows_an_unbounded_interval(demo_app):
    at = _open({"indicator": "robbery", "measure": "count", "districts": ["07", "20"]})
    assert not at.exception
    changes = _table_values(at, 1)
    rows = changes[(changes["Earlier (count)"] == "0") & (changes["Latest (count)"] != "0")]
    assert len(rows) == 1
    assert rows["Change (95% CI)"].iloc[0].endswith("+∞)")


@pytest.mark.parametrize("view", ["quarter", "month", "rolling12"])
def test_public_views_by_month_say_which_chosen_districts_they_cannot_draw(demo_app, view):
    from tests.app.helpers import start

    at = start(PAGE, query={"indicator": "burglary", "districts": "05"})
    at.radio(key="view").set_value(view).run()
    assert not at.exception
    # The choice is kept, and the page says where the district is instead of dropping it silently.
    assert at.multiselect(key="districts").value == ["05"]
    notes = [box.value for box in at.info]
    assert any("Conceição" in note and "yearly view" in note for note in notes)
    at.radio(key="view").set_value("year").run()
    assert sorted(_line_names(figures(at)[0])) == ["Conceição", "Portelva"]
    # Only the month-on-month table below still lacks it, and says so.
    assert [box.value.split(",")[0] for box in at.info if "Conceição" in box.value] == ["In the monthly view"]


def test_the_chart_has_a_text_alternative_and_its_figures_one_click_away(demo_app):
    at = _open({"districts": "05"})
    chart = at.get("plotly_chart")[0].proto
    assert chart.alt.startswith("Burglary of dwellings over time")
    before = len(at.dataframe)
    at.toggle(key="trend-table").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == before + 1
    table = at.dataframe[0].value
    drawn = [trace for trace in figures(at)[0]["data"] if trace.get("mode") == "lines+markers"]
    # One row per drawn point, for the city and the chosen district.
    assert len(table) == sum(len(trace["x"]) for trace in drawn)
    assert set(table.iloc[:, 0]) == {"Portelva", "Conceição"}
