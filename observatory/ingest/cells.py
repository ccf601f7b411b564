"""Vectorised readers of text cells: numbers in either decimal style, periods, years, dates.

Each returns typed values plus a mask of the cells it could not read; the rules turn masks into issues.
Periods and codes repeat a lot (one month × many areas), so they are read once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from observatory.domain import Period

_SPACES = r"[ \u00a0\u202f]"
# Evidence of a decimal style: digits, the separator, digits (thousands grouping of the other kind allowed).
_COMMA_STYLE = r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+$"
_DOT_STYLE = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)\.\d+$"
_PLAIN = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$"
_GROUPED = {",": r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$", ".": r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"}


@dataclass(frozen=True)
class Numbers:
    """Numbers read from a text column.

    Attributes:
        values: float64, NaN where blank or unreadable.
        blank: Cells that were empty.
        bad: Non-blank cells that are not a number (type-error).
        ambiguous: Cells written in the other decimal style than the file's (decimal-ambiguous).
    """

    values: pd.Series
    blank: pd.Series
    bad: pd.Series
    ambiguous: pd.Series


def _style_counts(text: pd.Series) -> tuple[int, int]:
    return int(text.str.match(_COMMA_STYLE).sum()), int(text.str.match(_DOT_STYLE).sum())


def detect_decimal(columns: list[pd.Series]) -> str:
    """Decide the file's decimal separator from its numeric columns.

    Args:
        columns: The text cells of the columns the contract declares numeric.

    Returns:
        ``","`` when more cells look like ``12,5`` than like ``12.5``, else ``"."``.
    """
    comma = dot = 0
    for text in columns:
        # Most files have no comma at all in their numbers: skip the regex work then.
        if not text.str.contains(",", regex=False).any():
            continue
        c, d = _style_counts(text.str.replace(_SPACES, "", regex=True))
        comma, dot = comma + c, dot + d
    return "," if comma > dot else "."


def _take(uniques: list[str | None], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Arrow-backed text series of ``uniques[codes]`` (code -1 or a None unique gives a missing value)."""
    taken = pa.array(uniques, type=pa.large_string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pa.chunked_array([taken]).to_pandas().array, index=index)


def map_values(text: pd.Series, mapping: Callable[[str], str | None]) -> pd.Series:
    """Apply ``mapping`` once per distinct cell text (values repeat: statuses, units, enums).

    Args:
        text: Text cells.
        mapping: Function from a cell text to its meaning, or None when it has none.

    Returns:
        Text series of the mapped values (missing where unmapped).
    """
    codes, uniques = pd.factorize(text)
    return _take([mapping(str(u)) for u in uniques], codes, text.index)


def to_number(text: pd.Series, decimal: str, nulls: frozenset[str] = frozenset()) -> Numbers:
    """Read numbers written with ``decimal`` as separator.

    ``1.234,5`` with decimal ``,`` is 1234.5 (and ``1,234.5`` with ``.``); spaces between digit groups
    are dropped. Exponents (``1,00E+03``, a spreadsheet artefact) are not numbers here.

    Args:
        text: Stripped text cells.
        decimal: ``"."`` or ``","``.
        nulls: Casefolded cell texts that stand for no value (``na``, ``ndiff`` …): read as blank.

    Returns:
        The numbers and the masks of blank, unreadable and ambiguous cells.
    """
    plain = text.str.match(_PLAIN)
    if bool(plain.all()) and decimal == ".":
        # The common case (plain dot decimals) goes straight to the fast cast.
        none = pd.Series(False, index=text.index)
        values = pc.cast(pa.array(text.array), pa.float64()).to_numpy(zero_copy_only=False)
        return Numbers(pd.Series(values, index=text.index), none, none, none)
    if nulls:
        text = text.where(plain | ~text.str.casefold().isin(nulls), "")
    blank = text == ""
    squeezed = text.str.replace(_SPACES, "", regex=True)
    other = _DOT_STYLE if decimal == "," else _COMMA_STYLE
    # "1.234" in a decimal-comma file may mean 1.234 or 1234: refuse to guess.
    ambiguous = squeezed.str.match(other)
    grouped = squeezed.str.match(_GROUPED[decimal])
    thousands = "." if decimal == "," else ","
    cleaned = squeezed.where(~grouped, squeezed.str.replace(thousands, "", regex=False))
    if decimal == ",":
        cleaned = cleaned.str.replace(",", ".", regex=False)
    readable = cleaned.str.match(_PLAIN) & ~ambiguous
    values = pd.Series(np.nan, index=text.index, dtype="float64")
    values[readable] = cleaned[readable].astype("float64")
    return Numbers(values, blank, ~blank & ~readable & ~ambiguous, ambiguous)


def is_integral(values: pd.Series) -> pd.Series:
    """True where a number has no fractional part (NaN counts as integral: it is checked elsewhere)."""
    return values.isna() | (values == np.floor(values))


@dataclass(frozen=True)
class Periods:
    """Periods read from a text column.

    Attributes:
        start: datetime64 first day (NaT where unreadable or blank).
        granularity: ``year`` / ``quarter`` / ``month`` text ("" where unreadable).
        label: Canonical label ("" where unreadable).
        bad: Non-blank cells that are not a period.
    """

    start: pd.Series
    granularity: pd.Series
    label: pd.Series
    bad: pd.Series


def to_period(text: pd.Series) -> Periods:
    """Read ``2024``, ``2024-Q3`` or ``2024-07`` with :meth:`Period.parse`, once per distinct value.

    Args:
        text: Stripped text cells.

    Returns:
        Start dates, granularities, labels and the mask of unreadable non-blank cells.
    """
    codes, uniques = pd.factorize(text)
    nat = np.datetime64("NaT", "ns")
    starts: list[np.datetime64] = []
    grains: list[str] = []
    labels: list[str] = []
    for value in uniques:
        try:
            period = Period.parse(str(value))
        except ValueError:
            starts.append(nat)
            grains.append("")
            labels.append("")
        else:
            starts.append(np.datetime64(period.start, "ns"))
            grains.append(str(period.granularity))
            labels.append(period.label())
    # factorize gives -1 for missing values; append a sentinel so that index maps to "unreadable".
    take = np.where(codes < 0, len(uniques), codes)
    start = pd.Series(np.array([*starts, nat], dtype="datetime64[ns]")[take], index=text.index)
    grain, label = _take([*grains, ""], take, text.index), _take([*labels, ""], take, text.index)
    return Periods(start, grain, label, start.isna() & (text != ""))


def to_year(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read four-digit years.

    Returns:
        (Int64 years, mask of non-blank cells that are not a year).
    """
    good = text.str.fullmatch(r"\d{4}")
    years = pd.Series(pd.NA, index=text.index, dtype="Int64")
    years[good] = text[good].astype("int64")
    return years, ~good & (text != "")


def to_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read ISO dates (``2024-07-31``).

    Returns:
        (datetime64 dates with NaT for blanks, mask of non-blank cells that are not a date).
    """
    dates = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    return dates.astype("datetime64[ns]"), dates.isna() & (text != "")
