"""Outcome-based contracts: saving one (a batch with history and rollback) and measuring its cohorts.

Each cohort's outcome is an impact estimate of the contract's indicator in the cohort's areas
(observatory.services.impact, the same reading and estimators as the actions'): against the
contract's comparison areas by difference-in-differences, or, with none named, against the cohort's
own trend and season before the start (interrupted time series of the cohort's summed figures). The
cohort ``all`` is the whole contract. What a cohort is paid follows observatory.stats.contracts.
Nothing here shows a count: the results are ratios, probabilities and payments, so the public strategy
page shows them computed from the published release alone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

from observatory import auth
from observatory.domain import Actor, ImportKind, Issue, Severity
from observatory.ingest.edits import check_rows
from observatory.ingest.strategy import CONTRACT_ROLES
from observatory.services import editing, groups, views
from observatory.services import impact as impact_service
from observatory.services.imports import build_reference
from observatory.stats import impact
from observatory.stats.contracts import outcome
from observatory.store import Store, writes
from observatory.store import contracts as stored

#: Roles a partner can hold in a contract (its sector, public/private/community, is the partner's own).
ROLES = ("investor", "provider", "payer", "evaluator")
#: Columns of :func:`results`.
RESULT_COLUMNS = [
    "contract_code",
    "cohort",
    "areas",
    "method",
    "reduction",
    "low",
    "high",
    "threshold",
    "probability",
    "status",
    "payment",
    "payment_due",
]


class ContractError(ValueError):
    """A contract that cannot be saved as given (the message says what to change)."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def save_contract(
    store: Store, contract: dict[str, object], partners: pd.DataFrame, cohorts: pd.DataFrame, *, actor: Actor
) -> int:
    """Write a contract with its parties and cohorts as one batch (history, audit line, rollback).

    Args:
        contract: code, title, indicator_code, comparison_areas ("|"-joined or None), baseline_start,
            start_date, end_date.
        partners: partner_code, role (investor, provider, payer or evaluator).
        cohorts: cohort, areas ("|"-joined), threshold (0.075 = 7.5 %), payment, due_date.

    Returns:
        The batch id.

    Raises:
        ContractError: An unknown role or a threshold outside 0–1.
    """
    auth.require(actor, "edit_strategy")
    bad = sorted(set(partners["role"]) - set(ROLES))
    if bad:
        raise ContractError(f"unknown role(s) {', '.join(bad)}: use {', '.join(ROLES)}")
    if not cohorts["threshold"].between(0, 1, inclusive="neither").all():
        raise ContractError("a threshold is a reduction between 0 and 1 (0.075 for 7.5 %)")
    code = str(contract["code"])
    columns = [
        "code",
        "title",
        "indicator_code",
        "comparison_areas",
        "baseline_start",
        "start_date",
        "end_date",
    ]
    main = pd.DataFrame([{c: contract.get(c) for c in columns}])
    for column in ("baseline_start", "start_date", "end_date"):
        main[column] = pd.to_datetime(main[column])
    cohorts = cohorts.assign(contract_code=code, due_date=pd.to_datetime(cohorts.get("due_date")))
    record = writes.BatchRecord(
        kind="edit",
        filename=f"contracts {code}",
        sha256=json.dumps({"contract": code, "at": _now().isoformat()}),
        rows_read=1,
        rejected=0,
        user_name=actor.name,
        started_at=_now(),
        tables={
            "contracts": main,
            "contract_partners": partners.assign(contract_code=code)[
                ["contract_code", "partner_code", "role"]
            ],
            "contract_cohorts": cohorts[
                ["contract_code", "cohort", "areas", "threshold", "payment", "due_date"]
            ],
        },
        main_table="contracts",
        audit_action="edit",
        scopes={"contract_partners": (code,), "contract_cohorts": (code,)},
    )
    batch_id, _ = writes.apply_batch(store, record, dry_run=False)
    return batch_id


