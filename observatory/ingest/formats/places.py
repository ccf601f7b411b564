"""Where an incident list's rows are: read from coordinates or from an area column, never guessed.

A police export often carries both map coordinates and a column such as ``District`` that is the
police's own district, not one of our areas; its numbers can coincide with our codes. When a file
offers more than one way to place its rows (usable coordinates and an area-like column, or several
area-like columns), or its only area column matches our codes for some rows and not others, the
check counts what each way would place and asks the uploader to choose (``area_from``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from observatory.domain import Issue, Severity
from observatory.ingest import rules
from observatory.ingest.cells import to_number
from observatory.ingest.reference import Reference
from observatory.ingest.rules import Sheet, flag

#: ``area_from`` value that places rows by their coordinates.
COORDINATES = "coordinates"
#: Canonical names of the area-like columns of one file, in header order.
AREA_NAMES = ("area", "area_2", "area_3")
_EXAMPLES = 3
_AREAS_SHOWN = 5


@dataclass(frozen=True)
class Candidate:
    """One way of placing a file's rows, with what it would do.

    Attributes:
        key: ``coordinates``, or the column's header as written.
        placed: Rows it places in one of our areas (coordinates: inside a district; a column: its
            value is one of our area codes).
        areas: How many distinct areas those rows fall in.
        unmatched: Rows it cannot place (a point outside the districts; a value that is not one of
            our codes).
        examples: A column's first values that are not our codes.
        by_area: Rows placed in each area, most first.
    """

    key: str
    placed: int
    areas: int
    unmatched: int
    examples: tuple[str, ...] = ()
    by_area: tuple[tuple[str, int], ...] = ()

    def count_in(self, area: str) -> int:
        """Rows this way places in ``area``."""
        return dict(self.by_area).get(area, 0)

    def _where(self, shown: list[str]) -> str:
        """Rows in the areas compared (``07: 4, 01: 32 …``), so that the ways can be set side by side."""
        head = ", ".join(f"{code}: {self.count_in(code):,}" for code in shown)
        more = " …" if {c for c, _ in self.by_area} - set(shown) else ""
        return f" [{head}{more}]" if head else ""

    def describe(self, shown: list[str] | None = None) -> str:
        """The candidate in one phrase, for an issue's message.

        Args:
            shown: Areas whose counts to give (default: its own first few).
        """
        where = self._where(shown if shown is not None else [c for c, _ in self.by_area[:_AREAS_SHOWN]])
        if self.key == COORDINATES:
            return (
                f"coordinates → {self.placed:,} rows placed in {_areas(self.areas)}{where}"
                f" ({self.unmatched:,} outside our districts)"
            )
        examples = f" (e.g. {', '.join(repr(e) for e in self.examples)})" if self.examples else ""
        return (
            f"column {self.key!r} → {self.placed:,} rows matching our area codes in {_areas(self.areas)}"
            f"{where}, {self.unmatched:,} not matching{examples}"
        )


def compared_areas(found: list[Candidate]) -> list[str]:
    """The areas worth comparing between ways: each way's first few, in order, at most six."""
    shown: list[str] = []
    for candidate in found:
        shown += [c for c, _ in candidate.by_area[:3] if c not in shown]
    return shown[:6]


def _areas(n: int) -> str:
    return f"{n:,} area" if n == 1 else f"{n:,} areas"


def _by_area(codes: pd.Series) -> tuple[tuple[str, int], ...]:
    """Rows per area code, most first (ties by code)."""
    counts = codes.value_counts()
    ordered = sorted(((str(c), int(n)) for c, n in counts.items()), key=lambda item: (-item[1], item[0]))
    return tuple(ordered)


def usable_coordinates(sheet: Sheet, names: tuple[str, str]) -> bool:
    """Both columns present and at least one row with both filled in."""
    if not (sheet.has(names[0]) and sheet.has(names[1])):
        return False
    return bool(((sheet.text[names[0]] != "") & (sheet.text[names[1]] != "")).any())


def area_columns(sheet: Sheet) -> list[str]:
    """The area-like columns of a file that hold at least one value."""
    return [n for n in AREA_NAMES if sheet.has(n) and bool((sheet.text[n] != "").any())]


def candidates(
    sheet: Sheet, located: np.ndarray | None, has_point: np.ndarray, reference: Reference
) -> list[Candidate]:
    """What each way of placing the rows would do: coordinates first (when located), then columns.

    Args:
        sheet: The file.
        located: District code per row from the coordinates (None where outside or without a
            point); None when the file has no usable coordinates.
        has_point: True per row where the coordinates are filled in.
        reference: Our area codes.
    """
    found: list[Candidate] = []
    if located is not None:
        codes = pd.Series(located, dtype=object)
        placed = codes.notna().to_numpy(dtype=bool)
        outside = int((has_point & ~placed).sum())
        counts = _by_area(codes[placed])
        found.append(Candidate(COORDINATES, int(placed.sum()), len(counts), outside, (), counts))
    for name in area_columns(sheet):
        values = sheet.text[name]
        filled = values != ""
        ours = values.isin(reference.area_codes) & filled
        other = values[filled & ~ours]
        examples = tuple(str(v) for v in other.unique()[:_EXAMPLES])
        written = sheet.written.get(name, name)
        counts = _by_area(values[ours])
        found.append(Candidate(written, int(ours.sum()), len(counts), len(other), examples, counts))
    return found


