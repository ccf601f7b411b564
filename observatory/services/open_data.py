"""The open-data package of a release: CSV and Parquet of every published table, described by a
Frictionless ``datapackage.json`` (schema, units, licence, release date, disclosure rule), in one zip
file beside the snapshot.

The package is read back from the written snapshot itself, so it holds exactly what the release holds
(disclosure control already applied: no count from 1 to k−1 is in it). Publishing writes it once
(:func:`write_package`, called by ``services.publish``); the methodology page offers it for download
and never builds it on a page view. A release written before packages existed has none beside it:
the page then builds the same bytes when a visitor asks for them (:func:`package_bytes`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import time
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from observatory.store import Store, StoreError, open_snapshot, snapshot

_log = logging.getLogger(__name__)

#: The package's licence unless the caller names another (SPDX identifier, title, text).
DEFAULT_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
#: Tables of the snapshot that are not published as tables of the package.
_LEFT_OUT = frozenset({"release"})
#: Columns of a snapshot table that are not published (``display_geometry`` repeats ``geometry``).
_DROPPED = {"areas": ("display_geometry",)}
#: The flat table of every published value with its indicator's and area's names.
VALUES = "values"
_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "DOUBLE": "number", "DATE": "date"}
_TYPES["TIMESTAMP"] = "datetime"
#: The date of a release without one (a zip file cannot hold a date before 1980).
_NO_DATE = pd.Timestamp("1980-01-01")
_MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}

#: What each published table holds, for the package's descriptions.
TABLE_TEXT = {
    "areas": "The city (level 0) and its districts (level 1); geometry is GeoJSON in EPSG:4326, "
    "simplified for display.",
    "indicators": "The indicator catalogue: unit, polarity, denominator, multiplier and disclosure "
    "threshold.",
    "denominators": "Population figures rates are computed from, per area, year and kind.",
    "observations": "Every published value per indicator, area and period, after disclosure control.",
    "series_breaks": "Dates where an indicator's series changes definition or source.",
    "axes": "Axes of the local security strategy.",
    "partners": "Partners of the strategy.",
    "objectives": "Objectives of the strategy, with their indicator, baseline and target.",
    "actions": "Actions of the strategy.",
    "action_partners": "Which partners take part in which action.",
    "assessments": "Yearly assessments of objectives.",
    "objective_changes": "Changes of objectives' baselines and targets, with when they were made.",
    "contracts": "Outcome-based contracts: the outcome indicator, comparison areas and contract period.",
    "contract_partners": "The parties of each contract (investor, provider, public payer or evaluator).",
    "contract_cohorts": "Each contract's cohorts or areas, the threshold that triggers payment, and "
    "the payment.",
    "area_groups": "Groupings of districts staff define (wards, priority neighbourhoods, police sectors).",
    "area_group_members": "Which districts belong to which grouping.",
    VALUES: "Every published value with its indicator's and area's names (one table for spreadsheets).",
}
#: Descriptions of the columns whose meaning is not plain from their names.
FIELD_TEXT = {
    ("observations", "value"): "The value in the indicator's unit (indicators.unit; a rate is per "
    "indicators.multiplier of indicators.denominator_kind). Empty where withheld.",
    ("observations", "status"): "ok, provisional, suppressed (withheld by disclosure control) or "
    "not_published (withheld at source).",
    ("observations", "display"): "The text shown in place of a withheld value, e.g. '< 5'.",
    ("observations", "granularity"): "year, quarter or month; period_start is the period's first day.",
    ("indicators", "unit"): "count, rate, percent, index or amount.",
    ("indicators", "multiplier"): "A rate is value / denominator × multiplier.",
    ("indicators", "disclosure_threshold"): "k: published counts from 1 to k−1 are withheld.",
    ("denominators", "kind"): "residents, dwellings, …: matches indicators.denominator_kind.",
    ("values", "shown"): "The text shown in place of a withheld value, e.g. '< 5'.",
}
_VALUES_TYPES = {
    "indicator_code": "string",
    "indicator": "string",
    "unit": "string",
    "area_code": "string",
    "area": "string",
    "granularity": "string",
    "period_start": "date",
    "value": "number",
    "shown": "string",
    "status": "string",
}


def disclosure_rule(thresholds: Mapping[str, int]) -> str:
    """The disclosure rule in words, with the thresholds the release applies."""
    ks = sorted(set(thresholds.values())) or [5]
    listed = ", ".join(str(k) for k in ks)
    return (
        "Counts from 1 to k−1 are withheld (k per indicator: indicators.disclosure_threshold; "
        f"in this release k is {listed}), and rates computed from them too. One more cell is withheld "
        "wherever a published total (the districts of one period, the months of one year) would let a "
        "withheld count be worked out. Values not published at source stay withheld. A withheld value "
        "is empty, never 0; observations.status says why and observations.display what is shown."
    )


def package_path(snapshot_path: str | Path) -> Path:
    """Where the open-data package of the release at *snapshot_path* lives."""
    target = Path(snapshot_path)
    return target.with_name(f"{target.stem}.open-data.zip")


def _definitions(table: str) -> list[tuple[str, str, bool]]:
    """(column, Frictionless type, primary key?) of a snapshot table's published columns."""
    if table == VALUES:
        return [(name, kind, False) for name, kind in _VALUES_TYPES.items()]
    found = []
    for definition in snapshot.SNAPSHOT_TABLES[table]:
        name, sql_type, *rest = definition.split()
        if name not in _DROPPED.get(table, ()):
            found.append((name, _TYPES[sql_type], "PRIMARY" in rest))
    return found


