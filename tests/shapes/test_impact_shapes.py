"""Impact estimates, kept verdicts and contracts on every data shape: a verdict or why not, never a crash."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.domain import ImportKind
from observatory.services import contracts, groups, impact
from observatory.services.imports import import_table
from observatory.stats.contracts import ContractStatus
from observatory.stats.impact import Verdict
from observatory.store import connect
from tests.shapes.generator import ACTOR, CITY, SHAPES, build

VERDICTS = {str(v) for v in Verdict}
STATUSES = {str(s) for s in ContractStatus}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_actions_and_contracts_on_every_shape(shape: str, tmp_path) -> None:
    city = SHAPES[shape]()
    store = connect(build(city, tmp_path / "staff.duckdb"))
    try:
        first, rest = city.codes[0], "|".join(city.codes[1:])
        actions = (
            "code,objective,title,lead_partner,start,areas,indicators,comparison_areas\n"
            f"AD1,OB1,In one district,P01,2023-01-01,{first},{city.main},{rest}\n"
            f"AC1,OB1,City-wide,P01,2023-01-01,{CITY},{city.main},\n"
        ).encode()
        report = import_table(store, ImportKind.ACTIONS, actions, "actions.csv", actor=ACTOR)
        assert report.ok, report.to_text()
        deal = (
            "code,title,indicator,comparison_areas,start,payers,cohort,areas,threshold,payment\n"
            f"C1,Bond,{city.main},{rest},2023-01-01,P01,all,{first},0.1,1000\n"
            f"C2,Own trend,{city.main},,2023-01-01,P01,all,{first},0.1,1000\n"
        ).encode()
        report = import_table(store, ImportKind.CONTRACTS, deal, "contracts.csv", actor=ACTOR)
        assert report.ok, report.to_text()
        # The same contract naming area groupings: cohort and comparison as their districts.
        assert groups.save_group(store, "mine", "Mine", [first], actor=ACTOR).ok
        if rest:
            assert groups.save_group(store, "others", "Others", city.codes[1:], actor=ACTOR).ok
        grouped = (
            "code,title,indicator,comparison_areas,start,payers,cohort,areas,threshold,payment\n"
            f"C3,Bond,{city.main},{'others' if rest else ''},2023-01-01,P01,all,mine,0.1,1000\n"
        ).encode()
        report = import_table(store, ImportKind.CONTRACTS, grouped, "grouped.csv", actor=ACTOR)
        assert report.ok, report.to_text()
        impact.forget()
        made = impact.estimates(store, lang="en")
        assert set(made["action_code"]) == {"AD1", "AC1"}
        assert set(made["verdict"]) <= VERDICTS and made["text"].str.len().gt(0).all()
        if len(city.codes) < 2:  # no district to compare with
            assert made.set_index("action_code").loc["AD1", "verdict"] == "not_enough_before"
        kept = impact.memoized(store, lang="en").sort_values("action_code").reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, made.sort_values("action_code").reset_index(drop=True))
        results = contracts.results(store)
        assert list(results["contract_code"]) == ["C1", "C2", "C3"]
        measured = ["method", "reduction", "low", "high", "probability", "status", "payment_due"]
        same = results.set_index("contract_code").loc[["C1" if rest else "C2", "C3"], measured]
        pd.testing.assert_series_equal(same.iloc[0], same.iloc[1], check_names=False)
        assert set(results["status"]) <= STATUSES
        assert (results.loc[results["status"] != "met", "payment_due"] == 0).all()
    finally:
        store.close()
        impact.forget()