#: The form's contract fields, under the import file's column names (the parties come by role).
CONTRACT_FIELDS = ("code", "title", "indicator", "comparison_areas", "baseline_start", "start", "end")
#: A cohort's fields in the form, under the import file's column names.
COHORT_FIELDS = ("cohort", "areas", "threshold", "payment", "due")


def edit_contract(
    store: Store,
    contract: dict[str, object],
    parties: dict[str, list[str]],
    cohorts: list[dict[str, object]],
    *,
    actor: Actor,
    create: bool = False,
) -> editing.EditResult:
    """Check a contract typed in a form as its import file would be, and write it as one batch.

    The form's rows go through the same checks as a contracts file (one row per cohort, the
    contract's columns repeated), so a form can never store what an import would refuse; the
    contract's parties and cohorts are replaced whole (history, audit line, rollback as any edit).

    Args:
        contract: :data:`CONTRACT_FIELDS` (areas as lists of codes, dates as dates or ISO text).
        parties: Role column (investors, providers, payers, evaluators) → partner codes.
        cohorts: One mapping of :data:`COHORT_FIELDS` per cohort (threshold 0.075 = 7.5 %).
        create: A new contract (its code must be free) rather than a change of one.

    Returns:
        The batch written (0 when refused or unchanged) and the issues, each naming row and field.
    """
    auth.require(actor, "edit_strategy")
    code = editing.cell(contract.get("code"))
    known = set(stored.contracts(store)["code"].astype(str))
    if not code:
        return editing.EditResult(0, (Issue("missing-cell", Severity.ERROR, "code is blank", 1, "code", ""),))
    if create and code in known:
        message = f"a contract with code {code!r} already exists"
        return editing.EditResult(0, (Issue("primary-key", Severity.ERROR, message, 1, "code", code),))
    if not cohorts:
        message = "a contract needs at least one cohort (all: the whole contract)"
        return editing.EditResult(0, (Issue("missing-cell", Severity.ERROR, message, 1, "cohort", ""),))
    head = {name: editing.cell(contract.get(name)) for name in CONTRACT_FIELDS}
    head.update({role: editing.cell(parties.get(role, [])) for role in CONTRACT_ROLES})
    rows = [{**head, **{name: editing.cell(c.get(name)) for name in COHORT_FIELDS}} for c in cohorts]
    parsed = check_rows(ImportKind.CONTRACTS, rows, build_reference(store))
    if parsed.frame is None:
        return editing.EditResult(0, tuple(parsed.report.issues))
    record = writes.BatchRecord(
        kind=editing.BATCH_KIND,
        filename=f"contracts {code}",
        sha256=parsed.report.sha256,
        rows_read=len(rows),
        rejected=0,
        user_name=actor.name,
        started_at=_now(),
        report=json.dumps(parsed.report.to_dict(), default=str),
        tables={"contracts": parsed.frame, **parsed.extra},
        main_table="contracts",
        audit_action="edit",
        skip_unchanged=True,
        scopes={"contract_partners": (code,), "contract_cohorts": (code,)},
    )
    batch_id, _ = writes.apply_batch(store, record, dry_run=False)
    return editing.EditResult(batch_id, tuple(parsed.report.issues))


def stored_contracts(store: Store) -> pd.DataFrame:
    """Every contract's own row: code, title, indicator_code, comparison_areas, dates."""
    return stored.contracts(store)


