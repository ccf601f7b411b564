"""Recognise what a file is from its header: a published format or one of the CSV contracts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from observatory.domain import ImportKind, SourceFormat, WideLayout
from observatory.ingest.formats.common import label
from observatory.ingest.formats.incidents import INCIDENT_COLUMNS
from observatory.ingest.formats.wide import detect_layout
from observatory.ingest.parse import detect_kind
from observatory.ingest.read import decode, detect_delimiter

NAMES: dict[SourceFormat, str] = {
    SourceFormat.SSMSI: "SSMSI communal recorded crime (France)",
    SourceFormat.POLICE_UK: "police.uk street-level crime",
    SourceFormat.INCIDENTS: "incident list",
    SourceFormat.WIDE: "wide table",
}
_LAYOUT_NAMES = {WideLayout.PERIODS: "periods across", WideLayout.INDICATORS: "indicators across"}


@dataclass(frozen=True)
class Recognised:
    """What a file was recognised as.

    Attributes:
        kind: The store's import kind (observations for every published format).
        source: The published format, or None for a plain CSV contract.
        name: What to show the user (``police.uk street-level crime``, ``observations table`` …).
        layout: For a wide table, what runs across the columns.
    """

    kind: ImportKind
    source: SourceFormat | None
    name: str
    layout: WideLayout | None = None


def read_header(data: bytes) -> list[str]:
    """The column names of a CSV file as written (empty when it cannot be read)."""
    encoding, body, _ = decode(data)
    text = body[:65536].decode("utf-8", errors="ignore")
    if encoding is None or not text.strip():
        return []
    return [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=detect_delimiter(text)), [])]


def _source(labels: set[str]) -> SourceFormat | None:
    if {"crime_id", "month", "crime_type", "longitude", "latitude"} <= labels:
        return SourceFormat.POLICE_UK
    if (
        any(x.startswith("codgeo") for x in labels)
        and "annee" in labels
        and labels & {"classe", "indicateur"}
    ):
        return SourceFormat.SSMSI
    has = {name: bool(labels & set(aliases)) for name, aliases in INCIDENT_COLUMNS.items()}
    placed = has["area"] or (has["longitude"] and has["latitude"])
    # The category column may have a name of its own (Chicago's "Primary Type"): chosen at import.
    if placed and labels & {"date", "data", "datetime", "date_time", "occurred_at"}:
        return SourceFormat.INCIDENTS
    return None


def recognise(data: bytes, filename: str = "") -> Recognised | None:
    """Recognise a file from its header (the file name is not evidence).

    Published formats are tried first (their headers are distinctive), then the CSV contracts, then
    the two wide layouts.

    Returns:
        What it is, or None when nothing fits (or the file cannot be read).
    """
    header = read_header(data)
    if not header:
        return None
    source = _source({label(h) for h in header})
    if source is not None:
        return Recognised(ImportKind.OBSERVATIONS, source, NAMES[source])
    kind = detect_kind(data, filename)
    if kind is not None:
        return Recognised(kind, None, f"{kind} table")
    layout = detect_layout(header)
    if layout is not None:
        name = f"{NAMES[SourceFormat.WIDE]} ({_LAYOUT_NAMES[layout]})"
        return Recognised(ImportKind.OBSERVATIONS, SourceFormat.WIDE, name, layout)
    return None
