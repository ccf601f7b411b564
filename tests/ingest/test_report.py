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
    issue = Issue(
        "type-error",
        Severity.ERROR,
        "bad",
        3,
        "value",
        "x",
        key="type_error_number",
        params=(("value", "x"),),
    )
    frame = _report(issue).issues_frame()
    assert list(frame.columns) == ["code", "severity", "row", "column", "value", "message", "key", "params"]
    assert frame.iloc[0].tolist() == [
        "type-error",
        "error",
        3,
        "value",
        "x",
        "bad",
        "type_error_number",
        {"value": "x"},
    ]


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


def _bad_observations(rows: int) -> bytes:
    body = "".join(f"burglary,01,{2000 + n // 12}-{n % 12 + 1:02d},many\n" for n in range(rows))
    return ("indicator,area,period,value\n" + body).encode()


def test_thousands_of_bad_rows_are_counted_exactly_not_as_the_cap() -> None:
    from observatory.ingest import parse
    from tests.ingest.reference import REFERENCE

    report = parse(ImportKind.OBSERVATIONS, _bad_observations(3000), "obs.csv", REFERENCE).report
    assert len(report.errors) == 501  # 500 listed, one summary
    assert report.error_rows == 3000
    assert report.error_count_text() == "3,000 rows with errors; first 500 listed"
    assert "3,000 rows with errors; first 500 listed; 0 warning(s)" in report.to_text()


def test_rows_with_two_errors_each_are_counted_once() -> None:
    issues = [Issue(code, Severity.ERROR, "m", n) for code in ("a", "b") for n in range(1, 1201)]
    report = _report(*cap_issues(issues))
    assert (report.error_rows, report.listed_error_rows) == (1200, 500)


def test_errors_about_the_whole_file_are_counted_apart_from_rows() -> None:
    report = _report(Issue("missing-label", Severity.ERROR, "no period", 0, "period"))
    assert report.error_count_text() == "1 error about the whole file"


def test_decimal_is_said_in_words() -> None:
    report = _report()
    report.decimal = ","
    assert "decimal comma" in report.to_text()
    report.decimal = "."
    assert "decimal point" in report.to_text()


def test_a_valid_file_that_stores_nothing_says_why() -> None:
    report = ValidationReport(ImportKind.OBSERVATIONS, "s.csv", "0" * 64, source_format="ssmsi")
    report.empty_hint = ("ssmsi_no_indicator", {"classes": 12})
    assert report.nothing_stored_text() == (
        "No row was stored: none of the 12 classes has an indicator and 'create missing indicators' is off."
    )
    report.unchanged = 40
    assert report.nothing_stored_text() == "No row was stored: all 40 are already stored as they are."
    report.created = 1
    assert report.nothing_stored() is None