def contract_form_values(
    store: Store, code: str
) -> tuple[dict[str, object], dict[str, list[str]], pd.DataFrame]:
    """A stored contract as the form shows it: its fields, its parties by role column, its cohorts."""
    contracts, cohorts, parties = stored.contracts(store), stored.cohorts(store), stored.parties(store)
    row = contracts[contracts["code"].astype(str) == code]
    if row.empty:
        return {}, {}, pd.DataFrame(columns=list(COHORT_FIELDS))
    first = row.iloc[0]
    fields: dict[str, object] = {
        "code": code,
        "title": first["title"],
        "indicator": first["indicator_code"],
        "comparison_areas": impact_service.codes(first["comparison_areas"]),
        "baseline_start": first["baseline_start"],
        "start": first["start_date"],
        "end": first["end_date"],
    }
    mine = parties[parties["contract_code"].astype(str) == code]
    by_role = {
        column: sorted(mine.loc[mine["role"] == role, "partner_code"].astype(str))
        for column, role in CONTRACT_ROLES.items()
    }
    rows = cohorts[cohorts["contract_code"].astype(str) == code]
    table = pd.DataFrame(
        {
            "cohort": rows["cohort"].astype(str),
            "areas": rows["areas"].astype(str),
            "threshold": rows["threshold"].astype(float),
            "payment": rows["payment"].astype(float),
            "due": pd.to_datetime(rows["due_date"]).dt.date,
        }
    ).reset_index(drop=True)
    return fields, by_role, table


def _cohort_estimate(
    store: Store, contract: pd.Series, areas: list[str], known: dict[str, list[str]]
) -> impact.Estimate:
    """A cohort's estimate; ``areas`` are districts, the comparison areas may name groupings (``known``)."""
    info = views.indicator(store, str(contract["indicator_code"]))
    start = pd.Timestamp(contract["start_date"])
    end = None if pd.isna(contract["end_date"]) else pd.Timestamp(contract["end_date"])
    comparison = groups.expand(impact_service.codes(contract["comparison_areas"]), known)
    frame, granularity = impact_service.district_panel(store, info)
    if not pd.isna(contract["baseline_start"]):
        frame = frame[frame["period"] >= pd.Timestamp(contract["baseline_start"])]
    if comparison:
        return impact.did(
            frame,
            targets=set(areas),
            start=start,
            end=end,
            comparison=set(comparison),
            granularity=granularity,
        )
    mine = frame[frame["area"].isin(areas)]
    # Only periods every cohort area has: a sum over a changing set of areas is no series.
    complete = mine.groupby("period")["area"].transform("nunique") == len(set(areas))
    series = mine[complete].groupby("period", as_index=False)[["count", "exposure"]].sum()
    return impact.its(series, start=start, end=end, granularity=granularity)


def results(store: Store) -> pd.DataFrame:
    """Every contract's cohorts and overall: measured reduction with interval, probability, status, payment.

    A cohort's areas and the comparison areas may name area groupings: each is measured as its member
    districts (:func:`groups.expand`); ``areas`` lists the cohort's areas as the contract names them.

    Returns:
        The columns of :data:`RESULT_COLUMNS`, by contract and cohort.
    """
    contracts, cohorts = stored.contracts(store), stored.cohorts(store)
    # A grouping named as a cohort's or the comparison areas is measured as its member districts.
    known = groups.sets(store) if len(contracts) else {}
    rows = []
    for _, contract in contracts.iterrows():
        for _, cohort in cohorts[cohorts["contract_code"] == contract["code"]].iterrows():
            named = impact_service.codes(cohort["areas"])
            estimate = _cohort_estimate(store, contract, groups.expand(named, known), known)
            got = outcome(
                estimate.effect, threshold=float(cohort["threshold"]), payment=float(cohort["payment"])
            )
            rows.append(
                {
                    "contract_code": str(contract["code"]),
                    "cohort": str(cohort["cohort"]),
                    "areas": "|".join(named),
                    "method": str(estimate.method),
                    "reduction": got.reduction,
                    "low": got.low,
                    "high": got.high,
                    "threshold": float(cohort["threshold"]),
                    "probability": got.probability,
                    "status": str(got.status),
                    "payment": float(cohort["payment"]),
                    "payment_due": got.payment_due,
                }
            )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def parties(store: Store) -> pd.DataFrame:
    """contract_code, partner_code, name, sector (public, private, community), role."""
    return stored.parties(store)
