"""Form edits of the strategy and the indicator catalogue: one batch each, history, exact rollback, roles."""

import shutil
from datetime import datetime

import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, PermissionDenied, Role
from observatory.services import editing, imports, publish, strategy
from observatory.store import connect, open_snapshot, queries
from observatory.store.schema import TABLES

EDITOR = Actor("ana", Role.EDITOR)
VIEWER = Actor("vic", Role.VIEWER)
PUBLIC = Actor("anonymous", Role.PUBLIC)

OB1 = {
    "code": "OB1",
    "axis": "AX4",
    "title": "Cut burglary of dwellings across the city by 10 % by 2027",
    "indicator": "burglary",
    "area": "000",
    "baseline_period": "2022",
    "baseline_value": 1602.0,
    "target_value": 1442.0,
    "target_period": "2027",
}
AC01 = {
    "code": "AC01",
    "objective": "OB1",
    "title": "Free home-security visits for older residents",
    "lead_partner": "P02",
    "partners": ["P01", "P09", "P11"],
    "status": "in_progress",
    "start": "2023-02-01",
    "end": "2026-12-31",
    "budget": 48000.0,
}
INDICATOR = {
    "code": "youth_contacts",
    "name": "Outreach contacts with young people",
    "theme": "prevention",
    "kind": "activity",
    "unit": "count",
    "polarity": "higher_is_better",
    "denominator": "",
    "multiplier": None,
    "threshold": 5,
    "description": "Contacts made by street workers",
    "source": "Youth service",
}


@pytest.fixture
def store(demo_file, tmp_path):
    opened = connect(shutil.copy(demo_file, tmp_path / "demo.duckdb"))
    yield opened
    opened.close()


def _everything(store):
    return {name: queries.table_contents(store, name).to_csv(index=False) for name in TABLES}


def _batch_count(store):
    return queries.count_rows(store, "batches")


def _objective(store, code="OB1"):
    return queries.strategy(store)["objectives"].set_index("code").loc[code]


def _fields(result):
    return {issue.column for issue in result.issues}


# --- objectives: one batch, history old → new, exact rollback ------------------------------------


def test_changing_a_target_writes_one_edit_batch_by_the_editor(store):
    before = _batch_count(store)
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    assert result.ok and result.changed
    assert _batch_count(store) == before + 1
    batch = queries.batch(store, result.batch_id).iloc[0]
    assert (batch["kind"], batch["user_name"], batch["state"], batch["updated"]) == (
        "edit",
        "ana",
        "committed",
        1,
    )
    assert _objective(store)["target_value"] == 1400


def test_edit_writes_an_audit_line_naming_its_batch(store):
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    last = store.frame("SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1").iloc[0]
    assert (last["actor"], last["action"]) == ("ana", "edit")
    assert f"batch {result.batch_id}" in last["detail"]


def test_history_shows_who_changed_the_target_and_old_to_new(store):
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    history = editing.objective_history(store, "OB1")
    assert len(history) == 1
    row = history.iloc[0]
    assert (row["old_target_value"], row["new_target_value"]) == (1442.0, 1400.0)
    assert (row["user_name"], row["batch_id"]) == ("ana", result.batch_id)


def test_two_changes_are_listed_each_with_its_own_old_and_new_value(store):
    editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    editing.save(
        store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1300, "target_period": "2028"}, actor=EDITOR
    )
    history = editing.objective_history(store, "OB1")
    pairs = list(zip(history["old_target_value"], history["new_target_value"], strict=True))
    assert pairs == [(1400.0, 1300.0), (1442.0, 1400.0)]
    assert list(history["new_target_period"]) == ["2028", "2027"]


def test_a_title_change_is_not_a_target_change(store):
    editing.save(store, ImportKind.OBJECTIVES, {**OB1, "title": "Fewer burglaries"}, actor=EDITOR)
    assert editing.objective_history(store, "OB1").empty
    assert _objective(store)["title"] == "Fewer burglaries"


def test_rollback_of_an_edit_restores_every_table_exactly(store):
    before = _everything(store)
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    imports.rollback(store, result.batch_id, actor=EDITOR)
    assert _everything(store) == before


