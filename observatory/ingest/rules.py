"""One small function per rule, each returning the issues it finds.

Rules work on whole columns at once; only the rows that break a rule are visited one by one, and at
most :data:`ISSUE_CAP` of those per call (the rest are counted in one summary issue).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.domain import Issue, Severity
from observatory.ingest.report import ISSUE_CAP, summary_issue


@dataclass(frozen=True)
class Sheet:
    """The cells of one file under their canonical column names.

    Attributes:
        text: Stripped text cells, one column per canonical name present in the file.
        rows: Data row number of each row (1 = first data row).
        written: Canonical name → header as written in the file.
    """

    text: pd.DataFrame
    rows: np.ndarray
    written: dict[str, str]

    def has(self, name: str) -> bool:
        """True when the file has column ``name``."""
        return name in self.text.columns


def flag(
    sheet: Sheet,
    mask: pd.Series,
    code: str,
    column: str | None,
    message: str,
    *,
    severity: Severity = Severity.ERROR,
    detail: pd.Series | None = None,
    key: str | None = None,
    params: Mapping[str, object] | None = None,
) -> list[Issue]:
    """Issues for the rows where ``mask`` is true.

    Args:
        sheet: The file.
        mask: Boolean per row.
        code: Issue code.
        column: Canonical column the issue points at (None for whole-row issues).
        message: Template; ``{value}`` is the cell text and ``{detail}`` the row's ``detail`` value.
        severity: ERROR or WARNING.
        detail: Optional per-row values for the message.
        key: The catalogue message (``ingest.<key>``) that says it in the reader's language, with
            ``value``, ``detail``, ``column`` (as written in the file) and ``params`` as parameters.
        params: The check's own parameters for the catalogue message.

    Returns:
        At most ISSUE_CAP issues, plus a summary issue counting the rest.
    """
    positions = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
    if not len(positions):
        return []
    written = sheet.written.get(column) if column else None
    cells = sheet.text[column] if column and sheet.has(column) else None
    issues = []
    for position in positions[:ISSUE_CAP]:
        value = None if cells is None else str(cells.iat[position])
        extra = "" if detail is None else detail.iat[position]
        text = message.format(value=value, detail=extra)
        said = {**(params or {}), "value": value or "", "detail": extra, "column": written or column or ""}
        issues.append(
            Issue(
                code,
                severity,
                text,
                int(sheet.rows[position]),
                written,
                value,
                key=key,
                params=tuple((k, str(v)) for k, v in said.items()) if key else (),
            )
        )
    if len(positions) > ISSUE_CAP:
        hidden = sheet.rows[positions[ISSUE_CAP:]]
        issues.append(summary_issue(code, severity, len(positions) - ISSUE_CAP, hidden))
    return issues


def missing_cells(sheet: Sheet, columns: Collection[str]) -> list[Issue]:
    """A blank cell in a column that needs a value (missing-cell)."""
    issues: list[Issue] = []
    for name in columns:
        if sheet.has(name):
            issues += flag(
                sheet, sheet.text[name] == "", "missing-cell", name, f"{name} is blank", key="missing_cell"
            )
    return issues


#: A code names a row in links, file names and URLs: letters, digits and ``_ - .``, at most 40, no blanks.
SAFE_CODE = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}"


def unsafe_codes(sheet: Sheet, column: str) -> list[Issue]:
    """A code outside the safe character set (unsafe-code), e.g. markup, spaces or control characters."""
    text = sheet.text[column]
    bad = (text != "") & ~text.str.fullmatch(SAFE_CODE).fillna(False).astype(bool)
    message = (
        "{value!r} is not a valid code: use letters, digits, '_', '-' or '.' "
        "(at most 40, starting with a letter or digit)"
    )
    return flag(sheet, bad, "unsafe-code", column, message, key="unsafe_code")


#: What a cell of each kind must be, in the English message (``ingest.type_error_<kind>`` in the catalogue).
EXPECTED = {
    "number": "a number",
    "whole": "a whole number",
    "period": "a period (2024, 2024-Q3 or 2024-07)",
    "year": "a year (2024)",
    "date": "a date (2024-07-31)",
    "degree": "a decimal degree (like -1.5461)",
}


def type_errors(sheet: Sheet, column: str, bad: pd.Series, expected: str) -> list[Issue]:
    """A cell that cannot be read as its column's type (type-error); ``expected`` is a key of EXPECTED."""
    message = f"{{value!r}} is not {EXPECTED[expected]}"
    return flag(sheet, bad, "type-error", column, message, key=f"type_error_{expected}")


