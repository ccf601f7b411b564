"""AppTest of the map page: selectors kept in the URL, withheld districts, benchmark words, clicks."""

import json
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from observatory.ui import compare
from tests.app.helpers import figures, map_locations, official

PAGE = "pages/map.py"
PAGE_FILE = Path(__file__).resolve().parents[2] / PAGE

# The page alone, in one language, as a viewer opening its URL gets it: AppTest's switch_page runs the
# page without app.py (so without its language), after the default page has run and written the URL.
_IN_LANGUAGE = """
import runpy
from observatory.domain import Actor, Role
from observatory.i18n import set_locale
from observatory.ui.resources import use_source
set_locale({lang!r})
use_source(Actor("viewer", Role.VIEWER))
runpy.run_path({page!r}, run_name="__main__")
"""


def _page(query, lang="en"):
    at = AppTest.from_string(_IN_LANGUAGE.format(lang=lang, page=str(PAGE_FILE)), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _map(at):
    maps = [f for f in figures(at) if map_locations(f)]
    assert len(maps) == 1
    return maps[0]


def _legend(at):
    return [trace["name"] for trace in _map(at)["data"] if trace.get("showlegend", True)]


def test_page_draws_every_district_once_with_a_ranked_table_and_a_download(demo_app):
    at = _page({"indicator": "burglary"})
    assert not at.exception
    assert sorted(map_locations(_map(at))) == [f"{i:02d}" for i in range(1, 21)]
    table = at.dataframe[0].value
    assert len(table) == 20
    assert len(at.get("download_button")) == 2  # CSV and .xlsx


def test_rate_legend_names_the_denominator_and_the_hover_its_year(demo_app):
    at = _page({"indicator": "burglary", "measure": "rate", "period": "2025"})
    figure = _map(at)
    assert figure["layout"]["legend"]["title"]["text"] == "rate per 1,000 dwellings"
    assert "Denominator (year)" in figure["data"][1]["hovertemplate"]
    assert any("dwellings (2025)" in cell for row in figure["data"][1]["customdata"] for cell in row)


def test_measure_choice_changes_the_map(demo_app):
    at = _page({"indicator": "burglary"})
    first = _map(at)
    at.selectbox(key="measure").select("count").run()
    assert not at.exception
    assert _map(at) != first
    assert at.query_params["measure"] in ("count", ["count"])


def test_benchmark_map_says_better_similar_worse_in_words(demo_app):
    at = _page({"indicator": "burglary", "measure": "benchmark"})
    assert not at.exception
    assert _legend(at) == ["better than the city", "similar to the city", "worse than the city"]
    assert "City" in _map(at)["data"][1]["hovertemplate"]
    assert "better than the city" in set(at.dataframe[0].value["benchmark vs city"])


def test_class_scheme_changes_the_classes(demo_app):
    at = _page({"indicator": "burglary", "measure": "count", "scheme": "quantiles"})
    quantiles = _legend(at)
    at.selectbox(key="scheme").select("equal_interval").run()
    assert not at.exception
    assert _legend(at) != quantiles


def test_withheld_districts_are_drawn_as_not_published(demo_app):
    at = _page({"indicator": "outreach_contacts", "period": "2019-12"})
    assert not at.exception
    assert at.radio(key="window").value == "rolling"
    withheld = [t for t in _map(at)["data"] if t["name"] == "not published"]
    assert len(withheld) == 1
    assert sorted(withheld[0]["locations"]) == ["03", "11", "12"]
    table = at.dataframe[0].value
    assert set(table.tail(3)["count"]) <= {
        "not published at source",
        "not published: part of the period is missing",
    }


def test_switching_to_rolling_offers_end_months(demo_app):
    at = _page({"indicator": "robbery"})
    at.radio(key="window").set_value("rolling").run()
    assert not at.exception
    assert at.selectbox(key="period").value == "2025-12"
    assert "12 months to December 2025" in at.header[0].value


def test_url_restores_the_selections(demo_app):
    query = {"indicator": "robbery", "period": "2024-06", "measure": "count", "scheme": "fisher_jenks"}
    at = _page(query)
    assert not at.exception
    assert at.selectbox(key="indicator").value == "robbery"
    assert at.radio(key="window").value == "rolling"
    assert at.selectbox(key="period").value == "2024-06"
    assert at.selectbox(key="measure").value == "count"
    assert at.selectbox(key="scheme").value == "fisher_jenks"


def test_survey_map_shows_the_percent_with_respondents(demo_app):
    at = _page({"indicator": "feel_unsafe", "period": "2025"})
    assert not at.exception
    assert at.selectbox(key="measure").options == ["percent", "benchmark vs city"]
    cells = {cell for trace in _map(at)["data"][1:] for row in trace["customdata"] for cell in row}
    assert any("respondents (2025)" in cell for cell in cells)


def test_every_language_renders(demo_app):
    for lang in ("en", "pt", "fr"):
        at = _page({"indicator": "burglary", "measure": "benchmark"}, lang)
        assert not at.exception, lang
        assert at.title[0].value
    assert at.title[0].value == "Carte des quartiers"
    assert _legend(at)[0] == "meilleur que la ville"


def _tap(at, code: str, *more: str):
    chart = at.get("plotly_chart")[0]
    points = [{"curve_number": 1, "point_index": i, "location": c} for i, c in enumerate((code, *more))]
    selection = {
        "selection": {
            # A name drawn on the map (the first trace, text placed by lon/lat) can be inside a box too.
            "points": [*points, {"curve_number": 0, "point_index": 0, "lat": 41.1, "lon": -8.6}],
            "point_indices": list(range(len(points) + 1)),
            "box": [],
            "lasso": [],
        }
    }
    # AppTest cannot click a plotly chart: send the frontend's selection message for this chart instead.
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(selection)))
    at._run(states)
    return at


