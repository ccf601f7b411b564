"""The ingest entry points: parse a file of a known kind, recognise a file, give a template."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from observatory.domain import ImportKind, Issue, ObservatoryError, Severity
from observatory.ingest.cells import detect_decimal
from observatory.ingest.convert import Typed, convert
from observatory.ingest.observations import check_denominators, check_observations
from observatory.ingest.read import RawTable, decode, detect_delimiter, read_table
from observatory.ingest.reference import Checked, IndicatorRef, Reference
from observatory.ingest.report import ValidationReport, cap_issues
from observatory.ingest.rules import Sheet
from observatory.ingest.specs import SPECS, Spec, match_header
from observatory.ingest.strategy import (
    check_actions,
    check_axes,
    check_contracts,
    check_indicators,
    check_objectives,
    check_partners,
)

__all__ = ["IndicatorRef", "Parsed", "Reference", "detect_kind", "parse", "template"]

#: Each kind's checks; form edits (observatory.ingest.edits) run the same ones.
CHECKS: dict[ImportKind, Callable[[Sheet, Typed, Reference], Checked]] = {
    ImportKind.OBSERVATIONS: check_observations,
    ImportKind.DENOMINATORS: check_denominators,
    ImportKind.INDICATORS: check_indicators,
    ImportKind.AXES: check_axes,
    ImportKind.PARTNERS: check_partners,
    ImportKind.OBJECTIVES: check_objectives,
    ImportKind.ACTIONS: check_actions,
    ImportKind.CONTRACTS: check_contracts,
}


@dataclass(frozen=True)
class Parsed:
    """A parsed file.

    Attributes:
        frame: The canonical frame, or None when the report has errors.
        report: What was detected and found.
        extra: Further canonical frames (``action_partners`` for actions files).
    """

    frame: pd.DataFrame | None
    report: ValidationReport
    extra: Mapping[str, pd.DataFrame] = field(default_factory=dict)


def _sheet(raw: RawTable, positions: dict[str, int], written: dict[str, str]) -> Sheet:
    text = pd.DataFrame({name: raw.frame[str(pos)] for name, pos in positions.items()}, index=raw.frame.index)
    return Sheet(text.astype("str"), raw.rows, written)


def _blank_columns(raw: RawTable) -> set[int]:
    return {i for i in range(len(raw.header)) if not (raw.frame[str(i)] != "").any()}


def finish_report(report: ValidationReport, issues: list[Issue]) -> ValidationReport:
    """Sort the issues by row, cap them per code and stamp them with the file name."""
    ordered = sorted(issues, key=lambda i: (i.row is None, i.row or 0))
    report.issues = [replace(i, file=report.filename) for i in cap_issues(ordered)]
    return report


def parse(kind: ImportKind, data: bytes, filename: str, reference: Reference) -> Parsed:
    """Read, check and type one uploaded file.

    Args:
        kind: What the file is meant to hold.
        data: Raw bytes as uploaded.
        filename: Its name (for the report).
        reference: Codes already known (stored, or added by files imported together).

    Returns:
        The canonical frame (None when any error was found) and the validation report.
    """
    report = ValidationReport(kind, filename, hashlib.sha256(data).hexdigest())
    if kind not in CHECKS:
        message = f"{kind} files are boundary files, read by the geography import"
        return Parsed(None, finish_report(report, [Issue("source-error", Severity.ERROR, message)]))
    spec = SPECS[kind]
    raw = read_table(data)
    report.encoding, report.delimiter = raw.encoding, raw.delimiter
    report.rows_read = len(raw.rows) + sum(i.code in ("extra-cell", "missing-cell") for i in raw.issues)
    if not raw.header:
        return Parsed(None, finish_report(report, raw.issues))
    header = match_header(spec, raw.header, _blank_columns(raw))
    issues = raw.issues + header.issues
    if any(i.severity is Severity.ERROR for i in header.issues):
        return Parsed(None, finish_report(report, issues))
    sheet = _sheet(raw, header.positions, header.written)
    extra_numeric = tuple(n for n in header.positions if n not in {c.name for c in spec.columns})
    numeric = [sheet.text[n] for n in (*spec.numeric, *extra_numeric) if sheet.has(n)]
    report.decimal = detect_decimal(numeric)
    typed = convert(sheet, spec, report.decimal, extra_numeric)
    checked = CHECKS[kind](sheet, typed, reference)
    finish_report(report, issues + typed.issues + checked.issues)
    if not report.ok:
        return Parsed(None, report)
    return Parsed(checked.frame, report, checked.extra)


def _matches(spec: Spec, header: list[str]) -> bool:
    return not any(i.code == "missing-label" for i in match_header(spec, header, set()).issues)


def detect_kind(data: bytes, filename: str) -> ImportKind | None:
    """Recognise a file's kind from its header.

    Args:
        data: Raw bytes.
        filename: Its name (not used to decide: the header is the evidence).

    Returns:
        The kind whose required columns are all present, the most specific when several are;
        None when no contract fits (or the file cannot be read).
    """
    encoding, body, _ = decode(data)
    text = body[:65536].decode("utf-8", errors="ignore")
    if encoding is None or not text.strip():
        return None
    first = next(csv.reader(io.StringIO(text), delimiter=detect_delimiter(text)), [])
    fitting = [spec for spec in SPECS.values() if _matches(spec, [h.strip() for h in first])]
    if not fitting:
        return None
    return max(fitting, key=lambda s: sum(c.required for c in s.columns)).kind


def template(kind: ImportKind) -> bytes:
    """A UTF-8 CSV template: the contract's header and one or two example rows.

    Raises:
        ObservatoryError: For kinds that are not CSV files (areas come as boundary files).
    """
    if kind not in SPECS:
        raise ObservatoryError(f"{kind} are imported from a boundary file, not a CSV file")
    spec = SPECS[kind]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in spec.columns])
    writer.writerows(spec.example)
    return out.getvalue().encode("utf-8")