def ambiguous_decimals(sheet: Sheet, column: str, ambiguous: pd.Series, decimal: str) -> list[Issue]:
    """A number written in the other decimal style than the rest of the file (decimal-ambiguous)."""
    message = f"{{value!r}} does not use the file's decimal separator {decimal!r}; write it like the others"
    return flag(
        sheet,
        ambiguous,
        "decimal-ambiguous",
        column,
        message,
        key="decimal_ambiguous",
        params={"decimal": decimal},
    )


def bad_choices(sheet: Sheet, column: str, bad: pd.Series, allowed: Collection[str]) -> list[Issue]:
    """A value outside the allowed list (constraint-error naming the allowed values)."""
    message = f"{{value!r}} is not one of: {', '.join(allowed)}"
    choices = {"allowed": ", ".join(allowed)}
    return flag(sheet, bad, "constraint-error", column, message, key="bad_choice", params=choices)


def _restored(unknown: Collection[str], known: Collection[str]) -> dict[str, str]:
    """Unknown numeric codes that are a known code with some of its leading zeros dropped.

    Only plausible losses are named: the value has a digit other than 0 (a lone ``0`` is more
    likely a placeholder than the city's ``000``) and is shorter than the known code it becomes
    once padded with zeros (``7`` → ``07``, ``1004`` → ``01004``).
    """
    by_digits: dict[str, str] = {}
    for k in sorted(known):
        if k.isdigit() and k.startswith("0") and k.lstrip("0"):
            by_digits.setdefault(k.lstrip("0"), k)
    found = {}
    for u in unknown:
        code = by_digits.get(u.lstrip("0")) if u.isdigit() else None
        if code is not None and len(u) < len(code):
            found[u] = code
    return found


def unknown_codes(sheet: Sheet, column: str, known: Collection[str], code: str, what: str) -> list[Issue]:
    """A code not in the reference; one that lost its leading zeros is named as such.

    Args:
        sheet: The file.
        column: Canonical column holding codes.
        known: Known codes.
        code: Issue code for a plain unknown code (unknown-area, unknown-indicator, foreign-key).
        what: What the code names, for the message ("area", "axis" …).

    Returns:
        unknown … issues and code-lost-leading-zero issues (which suggest, never substitute, the code).
    """
    text = sheet.text[column]
    unknown = ~text.isin(known) & (text != "")
    if not unknown.any():
        return []
    restored = _restored(set(text[unknown].unique()), known)
    lost = text.isin(restored) & unknown
    likely = text.map(restored) if restored else None
    issues = flag(sheet, unknown & ~lost, code, column, f"unknown {what} {{value!r}}", key="unknown_code")
    message = (
        f"{what} {{value!r}} is unknown; it looks like {{detail!r}} with its leading zero lost"
        " (a spreadsheet may have dropped it): write {detail!r}"
    )
    return issues + flag(
        sheet, lost, "code-lost-leading-zero", column, message, detail=likely, key="lost_zero"
    )


def unknown_in_lists(sheet: Sheet, column: str, lists: pd.Series, known: Collection[str]) -> list[Issue]:
    """A list cell (``P01|P02``) naming a code not in the reference (foreign-key)."""
    exploded = lists.explode()
    bad_positions = exploded[~exploded.isin(known) & exploded.notna()].index.unique()
    mask = pd.Series(lists.index.isin(bad_positions), index=lists.index)
    detail = lists[mask].map(lambda codes: ", ".join(c for c in codes if c not in known))
    message = f"{{value!r}} names an unknown {column[:-1]}: {{detail}}"
    return flag(
        sheet, mask, "foreign-key", column, message, detail=detail.reindex(lists.index), key="unknown_in_list"
    )


