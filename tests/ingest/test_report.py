"""The validation report: status, tables, text, JSON and issue caps."""

from __future__ import annotations

import json

from observatory.domain import ImportKind, Issue, Severity
from observatory.ingest.report import ValidationReport, cap_issues


def _report(*issues: Issue) -> ValidationReport:
    return ValidationReport(ImportKind.OBSERVATIONS, "f.csv", "ab", issues=list(issues))


def test_report_without_errors_is_valid() -> None:
    report = _report(Issue("extra-label", Severity.WARNING, "unknown column", 0, "x"))
    assert (report.ok, report.status, len(report.warnings)) == (True, "valid", 1)


def test_report_with_error_is_invalid() -> None:
    report = _report(Issue("type-error", Severity.ERROR, "bad", 3, "value", "x"))
    assert (report.ok, report.status, len(report.errors)) == (False, "invalid", 1)


def test_issues_frame_columns() -> None:
    frame = _report(Issue("type-error", Severity.ERROR, "bad", 3, "value", "x")).issues_frame()
    assert list(frame.columns) == ["code", "severity", "row", "column", "value", "message"]
    assert frame.iloc[0].tolist() == ["type-error", "error", 3, "value", "x", "bad"]


def test_to_dict_is_json_serialisable() -> None:
    data = _report(Issue("type-error", Severity.ERROR, "bad", 3, "value", "x")).to_dict()
    assert json.loads(json.dumps(data))["issues"][0]["code"] == "type-error"


def test_to_text_names_status_and_issues() -> None:
    text = _report(Issue("type-error", Severity.ERROR, "bad", 3, "value", "x")).to_text()
    assert "INVALID" in text
    assert "type-error [row 3, column 'value']: bad" in text


def test_cap_keeps_500_per_code_and_summarises_the_rest() -> None:
    issues = [Issue("type-error", Severity.ERROR, "bad", n) for n in range(1, 603)]
    capped = cap_issues(issues)
    assert len(capped) == 501
    assert capped[-1].row is None and capped[-1].message.startswith("102 more rows")


def test_cap_merges_earlier_summaries() -> None:
    first = cap_issues([Issue("x", Severity.ERROR, "m", n) for n in range(1, 511)])
    capped = cap_issues([*first, Issue("x", Severity.ERROR, "m", 600)])
    assert capped[-1].message.startswith("11 more rows")


def test_ignored_rows_are_counted_by_reason_and_shown():
    report = ValidationReport(ImportKind.OBSERVATIONS, "p.csv", "0" * 64, source_format="police_uk")
    report.ignore("no location", 2)
    report.ignore("no location", 1)
    report.ignore("outside our districts", 0)
    assert (report.ignored, report.ignored_reasons) == (3, {"no location": 3})
    assert report.to_dict()["ignored_reasons"] == {"no location": 3}
    assert "ignored 3" in report.to_text() and "3 no location" in report.to_text()