def test_tapping_a_district_shows_its_figure_and_a_link_to_its_profile(demo_app):
    at = _tap(official(PAGE, query={"indicator": "burglary"}), "05")
    assert not at.exception
    # The first tap stays on the map: the panel shows the district, the profile is one more click.
    assert any(title.value == "Map of the districts" for title in at.title)
    assert at.selectbox(key="district").value == "05"
    assert at.query_params["district"] in ("05", ["05"])
    name = at.selectbox(key="district").format_func("05")
    panel = " ".join(m.value for m in at.markdown)
    assert name in panel and "95% confidence interval" in panel
    links = [link.proto for link in at.main.get("page_link")]
    assert [link.page for link in links if "profile" in link.page] != []
    assert any(name in link.label for link in links)


def test_a_box_over_several_districts_marks_them_for_the_funnel_and_opens_no_panel(demo_app):
    # The geo map reports a box or lasso by the districts in it, without the box's shape.
    at = _tap(official(PAGE, query={"indicator": "burglary"}), "05", "07")
    assert not at.exception
    assert at.session_state[compare.HIGHLIGHT] == ["05", "07"]
    assert at.selectbox(key="district").value == ""


def test_the_search_box_finds_a_district_without_a_tap(demo_app):
    at = official(PAGE, query={"indicator": "burglary"})
    box = at.selectbox(key="district")
    assert box.value == ""
    at = box.set_value("07").run()
    code = "07"
    assert not at.exception
    assert at.query_params["district"] in (code, [code])
    assert any("95% confidence interval" in m.value for m in at.markdown)


def test_indicator_chosen_on_another_page_carries_over(demo_app):
    at = official(PAGE, query={"indicator": "robbery"})
    assert not at.exception
    assert at.selectbox(key="indicator").value == "robbery"


def test_a_withheld_district_s_panel_says_why_and_shows_no_interval(demo_app):
    import os

    from observatory.store import connect
    from tests.app.helpers import start

    release = connect(os.environ["OBSERVATORY_SNAPSHOT"], read_only=True)
    try:
        cell = release.frame(
            "SELECT o.indicator_code, o.area_code, year(o.period_start) AS year, o.display "
            "FROM observations o JOIN areas a ON a.code = o.area_code "
            "WHERE a.level = 1 AND o.granularity = 'year' AND o.display LIKE '<%' "
            "ORDER BY o.indicator_code, o.period_start DESC LIMIT 1"
        ).iloc[0]
    finally:
        release.close()
    query = {"indicator": cell["indicator_code"], "period": str(cell["year"]), "district": cell["area_code"]}
    at = start(PAGE, query={**query, "measure": "count"})
    assert not at.exception
    assert at.selectbox(key="district").value == cell["area_code"]
    panel = " ".join(m.value for m in at.markdown).replace("\\", "")  # as the reader sees it
    k = cell["display"].lstrip("< ")
    assert f"not published: fewer than {k}" in panel
    assert "confidence interval" not in panel
