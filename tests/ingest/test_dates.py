"""Dates in the forms real exports use: ISO, day first, month first with AM/PM; undecided columns refused."""

import pandas as pd

from observatory.ingest.dates import DateOrder, read_months


def _months(*cells, order=None):
    found = read_months(pd.Series(list(cells)), order)
    return [None if pd.isna(m) else str(m.date()) for m in found.month], found


def test_iso_dates_datetimes_and_months_are_read():
    months, found = _months("2024-03-05", "2024-03-05T10:00:00", "2024-07-31 22:15", "2024-07")
    assert months == ["2024-03-01", "2024-03-01", "2024-07-01", "2024-07-01"]
    assert not found.bad.any() and found.order is None and not found.undecided


def test_a_day_above_12_decides_day_first_for_the_whole_column():
    months, found = _months("05/03/2024", "25/03/2024", "01/04/2024")
    assert months == ["2024-03-01", "2024-03-01", "2024-04-01"]
    assert found.order is DateOrder.DAY_FIRST


def test_a_second_number_above_12_decides_month_first():
    months, found = _months("03/05/2024", "12/25/2024")
    assert months == ["2024-03-01", "2024-12-01"]
    assert found.order is DateOrder.MONTH_FIRST


def test_am_pm_times_are_read_month_first_as_chicago_writes_them():
    months, found = _months("03/05/2024 10:00:00 AM", "04/06/2024 11:30:00 PM")
    assert months == ["2024-03-01", "2024-04-01"]
    assert (found.order, found.reason) == (DateOrder.MONTH_FIRST, "AM/PM times")


def test_every_day_12_or_less_is_not_guessed():
    months, found = _months("03/05/2024", "04/06/2024")
    assert months == [None, None]
    assert found.undecided and not found.bad.any()


def test_the_chosen_order_reads_an_undecided_column():
    assert _months("03/05/2024", "04/06/2024", order=DateOrder.DAY_FIRST)[0] == ["2024-05-01", "2024-06-01"]
    assert _months("03/05/2024", "04/06/2024", order=DateOrder.MONTH_FIRST)[0] == ["2024-03-01", "2024-04-01"]


def test_day_first_and_month_first_in_one_column_conflict():
    _, found = _months("13/01/2024", "01/13/2024")
    assert found.conflicting and found.order is None


def test_a_date_against_the_chosen_order_is_unreadable():
    months, found = _months("13/01/2024", order=DateOrder.MONTH_FIRST)
    assert months == [None] and found.bad.tolist() == [True]


def test_impossible_dates_and_words_are_unreadable():
    _, found = _months("2024-02-31", "July 2024", "")
    assert found.bad.tolist() == [True, True, True]