def test_a_rolled_back_change_leaves_the_history(store):
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    imports.rollback(store, result.batch_id, actor=EDITOR)
    assert editing.objective_history(store, "OB1").empty


def test_an_unchanged_form_writes_no_batch(store):
    before = _batch_count(store)
    result = editing.save(store, ImportKind.OBJECTIVES, OB1, actor=EDITOR)
    assert result.ok and not result.changed
    assert _batch_count(store) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_period": "2021"}, "target_period"),
        ({"target_period": "next year"}, "target_period"),
        ({"target_value": "a lot"}, "target_value"),
        ({"baseline_value": ""}, "baseline_value"),
        ({"axis": "AX9"}, "axis"),
        ({"indicator": "nothing"}, "indicator"),
        ({"area": "99"}, "area"),
        ({"title": "  "}, "title"),
    ],
    ids=[
        "target_before_baseline",
        "target_not_a_period",
        "target_not_a_number",
        "baseline_blank",
        "unknown_axis",
        "unknown_indicator",
        "unknown_area",
        "blank_title",
    ],
)
def test_invalid_objective_is_refused_naming_the_field_and_nothing_is_written(store, change, field):
    before, batches = _everything(store), _batch_count(store)
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, **change}, actor=EDITOR)
    assert not result.ok and not result.changed
    assert field in _fields(result)
    assert _everything(store) == before
    assert _batch_count(store) == batches


def test_a_new_code_that_exists_is_refused(store):
    result = editing.save(store, ImportKind.OBJECTIVES, OB1, actor=EDITOR, create=True)
    assert _fields(result) == {"code"}
    assert "already exists" in result.issues[0].message


def test_editing_an_unknown_code_is_refused_rather_than_created(store):
    before = _everything(store)
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "code": "OB99"}, actor=EDITOR)
    assert _fields(result) == {"code"}
    assert _everything(store) == before


def test_a_new_objective_is_created(store):
    result = editing.save(store, ImportKind.OBJECTIVES, {**OB1, "code": "OB9"}, actor=EDITOR, create=True)
    assert result.changed
    assert queries.batch(store, result.batch_id).iloc[0]["created"] == 1
    assert _objective(store, "OB9")["target_value"] == 1442.0


# --- axes, partners, actions ------------------------------------------------------------------------


def test_a_new_axis_and_a_new_partner_are_created(store):
    axis = {"code": "AX9", "title": "Night-time economy", "description": ""}
    partner = {"code": "P99", "name": "Bar owners' association", "sector": "private"}
    assert editing.save(store, ImportKind.AXES, axis, actor=EDITOR, create=True).changed
    assert editing.save(store, ImportKind.PARTNERS, partner, actor=EDITOR, create=True).changed
    plan = queries.strategy(store)
    assert "AX9" in set(plan["axes"]["code"])
    assert plan["partners"].set_index("code").loc["P99", "sector"] == "private"


def test_a_partner_sector_outside_the_list_is_refused_naming_sector(store):
    partner = {"code": "P99", "name": "Someone", "sector": "charity"}
    result = editing.save(store, ImportKind.PARTNERS, partner, actor=EDITOR, create=True)
    assert _fields(result) == {"sector"}
    assert "public, private, community" in result.issues[0].message


def test_action_ending_before_it_starts_is_refused_naming_end(store):
    result = editing.save(store, ImportKind.ACTIONS, {**AC01, "end": "2022-01-01"}, actor=EDITOR)
    assert _fields(result) == {"end"}


def test_action_with_an_unknown_partner_is_refused_naming_partners(store):
    result = editing.save(store, ImportKind.ACTIONS, {**AC01, "partners": ["P01", "P77"]}, actor=EDITOR)
    assert _fields(result) == {"partners"}


def test_action_with_a_negative_budget_is_refused_naming_budget(store):
    result = editing.save(store, ImportKind.ACTIONS, {**AC01, "budget": -5.0}, actor=EDITOR)
    assert _fields(result) == {"budget"}