def published_tables(published: Store) -> dict[str, pd.DataFrame]:
    """Every table of the package, read from an open snapshot, with their published columns."""
    tables = {}
    for table in snapshot.SNAPSHOT_TABLES:
        if table in _LEFT_OUT:
            continue
        frame = snapshot.read_table(published, table)
        tables[table] = frame[[name for name, _, _ in _definitions(table)]]
    tables[VALUES] = snapshot.open_data(published)
    return tables


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Columns in the types the schema declares: whole numbers without ``.0``, ISO dates and times."""
    out = frame.copy()
    for name, kind, _ in _definitions(table):
        column = out[name]
        if kind == "integer":
            out[name] = pd.array(column, dtype="Int64")
        elif kind == "date":
            out[name] = pd.to_datetime(column).dt.date
        elif kind == "datetime":
            out[name] = pd.to_datetime(column).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif kind == "string":
            out[name] = column.astype("string")
    return out


def _schema(table: str) -> dict[str, Any]:
    fields = []
    for name, kind, _ in _definitions(table):
        field: dict[str, Any] = {"name": name, "type": kind}
        if (table, name) in FIELD_TEXT:
            field["description"] = FIELD_TEXT[(table, name)]
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    keys = [name for name, _, key in _definitions(table) if key]
    if keys:
        schema["primaryKey"] = keys
    return schema


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One file of a package: its path inside the zip and its size in bytes."""

    path: str
    size: int


def _resource(table: str, fmt: str, data: bytes) -> dict[str, Any]:
    return {
        "name": table.replace("_", "-") if fmt == "csv" else f"{table.replace('_', '-')}-parquet",
        "path": f"data/{table}.{fmt}",
        "type": "table",
        "format": fmt,
        "mediatype": _MEDIA[fmt],
        **({"encoding": "utf-8"} if fmt == "csv" else {}),
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "description": TABLE_TEXT.get(table, ""),
        "schema": _schema(table),
    }


