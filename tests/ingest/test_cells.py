"""Readers of numbers, periods, years and dates."""

from __future__ import annotations

import math

import pandas as pd

from observatory.ingest.cells import detect_decimal, to_date, to_number, to_period, to_year


def _s(*cells: str) -> pd.Series:
    return pd.Series(list(cells), dtype="str")


def test_decimal_comma_detected() -> None:
    assert detect_decimal([_s("12,5", "3", "7,25")]) == ","


def test_decimal_dot_is_default() -> None:
    assert detect_decimal([_s("12", "3")]) == "."


def test_decimal_dot_detected() -> None:
    assert detect_decimal([_s("12.5", "3")]) == "."


def test_comma_number_read() -> None:
    assert to_number(_s("12,5"), ",").values.tolist() == [12.5]


def test_thousands_dot_with_decimal_comma() -> None:
    assert to_number(_s("1.234,5"), ",").values.tolist() == [1234.5]


def test_thousands_comma_with_decimal_dot() -> None:
    assert to_number(_s("1,234.5", "2"), ".").values.tolist() == [1234.5, 2.0]


def test_spaces_between_digit_groups() -> None:
    assert to_number(_s("1 234,5", "1\u00a0000"), ",").values.tolist() == [1234.5, 1000.0]


def test_other_style_cell_is_ambiguous() -> None:
    numbers = to_number(_s("12,5", "3.5"), ",")
    assert numbers.ambiguous.tolist() == [False, True]
    assert not numbers.bad.any()


def test_scientific_notation_is_bad() -> None:
    assert to_number(_s("1,00E+03"), ",").bad.tolist() == [True]


def test_blank_is_blank_not_bad() -> None:
    numbers = to_number(_s("", "4"), ".")
    assert numbers.blank.tolist() == [True, False]
    assert math.isnan(numbers.values.iloc[0])


def test_null_words_read_as_blank() -> None:
    numbers = to_number(_s("NA", "ndiff", "4"), ".", frozenset({"na", "ndiff"}))
    assert numbers.blank.tolist() == [True, True, False]
    assert not numbers.bad.any()


def test_periods_of_each_granularity() -> None:
    periods = to_period(_s("2024", "2024-Q3", "2024-07"))
    assert periods.granularity.tolist() == ["year", "quarter", "month"]
    assert periods.label.tolist() == ["2024", "2024-Q3", "2024-07"]
    assert periods.start.dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-07-01", "2024-07-01"]


def test_month_13_is_bad_period() -> None:
    assert to_period(_s("2024-13")).bad.tolist() == [True]


def test_year_must_have_four_digits() -> None:
    years, bad = to_year(_s("2024", "24"))
    assert bad.tolist() == [False, True]
    assert years.iloc[0] == 2024


def test_iso_date_read_and_other_forms_bad() -> None:
    dates, bad = to_date(_s("2024-07-31", "31/07/2024", ""))
    assert bad.tolist() == [False, True, False]
    assert str(dates.iloc[0].date()) == "2024-07-31"
