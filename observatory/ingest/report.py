"""The validation report every import returns: what was read, what was found, what happened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from observatory.domain import ImportKind, Issue, Severity

#: Issues of one code beyond this many are summarised in one line: a file where every row has the
#: same mistake needs one explanation, not a million.
ISSUE_CAP = 500

_SUMMARY_PREFIX = "more rows with this problem"


@dataclass(frozen=True, slots=True)
class Summary(Issue):
    """The one issue standing for further issues of one code, with the rows it stands for.

    Attributes:
        hidden_rows: Data rows of the issues left out, so that reports count rows exactly.
    """

    hidden_rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64), compare=False, repr=False)


def summary_issue(code: str, severity: Severity, hidden: int, rows: Iterable[int] = ()) -> Summary:
    """The one issue standing for ``hidden`` further issues of the same code.

    Args:
        code: Issue code being summarised.
        severity: Severity of the summarised issues.
        hidden: How many issues were left out.
        rows: Their data rows (when known).

    Returns:
        An issue without row whose ``value`` holds the count (so caps can be merged).
    """
    message = f"{hidden:,} {_SUMMARY_PREFIX} are not listed"
    return Summary(code, severity, message, value=str(hidden), hidden_rows=np.fromiter(rows, np.int64))


def _is_summary(issue: Issue) -> bool:
    return isinstance(issue, Summary)


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
    hidden: dict[str, tuple[Severity, int, list[np.ndarray]]] = {}
    for issue in issues:
        if isinstance(issue, Summary):
            severity, count, rows = hidden.get(issue.code, (issue.severity, 0, []))
            hidden[issue.code] = (severity, count + int(issue.value or 0), [*rows, issue.hidden_rows])
        elif shown.get(issue.code, 0) < cap:
            shown[issue.code] = shown.get(issue.code, 0) + 1
            kept.append(issue)
        else:
            severity, count, rows = hidden.get(issue.code, (issue.severity, 0, []))
            extra = np.array([issue.row], np.int64) if issue.row else np.empty(0, np.int64)
            hidden[issue.code] = (severity, count + 1, [*rows, extra])
    for code, (severity, n, rows) in hidden.items():
        if n:
            kept.append(summary_issue(code, severity, n, np.concatenate(rows) if rows else ()))
    return kept


#: Why a valid file stores nothing, in English (the upload page words them from the catalogue:
#: ``upload.empty_<key>``).
NOTHING_STORED = {
    "unchanged": "all {n} are already stored as they are",
    "ignored": "all {n} rows were left out on purpose (most: {reason})",
    "no_rows": "the file has no data rows",
    "ssmsi_no_indicator": (
        "none of the {classes} classes has an indicator and 'create missing indicators' is off"
    ),
}
_DECIMALS = {".": "decimal point", ",": "decimal comma"}


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
    empty_hint: tuple[str, dict[str, Any]] | None = field(default=None, compare=False)
    dry_run: bool = field(default=False, compare=False)

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
    def error_rows(self) -> int:
        """Data rows with at least one error, counted exactly (rows whose issues are not listed too)."""
        rows = [np.array([i.row for i in self.errors if i.row], np.int64)]
        rows += [i.hidden_rows for i in self.errors if isinstance(i, Summary)]
        return int(np.unique(np.concatenate(rows)).size)

    @property
    def listed_error_rows(self) -> int:
        """Data rows with an error that the report lists one by one."""
        return len({i.row for i in self.errors if i.row})

    @property
    def file_errors(self) -> int:
        """Errors about the file as a whole (no data row: header, encoding, a choice to make)."""
        return sum(1 for i in self.errors if not i.row and not isinstance(i, Summary))

    def nothing_stored(self) -> tuple[str, dict[str, Any]] | None:
        """Why a valid file stores no row (key of :data:`NOTHING_STORED`, values); None otherwise."""
        if not self.ok or self.created or self.updated:
            return None
        if self.unchanged:
            return "unchanged", {"n": self.unchanged}
        if self.empty_hint is not None:
            return self.empty_hint
        if self.ignored:
            reason = max(self.ignored_reasons, key=lambda r: self.ignored_reasons[r])
            return "ignored", {"n": self.ignored, "reason": reason}
        return "no_rows", {}

    def nothing_stored_text(self) -> str | None:
        """:meth:`nothing_stored` in one English line, for the command line and logs."""
        found = self.nothing_stored()
        if found is None:
            return None
        key, values = found
        shown = {k: f"{v:,}" if isinstance(v, int) else v for k, v in values.items()}
        lead = "No row would be stored" if self.dry_run else "No row was stored"
        return f"{lead}: {NOTHING_STORED[key].format(**shown)}."

    def error_count_text(self) -> str:
        """Errors counted exactly in words: ``3,214 rows with errors; first 500 listed``."""
        parts = []
        rows, listed = self.error_rows, self.listed_error_rows
        if rows:
            parts.append(f"{rows:,} row{'' if rows == 1 else 's'} with errors")
            if listed < rows:
                parts[-1] += f"; first {listed:,} listed"
        if self.file_errors:
            parts.append(
                f"{self.file_errors:,} error{'' if self.file_errors == 1 else 's'} about the whole file"
            )
        return ", ".join(parts) or "no errors"

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not self.errors

    @property
    def status(self) -> str:
        """``valid`` or ``invalid``."""
        return "valid" if self.ok else "invalid"

    def issues_frame(self) -> pd.DataFrame:
        """Issues as a table with columns code, severity, row, column, value, message, and the catalogue
        message's key and parameters (``key``, ``params`` as a dict) that say it in the reader's language."""
        columns = ["code", "severity", "row", "column", "value", "message", "key", "params"]
        rows = [
            (i.code, str(i.severity), i.row, i.column, i.value, i.message, i.key, dict(i.params))
            for i in self.issues
        ]
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
            "error_rows": self.error_rows,
            "issues": [
                {
                    "code": i.code,
                    "severity": str(i.severity),
                    "row": i.row,
                    "column": i.column,
                    "value": i.value,
                    "message": i.message,
                    "key": i.key,
                    "params": dict(i.params),
                }
                for i in self.issues
            ],
        }

    def to_text(self) -> str:
        """A plain-text report for the command line."""
        delimiter = {"\t": "tab"}.get(self.delimiter or "", self.delimiter)
        what = f"{self.kind}, {self.source_format}" if self.source_format else str(self.kind)
        decimal = _DECIMALS.get(self.decimal or "", "decimal mark not detected")
        lines = [
            f"{self.filename} ({what}): {self.status.upper()}",
            f"  encoding {self.encoding or '?'}, delimiter {delimiter or '?'}, {decimal}",
            f"  rows read {self.rows_read:,}, created {self.created:,}, updated {self.updated:,}, "
            f"unchanged {self.unchanged:,}, rejected {self.rejected:,}",
            f"  {self.error_count_text()}; {len(self.warnings):,} warning(s)",
        ]
        if self.ignored:
            lines.insert(3, f"  ignored {self.ignored:,}")
            lines[4:4] = [f"    {n:,} {reason}" for reason, n in sorted(self.ignored_reasons.items())]
        empty = self.nothing_stored_text()
        if empty:
            lines.append(f"  {empty}")
        for issue in self.issues:
            where = "" if issue.row is None else f"row {issue.row}"
            if issue.column is not None:
                where = f"{where}, column {issue.column!r}" if where else f"column {issue.column!r}"
            prefix = f"  {str(issue.severity).upper():7} {issue.code}"
            lines.append(f"{prefix} [{where}]: {issue.message}" if where else f"{prefix}: {issue.message}")
        return "\n".join(lines)
