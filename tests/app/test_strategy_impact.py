"""AppTest of the impact notes on the strategy page, for staff (staff store) and the public (the release)."""

from __future__ import annotations

from tests.app.helpers import figures, official, start

PAGE = "pages/strategy.py"


def _texts(at) -> list[str]:
    return [element.value for element in at.text]


def test_estimates_are_computed_only_when_asked_for(demo_app):
    at = official(PAGE)
    assert not at.exception
    assert not any("beyond chance" in x for x in _texts(at))


def test_staff_see_every_verdict_beside_the_objectives(demo_app):
    at = official(PAGE)
    at.toggle(key="impact").set_value(True).run(timeout=300)
    assert not at.exception
    texts = _texts(at)
    assert any(x.startswith("fell by ") and "beyond chance" in x for x in texts)
    assert "comparison not credible: trends differed before the start" in texts
    assert any(
        x.startswith("no effect detected; this design could only have detected a change of") for x in texts
    )
    assert "not enough data before the start to judge" in texts
    assert "too early to judge: no data yet since the start" in texts
    # The action's title is staff text, shown as text.
    assert any(x.startswith("AC01 · Free home-security visits") for x in texts)


def test_the_picture_draws_observed_counterfactual_and_comparison(demo_app):
    at = official(PAGE, query={"axis": "AX4"})
    at.toggle(key="impact").set_value(True).run(timeout=300)
    before = len(figures(at))
    at.toggle(key="impact-show-AC01-burglary").set_value(True).run(timeout=300)
    assert not at.exception
    drawn = figures(at)
    assert len(drawn) == before + 1
    pictures = [f for f in drawn if f["data"][0]["name"] == "Acted-on areas"]
    assert len(pictures) == 1
    names = [trace["name"] for trace in pictures[0]["data"]]
    assert names == ["Acted-on areas", "Without the action (estimated)", "Comparison areas"]


def test_public_see_estimates_from_the_release_in_their_language(demo_app):
    at = start(PAGE, query={"lang": "pt"})
    at.toggle(key="impact").set_value(True).run(timeout=300)
    assert not at.exception
    texts = _texts(at)
    assert "dados insuficientes antes do início para avaliar" in texts
    assert any("para além do acaso" in x for x in texts)
    assert any("Com base em" in c.value and "anos antes do início" in c.value for c in at.caption)
