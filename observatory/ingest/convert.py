"""Turn a sheet's text columns into typed columns following its contract, collecting type issues."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from observatory.domain import Issue
from observatory.ingest import rules
from observatory.ingest.cells import Periods, map_values, to_date, to_number, to_period, to_year
from observatory.ingest.rules import Sheet
from observatory.ingest.specs import Cell, Column, Spec, normalise


@dataclass
class Typed:
    """Typed columns of a sheet.

    Attributes:
        values: Canonical name → typed series (text, float64, Int64, datetime64, enum text, lists).
        periods: Canonical name → periods, for PERIOD columns.
        blank: Canonical name → mask of blank cells, for numeric columns (``NA`` counts as blank).
        issues: Type, missing-cell and decimal issues found while converting.
    """

    values: dict[str, pd.Series] = field(default_factory=dict)
    periods: dict[str, Periods] = field(default_factory=dict)
    blank: dict[str, pd.Series] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def _enum(sheet: Sheet, column: Column, typed: Typed) -> None:
    allowed = [str(c) for c in column.choices or ()]

    def meaning(text: str) -> str | None:
        label = normalise(text)
        label = column.synonyms.get(label, label)
        return label if label in allowed else None

    text = sheet.text[column.name]
    values = map_values(text, meaning)
    typed.values[column.name] = values
    typed.issues += rules.bad_choices(sheet, column.name, values.isna() & (text != ""), allowed)


def _number(sheet: Sheet, column: Column, decimal: str, typed: Typed) -> None:
    numbers = to_number(sheet.text[column.name], decimal, column.nulls)
    expected = "whole" if column.cell is Cell.INTEGER else "number"
    typed.issues += rules.type_errors(sheet, column.name, numbers.bad, expected)
    typed.issues += rules.ambiguous_decimals(sheet, column.name, numbers.ambiguous, decimal)
    if column.cell is Cell.INTEGER:
        typed.issues += rules.not_whole(sheet, column.name, numbers.values, numbers.values.notna())
    typed.values[column.name] = numbers.values
    typed.blank[column.name] = numbers.blank


def _other(sheet: Sheet, column: Column, typed: Typed) -> None:
    text, name = sheet.text[column.name], column.name
    if column.cell is Cell.PERIOD:
        periods = to_period(text)
        typed.periods[name] = periods
        typed.values[name] = periods.label
        typed.issues += rules.type_errors(sheet, name, periods.bad, "period")
    elif column.cell is Cell.YEAR:
        typed.values[name], bad = to_year(text)
        typed.issues += rules.type_errors(sheet, name, bad, "year")
    elif column.cell is Cell.DATE:
        typed.values[name], bad = to_date(text)
        typed.issues += rules.type_errors(sheet, name, bad, "date")
    elif column.cell is Cell.CODES:
        typed.values[name] = text.map(lambda cell: [c.strip() for c in cell.split("|") if c.strip()])
    elif column.cell is Cell.LOWER:
        typed.values[name] = text.str.lower()
    else:
        typed.values[name] = text


def convert(sheet: Sheet, spec: Spec, decimal: str, extra_numeric: tuple[str, ...] = ()) -> Typed:
    """Read every column of the sheet by its contract type.

    Args:
        sheet: The file's cells.
        spec: Its contract.
        decimal: The file's decimal separator.
        extra_numeric: Further columns to read as numbers (denominator kinds beyond the contract).

    Returns:
        The typed columns and the issues found.
    """
    typed = Typed()
    needed = [c.name for c in spec.columns if not c.blank_ok]
    typed.issues += rules.missing_cells(sheet, needed)
    columns = [c for c in spec.columns if sheet.has(c.name)]
    columns += [Column(name, Cell.NUMBER, False, True) for name in extra_numeric]
    for column in columns:
        if column.cell is Cell.ENUM:
            _enum(sheet, column, typed)
        elif column.cell in (Cell.NUMBER, Cell.INTEGER):
            _number(sheet, column, decimal, typed)
        else:
            _other(sheet, column, typed)
    return typed
