"""Bad files generated from the valid demo files: a table of mutations and the error each must give.

Each case takes one demo CSV (its header and first rows), breaks it in one way a real export breaks,
and names the issue ingest must report: code, data row (0 = the header or the whole file) and column
(None when the problem is not in one column). The named files next to this module stay as they are;
these cases are the generated part of the corpus.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observatory.domain import ImportKind

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
BASE_ROWS = 12
#: The data row most mutations break (1 = first data row).
ROW = 3

Table = list[list[str]]


@dataclass(frozen=True)
class Case:
    """One generated bad file and the issue it must give."""

    name: str
    kind: ImportKind
    data: bytes
    code: str
    row: int
    column: str | None


def base_table(kind: ImportKind) -> Table:
    """Header and first rows of the demo file of ``kind``, as text cells."""
    text = (DEMO / f"{kind.value}.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    return [rows[0], *rows[1 : BASE_ROWS + 1]]


def to_bytes(table: Table, *, delimiter: str = ",", newline: str = "\n", encoding: str = "utf-8") -> bytes:
    """Write a table back as CSV bytes."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(table)
    return buffer.getvalue().encode(encoding)


def with_cell(table: Table, row: int, column: str, value: str) -> Table:
    """A copy of ``table`` with one cell replaced (``row`` counts data rows from 1)."""
    out = [list(r) for r in table]
    out[row][table[0].index(column)] = value
    return out


Mutation = Callable[[Table], bytes]


def cell(column: str, value: str, row: int = ROW) -> Mutation:
    """Replace one cell."""
    return lambda t: to_bytes(with_cell(t, row, column, value))


def drop_column(column: str) -> Mutation:
    """Remove a column from the header and every row."""

    def run(t: Table) -> bytes:
        pos = t[0].index(column)
        return to_bytes([[c for i, c in enumerate(r) if i != pos] for r in t])

    return run


def duplicate_column(column: str) -> Mutation:
    """Write a column twice."""

    def run(t: Table) -> bytes:
        pos = t[0].index(column)
        return to_bytes([[*r, r[pos]] for r in t])

    return run


def blank_header(column: str) -> Mutation:
    """Blank one header cell."""
    return lambda t: to_bytes([["" if c == column else c for c in t[0]], *t[1:]])


def row_cells(delta: int, row: int = ROW) -> Mutation:
    """Add (delta > 0) or remove cells at the end of one row."""

    def run(t: Table) -> bytes:
        out = [list(r) for r in t]
        out[row] = out[row] + ["x"] * delta if delta > 0 else out[row][:delta]
        return to_bytes(out)

    return run


def repeat_row(source: int = 1, row: int = ROW) -> Mutation:
    """Copy an earlier row over a later one (same key twice)."""

    def run(t: Table) -> bytes:
        out = [list(r) for r in t]
        out[row] = list(out[source])
        return to_bytes(out)

    return run


def raw_bytes(transform: Callable[[bytes], bytes]) -> Mutation:
    """Transform the whole file's bytes."""
    return lambda t: transform(to_bytes(t))


def in_row(row: int, transform: Callable[[bytes], bytes]) -> Mutation:
    """Transform the bytes of one data row (lines split on LF)."""

    def run(t: Table) -> bytes:
        lines = to_bytes(t).split(b"\n")
        lines[row] = transform(lines[row])
        return b"\n".join(lines)

    return run


def then(first: Mutation, after: Callable[[bytes], bytes]) -> Mutation:
    """Apply a byte transform after a mutation."""
    return lambda t: after(first(t))


def merged_title_row(t: Table) -> bytes:
    """A spreadsheet title merged across the header: the real header is on the second line."""
    return to_bytes([["Observatory export", *[""] * (len(t[0]) - 1)], *t])


def totals_row(column: str) -> Mutation:
    """A spreadsheet 'Total' row at the end, with a figure under ``column`` and the rest blank."""

    def run(t: Table) -> bytes:
        total = ["Total", *[""] * (len(t[0]) - 1)]
        total[t[0].index(column)] = "9999"
        return to_bytes([*t, total])

    return run


def semicolon_with_cell(column: str, value: str, row: int = ROW) -> Mutation:
    """The European spreadsheet dialect (';' and decimal comma) with one cell replaced."""
    return lambda t: to_bytes(with_cell(t, row, column, value), delimiter=";")


def first_key(kind: ImportKind) -> str:
    """The first column of a kind's demo file (its first key column)."""
    return base_table(kind)[0][0]
