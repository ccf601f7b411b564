"""What the format adapters share: header lookup, the result they return, category resolution."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from observatory.domain import ImportKind, Issue, Severity, SourceFormat
from observatory.ingest.parse import finish_report
from observatory.ingest.read import RawTable, read_table
from observatory.ingest.reference import Reference
from observatory.ingest.report import ValidationReport
from observatory.ingest.rules import Sheet, flag
from observatory.ingest.specs import normalise

__all__ = [
    "FormatParsed",
    "Opened",
    "Resolved",
    "empty_observations",
    "finish_report",
    "label",
    "mapped_to_unknown",
    "open_table",
    "resolve_categories",
    "slug",
    "subset",
]


@dataclass
class FormatParsed:
    """A published-format file turned into the store's tables.

    Attributes:
        report: What was found; its ``source_format``, ``ignored`` and ``ignored_reasons`` are filled.
        observations: Canonical observations (None when the report has errors).
        indicators: Indicator rows to create with them (empty unless asked for).
        mappings: Category mappings to remember (source, category, indicator_code).
        denominators: Denominator rows the file carries (SSMSI's INSEE population and dwellings).
    """

    report: ValidationReport
    observations: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    mappings: pd.DataFrame | None = None
    denominators: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame] | None:
        """The store tables to merge, observations first; None when nothing may be written."""
        if self.observations is None or not self.report.ok:
            return None
        found = {"observations": self.observations}
        if self.indicators is not None and len(self.indicators):
            found["indicators"] = self.indicators
        if self.mappings is not None and len(self.mappings):
            found["category_mappings"] = self.mappings
        if self.denominators is not None and len(self.denominators):
            found["denominators"] = self.denominators
        return found


def label(written: str) -> str:
    """A header in comparable form: like :func:`normalise`, with dots read as spaces (``unité.de.compte``)."""
    return normalise(written.replace(".", " "))


def slug(text: str) -> str:
    """An indicator code made from a category name: ``Vols de véhicules`` → ``vols_de_vehicules``."""
    return re.sub(r"[^a-z0-9]+", "_", normalise(text)).strip("_")


@dataclass
class Opened:
    """A file read and its header matched to a format's columns.

    Attributes:
        report: The report begun for the file.
        sheet: Cells under canonical names (None when a required column is missing).
        issues: Reading and header issues.
        header: The file's column names as written (to name them when one must be chosen).
    """

    report: ValidationReport
    sheet: Sheet | None
    issues: list[Issue] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _accepts(name: str, aliases: tuple[str, ...]) -> bool:
    return any(name == a or (a.endswith("*") and name.startswith(a[:-1])) for a in aliases)


def _positions(
    raw: RawTable, columns: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, int], dict[str, str]]:
    """Canonical name → position and header as written; the first header accepted wins, once."""
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    for position, text in enumerate(raw.header):
        name = label(text)
        wanted = [c for c, aliases in columns.items() if c not in positions and _accepts(name, aliases)]
        if wanted:
            positions[wanted[0]], written[wanted[0]] = position, text
    return positions, written


def open_table(
    data: bytes,
    filename: str,
    source: SourceFormat,
    columns: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> Opened:
    """Read a file and find a format's columns by their normalised names (unknown columns are ignored).

    Args:
        data: Raw bytes.
        filename: Its name.
        source: Which format it is read as.
        columns: Canonical name → accepted labels (``codgeo*`` accepts any label starting so).
        required: Canonical names that must be present.
    """
    report = ValidationReport(ImportKind.OBSERVATIONS, filename, hashlib.sha256(data).hexdigest())
    report.source_format = str(source)
    raw = read_table(data)
    report.encoding, report.delimiter = raw.encoding, raw.delimiter
    report.rows_read = len(raw.rows) + sum(i.code in ("extra-cell", "missing-cell") for i in raw.issues)
    if not raw.header:
        return Opened(report, None, raw.issues)
    positions, written = _positions(raw, columns)
    issues = list(raw.issues)
    for name in required:
        if name not in positions:
            message = f"required column {name!r} of a {source} file is missing"
            issues.append(Issue("missing-label", Severity.ERROR, message, row=0, column=name))
    if any(i.severity is Severity.ERROR for i in issues):
        return Opened(report, None, issues, raw.header)
    text = pd.DataFrame({n: raw.frame[str(p)] for n, p in positions.items()}, index=raw.frame.index)
    return Opened(report, Sheet(text.astype("str"), raw.rows, written), issues, raw.header)


@dataclass(frozen=True)
class Resolved:
    """Categories resolved to indicators.

    Attributes:
        indicator: Per row, the indicator code, or None when the row's category is not followed.
        mappings: Rows to remember: source, category, indicator_code.
        unmapped: Categories with no indicator (their rows are ignored), with their row counts.
    """

    indicator: pd.Series
    mappings: pd.DataFrame
    unmapped: dict[str, int]


def resolve_categories(
    categories: pd.Series,
    source: SourceFormat,
    mapping: Mapping[str, str | None],
    reference: Reference,
    *,
    create: frozenset[str] = frozenset(),
) -> Resolved:
    """Map each row's category to an indicator.

    A category is resolved by, in order: the mapping given (None or "" = not followed), an indicator
    whose code is the category's slug (``Burglary`` → ``burglary``), a slug listed in ``create``.

    Args:
        categories: Category text per row.
        source: The format (mappings are remembered per format).
        mapping: Category → indicator code chosen by the uploader (or remembered).
        reference: Known indicators.
        create: Slugs of indicators created by the same import.
    """
    names = pd.Series(categories.unique())
    chosen: dict[str, str | None] = {}
    for name in names:
        given = mapping.get(str(name), "?")
        if given != "?":
            chosen[str(name)] = given or None
        elif slug(str(name)) in reference.indicators or slug(str(name)) in create:
            chosen[str(name)] = slug(str(name))
    codes, uniques = pd.factorize(categories)
    targets = np.array([chosen.get(str(u)) for u in uniques] + [None], dtype=object)
    indicator = pd.Series(
        targets[np.where(codes < 0, len(uniques), codes)], index=categories.index, dtype=object
    )
    counts = categories[indicator.isna()].value_counts()
    unmapped = {str(k): int(v) for k, v in counts.items()}
    remembered = pd.DataFrame(
        {"source": str(source), "category": list(chosen), "indicator_code": list(chosen.values())}
    )
    return Resolved(indicator, remembered, unmapped)


def empty_observations() -> pd.DataFrame:
    """An observations frame with no rows and the canonical dtypes."""
    return pd.DataFrame(
        {
            "indicator_code": pd.Series(dtype=object),
            "area_code": pd.Series(dtype=object),
            "granularity": pd.Series(dtype=object),
            "period_start": pd.Series(dtype="datetime64[ns]"),
            "value": pd.Series(dtype="float64"),
            "sample_size": pd.Series(dtype="Int64"),
            "status": pd.Series(dtype=object),
        }
    )


def subset(sheet: Sheet, mask: pd.Series) -> Sheet:
    """The rows of a sheet where ``mask`` is true, keeping their file row numbers."""
    return Sheet(sheet.text[mask], sheet.rows[mask.to_numpy(dtype=bool)], sheet.written)


def mapped_to_unknown(
    sheet: Sheet, indicator: pd.Series, reference: Reference, create: frozenset[str]
) -> list[Issue]:
    """Rows whose category is mapped to an indicator that is not known (or not a count)."""
    known = indicator.isin(list(reference.indicators)) | indicator.isin(list(create))
    message = "category {value!r} is mapped to {detail!r}, which is not a known indicator"
    issues = flag(sheet, ~known, "unknown-indicator", "category", message, detail=indicator)
    units = indicator.map({c: str(r.unit) for c, r in reference.indicators.items()})
    message = "category {value!r} is mapped to {detail!r}, whose unit is not count (incidents add up)"
    return issues + flag(
        sheet,
        known & units.notna() & (units != "count"),
        "constraint-error",
        "category",
        message,
        detail=indicator,
    )
