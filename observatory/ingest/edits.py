"""Rows typed in a form, checked by the same contracts and rules as an uploaded file.

A form edit is a one-row file whose cells come under their canonical names and with ``.`` decimals:
it goes through the same conversion and the same per-kind checks as an import, so an edit can never
store what an import of the same row would refuse, and the messages name the same fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from observatory.domain import ImportKind, Issue, Severity
from observatory.ingest.convert import convert
from observatory.ingest.parse import CHECKS, Parsed
from observatory.ingest.reference import Reference
from observatory.ingest.report import ValidationReport
from observatory.ingest.rules import Sheet
from observatory.ingest.specs import SPECS

#: Longest assessment text accepted (a page of prose; the field is meant for a written paragraph).
MAX_ASSESSMENT = 5000
#: Years an assessment may be written for.
ASSESSMENT_YEARS = (2000, 2100)


def _missing(kind: ImportKind, present: set[str]) -> list[Issue]:
    spec = SPECS[kind]
    return [
        Issue("missing-label", Severity.ERROR, f"{c.name} is missing", row=1, column=c.name)
        for c in spec.columns
        if c.required and c.name not in present
    ]


def check_rows(kind: ImportKind, rows: Sequence[Mapping[str, str]], reference: Reference) -> Parsed:
    """Check rows of cells (canonical column names, ``.`` decimals) as a file of ``kind`` would be.

    Args:
        kind: The contract the rows follow (not observations: those come only as files).
        rows: One mapping of column name to cell text per row; unknown names are ignored.
        reference: Codes the store knows.

    Returns:
        The canonical frame (None when any error was found) and a report whose issues name the
        canonical field in ``column``.
    """
    spec = SPECS[kind]
    known = {c.name for c in spec.columns}
    cells = [{k: str(v).strip() for k, v in row.items() if k in known} for row in rows]
    digest = hashlib.sha256(json.dumps(cells, sort_keys=True).encode("utf-8")).hexdigest()
    report = ValidationReport(kind, f"{kind} form", digest)
    report.rows_read, report.decimal = len(cells), "."
    text = pd.DataFrame(cells, index=range(len(cells)), dtype="str")
    missing = _missing(kind, set(text.columns))
    if missing:
        report.issues = missing
        return Parsed(None, report)
    sheet = Sheet(text, np.arange(1, len(cells) + 1), {name: name for name in text.columns})
    typed = convert(sheet, spec, ".")
    checked = CHECKS[kind](sheet, typed, reference)
    report.issues = typed.issues + checked.issues
    if not report.ok:
        return Parsed(None, report)
    return Parsed(checked.frame, report, checked.extra)


def check_assessment(
    objective_code: str, year: int, text: str, objective_codes: frozenset[str]
) -> list[Issue]:
    """Rules for one written assessment: a known objective, a plausible year, a text of sensible length.

    Returns:
        Issues naming the field (objective, year, text); empty when the assessment may be stored.
    """
    issues = []
    if objective_code not in objective_codes:
        message = f"unknown objective {objective_code!r}"
        issues.append(Issue("foreign-key", Severity.ERROR, message, 1, "objective", objective_code))
    low, high = ASSESSMENT_YEARS
    if not low <= year <= high:
        message = f"{year!r} is not a year between {low} and {high}"
        issues.append(Issue("constraint-error", Severity.ERROR, message, 1, "year", str(year)))
    if not text.strip():
        issues.append(Issue("missing-cell", Severity.ERROR, "text is blank", 1, "text", ""))
    elif len(text) > MAX_ASSESSMENT:
        message = f"text has {len(text)} characters; at most {MAX_ASSESSMENT}"
        issues.append(Issue("constraint-error", Severity.ERROR, message, 1, "text", None))
    return issues


def check_document_text(kind: str, year: int, block: str, text: str, blocks: frozenset[str]) -> list[Issue]:
    """Rules for one text block of a council document: a known block, a plausible year, a sensible length.

    Returns:
        Issues naming the field (block, year, text); empty when the block may be stored. A blank text is
        allowed: it puts the automatic draft back.
    """
    issues = []
    if block not in blocks:
        issues.append(
            Issue("foreign-key", Severity.ERROR, f"unknown block {block!r} of {kind}", 1, "block", block)
        )
    low, high = ASSESSMENT_YEARS
    if not low <= year <= high:
        message = f"{year!r} is not a year between {low} and {high}"
        issues.append(Issue("constraint-error", Severity.ERROR, message, 1, "year", str(year)))
    if len(text) > MAX_ASSESSMENT:
        message = f"text has {len(text)} characters; at most {MAX_ASSESSMENT}"
        issues.append(Issue("constraint-error", Severity.ERROR, message, 1, "text", None))
    return issues