def _units(indicators: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each indicator's unit, multiplier and denominator: what a value of it is measured in."""
    return {
        str(row["code"]): {
            "unit": str(row["unit"]),
            "multiplier": float(row["multiplier"]),
            "denominator": None if pd.isna(row["denominator_kind"]) else str(row["denominator_kind"]),
        }
        for _, row in indicators.iterrows()
    }


def build(published: Store, *, licence: Mapping[str, str] | None = None) -> tuple[bytes, list[PackageFile]]:
    """The package of an open snapshot as zip bytes, and the files it holds.

    Args:
        published: The open snapshot (read-only).
        licence: The package's licence (default :data:`DEFAULT_LICENCE`).
    """
    release = snapshot.read_release(published)
    published_at = pd.Timestamp(release["published_at"]) if release else _NO_DATE
    tables = published_tables(published)
    resources: list[dict[str, Any]] = []
    contents: dict[str, bytes] = {}
    for table, frame in tables.items():
        typed = _typed(frame, table)
        csv = typed.to_csv(index=False, lineterminator="\n").encode("utf-8")
        parquet = io.BytesIO()
        typed.to_parquet(parquet, index=False)
        for fmt, data in (("csv", csv), ("parquet", parquet.getvalue())):
            resources.append(_resource(table, fmt, data))
            contents[f"data/{table}.{fmt}"] = data
    indicators = tables["indicators"]
    thresholds = {
        str(c): int(k) for c, k in zip(indicators["code"], indicators["disclosure_threshold"], strict=True)
    }
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"safety-observatory-release-{published_at:%Y%m%dt%H%M%S}",
        "title": "Local safety observatory: published release",
        "description": "Indicators of local safety per district and period, and the local security "
        "strategy, as published for the public.",
        "version": f"{published_at:%Y-%m-%dT%H:%M:%SZ}",
        "created": f"{published_at:%Y-%m-%dT%H:%M:%SZ}",
        "licenses": [dict(licence or DEFAULT_LICENCE)],
        "disclosure": {"rule": disclosure_rule(thresholds), "thresholds": thresholds},
        "units": _units(indicators),
        "resources": resources,
    }
    contents["datapackage.json"] = json.dumps(descriptor, indent=2, ensure_ascii=False).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in ["datapackage.json", *sorted(p for p in contents if p != "datapackage.json")]:
            archive.writestr(zipfile.ZipInfo(path, date_time=published_at.timetuple()[:6]), contents[path])
    files = [PackageFile(path, len(data)) for path, data in sorted(contents.items())]
    return buffer.getvalue(), files


def _remove_stale(target: Path) -> None:
    """Remove temporary packages a killed publisher left, once as old as the snapshot's own leftovers."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            if time.time() - leftover.stat().st_mtime > snapshot.STALE_AFTER_S:
                leftover.unlink()
        except FileNotFoundError:
            continue


def write_package(published: Store, snapshot_path: str | Path) -> Path:
    """Write the package of the release at *snapshot_path* beside it, atomically (temporary file, rename).

    Args:
        published: The release, open read-only.
        snapshot_path: Where the release lives; the package goes to :func:`package_path`.
    """
    target = package_path(snapshot_path)
    _remove_stale(target)
    data, _ = build(published)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def publish_package(snapshot_path: str | Path) -> Path | None:
    """Write the package of the release just written at *snapshot_path* (called by ``services.publish``).

    A package that cannot be written does not undo the release: the failure is logged and the
    methodology page builds the same package from the release when a visitor asks for it.

    Returns:
        The package's path, or None when it could not be written.
    """
    try:
        published = open_snapshot(snapshot_path)
    except StoreError:
        _log.exception("open-data package not written: cannot open %s", snapshot_path)
        return None
    try:
        return write_package(published, snapshot_path)
    except (OSError, StoreError):
        _log.exception("open-data package not written beside %s", snapshot_path)
        return None
    finally:
        published.close()


def _created(data: bytes | Path) -> str | None:
    """The release date a package says it holds."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(source) as archive:
        return str(json.loads(archive.read("datapackage.json"))["created"])


def stored_package(published: Store, snapshot_path: str | Path) -> Path | None:
    """The package written beside the release now published, or None when it is missing or older."""
    target = package_path(snapshot_path)
    release = snapshot.read_release(published)
    if release is None or not target.exists():
        return None
    try:
        created = _created(target)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return target if created == f"{pd.Timestamp(release['published_at']):%Y-%m-%dT%H:%M:%SZ}" else None


def stored_files(published: Store, snapshot_path: str | Path) -> list[PackageFile] | None:
    """The files of the package stored beside the release now published (None when there is none)."""
    stored = stored_package(published, snapshot_path)
    if stored is None:
        return None
    with zipfile.ZipFile(stored) as archive:
        return [PackageFile(info.filename, info.file_size) for info in archive.infolist()]


def package_bytes(published: Store, snapshot_path: str | Path) -> bytes:
    """The package of the release now published: the stored file, else built from the release itself."""
    stored = stored_package(published, snapshot_path)
    return stored.read_bytes() if stored is not None else build(published)[0]


def release_date(published: Store) -> datetime | None:
    """When the release now open was published (None when it has no release row)."""
    release = snapshot.read_release(published)
    return None if release is None else pd.Timestamp(release["published_at"]).to_pydatetime()
