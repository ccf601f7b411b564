"""Checks and canonical frames for indicator definitions and the strategy files."""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.domain import ADDITIVE_UNITS, ActionStatus, Issue, Unit, translation_columns
from observatory.ingest import rules
from observatory.ingest.convert import Typed
from observatory.ingest.reference import Checked, Reference
from observatory.ingest.rules import Sheet


def _optional_text(sheet: Sheet, typed: Typed, name: str) -> pd.Series:
    """A text column, or empty texts when the file lacks it."""
    return typed.values.get(name, pd.Series("", index=sheet.text.index, dtype="str"))


def _optional_number(sheet: Sheet, typed: Typed, name: str) -> pd.Series:
    return typed.values.get(name, pd.Series(np.nan, index=sheet.text.index, dtype="float64"))


def check_indicators(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check indicator definitions; multiplier defaults to 1000 with a denominator, else 1.

    Returns:
        Frame with code, name, theme, kind, unit, polarity, denominator_kind, multiplier,
        disclosure_threshold, description, source, and the texts in other languages (``name_pt``,
        ``theme_fr`` …: None where the file has no such column or leaves the cell blank).
    """
    denominator = _optional_text(sheet, typed, "denominator")
    multiplier = _optional_number(sheet, typed, "multiplier")
    threshold = _optional_number(sheet, typed, "threshold")
    issues = rules.duplicate_keys(sheet, sheet.text[["code"]], "code")
    if sheet.has("multiplier"):
        issues += rules.not_positive(sheet, "multiplier", multiplier)
    if sheet.has("threshold"):
        issues += rules.below(sheet, "threshold", threshold, 1)
    default = pd.Series(np.where(denominator != "", 1000.0, 1.0), index=sheet.text.index)
    frame = pd.DataFrame(
        {
            "code": sheet.text["code"],
            "name": sheet.text["name"],
            "theme": sheet.text["theme"],
            "kind": typed.values["kind"].astype("str"),
            "unit": typed.values["unit"].astype("str"),
            "polarity": typed.values["polarity"].astype("str"),
            "denominator_kind": denominator.astype(object).where(denominator != "", None),
            "multiplier": multiplier.fillna(default).astype("float64"),
            "disclosure_threshold": threshold.fillna(5).round().astype("Int64"),
            "description": _optional_text(sheet, typed, "description"),
            "source": _optional_text(sheet, typed, "source"),
            **{name: _translation(sheet, typed, name) for name in translation_columns()},
        }
    )
    return Checked(frame.reset_index(drop=True), issues)


def _translation(sheet: Sheet, typed: Typed, name: str) -> pd.Series:
    """A text in another language, None where not given (the original is then shown, marked)."""
    text = _optional_text(sheet, typed, name).astype(object)
    return text.where(text.str.strip() != "", None)


def check_axes(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check strategy axes: frame with code, title, description."""
    issues = rules.duplicate_keys(sheet, sheet.text[["code"]], "code")
    frame = pd.DataFrame(
        {
            "code": sheet.text["code"],
            "title": sheet.text["title"],
            "description": _optional_text(sheet, typed, "description"),
        }
    )
    return Checked(frame.reset_index(drop=True), issues)


def check_partners(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check partners: frame with code, name, sector; codes only in the safe character set."""
    issues = rules.duplicate_keys(sheet, sheet.text[["code"]], "code")
    issues += rules.unsafe_codes(sheet, "code")
    frame = pd.DataFrame(
        {
            "code": sheet.text["code"],
            "name": sheet.text["name"],
            "sector": typed.values["sector"].astype("str"),
        }
    )
    return Checked(frame.reset_index(drop=True), issues)


def check_objectives(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check objectives: known axis, indicator and area; target period after the baseline period."""
    issues = rules.unknown_codes(sheet, "axis", reference.axis_codes, "foreign-key", "axis")
    issues += rules.unknown_codes(sheet, "indicator", reference.indicators, "unknown-indicator", "indicator")
    # An objective's area is the city, a district or an area grouping (summed by the one total rule).
    places = reference.area_codes | reference.group_codes
    issues += rules.unknown_codes(sheet, "area", places, "unknown-area", "area")
    found = {code: ref.unit for code, ref in reference.indicators.items()}
    grouped = sheet.text["area"].isin(reference.group_codes)
    rated = sheet.text["indicator"].map(lambda c: c in found and Unit(found[c]) not in ADDITIVE_UNITS)
    issues += rules.flag(
        sheet,
        grouped & rated.astype(bool),
        "constraint-error",
        "area",
        "{value!r} is an area grouping, whose figure is its districts' counts added up; a rate, share or"
        " index is never added up: choose a district, the city, or a count",
    )
    baseline, target = typed.periods["baseline_period"], typed.periods["target_period"]
    issues += rules.not_after(sheet, "target_period", target.start, baseline.start, "baseline_period")
    issues += rules.duplicate_keys(sheet, sheet.text[["code"]], "code")
    frame = pd.DataFrame(
        {
            "code": sheet.text["code"],
            "axis_code": sheet.text["axis"],
            "title": sheet.text["title"],
            "indicator_code": sheet.text["indicator"],
            "area_code": sheet.text["area"],
            "baseline_period": baseline.label,
            "baseline_value": typed.values["baseline_value"],
            "target_value": typed.values["target_value"],
            "target_period": target.label,
        }
    )
    return Checked(frame.reset_index(drop=True), issues)


def _codes(sheet: Sheet, typed: Typed, name: str) -> pd.Series:
    """A list column as stored: its codes joined by ``|`` (NULL when the cell or the column is empty)."""
    index = sheet.text.index
    if name not in typed.values:
        return pd.Series(None, index=index, dtype=object)
    return typed.values[name].map(lambda codes: "|".join(codes) if codes else None).astype(object)


def check_actions(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check actions: known objective and partners, end not before start, budget not negative.

    Returns:
        Frame with code, objective_code, title, lead_partner, status, start_date, end_date, budget,
        target_areas, result_indicators, comparison_areas (``|``-joined codes, all optional and
        checked against the known areas, groupings and indicators), and ``extra["action_partners"]``
        (action_code, partner_code) from the ``|``-separated list.
    """
    index = sheet.text.index
    nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    start, end = typed.values.get("start", nat), typed.values.get("end", nat)
    budget = _optional_number(sheet, typed, "budget")
    lists = typed.values.get("partners", pd.Series([[] for _ in index], index=index, dtype=object))
    issues = rules.unknown_codes(sheet, "objective", reference.objective_codes, "foreign-key", "objective")
    issues += rules.unknown_codes(sheet, "lead_partner", reference.partner_codes, "foreign-key", "partner")
    if sheet.has("partners"):
        issues += rules.unknown_in_lists(sheet, "partners", lists, reference.partner_codes)
    issues += rules.not_after(sheet, "end", end, start, "start", same_ok=True)
    issues += rules.negative(sheet, "budget", budget, budget.notna())
    where = {name: _codes(sheet, typed, name) for name in ("areas", "indicators", "comparison_areas")}
    # Target and comparison areas may name area groupings, resolved to their districts when estimated.
    places = reference.area_codes | reference.group_codes
    for name, known in (
        ("areas", places),
        ("indicators", frozenset(reference.indicators)),
        ("comparison_areas", places),
    ):
        if sheet.has(name):
            issues += rules.unknown_in_lists(sheet, name, typed.values[name], known)
    issues += rules.duplicate_keys(sheet, sheet.text[["code"]], "code")
    status = typed.values.get("status", pd.Series(None, index=index, dtype=object))
    frame = pd.DataFrame(
        {
            "code": sheet.text["code"],
            "objective_code": sheet.text["objective"],
            "title": sheet.text["title"],
            "lead_partner": sheet.text["lead_partner"],
            "status": status.fillna(str(ActionStatus.PLANNED)).astype("str"),
            "start_date": start,
            "end_date": end,
            "budget": budget,
            "target_areas": where["areas"],
            "result_indicators": where["indicators"],
            "comparison_areas": where["comparison_areas"],
        }
    )
    pairs = pd.DataFrame({"action_code": sheet.text["code"], "partner_code": lists}).explode("partner_code")
    pairs = pairs.dropna().drop_duplicates().astype("str").reset_index(drop=True)
    return Checked(frame.reset_index(drop=True), issues, {"action_partners": pairs})


#: The contract's own columns, which every row of one contract repeats (the rest describe a cohort).
CONTRACT_COLUMNS = (
    "title",
    "indicator",
    "comparison_areas",
    "baseline_start",
    "start",
    "end",
    "investors",
    "providers",
    "payers",
    "evaluators",
)
#: Role of a partner named in each party column.
CONTRACT_ROLES = {
    "investors": "investor",
    "providers": "provider",
    "payers": "payer",
    "evaluators": "evaluator",
}


def _differs_within_contract(sheet: Sheet, column: str) -> list[Issue]:
    """Rows of a contract whose ``column`` differs from the contract's first row (constraint-error)."""
    codes, cells = sheet.text["code"], sheet.text[column].str.strip()
    first = cells.groupby(codes).transform("first")
    first_row = pd.Series(sheet.rows, index=sheet.text.index).groupby(codes).transform("first")
    message = "{value!r} differs from row {detail} of the same contract"
    return rules.flag(sheet, cells != first, "constraint-error", column, message, detail=first_row)


def check_contracts(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check outcome-based contracts, one row per cohort (observatory.services.contracts measures them).

    Known indicator, areas (districts, the city or area groupings) and partners; every row of a
    contract gives the same contract columns; thresholds strictly between 0 and 1 (0.075 = a 7.5 %
    reduction); payments not negative; the baseline before the start and the end not before it; a
    cohort named once per contract.

    Returns:
        Frame ``contracts`` (code, title, indicator_code, comparison_areas, baseline_start, start_date,
        end_date), and ``extra`` ``contract_partners`` (contract_code, partner_code, role) and
        ``contract_cohorts`` (contract_code, cohort, areas, threshold, payment, due_date).
    """
    index = sheet.text.index
    nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    start, end = typed.values["start"], typed.values.get("end", nat)
    baseline = typed.values.get("baseline_start", nat)
    threshold, payment = typed.values["threshold"], typed.values["payment"]
    issues = rules.unknown_codes(sheet, "indicator", reference.indicators, "unknown-indicator", "indicator")
    # A cohort's areas and the comparison areas may name area groupings, resolved to their districts
    # when the results are measured.
    places = reference.area_codes | reference.group_codes
    issues += rules.unknown_in_lists(sheet, "areas", typed.values["areas"], places)
    for name in ("comparison_areas", *CONTRACT_ROLES):
        if sheet.has(name):
            known = places if name == "comparison_areas" else reference.partner_codes
            issues += rules.unknown_in_lists(sheet, name, typed.values[name], known)
    issues += rules.not_after(sheet, "end", end, start, "start", same_ok=True)
    issues += rules.not_after(sheet, "start", start, baseline, "baseline_start")
    outside = threshold.notna() & ((threshold <= 0) | (threshold >= 1))
    message = "{value!r} is not a reduction between 0 and 1 (0.075 for 7.5 %)"
    issues += rules.flag(sheet, outside, "constraint-error", "threshold", message)
    issues += rules.negative(sheet, "payment", payment, payment.notna())
    for name in CONTRACT_COLUMNS:
        if sheet.has(name):
            issues += _differs_within_contract(sheet, name)
    issues += rules.duplicate_keys(sheet, sheet.text[["code", "cohort"]], "cohort")
    codes = sheet.text["code"]
    first = ~codes.duplicated()
    contracts = pd.DataFrame(
        {
            "code": codes,
            "title": sheet.text["title"],
            "indicator_code": sheet.text["indicator"],
            "comparison_areas": _codes(sheet, typed, "comparison_areas"),
            "baseline_start": baseline,
            "start_date": start,
            "end_date": end,
        }
    )[first]
    parties = [
        pd.DataFrame({"contract_code": codes, "partner_code": typed.values[name], "role": role})[first]
        for name, role in CONTRACT_ROLES.items()
        if name in typed.values
    ]
    columns = ["contract_code", "partner_code", "role"]
    partners = (
        pd.concat(parties).explode("partner_code").dropna().drop_duplicates() if parties else pd.DataFrame()
    )
    partners = partners.reindex(columns=columns).astype("str").reset_index(drop=True)
    cohorts = pd.DataFrame(
        {
            "contract_code": codes,
            "cohort": sheet.text["cohort"],
            "areas": _codes(sheet, typed, "areas"),
            "threshold": threshold,
            "payment": payment,
            "due_date": typed.values.get("due", nat),
        }
    )
    extra = {"contract_partners": partners, "contract_cohorts": cohorts.reset_index(drop=True)}
    return Checked(contracts.reset_index(drop=True), issues, extra)
