"""Checks and canonical frames for observation and denominator files."""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.domain import Issue, ObservationStatus, Severity, Unit
from observatory.ingest import rules
from observatory.ingest.cells import map_values
from observatory.ingest.convert import Typed
from observatory.ingest.reference import Checked, Reference
from observatory.ingest.rules import Sheet, flag
from observatory.ingest.specs import normalise

_STATUS = {
    "": ObservationStatus.OK, "ok": ObservationStatus.OK,
    "ndiff": ObservationStatus.NOT_PUBLISHED, "nd": ObservationStatus.NOT_PUBLISHED,
    "not_published": ObservationStatus.NOT_PUBLISHED, "withheld": ObservationStatus.NOT_PUBLISHED,
    "provisional": ObservationStatus.PROVISIONAL, "provisoire": ObservationStatus.PROVISIONAL,
    "provisorio": ObservationStatus.PROVISIONAL,
}  # fmt: skip
# Value cells that mark the value as withheld when the status is blank.
_WITHHELD = {"ndiff", "nd"}


def _status_of(label: str) -> str | None:
    status = _STATUS.get(label)
    return None if status is None else str(status)


def _status(sheet: Sheet, typed: Typed) -> tuple[pd.Series, list[Issue]]:
    """Publication status per row; a value cell of ``ndiff`` with a blank status means withheld."""
    raw = typed.values["status"] if "status" in typed.values else pd.Series("", index=sheet.text.index)
    status = map_values(raw, lambda text: _status_of(normalise(text)))
    allowed = "blank, ok, not_published (ndiff, nd, withheld), provisional"
    issues = flag(sheet, status.isna(), "constraint-error", "status", f"{{value!r}} is not one of: {allowed}")
    text = sheet.text["value"]
    # Only blank-read cells can hold a marker (ndiff, nd); the common file has none, so look only there.
    candidates = typed.blank["value"] & (text != "") & (raw == "")
    if candidates.any():
        marked = candidates & text.where(candidates, "").str.casefold().isin(_WITHHELD)
        status = status.where(~marked, str(ObservationStatus.NOT_PUBLISHED))
    return status.fillna(str(ObservationStatus.OK)), issues


def _value_rules(sheet: Sheet, typed: Typed, status: pd.Series, units: pd.Series) -> list[Issue]:
    """Withheld values blank, other values present, and each within what its unit allows."""
    values = typed.values["value"]
    withheld = status == ObservationStatus.NOT_PUBLISHED
    message = "a withheld (not published) value must be blank, not {value!r}: it is never stored as 0"
    issues = flag(sheet, withheld & values.notna(), "constraint-error", "value", message)
    blank = typed.blank["value"]
    issues += flag(sheet, ~withheld & blank, "missing-cell", "value", "value is blank")
    count, percent = units == Unit.COUNT, units == Unit.PERCENT
    issues += rules.negative(sheet, "value", values, count | (units == Unit.RATE))
    issues += rules.not_whole(sheet, "value", values, count)
    issues += rules.outside_percent(sheet, "value", values, percent)
    return issues


def _sample_rules(sheet: Sheet, typed: Typed, units: pd.Series) -> list[Issue]:
    """Sample sizes positive; a percentage without one gets a warning per indicator."""
    sizes = typed.values.get("sample_size", pd.Series(np.nan, index=sheet.text.index))
    issues = rules.below(sheet, "sample_size", sizes, 1) if sheet.has("sample_size") else []
    blank = typed.blank.get("sample_size", pd.Series(True, index=sheet.text.index))
    lacking = (units == Unit.PERCENT) & blank & typed.values["value"].notna()
    if not lacking.any():
        return issues
    indicators = sheet.text["indicator"]
    firsts = lacking & ~indicators.where(lacking).duplicated() & indicators.notna()
    counts = indicators[lacking].value_counts()
    message = "{value!r} is a percentage without sample_size on {detail} row(s): no confidence interval"
    detail = indicators.map(counts)
    return issues + flag(
        sheet, firsts, "missing-cell", "indicator", message, severity=Severity.WARNING, detail=detail
    )


def check_observations(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check an observations file and build its canonical frame.

    Args:
        sheet: The file's cells.
        typed: Its typed columns.
        reference: Known indicators and areas.

    Returns:
        Frame with indicator_code, area_code, granularity, period_start, value, sample_size, status.
    """
    issues = rules.unknown_codes(sheet, "indicator", reference.indicators, "unknown-indicator", "indicator")
    issues += rules.unknown_codes(sheet, "area", reference.area_codes, "unknown-area", "area")
    status, status_issues = _status(sheet, typed)
    units_of = {code: str(ref.unit) for code, ref in reference.indicators.items()}
    units = map_values(sheet.text["indicator"], units_of.get)
    issues += status_issues + _value_rules(sheet, typed, status, units) + _sample_rules(sheet, typed, units)
    period = typed.periods["period"]
    frame = pd.DataFrame(
        {
            "indicator_code": sheet.text["indicator"],
            "area_code": sheet.text["area"],
            "granularity": period.granularity,
            "period_start": period.start,
            "value": typed.values["value"],
            "sample_size": typed.values.get("sample_size", pd.Series(np.nan, index=sheet.text.index)),
            "status": status,
        }
    )
    frame["sample_size"] = frame["sample_size"].round().astype("Int64")
    frame.loc[frame["status"] == ObservationStatus.NOT_PUBLISHED, "value"] = np.nan
    keys = frame[["indicator_code", "area_code", "granularity", "period_start"]]
    issues += rules.duplicate_keys(sheet, keys, "period", "indicator, area and period")
    return Checked(frame.reset_index(drop=True), issues)


def check_denominators(sheet: Sheet, typed: Typed, reference: Reference) -> Checked:
    """Check a denominators file and build its long canonical frame (area_code, year, kind, value).

    Every numeric column other than area and year is a denominator kind; blank cells are skipped.
    """
    issues = rules.unknown_codes(sheet, "area", reference.area_codes, "unknown-area", "area")
    kinds = [name for name in sheet.text.columns if name not in ("area", "year")]
    for kind in kinds:
        issues += rules.negative(sheet, kind, typed.values[kind], typed.values[kind].notna())
    issues += rules.duplicate_keys(sheet, sheet.text[["area", "year"]], "year")
    wide = pd.DataFrame({"area_code": sheet.text["area"], "year": typed.values["year"]})
    for kind in kinds:
        wide[kind] = typed.values[kind]
    long = wide.melt(id_vars=["area_code", "year"], value_vars=kinds, var_name="kind", value_name="value")
    long = long[long["value"].notna() & long["year"].notna()]
    long = long.astype({"area_code": "str", "year": "int64", "kind": "str", "value": "float64"})
    return Checked(long.reset_index(drop=True), issues)
