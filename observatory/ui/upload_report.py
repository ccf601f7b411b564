"""The upload page's view of a validation report: what was detected, the counts, the issues, the preview."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from observatory.domain import Granularity, Period
from observatory.i18n import format_number, t
from observatory.present.issues import issue_message
from observatory.present.text import message
from observatory.services import uploads
from observatory.services.uploads import ValidationReport
from observatory.ui.components import download

ISSUE_COLUMNS = ("row", "column", "value", "problem", "message", "severity", "code")
_STORED = "stored_"
_COUNTS = ("rows_read", "created", "updated", "unchanged", "rejected")
_COUNT_KEYS = {"rows_read": "upload.count_read"}
# Why the published-format adapters leave rows out (their words in ingest/formats), in catalogue keys;
# the reasons naming a category carry it after the colon.
_IGNORED = {
    "commune not one of our areas": "upload.ignored_not_ours",
    "no location": "upload.ignored_no_place",
    "outside our districts": "upload.ignored_outside",
    "blank cell (no data)": "upload.ignored_blank",
    "outside the city": "upload.ignored_outside_city",
    "not matching the filter": "upload.ignored_not_matching",
}
_IGNORED_CATEGORY = {
    "category not followed": "upload.ignored_category",
    "class not followed": "upload.ignored_class",
}


def issues_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Issues with translated headers and severities; each code also explained in the reader's language.

    The message is the detailed one found by the check, naming the value, in the reader's language
    where the check has a catalogue message (:func:`present.issues.issue_message`); the problem column
    says the same kind of thing in words from the catalogue (``issue.<code>``).
    """
    shown = frame.copy()
    shown["problem"] = [_explained(str(code)) for code in shown["code"]]
    if "key" in shown:
        shown["message"] = [
            issue_message(str(m), k, p if isinstance(p, dict) else None)
            for m, k, p in zip(shown["message"], shown["key"], shown["params"], strict=True)
        ]
    shown = shown[list(ISSUE_COLUMNS)]
    shown["severity"] = [t(f"upload.severity_{s}") for s in shown["severity"]]
    return shown.rename(columns={c: t(f"upload.col_{c}") for c in ISSUE_COLUMNS})


def _explained(code: str) -> str:
    key = f"issue.{code}"
    text = t(key)
    return "" if text == key else text


def issues_view(frame: pd.DataFrame, *, key: str, filename: str) -> None:
    """The issues as a table, with a CSV download (safe to open in a spreadsheet)."""
    st.subheader(t("upload.issues_heading"))
    if frame.empty:
        st.caption(t("upload.no_issues"))
        return
    shown = issues_table(frame)
    st.dataframe(shown, hide_index=True, key=key)
    download(shown, f"{filename}-issues.csv", key=f"{key}-csv")


_DECIMAL_KEYS = {".": "upload.decimal_point", ",": "upload.decimal_comma"}


def detected_text(encoding: str | None, delimiter: str | None, decimal: str | None) -> str:
    """What was detected in a CSV file, in words (a tab delimiter named, not drawn; the decimal
    mark as "decimal comma" or "decimal point")."""
    shown = t("upload.tab") if delimiter == "\t" else delimiter
    unknown = t("upload.unknown")
    return t(
        "upload.detected",
        encoding=encoding or unknown,
        delimiter=f"“{shown}”" if shown else unknown,
        decimal=t(_DECIMAL_KEYS.get(decimal or "", "upload.decimal_unknown")),
    )


def error_count_text(report: ValidationReport) -> str:
    """The errors counted exactly: rows with errors (and how many are listed), errors about the file."""
    parts = []
    rows, listed = report.error_rows, report.listed_error_rows
    if rows and listed < rows:
        parts.append(t("upload.error_rows_listed", rows=format_number(rows), listed=format_number(listed)))
    elif rows:
        parts.append(t("upload.error_rows", rows=format_number(rows)))
    if report.file_errors:
        parts.append(t("upload.file_errors", n=format_number(report.file_errors)))
    return "; ".join(parts)


