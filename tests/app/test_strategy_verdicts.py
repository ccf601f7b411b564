"""The actions tables' verdict column: shown where estimates are known, never computed to draw the page."""

from __future__ import annotations

import pytest

from observatory.services import impact
from tests.app.helpers import official, start

PAGE = "pages/strategy.py"


@pytest.fixture(autouse=True)
def _fresh_memory():
    impact.forget()
    yield
    impact.forget()


def _tables(at) -> list:
    return [frame.value for frame in at.dataframe]


def _column(at, name: str) -> dict[str, str]:
    """Action cell → verdict words, over every actions table that has the column."""
    out = {}
    for frame in _tables(at):
        if name in frame.columns:
            out.update(dict(zip(frame.iloc[:, 0], frame[name], strict=True)))
    return out


def test_no_column_and_no_estimate_before_anyone_asked(demo_app, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the page computed an estimate")

    monkeypatch.setattr(impact, "estimate_one", refuse)
    at = official(PAGE)
    assert not at.exception
    assert not _column(at, "Did it work?")


def test_once_estimated_every_reader_sees_the_verdicts_without_computing(demo_app, monkeypatch):
    first = official(PAGE)
    first.toggle(key="impact").set_value(True).run(timeout=300)
    assert not first.exception

    def refuse(*args, **kwargs):
        raise AssertionError("the page computed an estimate")

    monkeypatch.setattr(impact, "estimate_one", refuse)
    at = official(PAGE)  # another reader, estimates not turned on
    assert not at.exception
    verdicts = _column(at, "Did it work?")
    verdicts = {cell.split(" · ")[0]: words for cell, words in verdicts.items()}
    assert verdicts["AC01"] == "fell 35% (27% to 43%), beyond chance"
    assert verdicts["AC09"] == "comparison not credible"
    assert verdicts["AC17"] == "not enough data before"
    assert verdicts["AC07"] == "too early"
    assert "no effect detected (could see" in verdicts["AC11"]
    # Actions that name no areas or indicators have no estimate to wait for.
    assert verdicts["AC02"] == "–"
    # The estimate behind each verdict, folded under the table.
    expanders = [e for e in at.expander if e.label == "Did it work? The estimates behind the verdicts"]
    assert expanders
    assert any(x.value.startswith("AC01 · Free home-security visits") for x in at.text)


def test_public_verdicts_come_from_the_release_in_the_readers_language(demo_app):
    first = start(PAGE)
    first.toggle(key="impact").set_value(True).run(timeout=300)
    at = start(PAGE, query={"lang": "fr"})
    assert not at.exception
    verdicts = _column(at, "Cela a-t-il marché ?")
    assert any(v.startswith("baisse de") and v.endswith("au-delà du hasard") for v in verdicts.values())
    # The staff store's estimates are not the public's: nothing known there yet.
    staff = official(PAGE)
    assert not _column(staff, "Did it work?")


def test_turning_the_estimates_on_fills_the_column_in_the_same_run(demo_app):
    at = official(PAGE)
    at.toggle(key="impact").set_value(True).run(timeout=300)
    assert not at.exception
    verdicts = {cell.split(" · ")[0]: words for cell, words in _column(at, "Did it work?").items()}
    assert verdicts["AC09"] == "comparison not credible"
