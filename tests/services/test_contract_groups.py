"""Area groupings in outcome-based contracts (a cohort's areas, the comparison areas) and an undo that would
remove a grouping something still names."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from observatory.domain import Actor, ImportKind, Role
from observatory.i18n import locale_scope, t
from observatory.present.issues import issue_message
from observatory.services import contracts, groups, imports
from observatory.store import connect
from observatory.store import contracts as stored
from observatory.ui.contract_editing import area_names
from observatory.ui.groups_editing import undo_refused_words

EDITOR = Actor("editor", Role.EDITOR)
ADMIN = Actor("admin", Role.ADMIN)
CONTROLS = [f"{i:02d}" for i in range(1, 21) if f"{i:02d}" not in ("01", "05", "12", "18")]
HEADER = (
    "code,title,indicator,comparison_areas,baseline_start,start,end,"
    "investors,providers,payers,evaluators,cohort,areas,threshold,payment,due"
)


def _contract(code: str, comparison: list[str]) -> dict[str, object]:
    return {
        "code": code,
        "title": "Home-security bond",
        "indicator": "burglary",
        "comparison_areas": comparison,
        "baseline_start": date(2019, 1, 1),
        "start": date(2023, 1, 1),
        "end": date(2025, 12, 31),
    }


def _cohorts(centre: str, lameira: str) -> list[dict[str, object]]:
    return [
        {"cohort": "centre", "areas": centre, "threshold": 0.1, "payment": 120_000.0, "due": None},
        {"cohort": "lameira", "areas": lameira, "threshold": 0.1, "payment": 150_000.0, "due": None},
        {"cohort": "quiet", "areas": "11", "threshold": 0.075, "payment": 80_000.0, "due": None},
    ]


PARTIES = {"investors": ["P09"], "providers": ["P02"], "payers": ["P01"]}


@pytest.fixture
def store(demo_file, tmp_path):
    staff = connect(shutil.copy(demo_file, tmp_path / "staff.duckdb"))
    for code, name, members in (
        ("centre", "City centre", ["01", "05"]),
        ("lameira", "Lameira", ["12", "18"]),
        ("controls", "Control districts", CONTROLS),
    ):
        assert groups.save_group(staff, code, name, members, actor=EDITOR).ok
    yield staff
    staff.close()


def _save(store, code, comparison, centre, lameira):
    done = contracts.edit_contract(
        store, _contract(code, comparison), PARTIES, _cohorts(centre, lameira), actor=EDITOR, create=True
    )
    assert done.ok and done.changed, done.issues
    return done


def test_a_cohort_and_comparison_named_by_grouping_measure_as_their_districts(store) -> None:
    _save(store, "BYGROUP", ["controls"], "centre", "lameira")
    _save(store, "BYDISTRICT", CONTROLS, "01|05", "12|18")
    got = contracts.results(store).set_index(["contract_code", "cohort"])
    measured = ["method", "reduction", "low", "high", "probability", "status", "payment_due"]
    grouped, named = got.loc["BYGROUP", measured], got.loc["BYDISTRICT", measured]
    pd.testing.assert_frame_equal(grouped, named)
    assert grouped.loc["centre", "status"] == "met" and grouped["method"].eq("did").all()
    # The cohort is listed as the contract names it; the form shows the grouping by name.
    assert got.loc[("BYGROUP", "centre"), "areas"] == "centre"
    assert area_names("centre|11", {"centre": "City centre (grouping)", "11": "Eleven"}) == (
        "City centre (grouping), Eleven"
    )
    fields, _, cohorts = contracts.contract_form_values(store, "BYGROUP")
    assert fields["comparison_areas"] == ["controls"] and list(cohorts["areas"])[:2] == ["centre", "lameira"]


def test_an_unknown_code_is_refused_in_the_form_naming_row_and_field(store) -> None:
    done = contracts.edit_contract(
        store,
        _contract("BAD", ["nowhere"]),
        PARTIES,
        _cohorts("centre", "elsewhere"),
        actor=EDITOR,
        create=True,
    )
    assert not done.ok and done.batch_id == 0
    found = {(i.row, i.column, i.code) for i in done.issues}
    assert (2, "areas", "foreign-key") in found
    assert {(r, c) for r, c, _ in found} >= {(1, "comparison_areas"), (2, "comparison_areas")}
    assert stored.contracts(store).empty


def _file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _row(cohort: str, areas: str, comparison: str = "controls") -> str:
    return (
        f"SIB1,Home-security bond,burglary,{comparison},2019-01-01,2023-01-01,2025-12-31,"
        f"P09,P02,P01,P05,{cohort},{areas},0.1,1000,2026-06-30"
    )


def test_a_contracts_file_may_name_groupings_and_an_unknown_one_is_refused_in_every_language(store):
    good = imports.import_table(
        store,
        ImportKind.CONTRACTS,
        _file(_row("centre", "centre"), _row("mixed", "lameira|11")),
        "c.csv",
        actor=EDITOR,
    )
    assert good.ok and good.created == 1, good.to_text()
    assert set(stored.cohorts(store)["areas"]) == {"centre", "lameira|11"}
    bad = imports.import_table(
        store,
        ImportKind.CONTRACTS,
        _file(_row("centre", "centre"), _row("mixed", "lameira|nowhere")),
        "bad.csv",
        actor=EDITOR,
    )
    assert not bad.ok
    errors = [i for i in bad.errors if i.column == "areas"]
    assert [(i.file, i.row, i.code) for i in errors] == [("bad.csv", 2, "foreign-key")]
    said = {}
    for lang in ("en", "pt", "fr"):
        with locale_scope(lang):
            said[lang] = issue_message(errors[0].message, errors[0].key, dict(errors[0].params))
        assert "nowhere" in said[lang]
    assert len(set(said.values())) == 3
    # Nothing of the refused file was written.
    assert set(stored.cohorts(store)["areas"]) == {"centre", "lameira|11"}


def _state(store) -> tuple:
    return (
        store.rows("SELECT group_code, area_code FROM area_group_members ORDER BY ALL"),
        store.rows("SELECT code, name FROM area_groups ORDER BY code"),
        store.rows("SELECT id, state FROM batches ORDER BY id"),
        store.rows("SELECT count(*) FROM audit_log"),
        stored.cohorts(store)[["contract_code", "cohort", "areas"]].values.tolist(),
    )


def test_undoing_the_batch_that_created_a_grouping_in_use_is_refused_and_changes_nothing(store) -> None:
    created = groups.import_csv(
        store, b"group,name,area\nnorth,North,02\nnorth,North,03\nspare,Spare,04\n", "g.csv", actor=EDITOR
    )
    assert created.ok
    _save(store, "SIB1", ["controls"], "north", "lameira")
    before = _state(store)
    with pytest.raises(groups.GroupInUse) as refused:
        imports.rollback(store, created.batch_id, actor=ADMIN)
    assert refused.value.groups == ("north",) and refused.value.used_by == (("contract", "SIB1"),)
    assert isinstance(refused.value, imports.RollbackRefused)
    assert _state(store) == before
    # The words are a deletion's: what names the grouping, in the user's language.
    assert groups.delete_group(store, "north", actor=EDITOR).used_by == (("contract", "SIB1"),)
    for lang in ("en", "pt", "fr"):
        with locale_scope(lang):
            words = undo_refused_words(refused.value)
            assert t("groups.use_contract", code="SIB1") in words and "north" in words
    # Once the contract names districts instead, the same undo goes through.
    contracts.edit_contract(
        store, _contract("SIB1", ["controls"]), PARTIES, _cohorts("02|03", "lameira"), actor=EDITOR
    )
    imports.rollback(store, created.batch_id, actor=ADMIN)
    assert not {"north", "spare"} & set(groups.list_groups(store)["code"])


def test_undoing_the_form_that_created_a_grouping_an_action_names_is_refused(store) -> None:
    made = groups.save_group(store, "west", "West", ["06", "07"], actor=EDITOR)
    objective = store.rows("SELECT code FROM objectives ORDER BY code LIMIT 1")[0][0]
    action = imports.import_table(
        store,
        ImportKind.ACTIONS,
        f"code,objective,title,lead_partner,areas\nACG,{objective},Patrols,P01,west|08\n".encode(),
        "actions.csv",
        actor=EDITOR,
    )
    assert action.ok, action.to_text()
    before = _state(store)
    with pytest.raises(groups.GroupInUse) as refused:
        imports.rollback(store, made.batch_id, actor=ADMIN)
    assert refused.value.used_by == (("action", "ACG"),) and refused.value.groups == ("west",)
    assert _state(store) == before and groups.members(store, "west") == ["06", "07"]
    # A member change keeps the grouping: undoing it goes through as before.
    changed = groups.save_group(store, "west", "West", ["06"], actor=EDITOR)
    imports.rollback(store, changed.batch_id, actor=ADMIN)
    assert groups.members(store, "west") == ["06", "07"]
    # Undoing the action first, then the grouping's creation, is allowed.
    imports.rollback(store, action.batch_id, actor=ADMIN)
    imports.rollback(store, made.batch_id, actor=ADMIN)
    assert "west" not in set(groups.list_groups(store)["code"])
