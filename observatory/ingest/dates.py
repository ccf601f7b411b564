"""Dates as incident exports write them: ISO, ``dd/mm/yyyy`` or ``mm/dd/yyyy hh:mm:ss AM``.

A column is read in one order. ISO dates (``2024-03-05``, ``2024-03-05T10:00:00``) and months
(``2024-03``) have none to choose. For slashed dates the whole column decides: a first number above
12 can only be a day (day/month/year), a second number above 12 only a day (month/day/year), and
AM/PM times are how US exports (Chicago's among them) write them. When nothing decides (every day
is 12 or less) the column is not guessed: :func:`read_months` says so and the uploader names the
order (``date_order``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from observatory.domain import Issue, Severity
from observatory.ingest.rules import Sheet, flag

__all__ = ["DateOrder", "Months", "date_issues", "read_months"]

_ISO = r"(?P<iy>\d{4})-(?P<im>\d{1,2})(?:-(?P<id>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?)?"
_SLASHED = (
    r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?P<ampm>[AaPp][Mm]))?)?"
)
_PATTERN = f"^(?:{_ISO}|{_SLASHED})$"


class DateOrder(StrEnum):
    """How a slashed date is written: day first (Europe) or month first (United States)."""

    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


@dataclass(frozen=True)
class Months:
    """The month of each row of a date column.

    Attributes:
        month: First day of each row's month (NaT where unreadable or undecided).
        bad: True where the cell is not a date in any accepted form (or not a real date).
        order: The order slashed dates were read in (None when there are none, or it is undecided).
        undecided: Slashed dates are present and nothing in the column decides their order.
        conflicting: Some dates can only be day first and others only month first.
        reason: Why the order was taken (``day above 12``, ``AM/PM times``, ``chosen``), for reports.
    """

    month: pd.Series
    bad: pd.Series
    order: DateOrder | None = None
    undecided: bool = False
    conflicting: bool = False
    reason: str = ""


def _decide(parts: pd.DataFrame, chosen: DateOrder | None) -> tuple[DateOrder | None, bool, str]:
    """The order of the slashed dates: chosen, else decided by the column, else None."""
    slashed = parts["a"].notna()
    first, second = parts.loc[slashed, "a"].astype(int), parts.loc[slashed, "b"].astype(int)
    if chosen is not None:
        return chosen, False, "chosen"
    if not slashed.any():
        return None, False, ""
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first and month_first:
        return None, True, ""
    if day_first:
        return DateOrder.DAY_FIRST, False, "a first number above 12"
    if month_first:
        return DateOrder.MONTH_FIRST, False, "a second number above 12"
    if parts.loc[slashed, "ampm"].notna().any():
        return DateOrder.MONTH_FIRST, False, "AM/PM times"
    return None, False, ""


def _month_numbers(parts: pd.DataFrame, order: DateOrder | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Year, month and day of each distinct text (NaN where not known)."""
    iso = parts["iy"].notna()
    year = pd.to_numeric(parts["iy"].where(iso, parts["y"]), errors="coerce")
    month = pd.to_numeric(parts["im"], errors="coerce")
    day = pd.to_numeric(parts["id"], errors="coerce").where(iso | parts["id"].notna(), np.nan)
    if order is not None:
        month_part, day_part = ("b", "a") if order is DateOrder.DAY_FIRST else ("a", "b")
        month = month.where(iso, pd.to_numeric(parts[month_part], errors="coerce"))
        day = day.where(iso, pd.to_numeric(parts[day_part], errors="coerce"))
    return year, month, day


def read_months(text: pd.Series, order: DateOrder | None = None) -> Months:
    """First day of each row's month, reading each distinct text once (a file has few distinct dates).

    Args:
        text: Cell text per row.
        order: The order of slashed dates, when the uploader named it.

    Returns:
        The months, the unreadable rows, and how the order of slashed dates was decided.
    """
    codes, uniques = pd.factorize(text)
    parts = pd.Series(uniques, dtype=object).astype(str).str.extract(_PATTERN)
    chosen, conflicting, reason = _decide(parts, order)
    year, month, day = _month_numbers(parts, chosen)
    valid = year.notna() & month.between(1, 12) & (day.isna() | day.between(1, 31))
    checked = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": day.fillna(1)}).where(valid), errors="coerce"
    )
    starts = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}).where(checked.notna()))
    undecided = parts["a"].notna() & (chosen is None)
    unreadable = starts.isna() & ~undecided
    index = np.where(codes < 0, len(uniques), codes)
    start_values = np.append(starts.to_numpy("datetime64[ns]"), np.datetime64("NaT"))
    bad_values = np.append(unreadable.to_numpy(dtype=bool), False)
    month_series = pd.Series(start_values[index], index=text.index)
    bad = pd.Series(bad_values[index], index=text.index, dtype=bool)
    return Months(month_series, bad, chosen, bool(undecided.any()) and not conflicting, conflicting, reason)


def date_issues(sheet: Sheet, column: str, months: Months) -> list[Issue]:
    """Unreadable dates, and a column whose order (day or month first) nothing decides."""
    message = "{value!r} is not a date (2024-07-31, 31/07/2024, 07/31/2024 10:00:00 PM) or a month (2024-07)"
    issues = flag(sheet, months.bad, "type-error", column, message)
    if not (months.undecided or months.conflicting):
        return issues
    slashed = months.month.isna() & ~months.bad
    rows = sheet.rows[slashed.to_numpy(dtype=bool)][:3]
    examples = ", ".join(
        f"row {r}: {v!r}" for r, v in zip(rows, sheet.text[column][slashed].iloc[:3], strict=True)
    )
    written = sheet.written.get(column, column)
    why = (
        "some can only be day first and others only month first"
        if months.conflicting
        else "every day is 12 or less, so nothing in the column says which"
    )
    message = (
        f"dates in column {written!r} can be read day first (dd/mm/yyyy) or month first (mm/dd/yyyy);"
        f" {why} ({examples}). Choose the date order with the option 'date order' (date_order: dmy or mdy)"
    )
    return [*issues, Issue("date-ambiguous", Severity.ERROR, message, int(rows[0]), written)]