def test_changing_an_action_status_and_budget(store):
    result = editing.save(
        store, ImportKind.ACTIONS, {**AC01, "status": "completed", "budget": None}, actor=EDITOR
    )
    assert result.changed
    row = queries.strategy(store)["actions"].set_index("code").loc["AC01"]
    assert row["status"] == "completed"
    assert pd.isna(row["budget"])


def test_removing_every_other_partner_clears_them_and_rollback_brings_them_back(store):
    before = _everything(store)
    result = editing.save(store, ImportKind.ACTIONS, {**AC01, "partners": []}, actor=EDITOR)
    links = queries.strategy(store)["action_partners"]
    assert links[links["action_code"] == "AC01"].empty
    imports.rollback(store, result.batch_id, actor=EDITOR)
    assert _everything(store) == before


def test_changing_the_partner_list_keeps_only_the_partners_named(store):
    editing.save(store, ImportKind.ACTIONS, {**AC01, "partners": ["P01", "P03"]}, actor=EDITOR)
    links = queries.strategy(store)["action_partners"]
    assert sorted(links.loc[links["action_code"] == "AC01", "partner_code"]) == ["P01", "P03"]


# --- indicators -------------------------------------------------------------------------------------


def _burglary(store):
    return queries.indicators(store).set_index("code").loc["burglary"]


def _burglary_form(store, **change):
    row = _burglary(store)
    form = {
        "code": "burglary",
        "name": row["name"],
        "theme": row["theme"],
        "kind": row["kind"],
        "unit": row["unit"],
        "polarity": row["polarity"],
        "denominator": row["denominator_kind"] or "",
        "multiplier": row["multiplier"],
        "threshold": int(row["disclosure_threshold"]),
        "description": row["description"],
        "source": row["source"],
    }
    return {**form, **change}


def test_changing_a_disclosure_threshold_is_one_undoable_batch(store):
    before = _everything(store)
    result = editing.save(store, ImportKind.INDICATORS, _burglary_form(store, threshold=8), actor=EDITOR)
    assert result.changed
    assert _burglary(store)["disclosure_threshold"] == 8
    imports.rollback(store, result.batch_id, actor=EDITOR)
    assert _everything(store) == before


@pytest.mark.parametrize("threshold", [0, -3, 2.5, "five"], ids=["zero", "negative", "fraction", "text"])
def test_a_threshold_that_is_not_a_whole_number_from_1_is_refused(store, threshold):
    before = _everything(store)
    result = editing.save(
        store, ImportKind.INDICATORS, _burglary_form(store, threshold=threshold), actor=EDITOR
    )
    assert "threshold" in _fields(result)
    assert _everything(store) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "outcome"}, "kind"),
        ({"unit": "euros"}, "unit"),
        ({"multiplier": 0}, "multiplier"),
        ({"name": ""}, "name"),
    ],
    ids=["bad_kind", "bad_unit", "zero_multiplier", "blank_name"],
)
def test_invalid_indicator_is_refused_naming_the_field(store, change, field):
    result = editing.save(store, ImportKind.INDICATORS, _burglary_form(store, **change), actor=EDITOR)
    assert field in _fields(result)


def test_a_new_indicator_is_added_with_the_default_multiplier(store):
    result = editing.save(store, ImportKind.INDICATORS, INDICATOR, actor=EDITOR, create=True)
    assert result.changed
    row = queries.indicators(store).set_index("code").loc["youth_contacts"]
    assert (row["multiplier"], row["disclosure_threshold"], row["kind"]) == (1.0, 5, "activity")


# --- assessments ------------------------------------------------------------------------------------


def test_a_second_assessment_of_a_year_keeps_the_first(store):
    editing.add_assessment(store, "OB1", 2025, "First draft.", actor=EDITOR, now=datetime(2026, 1, 10))
    editing.add_assessment(store, "OB1", 2025, "Agreed text.", actor=EDITOR, now=datetime(2026, 1, 20))
    versions = editing.assessment_versions(store, "OB1")
    assert list(versions["text"]) == ["Agreed text.", "First draft."]
    latest = strategy.latest_assessments(store)
    assert list(latest.loc[latest["objective_code"] == "OB1", "text"]) == ["Agreed text."]