def nothing_stored_text(report: ValidationReport) -> str | None:
    """Why a valid file would store no row, in one line of the reader's language (None otherwise)."""
    found = report.nothing_stored()
    if found is None:
        return None
    key, values = found
    shown = {k: format_number(v) if isinstance(v, int) else v for k, v in values.items()}
    if "reason" in shown:
        shown["reason"] = ignored_reason(str(shown["reason"]))
    return t("upload.nothing_stored", file=report.filename, reason=t(f"upload.empty_{key}", **shown))


def _status(report: ValidationReport) -> None:
    if report.ok:
        st.success(message("upload.valid", file=report.filename))
        empty = nothing_stored_text(report)
        if empty:
            st.warning(empty)
        return
    first = report.errors[0]
    st.error(
        message(
            "upload.invalid",
            file=report.filename,
            errors=error_count_text(report),
            row="–" if first.row is None else format_number(first.row),
            column=first.column or "–",
            message=issue_message(first.message, first.key, dict(first.params)),
        )
    )


def ignored_reason(reason: str) -> str:
    """An adapter's reason for leaving rows out, in the reader's language (as written if unknown)."""
    if reason in _IGNORED:
        return t(_IGNORED[reason])
    head, _, category = reason.partition(": ")
    return t(_IGNORED_CATEGORY[head], category=category) if head in _IGNORED_CATEGORY else reason


def ignored_view(report: ValidationReport) -> None:
    """Rows of a published format left out on purpose, by reason (they are not errors)."""
    st.subheader(t("upload.ignored_heading"))
    if not report.ignored_reasons:
        st.caption(t("upload.no_ignored"))
        return
    frame = pd.DataFrame(
        {
            t("upload.col_reason"): [ignored_reason(r) for r in report.ignored_reasons],
            t("upload.col_rows"): [format_number(n) for n in report.ignored_reasons.values()],
        }
    )
    st.dataframe(frame, hide_index=True, key="upload-ignored")


def report_view(report: ValidationReport) -> None:
    """Status naming the file (and its first error's row and column), detection, counts, issues.

    A published format's report also counts the rows ignored on purpose, and lists them by reason.
    """
    st.subheader(t("upload.dry_run_heading"))
    _status(report)
    if report.encoding or report.delimiter:
        st.caption(detected_text(report.encoding, report.delimiter, report.decimal))
    shows_ignored = bool(report.source_format or report.ignored)  # boundary files: areas left out
    counts = (*_COUNTS, "ignored") if shows_ignored else _COUNTS
    for column, name in zip(st.columns(len(counts)), counts, strict=True):
        label = t(_COUNT_KEYS.get(name, f"upload.count_{name}"))
        column.metric(label, format_number(getattr(report, name)))
    if shows_ignored:
        ignored_view(report)
    issues_view(report.issues_frame(), key="upload-issues", filename=report.filename)


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Period labels instead of first days, and "(stored)" beside the stored copy of each column."""
    shown = frame.drop(columns=["change"])
    if {"period_start", "granularity"} <= set(shown.columns):
        labels = [
            Period(pd.Timestamp(start).date(), Granularity(g)).label()
            for start, g in zip(shown["period_start"], shown["granularity"], strict=True)
        ]
        shown = shown.drop(columns=["period_start", "granularity"])
        shown.insert(min(2, len(shown.columns)), "period", labels)
    suffix = t("upload.stored")
    names = {c: f"{c.removeprefix(_STORED)} ({suffix})" for c in shown.columns if c.startswith(_STORED)}
    return shown.rename(columns=names)


def changes_view(report: ValidationReport) -> None:
    """The rows a commit would create, and those it would update with the stored value beside the new."""
    changes = report.changes
    if changes is None or not report.ok:
        return
    if changes.empty:
        st.info(t("upload.nothing_changes"))
        return
    limit = format_number(uploads.PREVIEW_ROWS)
    created = changes[changes["change"] == "created"]
    if not created.empty:
        st.markdown(f"**{t('upload.created_heading', n=limit)}**")
        stored = [c for c in created.columns if c.startswith(_STORED)]
        st.dataframe(_readable(created.drop(columns=stored)), hide_index=True, key="upload-created")
    updated = changes[changes["change"] == "updated"]
    if not updated.empty:
        st.markdown(f"**{t('upload.updated_heading', n=limit)}**")
        st.dataframe(_readable(updated), hide_index=True, key="upload-updated")
