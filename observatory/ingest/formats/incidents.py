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

from observatory.domain import Issue, ObservationStatus, Severity, SourceFormat
from observatory.ingest import rules
from observatory.ingest.dates import DateOrder, date_issues, read_months
from observatory.ingest.formats import places
from observatory.ingest.formats.common import (
    FormatParsed,
    Opened,
    empty_observations,
    finish_report,
    label,
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
        mode: How rows are placed: ``code``, ``points``, ``projected``, ``check`` (the only area
            column, used when its values are all our codes), ``choose-points`` /
            ``choose-projected`` / ``choose-none`` (several ways: the uploader must choose; the
            coordinates, if any, are read so that the check can count what they would place).
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
    mode: str = "points"

    @property
    def points(self) -> bool:
        """The rows carry coordinates to locate in the districts (also when a choice is pending)."""
        return self.sheet is not None and self.mode.endswith(("points", "projected"))


def _columns(area_from: str | None, category_column: str | None) -> dict[str, tuple[str, ...]]:
    """The incident list's columns: a named area or category column replaces the recognised ones."""
    columns = dict(INCIDENT_COLUMNS)
    if category_column:
        columns["category"] = (label(category_column),)
    if area_from and area_from != places.COORDINATES:
        columns["area"] = (label(area_from),)
    else:
        columns.update(dict.fromkeys(places.AREA_NAMES[1:], INCIDENT_COLUMNS["area"]))
    return columns


def _category_issue(opened: Opened, category_column: str | None) -> list[Issue]:
    """The missing category column named with the file's columns and the option that picks one."""
    found = ", ".join(repr(h) for h in opened.header)
    wanted = f"the column {category_column!r} named as category" if category_column else "a category column"
    message = (
        f"{wanted} is not in the file; choose the column that holds each incident's kind with the"
        f" option 'category column' (category_column); the file's columns: {found}"
    )
    return [Issue("missing-label", Severity.ERROR, message, row=0, column=category_column or "category")]


def read_incidents(
    data: bytes,
    filename: str,
    source: SourceFormat,
    *,
    lsoa_as_area: bool = False,
    crs: str | None = None,
    area_from: str | None = None,
    category_column: str | None = None,
    date_order: DateOrder | None = None,
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
        area_from: Incident lists: ``coordinates``, or the header of the column holding our area
            codes. None: the file's only way of placing its rows, else an ``area-ambiguous`` error.
        category_column: Incident lists: the header of the column holding each incident's category
            (None: a column named category, type, nature …).
        date_order: Incident lists: how slashed dates are written, when the column does not say.
    """
    police = source is SourceFormat.POLICE_UK
    columns = POLICE_UK_COLUMNS if police else _columns(area_from, category_column)
    required = ("month", "longitude", "latitude", "category") if police else ("date", "category")
    opened = open_table(data, filename, source, columns, required)
    empty = pd.Series(dtype="datetime64[ns]")
    if opened.sheet is None:
        issues = opened.issues
        if not police and opened.header and any(i.column == "category" for i in issues):
            issues = [i for i in issues if i.column != "category"] + _category_issue(opened, category_column)
        return Incidents(opened.report, None, empty, np.empty(0), np.empty(0), issues, source)
    sheet = opened.sheet
    mode, issues = places.placing_mode(sheet, police=police, lsoa_as_area=lsoa_as_area, area_from=area_from)
    if mode == "none":
        return Incidents(opened.report, None, empty, np.empty(0), np.empty(0), opened.issues + issues, source)
    date_column = "month" if police else "date"
    months = read_months(sheet.text[date_column], None if police else date_order)
    issues = opened.issues + date_issues(sheet, date_column, months)
    named = None
    if mode.endswith("projected"):
        longitude, latitude, named, place_issues = places.projected(sheet, crs)
    elif mode.endswith("points"):
        longitude, latitude, place_issues = places.coordinates(sheet)
    else:
        longitude, latitude, place_issues = np.empty(0), np.empty(0), []
    issues += place_issues + rules.missing_cells(sheet, ["category"])
    found = Incidents(opened.report, sheet, months.month, longitude, latitude, issues, source)
    found.by_code, found.crs, found.mode = mode in ("code", "check"), named, mode
    return found


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


def _choice(
    incidents: Incidents, sheet: Sheet, located: np.ndarray | None, reference: Reference
) -> Issue | None:
    """An ``area-ambiguous`` error when the rows could be placed more than one way (or the only area
    column partly matches our codes); None when the way is settled."""
    if not incidents.mode.startswith(("choose", "check")):
        return None
    has_point = ~np.isnan(incidents.longitude) if incidents.points else np.zeros(len(sheet.text), bool)
    found = places.candidates(sheet, located if incidents.points else None, has_point, reference)
    return places.choice_issue(found, single_column_check=incidents.mode == "check")


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
    choice = _choice(incidents, sheet, located, reference)
    if choice is not None:
        return FormatParsed(finish_report(report, [*incidents.issues, choice]))
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