def _key_codes(keys: pd.DataFrame) -> pd.Series:
    """One integer per distinct combination of the key columns (faster to hash than the texts)."""
    combined = np.zeros(len(keys), dtype=np.int64)
    for name in keys.columns:
        codes, uniques = pd.factorize(keys[name], use_na_sentinel=False)
        # Re-factorising after each step keeps the combined codes below len(keys): no overflow.
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    return pd.Series(combined, index=keys.index)


def duplicate_keys(sheet: Sheet, keys: pd.DataFrame, column: str, what: str = "") -> list[Issue]:
    """A key seen on an earlier row of the same file (primary-key, reported on the later row).

    Args:
        sheet: The file.
        keys: The key columns (typed, so that 2024-7 and 2024-07 count as one).
        column: Column the issue points at.
        what: How the message names the key (default: the key columns' names).

    Returns:
        One issue per repeated row, naming the row that first gave the key.
    """
    repeated = _key_codes(keys).duplicated(keep="first")
    if not repeated.any():
        return []
    first_rows = pd.Series(sheet.rows, index=keys.index)[~keys.duplicated(keep="first")]
    firsts = keys.loc[first_rows.index].assign(_first=first_rows.to_numpy())
    names = list(keys.columns)
    matched = keys[repeated].merge(firsts, on=names, how="left")["_first"]
    detail = pd.Series(pd.NA, index=keys.index, dtype="object")
    detail[repeated] = matched.to_numpy()
    message = f"{what or ' and '.join(names)} {{value!r}} already given on row {{detail}}"
    return flag(sheet, repeated, "primary-key", column, message, detail=detail, key="duplicate_key")


def negative(sheet: Sheet, column: str, values: pd.Series, applies: pd.Series) -> list[Issue]:
    """A negative number where only zero or more makes sense (constraint-error)."""
    return flag(
        sheet, applies & (values < 0), "constraint-error", column, "{value!r} is negative", key="negative"
    )


def not_whole(sheet: Sheet, column: str, values: pd.Series, applies: pd.Series) -> list[Issue]:
    """A fractional number where a count is expected (constraint-error)."""
    fractional = applies & values.notna() & (values != np.floor(values))
    return flag(
        sheet, fractional, "constraint-error", column, "{value!r} is not a whole number", key="not_whole"
    )


def outside_percent(sheet: Sheet, column: str, values: pd.Series, applies: pd.Series) -> list[Issue]:
    """A percentage below 0 or above 100 (constraint-error)."""
    outside = applies & ((values < 0) | (values > 100))
    message = "{value!r} is not between 0 and 100"
    return flag(sheet, outside, "constraint-error", column, message, key="outside_percent")


def below(sheet: Sheet, column: str, values: pd.Series, minimum: float) -> list[Issue]:
    """A number below the smallest allowed (constraint-error)."""
    message = f"{{value!r}} is below {minimum:g}"
    limit = {"minimum": f"{minimum:g}"}
    return flag(sheet, values < minimum, "constraint-error", column, message, key="below", params=limit)


def not_positive(sheet: Sheet, column: str, values: pd.Series) -> list[Issue]:
    """A number that must be above zero but is not (constraint-error)."""
    return flag(
        sheet, values <= 0, "constraint-error", column, "{value!r} is not above 0", key="not_positive"
    )


def not_after(
    sheet: Sheet, column: str, later: pd.Series, earlier: pd.Series, what: str, *, same_ok: bool = False
) -> list[Issue]:
    """A date or period that should come after another but does not (constraint-error).

    Args:
        sheet: The file.
        column: Column of the later value.
        later: Values that should be later.
        earlier: Values they should follow.
        what: Name of the earlier column, for the message.
        same_ok: Equal values are accepted (an action may start and end the same day).

    Returns:
        One issue per row in the wrong order.
    """
    wrong = (later < earlier) if same_ok else (later <= earlier)
    wrong = wrong & later.notna() & earlier.notna()
    word = "before" if same_ok else "not after"
    message = f"{{value!r}} is {word} {what}"
    key = "before" if same_ok else "not_after"
    return flag(sheet, wrong, "constraint-error", column, message, key=key, params={"other": what})
