"""The one writer of the product's tables as files: CSV and .xlsx, safe to open, in the reader's language.

Every download (page tables, the map, trends, the open-data file, the audit log, validation reports) goes
through :func:`csv_bytes` or :func:`xlsx_bytes`:

- a text cell a spreadsheet would run as a formula is made inert with a leading apostrophe — also when
  the formula character (``=`` ``+`` ``-`` ``@``, their full-width forms ``＝`` ``＋`` ``－`` ``＠``)
  comes after leading spaces, tabs, line breaks or invisible characters (no-break space, zero-width
  characters, the byte-order mark), which spreadsheets skip;
- every cell holding a line break (``\\n`` or a bare ``\\r``) is quoted, and rows end with ``\\r\\n``;
- the file is UTF-8 with a byte-order mark; for Portuguese and French the separator is ``;`` and the
  decimal mark a comma, as their spreadsheets expect;
- headers are in the page's language (:func:`header`), values are rounded as the page shows them and
  coded values (a status, a verdict, a unit) are written in words with the page's message keys
  (:func:`coded_words`).
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from observatory.i18n import catalogue, get_locale, round_shown, t

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"); the
# full-width and small forms are folded to them by spreadsheets that accept East Asian input.
FORMULA_START = frozenset("=+-@＝＋－＠﹢﹣﹦")
# Characters a spreadsheet skips before it looks for a formula, besides Unicode spaces and format
# characters (categories Z* and Cf: NBSP, zero-width space/joiners, BOM, word joiner).
_SKIPPED = frozenset("\t\r\n\v\f")
_SEMICOLON_LOCALES = frozenset({"pt", "fr"})


def _skipped(ch: str) -> bool:
    return ch in _SKIPPED or unicodedata.category(ch) in {"Zs", "Zl", "Zp", "Cf", "Cc"}


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (after skipping blanks and invisibles)."""
    if text[:1] in _SKIPPED:
        return True
    for ch in text:
        if not _skipped(ch):
            return ch in FORMULA_START
    return False


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe.

    Numbers are left alone (a negative number is data, not a formula); only text is touched.
    """
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def header(column: object) -> str:
    """A column's header in the reader's language (``column.<name>`` in the catalogue), else as named."""
    name = str(column)
    key = f"column.{name}"
    return t(key) if key in catalogue("en") else name


def coded_words(value: object, prefix: str) -> object:
    """A coded cell in the reader's words: the message ``<prefix>.<value>`` the page writes for it.

    A value without such a message (a name, a blank) is left as it is.
    """
    if not isinstance(value, str) or not value:
        return value
    key = f"{prefix}.{value}"
    return t(key) if key in catalogue("en") else value


def separator(lang: str | None = None) -> tuple[str, str]:
    """The field separator and decimal mark a spreadsheet expects for the language."""
    return (";", ",") if (lang or get_locale()) in _SEMICOLON_LOCALES else (",", ".")


def shown(
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    words: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The table as a page shows it: values rounded, headers in the reader's language, text neutralised.

    Args:
        frame: The table.
        headers: Header per column; columns not named get :func:`header`.
        decimals: Decimals per numeric column, as the page shows it; others are written as stored.
        words: Message prefix per coded column (``{"status": "progress"}``): its cells are written in
            the reader's words (:func:`coded_words`).
    """
    out = frame.copy()
    for name, prefix in (words or {}).items():
        if name in out.columns:
            out[name] = out[name].map(lambda v, p=prefix: coded_words(v, p), na_action="ignore")
    for name, places in (decimals or {}).items():
        if name in out.columns and pd.api.types.is_float_dtype(out[name]):
            # Rounded as format_number writes the page's figure (half to even on the decimal written).
            out[name] = out[name].map(lambda x, d=places: round_shown(x, d), na_action="ignore")
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        if pd.api.types.is_string_dtype(column):
            # Once per distinct cell: codes, names and areas repeat down a column.
            out[name] = column.map({value: neutralise(value) for value in column.dropna().unique()})
        else:
            out[name] = column.map(neutralise, na_action="ignore")
    names = dict(headers or {})
    out.columns = [str(neutralise(names.get(str(c)) or header(c))) for c in out.columns]
    return out


def csv_bytes(
    frame: pd.DataFrame,
    *,
    lang: str | None = None,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    words: Mapping[str, str] | None = None,
) -> bytes:
    """The table as CSV for the reader's spreadsheet (see the module's rules)."""
    sep, decimal = separator(lang)
    table = shown(frame, headers=headers, decimals=decimals, words=words)
    text = table.to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    return text.encode("utf-8-sig")


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return _cell(value.item())
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str | int | float | bool | date | datetime):
        return value
    return str(value)


def xlsx_bytes(
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    words: Mapping[str, str] | None = None,
    sheet: str = "data",
) -> bytes:
    """The table as an .xlsx workbook (openpyxl): numbers as numbers, text always as text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    table = shown(frame, headers=headers, decimals=decimals, words=words)
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])

    def row(values: list[Any]) -> list[Any]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
            cells.append(cell)
        return cells

    ws.append(row(list(table.columns)))
    for values in table.itertuples(index=False, name=None):
        ws.append(row(list(values)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
