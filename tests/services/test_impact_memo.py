"""Estimates kept for the data they were computed on: read back without computing, forgotten on a write."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from observatory.domain import Actor, Role
from observatory.services import contracts, impact
from observatory.store import connect, open_snapshot


@pytest.fixture
def demo(demo_file, tmp_path):
    impact.forget()
    store = connect(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    yield store
    store.close()
    impact.forget()


def test_nothing_is_known_before_an_estimate_is_asked_for(demo) -> None:
    assert impact.memoized(demo).empty
    assert list(impact.memoized(demo).columns) == impact.COLUMNS


def test_asked_estimates_are_read_back_equal_and_without_computing(demo, monkeypatch) -> None:
    made = impact.estimates(demo, lang="en", actions=["AC01", "AC11"])
    known = impact.memoized(demo, lang="en")
    assert sorted(known["action_code"]) == ["AC01", "AC11"]
    pd.testing.assert_frame_equal(
        known.sort_values("action_code").reset_index(drop=True), made.reset_index(drop=True)
    )

    def refuse(*args, **kwargs):
        raise AssertionError("an estimate was computed again")

    monkeypatch.setattr(impact, "estimate_one", refuse)
    again = impact.estimates(demo, lang="pt", actions=["AC01"])
    assert again["ratio"].item() == made.set_index("action_code").loc["AC01", "ratio"]
    assert again["text"].item().startswith("desceu") or "acaso" in again["text"].item()


def test_a_write_to_the_store_makes_the_kept_estimates_stale(demo) -> None:
    impact.estimates(demo, lang="en", actions=["AC01"])
    assert len(impact.memoized(demo)) == 1
    contracts.save_contract(
        demo,
        {"code": "C9", "title": "x", "indicator_code": "burglary", "start_date": "2024-01-01"},
        pd.DataFrame({"partner_code": [], "role": []}),
        pd.DataFrame({"cohort": ["all"], "areas": ["01"], "threshold": [0.1], "payment": [1.0]}),
        actor=Actor("ed", Role.EDITOR),
    )
    assert impact.memoized(demo).empty


def test_the_public_release_keeps_its_own(demo_release) -> None:
    release = open_snapshot(demo_release)
    try:
        assert impact.memoized(release).empty
        impact.estimates(release, actions=["AC17"])
        assert list(impact.memoized(release)["action_code"]) == ["AC17"]
    finally:
        release.close()
        impact.forget()


def test_estimable_actions_name_areas_and_indicators(demo) -> None:
    assert impact.estimable(demo) == ["AC01", "AC05", "AC07", "AC09", "AC11", "AC17"]
