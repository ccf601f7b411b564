"""A contract typed in the strategy editing form: checked as its import file would be, saved as one edit."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import contracts, imports
from observatory.store import connect
from observatory.store import contracts as stored

EDITOR = Actor("editor", Role.EDITOR)
CONTROLS = [f"{i:02d}" for i in range(1, 21) if f"{i:02d}" not in ("01", "05", "12", "18")]
CONTRACT = {
    "code": "SIB2",
    "title": "Home-security bond",
    "indicator": "burglary",
    "comparison_areas": CONTROLS,
    "baseline_start": date(2019, 1, 1),
    "start": date(2023, 1, 1),
    "end": date(2025, 12, 31),
}
PARTIES = {"investors": ["P09"], "providers": ["P02"], "payers": ["P01"], "evaluators": []}
COHORTS = [
    {
        "cohort": "all",
        "areas": "01|05|12|18",
        "threshold": 0.075,
        "payment": 500_000.0,
        "due": date(2026, 6, 30),
    },
    {"cohort": "quiet", "areas": "11", "threshold": 0.075, "payment": 80_000.0, "due": None},
]


@pytest.fixture
def store(demo_file, tmp_path):
    staff = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    yield staff
    staff.close()


def test_a_new_contract_is_saved_then_read_back_for_the_form(store) -> None:
    result = contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=EDITOR, create=True)
    assert result.ok and result.changed, result.issues
    fields, parties, cohorts = contracts.contract_form_values(store, "SIB2")
    assert fields["indicator"] == "burglary" and fields["comparison_areas"] == CONTROLS
    assert parties == {"investors": ["P09"], "providers": ["P02"], "payers": ["P01"], "evaluators": []}
    assert list(cohorts["cohort"]) == ["all", "quiet"] and list(cohorts["threshold"]) == [0.075, 0.075]
    got = contracts.results(store).set_index("cohort")
    assert got.loc["all", "status"] == "met" and got.loc["quiet", "status"] == "not_met"


def test_an_edit_replaces_parties_and_cohorts_and_is_undone(store) -> None:
    first = contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=EDITOR, create=True)
    second = contracts.edit_contract(
        store, CONTRACT, {"payers": ["P01"], "evaluators": ["P05"]}, COHORTS[:1], actor=EDITOR
    )
    assert second.changed and second.batch_id > first.batch_id
    assert list(stored.cohorts(store)["cohort"]) == ["all"]
    assert sorted(stored.parties(store)["role"]) == ["evaluator", "payer"]
    imports.rollback(store, second.batch_id, actor=Actor("admin", Role.ADMIN))
    assert list(stored.cohorts(store)["cohort"]) == ["all", "quiet"]
    assert sorted(stored.parties(store)["role"]) == ["investor", "payer", "provider"]


def test_saving_the_same_contract_again_changes_nothing(store) -> None:
    contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=EDITOR, create=True)
    again = contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=EDITOR)
    assert again.ok and not again.changed


def test_refusals_name_the_cohort_row_and_the_field(store) -> None:
    bad = [COHORTS[0], {**COHORTS[1], "threshold": 7.5, "areas": "11|99"}]
    result = contracts.edit_contract(
        store, {**CONTRACT, "end": date(2020, 1, 1)}, PARTIES, bad, actor=EDITOR, create=True
    )
    assert not result.ok and not result.changed
    found = {(i.row, i.column) for i in result.issues}
    assert {(2, "threshold"), (2, "areas"), (1, "end")} <= found
    assert stored.contracts(store).empty


def test_a_taken_code_and_no_cohort_are_refused(store) -> None:
    contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=EDITOR, create=True)
    taken = contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=EDITOR, create=True)
    assert [(i.code, i.column) for i in taken.issues] == [("primary-key", "code")]
    empty = contracts.edit_contract(
        store, {**CONTRACT, "code": "SIB3"}, PARTIES, [], actor=EDITOR, create=True
    )
    assert [(i.code, i.column) for i in empty.issues] == [("missing-cell", "cohort")]


def test_a_viewer_may_not_edit_contracts(store) -> None:
    with pytest.raises(PermissionDenied):
        contracts.edit_contract(store, CONTRACT, PARTIES, COHORTS, actor=Actor("v", Role.VIEWER), create=True)
