"""The validation report every import returns: what was read, what was found, what happened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from observatory.domain import ImportKind, Issue, Severity

#: Issues of one code beyond this many are summarised in one line: a file where every row has the
#: same mistake needs one explanation, not a million.
ISSUE_CAP = 500

_SUMMARY_PREFIX = "more rows with this problem"


def summary_issue(code: str, severity: Severity, hidden: int) -> Issue:
    """The one issue standing for ``hidden`` further issues of the same code.

    Args:
        code: Issue code being summarised.
        severity: Severity of the summarised issues.
        hidden: How many issues were left out.

    Returns:
        An issue without row whose ``value`` holds the count (so caps can be merged).
    """
    return Issue(code, severity, f"{hidden} {_SUMMARY_PREFIX} are not listed", value=str(hidden))


def _is_summary(issue: Issue) -> bool:
    return issue.row is None and issue.message.endswith(f"{_SUMMARY_PREFIX} are not listed")


def cap_issues(issues: Iterable[Issue], cap: int = ISSUE_CAP) -> list[Issue]:
    """Keep at most ``cap`` issues per code, plus one summary issue counting the rest.

    Args:
        issues: Issues in the order found (summary issues from earlier caps are merged).
        cap: Maximum number of detailed issues per code.

    Returns:
        The capped list, detailed issues first in their order, summaries last.
    """
    kept: list[Issue] = []
    shown: dict[str, int] = {}
    hidden: dict[str, tuple[Severity, int]] = {}
    for issue in issues:
        if _is_summary(issue):
            severity, count = hidden.get(issue.code, (issue.severity, 0))
            hidden[issue.code] = (severity, count + int(issue.value or 0))
        elif shown.get(issue.code, 0) < cap:
            shown[issue.code] = shown.get(issue.code, 0) + 1
            kept.append(issue)
        else:
            severity, count = hidden.get(issue.code, (issue.severity, 0))
            hidden[issue.code] = (severity, count + 1)
    kept.extend(summary_issue(code, sev, n) for code, (sev, n) in hidden.items() if n)
    return kept


@dataclass
class ValidationReport:
    """Outcome of reading and checking one uploaded file.

    Attributes:
        kind: What the file was imported as.
        filename: Name of the uploaded file.
        sha256: Hex digest of the raw bytes (identifies a re-upload of the same file).
        encoding: Detected text encoding: ``utf-8``, ``utf-8-sig`` (BOM) or ``cp1252``.
        delimiter: Detected field delimiter: ``,``, ``;`` or a tab.
        decimal: Detected decimal separator: ``.`` or ``,``.
        rows_read: Data rows read (header excluded).
        created: Rows the store created (filled by the caller).
        updated: Rows the store changed (filled by the caller).
        unchanged: Rows the store already held as they are (filled by the caller).
        rejected: Rows refused (filled by the caller).
        batch_id: Id of the batch-log entry of this attempt (filled by the caller).
        issues: Problems found, errors and warnings.
        source_format: The published format the rows were read from (``ssmsi``, ``police_uk`` …),
            None for the plain CSV contracts.
        ignored: Rows read but left out on purpose (not an error): another commune, a category that
            is not followed, an incident without a location …
        ignored_reasons: Why rows were ignored: reason → number of rows.
        changes: On request, the created and updated rows with the stored values beside the new
            ones (filled by the caller from the store's classification; not part of ``to_dict``).
    """

    kind: ImportKind
    filename: str
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    batch_id: int | None = None
    issues: list[Issue] = field(default_factory=list)
    source_format: str | None = None
    ignored: int = 0
    ignored_reasons: dict[str, int] = field(default_factory=dict)

    def ignore(self, reason: str, rows: int) -> None:
        """Count ``rows`` rows left out for ``reason`` (nothing is counted for 0 rows)."""
        if rows > 0:
            self.ignored += rows
            self.ignored_reasons[reason] = self.ignored_reasons.get(reason, 0) + rows

    changes: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    @property
    def errors(self) -> list[Issue]:
        """Issues that block the import."""
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """Issues reported without blocking the import."""
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not self.errors

    @property
    def status(self) -> str:
        """``valid`` or ``invalid``."""
        return "valid" if self.ok else "invalid"

    def issues_frame(self) -> pd.DataFrame:
        """Issues as a table with columns code, severity, row, column, value, message."""
        columns = ["code", "severity", "row", "column", "value", "message"]
        rows = [(i.code, str(i.severity), i.row, i.column, i.value, i.message) for i in self.issues]
        frame = pd.DataFrame(rows, columns=columns)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dictionary of the report (enums as their text values)."""
        return {
            "kind": str(self.kind),
            "filename": self.filename,
            "sha256": self.sha256,
            "status": self.status,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "decimal": self.decimal,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "source_format": self.source_format,
            "ignored": self.ignored,
            "ignored_reasons": dict(self.ignored_reasons),
            "issues": [
                {
                    "code": i.code,
                    "severity": str(i.severity),
                    "row": i.row,
                    "column": i.column,
                    "value": i.value,
                    "message": i.message,
                }
                for i in self.issues
            ],
        }

    def to_text(self) -> str:
        """A plain-text report for the command line."""
        delimiter = {"\t": "tab"}.get(self.delimiter or "", self.delimiter)
        what = f"{self.kind}, {self.source_format}" if self.source_format else str(self.kind)
        lines = [
            f"{self.filename} ({what}): {self.status.upper()}",
            f"  encoding {self.encoding or '?'}, delimiter {delimiter or '?'}, decimal {self.decimal or '?'}",
            f"  rows read {self.rows_read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}",
            f"  {len(self.errors)} error(s), {len(self.warnings)} warning(s)",
        ]
        if self.ignored:
            lines.insert(3, f"  ignored {self.ignored}")
            lines[4:4] = [f"    {n} {reason}" for reason, n in sorted(self.ignored_reasons.items())]
        for issue in self.issues:
            where = "" if issue.row is None else f"row {issue.row}"
            if issue.column is not None:
                where = f"{where}, column {issue.column!r}" if where else f"column {issue.column!r}"
            prefix = f"  {str(issue.severity).upper():7} {issue.code}"
            lines.append(f"{prefix} [{where}]: {issue.message}" if where else f"{prefix}: {issue.message}")
        return "\n".join(lines)
