"""Bytes to a table of text cells: encoding, delimiter and row-shape detection.

The parse itself is pyarrow's C++ CSV reader with every column read as text, so that codes keep their
leading zeros and the rules decide what a cell means. Python's csv module only looks at the first
lines to pick the delimiter.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from observatory.config import load_settings
from observatory.domain import Issue, Severity

DELIMITERS = (",", ";", "\t")
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Workbooks saved under a .csv name: the zip of an .xlsx / .ods and the OLE2 container of an .xls.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_HEAD_BYTES = 65536
_HEAD_LINES = 20
# A well-formed multi-byte UTF-8 character: lead byte and its continuation bytes. Windows-1252 text
# spells these only as unlikely pairs such as "Ã©", so finding one in a file that is not valid UTF-8
# means the file mixes encodings (rows pasted from two sources), not that it is Windows-1252.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass
class RawTable:
    """A file read as text cells.

    Attributes:
        header: Column names as written in the file.
        frame: One text column per header position (named ``"0"``, ``"1"`` …), cells stripped.
        rows: Data row number of each frame row (1 = first data row), skipping rows that had the
            wrong number of cells.
        encoding: Detected encoding.
        delimiter: Detected delimiter.
        issues: Problems found while reading.
    """

    header: list[str]
    frame: pd.DataFrame
    rows: np.ndarray
    encoding: str | None = None
    delimiter: str | None = None
    issues: list[Issue] = field(default_factory=list)


def _row_of_offset(data: bytes, offset: int) -> int:
    """Data row holding byte ``offset`` (the header line is row 0)."""
    return data.count(b"\n", 0, offset)


def decode(data: bytes) -> tuple[str | None, bytes, list[Issue]]:
    """Detect the encoding and return UTF-8 bytes without BOM.

    UTF-8 is tried first (a BOM marks ``utf-8-sig``), then Windows-1252, which — unlike Latin-1 — maps
    0x80–0x9F to the characters spreadsheets write there (€ ’ œ). Bytes cp1252 leaves undefined
    (0x81 0x8D 0x8F 0x90 0x9D) mean the file is in neither encoding.

    Args:
        data: Raw uploaded bytes.

    Returns:
        (encoding, UTF-8 bytes, issues); encoding is None when the file cannot be decoded.
    """
    if data.startswith(_UTF16_BOMS):
        # cp1252 would "decode" UTF-16 into NUL-riddled text and report missing columns instead.
        issue = Issue(
            "encoding-error",
            Severity.ERROR,
            "the file is UTF-16 (Unicode text); save it as UTF-8 (CSV UTF-8 in spreadsheets)",
            row=0,
        )
        return None, b"", [issue]
    if data.startswith(_BOM):
        body = data[len(_BOM) :]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, b"", [_encoding_issue(body, exc, "UTF-8")]
        return "utf-8-sig", body, []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", data, []
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, b"", [_encoding_issue(data, exc, "UTF-8 nor Windows-1252")]
    mixed = _mixed_encoding(data)
    if mixed is not None:
        return None, b"", [mixed]
    return "cp1252", text.encode("utf-8"), []


def _mixed_encoding(data: bytes) -> Issue | None:
    """An error when a file that is not valid UTF-8 still holds UTF-8 characters (two encodings mixed).

    Read as Windows-1252, its UTF-8 rows would be stored as mojibake ("SÃ©" for "Sé") with no warning.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:
        return None
    found = _UTF8_MULTIBYTE.search(data)
    if found is None:
        return None
    good_row, bad_row = _row_of_offset(data, found.start()), _row_of_offset(data, bad)
    byte = data[bad : bad + 1].hex().upper()
    return Issue(
        "mixed-encoding",
        Severity.ERROR,
        f"the file mixes encodings: row {good_row} is UTF-8 ({found.group().decode('utf-8')!r}) but row "
        f"{bad_row} has byte 0x{byte}, which is not; save the whole file again as UTF-8 (CSV UTF-8 in "
        "spreadsheets)",
        row=bad_row,
        value=f"0x{byte}",
    )


def _encoding_issue(data: bytes, exc: UnicodeDecodeError, tried: str) -> Issue:
    byte = data[exc.start : exc.start + 1].hex().upper()
    return Issue(
        "encoding-error",
        Severity.ERROR,
        f"byte 0x{byte} is not valid {tried}; save the file as UTF-8 (CSV UTF-8 in spreadsheets)",
        row=_row_of_offset(data, exc.start),
        value=f"0x{byte}",
    )


def _head_rows(text: str, delimiter: str) -> list[list[str]]:
    """Records of the first lines, quote-aware; the last line is dropped when the head was cut."""
    lines = text.splitlines(keepends=True)
    if len(lines) > _HEAD_LINES or len(text) >= _HEAD_BYTES:
        lines = lines[: min(len(lines) - 1, _HEAD_LINES)] or lines[:1]
    # newline="" lets the csv module see a lone carriage return (old Mac line ends) as a line end.
    return [r for r in csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter) if r]