def test_latest_assessments_keep_one_per_objective_and_year(store):
    editing.add_assessment(store, "OB1", 2024, "Year one.", actor=EDITOR, now=datetime(2025, 1, 10))
    editing.add_assessment(store, "OB1", 2025, "Year two.", actor=EDITOR, now=datetime(2026, 1, 10))
    latest = strategy.latest_assessments(store)
    assert list(latest["year"]) == [2025, 2024]


def test_an_assessment_is_a_batch_by_its_author_and_can_be_undone(store):
    before = _everything(store)
    result = editing.add_assessment(
        store, "OB1", 2025, "Going well.", actor=EDITOR, now=datetime(2026, 1, 10)
    )
    assert queries.batch(store, result.batch_id).iloc[0]["kind"] == "edit"
    assert editing.assessment_versions(store, "OB1").iloc[0]["author"] == "ana"
    imports.rollback(store, result.batch_id, actor=EDITOR)
    assert _everything(store) == before


@pytest.mark.parametrize(
    ("objective", "year", "text", "field"),
    [("OB99", 2025, "Text.", "objective"), ("OB1", 1850, "Text.", "year"), ("OB1", 2025, "   ", "text")],
    ids=["unknown_objective", "implausible_year", "blank_text"],
)
def test_invalid_assessment_is_refused_naming_the_field(store, objective, year, text, field):
    before = _batch_count(store)
    result = editing.add_assessment(store, objective, year, text, actor=EDITOR)
    assert _fields(result) == {field}
    assert _batch_count(store) == before


# --- the public sees when a target changed, never who changed it -----------------------------------


def test_target_changes_reach_the_public_release_without_names(store, tmp_path):
    editing.save(store, ImportKind.OBJECTIVES, {**OB1, "target_value": 1400}, actor=EDITOR)
    publish.publish(
        store, actor=Actor("root", Role.ADMIN), snapshot_path=tmp_path / "p.duckdb", now=datetime(2026, 2, 1)
    )
    released = open_snapshot(tmp_path / "p.duckdb")
    try:
        changes = strategy.target_changes(released)
        columns = {r[0] for r in released.rows("SELECT column_name FROM information_schema.columns")}
    finally:
        released.close()
    assert list(changes["objective_code"]) == ["OB1"]
    assert (changes.iloc[0]["old_target_value"], changes.iloc[0]["new_target_value"]) == (1442.0, 1400.0)
    assert "user_name" not in columns


def test_a_baseline_only_change_is_not_a_target_change(store):
    editing.save(store, ImportKind.OBJECTIVES, {**OB1, "baseline_value": 1600}, actor=EDITOR)
    assert strategy.target_changes(store).empty
    assert len(editing.objective_history(store, "OB1")) == 1


# --- roles ------------------------------------------------------------------------------------------

WRITES = {
    "objective": lambda s, a: editing.save(s, ImportKind.OBJECTIVES, OB1, actor=a),
    "axis": lambda s, a: editing.save(s, ImportKind.AXES, {"code": "AX1", "title": "x"}, actor=a),
    "partner": lambda s, a: editing.save(
        s, ImportKind.PARTNERS, {"code": "P01", "name": "x", "sector": "public"}, actor=a
    ),
    "action": lambda s, a: editing.save(s, ImportKind.ACTIONS, AC01, actor=a),
    "indicator": lambda s, a: editing.save(s, ImportKind.INDICATORS, INDICATOR, actor=a, create=True),
    "assessment": lambda s, a: editing.add_assessment(s, "OB1", 2025, "Text.", actor=a),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("actor", [VIEWER, PUBLIC], ids=["viewer", "anonymous"])
def test_roles_below_editor_may_not_edit(store, write, actor):
    before = _batch_count(store)
    with pytest.raises(PermissionDenied):
        WRITES[write](store, actor)
    assert _batch_count(store) == before


@pytest.mark.parametrize("write", list(WRITES))
def test_admins_may_edit(store, write):
    assert WRITES[write](store, Actor("root", Role.ADMIN)).ok
