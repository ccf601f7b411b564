"""Wide tables, as statistical offices and spreadsheets publish them, turned into observations.

Two layouts: periods across (``indicator, area, 2022, 2023, …``) and indicators across (``area, period,
burglary, robbery, …``). Each cell becomes one observation row and goes through exactly the checks of
an observations file; issues point at the cell's own row and column. A blank cell is no data (ignored
and counted); ``ndiff`` / ``nd`` mark a withheld value.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import pandas as pd

from observatory.domain import ImportKind, Issue, Period, Severity, SourceFormat, WideLayout
from observatory.ingest.cells import detect_decimal
from observatory.ingest.convert import convert
from observatory.ingest.formats.common import FormatParsed, finish_report
from observatory.ingest.observations import check_observations
from observatory.ingest.read import RawTable, read_table
from observatory.ingest.reference import Reference
from observatory.ingest.report import ValidationReport
from observatory.ingest.rules import Sheet
from observatory.ingest.specs import SPECS, normalise

_FIXED = {
    WideLayout.PERIODS: ("indicator", "area"),
    WideLayout.INDICATORS: ("area", "period"),
}
BLANK = "blank cell (no data)"


def _aliases() -> dict[str, str]:
    spec = SPECS[ImportKind.OBSERVATIONS]
    table = {c.name: c.name for c in spec.columns}
    for column in spec.columns:
        table.update(dict.fromkeys(column.aliases, column.name))
    return table


def _is_period(text: str) -> bool:
    try:
        Period.parse(text)
    except ValueError:
        return False
    return True


def detect_layout(header: list[str]) -> WideLayout | None:
    """The layout a header follows: periods across, indicators across, or None."""
    names = [_aliases().get(normalise(h), "") for h in header]
    if {"indicator", "area"} <= set(names) and any(_is_period(h) for h in header):
        return WideLayout.PERIODS
    others = [h for h, n in zip(header, names, strict=True) if not n and h.strip()]
    if {"area", "period"} <= set(names) and others and "value" not in names:
        return WideLayout.INDICATORS
    return None


def _split(raw: RawTable, layout: WideLayout) -> tuple[dict[str, int], list[int], list[Issue]]:
    """Positions of the fixed columns, positions of the across columns, header issues."""
    lookup, fixed, across, issues = _aliases(), {}, [], []
    for position, written in enumerate(raw.header):
        name = lookup.get(normalise(written), "")
        if name in _FIXED[layout] and name not in fixed:
            fixed[name] = position
        elif layout is WideLayout.PERIODS and not _is_period(written):
            message = f"column {written!r} is not a period (2024, 2024-Q3, 2024-07) and is ignored"
            issues.append(Issue("extra-label", Severity.WARNING, message, row=0, column=written))
        elif written.strip():
            across.append(position)
    for name in _FIXED[layout]:
        if name not in fixed:
            message = f"required column {name!r} of a wide table is missing"
            issues.append(Issue("missing-label", Severity.ERROR, message, row=0, column=name))
    return fixed, across, issues


def _melt(raw: RawTable, layout: WideLayout, fixed: dict[str, int], across: list[int]) -> pd.DataFrame:
    """One row per (file row, across column): fixed cells, the across header, the cell, and where it was."""
    other = "period" if layout is WideLayout.PERIODS else "indicator"
    parts = []
    for position in across:
        part = pd.DataFrame({name: raw.frame[str(p)].to_numpy() for name, p in fixed.items()})
        part[other] = raw.header[position].strip()
        part["value"] = raw.frame[str(position)].to_numpy()
        part["_row"], part["_column"] = raw.rows, raw.header[position]
        parts.append(part)
    columns = ["indicator", "area", "period", "value", "_row", "_column"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _placed(issue: Issue, long: pd.DataFrame, written: dict[str, str]) -> Issue:
    """An issue of the long sheet moved back to the file's own row and column."""
    if issue.row is None or issue.row < 1:
        return issue
    cell = long.iloc[issue.row - 1]
    column = issue.column
    if column in (written["value"], written.get("period"), written.get("indicator")):
        column = str(cell["_column"])
    return replace(issue, row=int(cell["_row"]), column=column)


def parse_wide(
    data: bytes, filename: str, reference: Reference, *, layout: WideLayout | None = None
) -> FormatParsed:
    """Read a wide table into observations.

    Args:
        data: Raw bytes.
        filename: Its name.
        reference: Known indicators and areas.
        layout: What runs across the columns; recognised from the header when None.
    """
    report = ValidationReport(ImportKind.OBSERVATIONS, filename, hashlib.sha256(data).hexdigest())
    report.source_format = str(SourceFormat.WIDE)
    raw = read_table(data)
    report.encoding, report.delimiter = raw.encoding, raw.delimiter
    report.rows_read = len(raw.rows) + sum(i.code in ("extra-cell", "missing-cell") for i in raw.issues)
    layout = layout or detect_layout(raw.header)
    if not raw.header or layout is None:
        message = "the header is neither indicator, area, <periods…> nor area, period, <indicators…>"
        extra = [] if not raw.header else [Issue("missing-label", Severity.ERROR, message, row=0)]
        return FormatParsed(finish_report(report, raw.issues + extra))
    fixed, across, issues = _split(raw, layout)
    if any(i.severity is Severity.ERROR for i in issues):
        return FormatParsed(finish_report(report, raw.issues + issues))
    long = _melt(raw, layout, fixed, across)
    blank = long["value"] == ""
    report.ignore(BLANK, int(blank.sum()))
    long = long[~blank].reset_index(drop=True)
    written = {"indicator": "indicator", "area": "area", "period": "period", "value": "value"}
    written.update({name: raw.header[p] for name, p in fixed.items()})
    text = long[["indicator", "area", "period", "value"]].astype("str")
    sheet = Sheet(text, np.arange(1, len(long) + 1, dtype=np.int64), written)
    report.decimal = detect_decimal([text["value"]])
    typed = convert(sheet, SPECS[ImportKind.OBSERVATIONS], report.decimal)
    checked = check_observations(sheet, typed, reference)
    placed = [_placed(i, long, written) for i in typed.issues + checked.issues]
    finish_report(report, raw.issues + issues + placed)
    if not report.ok:
        return FormatParsed(report)
    return FormatParsed(report, checked.frame)
