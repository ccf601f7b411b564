"""Each rule on its own, on small sheets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.domain import Severity
from observatory.ingest import rules
from observatory.ingest.rules import Sheet


def _sheet(**columns: list[str]) -> Sheet:
    text = pd.DataFrame(columns).astype("str")
    return Sheet(text, np.arange(1, len(text) + 1), {name: name.title() for name in columns})


def _where(issues: list) -> list[tuple[str, int | None, str | None]]:
    return [(i.code, i.row, i.column) for i in issues]


def test_missing_cells_flags_blank_required_cell() -> None:
    sheet = _sheet(code=["A", ""])
    assert _where(rules.missing_cells(sheet, ["code"])) == [("missing-cell", 2, "Code")]


def test_flag_caps_issues_and_adds_summary() -> None:
    sheet = _sheet(code=[""] * 505)
    issues = rules.missing_cells(sheet, ["code"])
    assert len(issues) == 501
    assert issues[-1].value == "5"


def test_unknown_code_reported() -> None:
    sheet = _sheet(area=["01", "99"])
    assert _where(rules.unknown_codes(sheet, "area", {"01"}, "unknown-area", "area")) == [
        ("unknown-area", 2, "Area")
    ]


def test_a_lone_zero_is_an_unknown_code_not_the_city_code_without_its_zeros() -> None:
    sheet = _sheet(area=["0"])
    issues = rules.unknown_codes(sheet, "area", {"000", "01"}, "unknown-area", "area")
    assert _where(issues) == [("unknown-area", 1, "Area")]


def test_a_code_longer_than_the_known_one_is_not_a_lost_zero() -> None:
    sheet = _sheet(area=["007"])
    assert _where(rules.unknown_codes(sheet, "area", {"07"}, "unknown-area", "area")) == [
        ("unknown-area", 1, "Area")
    ]


def test_a_lost_zero_is_named_for_its_row_with_the_code_to_write() -> None:
    sheet = _sheet(area=["01", "1004"])
    (issue,) = rules.unknown_codes(sheet, "area", {"01", "01004"}, "unknown-area", "area")
    assert (issue.code, issue.row) == ("code-lost-leading-zero", 2)
    assert "'01004'" in issue.message and "write '01004'" in issue.message


def test_code_that_lost_its_leading_zero_names_likely_code() -> None:
    sheet = _sheet(area=["7"])
    issues = rules.unknown_codes(sheet, "area", {"07", "17"}, "unknown-area", "area")
    assert _where(issues) == [("code-lost-leading-zero", 1, "Area")]
    assert "'07'" in issues[0].message


def test_unknown_code_in_list() -> None:
    sheet = _sheet(partners=["P01|P09"])
    lists = pd.Series([["P01", "P09"]])
    issues = rules.unknown_in_lists(sheet, "partners", lists, {"P01"})
    assert _where(issues) == [("foreign-key", 1, "Partners")]
    assert "P09" in issues[0].message


def test_duplicate_key_reported_on_later_row_naming_first() -> None:
    sheet = _sheet(code=["A", "B", "A"])
    issues = rules.duplicate_keys(sheet, sheet.text[["code"]], "code")
    assert _where(issues) == [("primary-key", 3, "Code")]
    assert "row 1" in issues[0].message


def test_negative_flagged_only_where_rule_applies() -> None:
    sheet = _sheet(value=["-1", "-2"])
    values = pd.Series([-1.0, -2.0])
    assert _where(rules.negative(sheet, "value", values, pd.Series([True, False]))) == [
        ("constraint-error", 1, "Value")
    ]


def test_fraction_flagged_where_whole_number_expected() -> None:
    sheet = _sheet(value=["2.5", "3"])
    issues = rules.not_whole(sheet, "value", pd.Series([2.5, 3.0]), pd.Series([True, True]))
    assert _where(issues) == [("constraint-error", 1, "Value")]


def test_percent_outside_range() -> None:
    sheet = _sheet(value=["101", "-1", "50"])
    issues = rules.outside_percent(sheet, "value", pd.Series([101.0, -1.0, 50.0]), pd.Series([True] * 3))
    assert [i.row for i in issues] == [1, 2]


def test_below_minimum() -> None:
    sheet = _sheet(threshold=["0"])
    assert _where(rules.below(sheet, "threshold", pd.Series([0.0]), 1)) == [
        ("constraint-error", 1, "Threshold")
    ]


def test_not_positive() -> None:
    sheet = _sheet(multiplier=["0"])
    assert len(rules.not_positive(sheet, "multiplier", pd.Series([0.0]))) == 1


def test_not_after_strict_and_same_ok() -> None:
    sheet = _sheet(end=["2024-01-01"])
    day = pd.Series(pd.to_datetime(["2024-01-01"]))
    assert len(rules.not_after(sheet, "end", day, day, "start")) == 1
    assert rules.not_after(sheet, "end", day, day, "start", same_ok=True) == []


def test_type_error_and_decimal_ambiguous_and_choices() -> None:
    sheet = _sheet(value=["x"])
    mask = pd.Series([True])
    assert rules.type_errors(sheet, "value", mask, "number")[0].code == "type-error"
    assert rules.ambiguous_decimals(sheet, "value", mask, ",")[0].code == "decimal-ambiguous"
    issue = rules.bad_choices(sheet, "value", mask, ["a", "b"])[0]
    assert (issue.code, issue.severity) == ("constraint-error", Severity.ERROR)
    assert "a, b" in issue.message
