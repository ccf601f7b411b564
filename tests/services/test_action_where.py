"""Where and on what an action acts: saved from the form and from actions.csv, checked, and undone."""

from __future__ import annotations

import shutil

import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.services import editing, imports
from observatory.store import connect, queries
from observatory.store.writes import rollback_batch

EDITOR = Actor("ana", Role.EDITOR)
AC02 = {
    "code": "AC02",
    "objective": "OB1",
    "title": "Neighbourhood watch with the insurer's prevention advisers",
    "lead_partner": "P09",
    "partners": ["P02", "P03"],
    "status": "completed",
    "start": "2023-01-15",
    "end": "2024-12-31",
    "budget": 22500,
}


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    yield opened
    opened.close()


def _row(store, code):
    return queries.strategy(store)["actions"].set_index("code").loc[code]


def test_form_saves_target_areas_indicators_and_comparison(store) -> None:
    values = {
        **AC02,
        "areas": ["05", "12"],
        "indicators": ["burglary"],
        "comparison_areas": ["03", "04", "06"],
    }
    result = editing.save(store, ImportKind.ACTIONS, values, actor=EDITOR)
    assert result.changed
    row = _row(store, "AC02")
    assert (row["target_areas"], row["result_indicators"], row["comparison_areas"]) == (
        "05|12",
        "burglary",
        "03|04|06",
    )


def test_unknown_area_or_indicator_is_refused_naming_the_column(store) -> None:
    bad = editing.save(store, ImportKind.ACTIONS, {**AC02, "areas": ["99"]}, actor=EDITOR)
    assert not bad.changed and any(i.column == "areas" for i in bad.issues)
    bad = editing.save(store, ImportKind.ACTIONS, {**AC02, "indicators": ["nothing"]}, actor=EDITOR)
    assert not bad.changed and any(i.column == "indicators" for i in bad.issues)


def test_an_old_actions_file_still_imports_and_leaves_no_areas(store) -> None:
    old = (
        b"code,objective,title,lead_partner,status,start,end,budget\n"
        b"AC99,OB1,Old file,P01,planned,2025-01-01,,\n"
    )
    report = imports.import_table(store, ImportKind.ACTIONS, old, "actions.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert _row(store, "AC99")[["target_areas", "result_indicators", "comparison_areas"]].isna().all()


def test_new_columns_import_and_roll_back(store) -> None:
    before = _row(store, "AC11")
    data = (
        b"code,objective,title,lead_partner,status,start,end,areas,indicators,comparison_areas\n"
        b"AC11,OB5,Night football with the city club,P07,in_progress,2023-09-01,2026-06-30,"
        b"18|02,vandalism|robbery,\n"
    )
    report = imports.import_table(store, ImportKind.ACTIONS, data, "actions.csv", actor=EDITOR)
    assert report.ok, report.to_text()
    assert _row(store, "AC11")["target_areas"] == "18|02"
    assert _row(store, "AC11")["result_indicators"] == "vandalism|robbery"
    rollback_batch(store, report.batch_id, user_name="ana")
    assert _row(store, "AC11")["target_areas"] == before["target_areas"]