def detect_delimiter(text: str) -> str:
    """Pick ``,`` ``;`` or tab from the first lines of a file.

    A candidate qualifies when the header splits into more than one field and every following row
    of the head has the same number of fields; among those the widest header wins. When none
    qualifies, the one giving the widest header does (the row-shape checks then report the rows).

    Args:
        text: Decoded start of the file.

    Returns:
        The delimiter; ``,`` when nothing splits the header.
    """
    best, best_score = ",", (False, 1)
    for delimiter in DELIMITERS:
        rows = _head_rows(text, delimiter)
        if not rows:
            continue
        width = len(rows[0])
        consistent = width > 1 and all(len(r) == width for r in rows[1:])
        if (consistent, width) > best_score:
            best, best_score = delimiter, (consistent, width)
    return best


def read_table(data: bytes) -> RawTable:
    """Read raw bytes into text cells, recording rows with too many or too few cells.

    Args:
        data: Raw uploaded bytes.

    Returns:
        The table; when the file is empty or undecodable, an empty table and an error issue.
    """
    if data.startswith(_WORKBOOK_MAGIC):
        issue = Issue(
            "source-error",
            Severity.ERROR,
            "the file is a spreadsheet workbook, not CSV; save it as CSV",
            row=0,
        )
        return RawTable([], pd.DataFrame(), np.empty(0, np.int64), None, None, [issue])
    too_long = _header_too_long(data)
    if too_long is not None:
        return RawTable([], pd.DataFrame(), np.empty(0, np.int64), None, None, [too_long])
    encoding, body, issues = decode(data)
    if encoding is None:
        return RawTable([], pd.DataFrame(), np.empty(0, np.int64), None, None, issues)
    if not body.strip():
        issue = Issue("source-error", Severity.ERROR, "the file is empty", row=0)
        return RawTable([], pd.DataFrame(), np.empty(0, np.int64), encoding, None, [issue])
    delimiter = detect_delimiter(body[:_HEAD_BYTES].decode("utf-8", errors="ignore"))
    bad: list[pacsv.InvalidRow] = []

    def _on_invalid(row: pacsv.InvalidRow) -> str:
        bad.append(row)
        return "skip"

    head = _head_rows(body[:_HEAD_BYTES].decode("utf-8", errors="ignore"), delimiter)
    width = len(head[0]) if head else 1
    most = load_settings().upload_max_columns
    if width > most:
        issue = Issue(
            "too-many-columns",
            Severity.ERROR,
            f"the header has {width:,} columns; at most {most:,} are read (setting upload_max_columns)",
            row=0,
            value=f"{width}",
        )
        return RawTable([], pd.DataFrame(), np.empty(0, np.int64), encoding, delimiter, [issue])
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=_on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        issue = Issue("source-error", Severity.ERROR, f"the file is not readable as CSV: {exc}")
        return RawTable([], pd.DataFrame(), np.empty(0, np.int64), encoding, delimiter, [issue])
    return _finish(table, bad, encoding, delimiter)


def release_memory() -> None:
    """Give the memory a parse freed back to the system.

    pyarrow's allocator (mimalloc) and glibc keep freed pages for reuse, so a server that had parsed
    a large upload held that memory until restart: after a 20 MB file, 154 MB above the start, 41 MB
    once released (benchmarks/results/hostile_uploads.jsonl).
    """
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def header_limit() -> int:
    """Longest header line read, in bytes (setting ``upload_max_header_kib``)."""
    return int(load_settings().upload_max_header_kib) * 1024


def _header_too_long(data: bytes) -> Issue | None:
    """An error when the first line is longer than :func:`header_limit` (found without reading further)."""
    limit = header_limit()
    if len(data) <= limit or b"\n" in data[: limit + 1] or b"\r" in data[: limit + 1]:
        return None
    end = data.find(b"\n")
    length = f"{end:,} bytes" if end >= 0 else f"more than {limit:,} bytes (no line end)"
    return Issue(
        "header-too-long",
        Severity.ERROR,
        f"the header line is {length} long; at most {limit // 1024:,} KiB is read (setting "
        "upload_max_header_kib). Is this a CSV file with a header line?",
        row=0,
    )


def _finish(table: pa.Table, bad: list[pacsv.InvalidRow], encoding: str, delimiter: str) -> RawTable:
    """Split off the header, trim cells and number the rows."""
    header = [str(table.column(i)[0]) for i in range(table.num_columns)]
    body = table.slice(1)
    trimmed = {name: pc.utf8_trim_whitespace(body.column(name)) for name in body.column_names}
    frame = pa.table(trimmed).to_pandas()
    # pyarrow numbers records from 1 with the header, so record n is data row n - 1.
    rows = np.arange(1, len(frame) + len(bad) + 1, dtype=np.int64)
    if bad:
        keep = np.ones(len(rows), dtype=bool)
        keep[[r.number - 2 for r in bad if r.number and 1 < r.number <= len(rows) + 1]] = False
        rows = rows[keep]
    issues = [_shape_issue(r, len(header)) for r in bad]
    return RawTable([h.strip() for h in header], frame, rows, encoding, delimiter, issues)


def _shape_issue(row: pacsv.InvalidRow, width: int) -> Issue:
    code = "extra-cell" if row.actual_columns > width else "missing-cell"
    return Issue(
        code,
        Severity.ERROR,
        f"row has {row.actual_columns} cells where the header has {width}",
        row=(row.number or 0) - 1 if row.number else None,
        value=row.text[:200],
    )
