"""AppTest of the strategy page: objectives by axis with status, trajectory, actions; partners by sector."""

from datetime import datetime

from observatory.store import connect
from tests.app.helpers import figures, official

PAGE = "pages/strategy.py"


def _in_language(lang):
    return official(PAGE, query={"lang": lang})


def _badges(at):
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_every_objective_gets_a_status_a_progress_bar_and_a_trajectory(demo_app):
    at = official(PAGE)
    assert not at.exception
    assert len(figures(at)) == 8
    assert len(at.get("progress")) == 8
    badges = _badges(at)
    assert len(badges) == 8
    # Status in words and with a symbol, never by colour alone.
    assert any("✔ achieved" in b for b in badges)
    assert any("? too early to tell" in b for b in badges)
    assert any("✖ deteriorating" in b for b in badges)


def test_trajectory_draws_actual_path_baseline_and_target(demo_app):
    at = official(PAGE, query={"axis": "AX2"})
    names = [trace["name"] for trace in figures(at)[0]["data"]]
    assert names == ["Path to target", "Actual", "Baseline", "Target"]
    actual = figures(at)[0]["data"][1]
    assert actual["error_y"]["type"] == "data"


def test_axis_choice_filters_objectives_and_goes_to_the_url(demo_app):
    at = official(PAGE)
    at.selectbox(key="axis").select("AX4").run()
    assert not at.exception
    assert len(figures(at)) == 4
    assert at.query_params["axis"] in ("AX4", ["AX4"])


def test_sector_choice_filters_partners_and_goes_to_the_url(demo_app):
    at = official(PAGE)
    assert len(at.dataframe[-2].value) == 13
    at.radio(key="sector").set_value("community").run()
    assert not at.exception
    assert len(at.dataframe[-2].value) == 4
    assert at.query_params["sector"] in ("community", ["community"])


def test_url_restores_axis_and_sector(demo_app):
    at = official(PAGE, query={"axis": "AX3", "sector": "private"})
    assert not at.exception
    assert at.selectbox(key="axis").value == "AX3"
    assert at.radio(key="sector").value == "private"
    assert len(figures(at)) == 2
    assert len(at.dataframe[-2].value) == 4


def test_objectives_and_partners_can_be_downloaded(demo_app):
    at = official(PAGE)
    labels = [b.proto.label for b in at.get("download_button") if not b.key.startswith("doc-")]
    # one per trajectory, the objectives, the partners and their actions; each as CSV and as .xlsx
    assert len(labels) == (8 + 3) * 2
    assert [b.key for b in at.get("download_button") if b.key.startswith("doc-")] == ["doc-evaluation"]


def test_written_assessment_shows_under_its_objective(demo_app):
    store = connect(demo_app)
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO assessments (objective_code, year, text, author, created_at) "
            "VALUES ('OB4', 2025, 'Dealing moved two streets east.', 'Rita S.', ?)",
            [datetime(2026, 1, 20)],
        )
    store.close()
    at = official(PAGE, query={"axis": "AX2"})
    assert any("Dealing moved two streets east." in m.value for m in at.markdown)
    assert any("Rita S." in c.value for c in at.caption)


def test_every_language_renders(demo_app):
    for lang, title, words in (
        ("en", "Strategy", "achieved"),
        ("pt", "Estratégia", "alcançado"),
        ("fr", "Stratégie", "atteint"),
    ):
        at = _in_language(lang)
        assert not at.exception, lang
        assert at.title[0].value.startswith(title)
        assert any(words in b for b in _badges(at)), lang
