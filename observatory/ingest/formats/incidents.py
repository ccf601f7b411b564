"""Incident lists (police.uk street-level crime, a local incident log) → monthly counts per area.

Each row is one incident with a month (or date), a category and a place: coordinates, or an area
code. The services locate points in the districts (geo) and hand the codes back to :func:`aggregate`,
which counts incidents per indicator, area and month. Every followed indicator gets a count, 0
included, for every area and every month the file covers: a month of a police.uk download with no
burglary in a district is a true 0, not a gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from observatory.domain import Issue, ObservationStatus, Severity, SourceFormat
from observatory.ingest import rules
from observatory.ingest.cells import to_number, to_period
from observatory.ingest.formats.common import (
    FormatParsed,
    empty_observations,
    finish_report,
    mapped_to_unknown,
    open_table,
    resolve_categories,
    subset,
)
from observatory.ingest.reference import Reference
from observatory.ingest.report import ValidationReport
from observatory.ingest.rules import Sheet, flag

POLICE_UK_COLUMNS: dict[str, tuple[str, ...]] = {
    "month": ("month",),
    "longitude": ("longitude",),
    "latitude": ("latitude",),
    "category": ("crime_type",),
    "area": ("lsoa_code",),
}
INCIDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "data", "datetime", "date_time", "occurred_at", "month", "mois", "mes"),
    "category": ("category", "categorie", "categoria", "type", "tipo", "nature", "natureza"),
    "area": ("area", "area_code", "zone", "zona", "district", "quartier", "freguesia"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "latitude": ("latitude", "lat"),
    "x": ("x", "easting", "coord_x"),
    "y": ("y", "northing", "coord_y"),
    "crs": ("crs", "epsg", "srid"),
}
ANTI_SOCIAL = "Anti-social behaviour"
NO_PLACE = "no location"
OUTSIDE = "outside our districts"


@dataclass
class Incidents:
    """Incident rows read from a file, before they are located and counted.

    Attributes:
        report: The report begun for the file.
        sheet: Cells under canonical names (None when the file could not be read).
        month: First day of each row's month (NaT where unreadable).
        longitude: Per row, NaN where blank.
        latitude: Per row, NaN where blank.
        issues: Problems found so far.
        source: ``police_uk`` or ``incidents``.
        by_code: True when places are area codes (an ``area`` column, or police.uk's LSOA when asked).
        crs: The named coordinate system of ``x``/``y`` columns (then ``longitude``/``latitude`` hold
            x and y, to be projected to degrees before the points are placed); None for degrees.
    """

    report: ValidationReport
    sheet: Sheet | None
    month: pd.Series
    longitude: np.ndarray
    latitude: np.ndarray
    issues: list[Issue]
    source: SourceFormat
    by_code: bool = False
    crs: str | None = None


def _projected(sheet: Sheet, crs: str | None) -> tuple[np.ndarray, np.ndarray, str | None, list[Issue]]:
    """x and y in a named coordinate system: the ``crs`` option, else one value of a ``crs`` column."""
    issues: list[Issue] = []
    named = crs or None
    if named is None and sheet.has("crs"):
        values = sorted({v for v in sheet.text["crs"] if v})
        if len(values) == 1:
            named = values[0] if ":" in values[0] else f"EPSG:{values[0]}"
        message = "x and y need one coordinate system: name it (EPSG:3763 …) in a crs column or option"
        if len(values) != 1:
            issues.append(Issue("crs-missing", Severity.ERROR, message, row=0, column="crs"))
    elif named is None:
        message = "x and y need a coordinate system: add a crs column or name one (EPSG:3763 …)"
        issues.append(Issue("crs-missing", Severity.ERROR, message, row=0, column="x"))
    found = []
    for name in ("x", "y"):
        values, bad = _degrees(sheet, name)
        issues += bad
        found.append(values.to_numpy(dtype=float))
    return found[0], found[1], named, issues


def _degrees(sheet: Sheet, name: str) -> tuple[pd.Series, list[Issue]]:
    """Decimal degrees of one column; blank → NaN.

    Coordinates are plain dot decimals in every format read here, so the whole column goes through
    Arrow's cast at once; only a column that cast refuses is read cell by cell to name the bad cells.
    """
    text = sheet.text[name]
    cells = pa.array(text.to_numpy(dtype=object), type=pa.string())
    try:
        cast = pc.cast(pc.if_else(pc.equal(cells, ""), None, cells), pa.float64())
    except pa.ArrowInvalid:
        numbers = to_number(text, ".")
        return numbers.values, rules.type_errors(sheet, name, numbers.bad, "a decimal degree (like -1.5461)")
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index, dtype="float64"), []


def _coordinates(sheet: Sheet) -> tuple[np.ndarray, np.ndarray, list[Issue]]:
    found, issues = [], []
    for name, limit in (("longitude", 180), ("latitude", 90)):
        if not sheet.has(name):
            found.append(np.full(len(sheet.text), np.nan))
            continue
        values, bad = _degrees(sheet, name)
        outside = values.abs() > limit
        issues += bad + flag(sheet, outside, "constraint-error", name, f"{{value!r}} is beyond ±{limit}°")
        found.append(values.where(~outside).to_numpy(dtype=float))
    return found[0], found[1], issues


def _month_of(text: str) -> pd.Timestamp:
    """First day of the month of ``2024-07``, ``2024-07-31`` or ``2024-07-31 22:15`` (NaT otherwise)."""
    head = text[:10]
    if len(head) == 10:
        day = pd.to_datetime(head, format="%Y-%m-%d", errors="coerce")
        return pd.NaT if pd.isna(day) else pd.Timestamp(day.year, day.month, 1)
    periods = to_period(pd.Series([head]))
    return pd.Timestamp(periods.start.iloc[0]) if periods.granularity.iloc[0] == "month" else pd.NaT


def _months(sheet: Sheet, column: str) -> tuple[pd.Series, list[Issue]]:
    """Month of each row, read once per distinct cell text (a file has few distinct dates)."""
    codes, uniques = pd.factorize(sheet.text[column])
    starts = pd.DatetimeIndex([_month_of(str(u)) for u in uniques] + [pd.NaT]).to_numpy("datetime64[ns]")
    month = pd.Series(starts[np.where(codes < 0, len(uniques), codes)], index=sheet.text.index)
    message = "{value!r} is not a month (2024-07) or a date (2024-07-31)"
    return month, flag(sheet, month.isna(), "type-error", column, message)


def read_incidents(
    data: bytes, filename: str, source: SourceFormat, *, lsoa_as_area: bool = False, crs: str | None = None
) -> Incidents:
    """Read a police.uk street-level crime file or a local incident list.

    Args:
        data: Raw bytes.
        filename: Its name.
        source: ``police_uk`` or ``incidents``.
        lsoa_as_area: police.uk only: place incidents by their LSOA code instead of their coordinates
            (for an observatory whose areas are LSOAs).
        crs: Incident lists with ``x``/``y`` columns: their coordinate system (EPSG:3763 …), unless
            the file has a ``crs`` column.
    """
    police = source is SourceFormat.POLICE_UK
    columns = POLICE_UK_COLUMNS if police else INCIDENT_COLUMNS
    required = ("month", "longitude", "latitude", "category") if police else ("date", "category")
    opened = open_table(data, filename, source, columns, required)
    empty = pd.Series(dtype="datetime64[ns]")
    if opened.sheet is None:
        return Incidents(opened.report, None, empty, np.empty(0), np.empty(0), opened.issues, source)
    sheet = opened.sheet
    by_code = (lsoa_as_area and police and sheet.has("area")) or (not police and sheet.has("area"))
    issues = list(opened.issues)
    projected = not police and not by_code and sheet.has("x") and sheet.has("y")
    if not (by_code or projected or (sheet.has("longitude") and sheet.has("latitude"))):
        message = "an incident list needs an area column, longitude and latitude, or x and y with a crs"
        issues.append(Issue("missing-label", Severity.ERROR, message, row=0, column="area"))
        return Incidents(opened.report, None, empty, np.empty(0), np.empty(0), issues, source)
    month, month_issues = _months(sheet, "month" if police else "date")
    named = None
    if projected:
        longitude, latitude, named, place_issues = _projected(sheet, crs)
    elif by_code:
        longitude, latitude, place_issues = np.empty(0), np.empty(0), []
    else:
        longitude, latitude, place_issues = _coordinates(sheet)
    issues += month_issues + place_issues + rules.missing_cells(sheet, ["category"])
    return Incidents(opened.report, sheet, month, longitude, latitude, issues, source, by_code, named)


def _anti_social_mixed(sheet: Sheet, indicator: pd.Series, source: SourceFormat) -> list[Issue]:
    """Anti-social behaviour is not crime: it may have an indicator of its own, never share one."""
    if source is not SourceFormat.POLICE_UK:
        return []
    categories = sheet.text["category"]
    asb = set(indicator[categories == ANTI_SOCIAL].dropna())
    mixed = (categories != ANTI_SOCIAL) & indicator.isin(list(asb))
    message = "{value!r} is mapped to {detail!r} together with anti-social behaviour, which is not crime"
    return flag(sheet, mixed, "constraint-error", "category", message, detail=indicator)


def _place(
    incidents: Incidents, sheet: Sheet, located: np.ndarray | None, reference: Reference
) -> tuple[pd.Series, list[Issue]]:
    """Area code per row (None where the incident has no place in our areas) and code issues."""
    if incidents.by_code:
        codes = sheet.text["area"]
        issues = rules.unknown_codes(sheet, "area", reference.area_codes, "unknown-area", "area")
        return codes.where(codes != "", None), issues
    return pd.Series(located, index=sheet.text.index, dtype=object), []


def _count(rows: pd.DataFrame, areas: Sequence[str], months: pd.Series) -> pd.DataFrame:
    """Counts per indicator, area and month, with 0 for every combination the file covers."""
    full = pd.MultiIndex.from_product(
        [sorted(rows["indicator_code"].unique()), sorted(set(areas)), sorted(months.dropna().unique())],
        names=["indicator_code", "area_code", "period_start"],
    )
    counts = rows.groupby(["indicator_code", "area_code", "period_start"]).size().reindex(full, fill_value=0)
    frame = empty_observations().reindex(range(len(counts)))
    flat = counts.reset_index(name="value")
    for name in ("indicator_code", "area_code", "period_start", "value"):
        frame[name] = flat[name].to_numpy()
    frame["granularity"] = "month"
    frame["value"] = frame["value"].astype("float64")
    frame["status"] = str(ObservationStatus.OK)
    return frame


def aggregate(
    incidents: Incidents,
    *,
    located: np.ndarray | None,
    areas: Sequence[str],
    mapping: Mapping[str, str | None],
    reference: Reference,
) -> FormatParsed:
    """Count incidents per indicator, area and month.

    Args:
        incidents: What :func:`read_incidents` read.
        located: Area code (or None) per row, from locating the points; None when places are codes.
        areas: The areas that get a count (0 included): the districts points were located in.
        mapping: Category → indicator (None or "": not followed).
        reference: Known areas and indicators.

    Returns:
        Monthly counts, the mappings to remember, and the report with its ignored rows.
    """
    report, sheet = incidents.report, incidents.sheet
    if sheet is None:
        return FormatParsed(finish_report(report, incidents.issues))
    source = incidents.source
    resolved = resolve_categories(sheet.text["category"], source, mapping, reference)
    for category, n in resolved.unmapped.items():
        report.ignore(f"category not followed: {category or '(blank)'}", n)
    place, issues = _place(incidents, sheet, located, reference)
    followed = resolved.indicator.notna()
    blank = (
        pd.Series(np.isnan(incidents.longitude), index=sheet.text.index)
        if not incidents.by_code
        else place.isna()
    )
    report.ignore(NO_PLACE, int((followed & blank).sum()))
    report.ignore(OUTSIDE, int((followed & ~blank & place.isna()).sum()))
    issues += _anti_social_mixed(sheet, resolved.indicator, source)
    kept = followed & place.notna()
    issues += mapped_to_unknown(subset(sheet, followed), resolved.indicator[followed], reference, frozenset())
    finish_report(report, incidents.issues + issues)
    if not report.ok:
        return FormatParsed(report)
    rows = pd.DataFrame(
        {
            "indicator_code": resolved.indicator[kept],
            "area_code": place[kept],
            "period_start": incidents.month[kept],
        }
    )
    area_list = sorted(set(areas) | set(place[kept])) if incidents.by_code else list(areas)
    return FormatParsed(report, _count(rows, area_list, incidents.month), None, resolved.mappings)
