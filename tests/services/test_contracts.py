"""Outcome-based contracts on the demo city: saved as a batch, measured per cohort, in the public release."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from observatory.domain import Actor, PermissionDenied, Role
from observatory.services import contracts, publish
from observatory.store import connect, open_snapshot

EDITOR = Actor("editor", Role.EDITOR)
CONTROLS = "|".join(f"{i:02d}" for i in range(1, 21) if f"{i:02d}" not in ("01", "05", "12", "18"))


def _save(store, code="SIB1", comparison=CONTROLS) -> int:
    contract = {
        "code": code,
        "title": "Home-security bond",
        "indicator_code": "burglary",
        "comparison_areas": comparison,
        "baseline_start": "2019-01-01",
        "start_date": "2023-01-01",
        "end_date": "2025-12-31",
    }
    partners = pd.DataFrame(
        {"partner_code": ["P09", "P02", "P01"], "role": ["investor", "provider", "payer"]}
    )
    cohorts = pd.DataFrame(
        {
            "cohort": ["all", "centre", "lameira", "quiet"],
            "areas": ["01|05|12|18", "01|05", "12|18", "11"],
            "threshold": [0.075, 0.10, 0.10, 0.075],
            "payment": [500_000.0, 120_000.0, 150_000.0, 80_000.0],
            "due_date": ["2026-06-30"] * 4,
        }
    )
    return contracts.save_contract(store, contract, partners, cohorts, actor=EDITOR)


@pytest.fixture(scope="module")
def store(demo_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("contracts")
    staff = connect(shutil.copy(demo_file, folder / "staff.duckdb"))
    _save(staff)
    yield staff
    staff.close()


def test_cohorts_where_burglary_fell_are_paid_and_the_quiet_one_is_not(store) -> None:
    got = contracts.results(store).set_index("cohort")
    assert list(got.index) == ["all", "centre", "lameira", "quiet"]
    for cohort in ("all", "centre", "lameira"):
        assert got.loc[cohort, "status"] == "met", got.loc[cohort]
        assert got.loc[cohort, "payment_due"] == got.loc[cohort, "payment"]
        assert got.loc[cohort, "low"] < got.loc[cohort, "reduction"] < got.loc[cohort, "high"]
        assert got.loc[cohort, "probability"] > 0.9
    # District 11 had no generated effect: the threshold is not met and nothing is due.
    assert got.loc["quiet", "status"] == "not_met" and got.loc["quiet", "payment_due"] == 0.0
    assert got["method"].eq("did").all()


def test_parties_carry_their_role_and_sector(store) -> None:
    got = contracts.parties(store)
    assert set(zip(got["partner_code"], got["role"], strict=True)) == {
        ("P09", "investor"),
        ("P02", "provider"),
        ("P01", "payer"),
    }
    assert set(got["sector"]) <= {"public", "private", "community"}


def test_without_comparison_areas_the_cohort_is_measured_against_its_own_past(store, tmp_path) -> None:
    _save(store, code="SIB2", comparison=None)
    got = contracts.results(store)
    mine = got[got["contract_code"] == "SIB2"].set_index("cohort")
    assert mine["method"].eq("its").all()
    # Measured (the lockdown dip in the baseline years makes the own-trend design weaker than the DiD).
    assert mine["status"].isin(["met", "not_met"]).all()
    assert mine["probability"].between(0, 1).all()
    assert (mine.loc[mine["status"] == "not_met", "payment_due"] == 0).all()


def test_a_viewer_cannot_save_a_contract(store) -> None:
    with pytest.raises(PermissionDenied):
        contracts.save_contract(
            store, {"code": "X"}, pd.DataFrame(), pd.DataFrame(), actor=Actor("v", Role.VIEWER)
        )


def test_an_unknown_role_is_refused_in_words(store) -> None:
    partners = pd.DataFrame({"partner_code": ["P01"], "role": ["sponsor"]})
    cohorts = pd.DataFrame({"cohort": ["all"], "areas": ["01"], "threshold": [0.1], "payment": [1.0]})
    with pytest.raises(contracts.ContractError, match="unknown role"):
        contracts.save_contract(store, {"code": "X"}, partners, cohorts, actor=EDITOR)


def test_the_public_release_holds_the_terms_and_no_count(store, tmp_path) -> None:
    from datetime import datetime

    from observatory.services.demo import DEMO_ACTOR

    staff_parties = contracts.parties(store)
    path = tmp_path / "public.duckdb"
    publish.publish(store, actor=DEMO_ACTOR, snapshot_path=path, now=datetime(2026, 1, 15, 9, 30))
    release = open_snapshot(path)
    try:
        got = contracts.results(release).set_index(["contract_code", "cohort"])
        parties = contracts.parties(release)
    finally:
        release.close()
    assert got.loc[("SIB1", "all"), "status"] == "met"
    assert set(got.columns) == set(contracts.RESULT_COLUMNS) - {"contract_code", "cohort"}
    # Every party of every saved contract (other tests may have added one), as in the staff view.
    key = ["contract_code", "partner_code", "role"]
    assert len(staff_parties) >= 3
    assert (
        parties.sort_values(key)
        .reset_index(drop=True)[key]
        .equals(staff_parties.sort_values(key).reset_index(drop=True)[key])
    )