def choice_issue(found: list[Candidate], *, single_column_check: bool) -> Issue | None:
    """An error asking the uploader to choose how rows are placed; None when nothing needs choosing.

    Args:
        found: The candidates of the file.
        single_column_check: The file's only way is one area column: ask only when its values
            partly match our codes (all matching: it is used; none: its rows are unknown areas).
    """
    if single_column_check:
        column = found[0]
        # A few unknown codes among ours are typos, reported row by row as unknown areas; a column
        # where a tenth or more of the rows miss our codes may be someone else's districts.
        if not (column.placed and column.unmatched * 10 >= column.placed + column.unmatched):
            return None
        message = (
            f"the area column may not hold our area codes: {column.describe()}. It is not used on a"
            f" guess: if it does hold our codes, name it with the option 'place incidents by'"
            f" (area_from={column.key!r}); the others are then reported as unknown areas"
        )
        return Issue("area-ambiguous", Severity.ERROR, message, row=0, column=column.key)
    shown = compared_areas(found)
    ways = "; ".join(c.describe(shown) for c in found)
    keys = ", ".join(repr(c.key) for c in found)
    message = (
        f"the rows can be placed in more than one way and it is not guessed: {ways}. Choose one"
        f" with the option 'place incidents by' (area_from: one of {keys})"
    )
    columns = ", ".join(c.key for c in found if c.key != COORDINATES) or None
    return Issue("area-ambiguous", Severity.ERROR, message, row=0, column=columns)


def _named_mode(sheet: Sheet, area_from: str, coordinates: str | None) -> tuple[str, list[Issue]]:
    """The way the uploader named: ``coordinates`` or an area column (which must be in the file)."""
    if area_from == COORDINATES:
        if coordinates is not None:
            return coordinates, []
        message = "coordinates were chosen, but the file has no longitude and latitude (or x and y) filled in"
        return "none", [Issue("missing-label", Severity.ERROR, message, row=0, column="longitude")]
    if sheet.has("area"):
        return "code", []
    message = f"the column {area_from!r} named as the area column is not in the file"
    return "none", [Issue("missing-label", Severity.ERROR, message, row=0, column=area_from)]


def placing_mode(
    sheet: Sheet, *, police: bool, lsoa_as_area: bool, area_from: str | None
) -> tuple[str, list[Issue]]:
    """How rows are placed (see ``Incidents.mode``); ``none`` with an issue when they cannot be."""
    if police:
        return ("code" if lsoa_as_area and sheet.has("area") else "points"), []
    points = usable_coordinates(sheet, ("longitude", "latitude"))
    grid = usable_coordinates(sheet, ("x", "y"))
    coordinates = "points" if points else "projected" if grid else None
    if area_from:
        return _named_mode(sheet, area_from, coordinates)
    columns = area_columns(sheet)
    if coordinates is None and not columns:
        message = "an incident list needs an area column, longitude and latitude, or x and y with a crs"
        return "none", [Issue("missing-label", Severity.ERROR, message, row=0, column="area")]
    if not columns:
        return str(coordinates), []
    if coordinates is None and len(columns) == 1:
        return "check", []
    return f"choose-{coordinates or 'none'}", []


def degrees(sheet: Sheet, name: str) -> tuple[pd.Series, list[Issue]]:
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
        return numbers.values, rules.type_errors(sheet, name, numbers.bad, "degree")
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index, dtype="float64"), []


def coordinates(sheet: Sheet) -> tuple[np.ndarray, np.ndarray, list[Issue]]:
    """Longitude and latitude per row (NaN where blank or beyond ±180° / ±90°) and their issues."""
    found, issues = [], []
    for name, limit in (("longitude", 180), ("latitude", 90)):
        if not sheet.has(name):
            found.append(np.full(len(sheet.text), np.nan))
            continue
        values, bad = degrees(sheet, name)
        outside = values.abs() > limit
        issues += bad + flag(sheet, outside, "constraint-error", name, f"{{value!r}} is beyond ±{limit}°")
        found.append(values.where(~outside).to_numpy(dtype=float))
    return found[0], found[1], issues


def projected(sheet: Sheet, crs: str | None) -> tuple[np.ndarray, np.ndarray, str | None, list[Issue]]:
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
        values, bad = degrees(sheet, name)
        issues += bad
        found.append(values.to_numpy(dtype=float))
    return found[0], found[1], named, issues
