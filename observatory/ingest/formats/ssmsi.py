"""SSMSI's communal base of recorded crime (France): one row per commune, year and crime class.

Two layouts are read: the 2024 one (``CODGEO_2024;annee;classe;unité.de.compte;valeur.publiée;faits;…``,
years written ``16`` … ``23``) and the 2025 one (``CODGEO_2025;annee;indicateur;unite_de_compte;nombre;
…;est_diffuse;…``, years ``2016`` …). Rows marked ``ndiff`` (statistical secrecy) are stored as not
published, never as 0. The INSEE population and dwellings become denominators of our communes, and
the file's rates are checked against them (:mod:`ssmsi_denominators`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from observatory.domain import Issue, ObservationStatus, SourceFormat, translation_columns
from observatory.ingest import rules
from observatory.ingest.cells import detect_decimal, to_number
from observatory.ingest.formats import ssmsi_denominators as extra
from observatory.ingest.formats.common import (
    FormatParsed,
    empty_observations,
    finish_report,
    mapped_to_unknown,
    open_table,
    resolve_categories,
    slug,
    subset,
)
from observatory.ingest.reference import Reference
from observatory.ingest.report import ValidationReport
from observatory.ingest.rules import Sheet, flag

COLUMNS: dict[str, tuple[str, ...]] = {
    "commune": ("codgeo*", "code_commune", "codgeo"),
    "year": ("annee",),
    "category": ("classe", "indicateur"),
    "unit": ("unite_de_compte",),
    "published": ("valeur_publiee", "est_diffuse"),
    "count": ("faits", "nombre"),
    **extra.COLUMNS,
}
REQUIRED = ("commune", "year", "category", "published", "count")
#: Counts below this are withheld by SSMSI itself (5 or fewer facts are "ndiff").
SSMSI_THRESHOLD = 6

SOURCE = "SSMSI, base communale de la délinquance enregistrée par la police et la gendarmerie nationales"
NOT_OURS = "commune not one of our areas"


def _years(sheet: Sheet) -> tuple[pd.Series, list[Issue]]:
    """``16`` and ``2016`` both mean 2016."""
    text = sheet.text["year"]
    good = text.str.fullmatch(r"\d{2}|\d{4}")
    years = pd.Series(np.nan, index=text.index)
    years[good] = text[good].astype("int64")
    years = years.where(years >= 100, years + 2000)
    message = "{value!r} is not a year (16 or 2016)"
    return years, flag(sheet, ~good, "type-error", "year", message)


def _published(sheet: Sheet) -> tuple[pd.Series, list[Issue]]:
    flags = sheet.text["published"].str.casefold()
    status = flags.map({"diff": str(ObservationStatus.OK), "ndiff": str(ObservationStatus.NOT_PUBLISHED)})
    message = "{value!r} is not diff or ndiff"
    return status, flag(sheet, status.isna(), "constraint-error", "published", message)


def _counts(sheet: Sheet, status: pd.Series) -> tuple[pd.Series, list[Issue]]:
    text = sheet.text["count"]
    numbers = to_number(text, detect_decimal([text]), frozenset({"na", "nan"}))
    issues = rules.type_errors(sheet, "count", numbers.bad, "number")
    shown = status == ObservationStatus.OK
    issues += flag(sheet, shown & numbers.blank, "missing-cell", "count", "a published (diff) count is blank")
    issues += rules.negative(sheet, "count", numbers.values, shown)
    issues += rules.not_whole(sheet, "count", numbers.values, shown)
    return numbers.values.where(shown), issues


def _new_indicators(categories: pd.Series, units: pd.Series, create: set[str]) -> pd.DataFrame:
    """Indicator rows for the classes to create: counts of recorded crime, rate per 1,000."""
    first = pd.DataFrame({"category": categories, "unit": units}).drop_duplicates("category")
    first = first[first["category"].map(slug).isin(create)]
    codes = first["category"].map(slug)
    return pd.DataFrame(
        {
            "code": codes.to_numpy(),
            "name": first["category"].to_numpy(),
            "theme": "recorded crime",
            "kind": "result",
            "unit": "count",
            "polarity": "lower_is_better",
            # Burglaries are rated per dwelling, as SSMSI does; every other class per resident.
            "denominator_kind": ["dwellings" if "cambriol" in c else "residents" for c in codes],
            "multiplier": 1000.0,
            # SSMSI withholds ("ndiff") a commune's class with 5 or fewer facts: a withheld year hides at most
            # 5, so counts 1…5 are the small ones (threshold 6), and a bounded total adds 5 per ndiff cell.
            "disclosure_threshold": pd.array([SSMSI_THRESHOLD] * len(first), dtype="Int64"),
            "description": [
                f"SSMSI class «{c}», counted per {(u or 'fact').lower()}."
                for c, u in zip(first["category"], first["unit"], strict=True)
            ],
            "source": SOURCE,
            # No version in other languages: readers of those see the French class name, marked.
            **dict.fromkeys(translation_columns()),
        }
    )


def _our_rows(
    sheet: Sheet, report: ValidationReport, reference: Reference, only_ours: bool
) -> tuple[Sheet, list[Issue]]:
    """Drop the rows of other communes (counted as ignored), or report them as unknown areas."""
    if not only_ours:
        return sheet, rules.unknown_codes(sheet, "commune", reference.area_codes, "unknown-area", "area")
    ours = sheet.text["commune"].isin(reference.area_codes)
    report.ignore(NOT_OURS, int((~ours).sum()))
    return subset(sheet, ours), []


def _to_create(sheet: Sheet, mapping: Mapping[str, str | None], reference: Reference) -> frozenset[str]:
    """Slugs of the classes that neither the mapping nor a known indicator covers."""
    names = {str(c) for c in sheet.text["category"].unique()}
    return frozenset(slug(c) for c in names if c not in mapping and slug(c) not in reference.indicators)


def _observations(
    sheet: Sheet, indicator: pd.Series, years: pd.Series, values: pd.Series, status: pd.Series
) -> pd.DataFrame:
    """One yearly count per indicator, commune and year; classes mapped to one indicator are summed."""
    rows = pd.DataFrame(
        {
            "indicator_code": indicator.astype(str),
            "area_code": sheet.text["commune"],
            "year": years.astype("int64"),
            "value": values,
            "withheld": status == ObservationStatus.NOT_PUBLISHED,
        }
    )
    if rows.empty:
        return empty_observations()
    grouped = rows.groupby(["indicator_code", "area_code", "year"], as_index=False, sort=True).agg(
        value=("value", lambda v: v.sum(min_count=1)), withheld=("withheld", "any")
    )
    frame = empty_observations().reindex(range(len(grouped)))
    frame["indicator_code"] = grouped["indicator_code"].to_numpy()
    frame["area_code"] = grouped["area_code"].to_numpy()
    frame["granularity"] = "year"
    frame["period_start"] = pd.to_datetime(grouped["year"].astype(str) + "-01-01").to_numpy()
    frame["value"] = grouped["value"].where(~grouped["withheld"]).to_numpy(dtype=float)
    frame["status"] = np.where(
        grouped["withheld"], str(ObservationStatus.NOT_PUBLISHED), str(ObservationStatus.OK)
    )
    return frame


def parse_ssmsi(
    data: bytes,
    filename: str,
    reference: Reference,
    *,
    mapping: Mapping[str, str | None],
    keep_only_our_communes: bool = True,
    create_missing_indicators: bool = True,
) -> FormatParsed:
    """Read an SSMSI communal file into yearly observations.

    Args:
        data: Raw bytes.
        filename: Its name.
        reference: Known areas (communes, by INSEE code) and indicators.
        mapping: SSMSI class → indicator code (None or "": not followed); classes not in it go to the
            indicator whose code is the class's slug, if there is one.
        keep_only_our_communes: Rows of communes that are not our areas are ignored (counted in the
            report); when False they are unknown-area errors.
        create_missing_indicators: Classes with no indicator get one (code = slug of the class,
            count, result, lower is better, per 1,000 residents or dwellings), as a first import
            expects; when False they are ignored, and a file left with no class followed says so.

    Returns:
        Observations, indicators to create, mappings to remember, and the report.
    """
    opened = open_table(data, filename, SourceFormat.SSMSI, COLUMNS, REQUIRED)
    report = opened.report
    if opened.sheet is None:
        return FormatParsed(finish_report(report, opened.issues))
    sheet, issues = _our_rows(opened.sheet, report, reference, keep_only_our_communes)
    dens, den_issues = extra.denominators(sheet)
    issues += den_issues + extra.both_levels(sheet.text["commune"])
    create = _to_create(sheet, mapping, reference) if create_missing_indicators else frozenset()
    resolved = resolve_categories(
        sheet.text["category"], SourceFormat.SSMSI, mapping, reference, create=create
    )
    for category, n in resolved.unmapped.items():
        report.ignore(f"class not followed: {category}", n)
    followed = resolved.indicator.notna()
    if resolved.unmapped and not followed.any() and not create_missing_indicators:
        report.empty_hint = ("ssmsi_no_indicator", {"classes": len(resolved.unmapped)})
    sheet, indicator = subset(sheet, followed), resolved.indicator[followed]
    years, year_issues = _years(sheet)
    status, status_issues = _published(sheet)
    values, count_issues = _counts(sheet, status)
    issues += (
        mapped_to_unknown(sheet, indicator, reference, create) + year_issues + status_issues + count_issues
    )
    issues += extra.rate_issues(sheet, values, status)
    keys = pd.DataFrame({"commune": sheet.text["commune"], "year": years, "category": sheet.text["category"]})
    issues += rules.duplicate_keys(sheet, keys, "category", "commune, year and class")
    report.decimal = detect_decimal([sheet.text["count"]])
    finish_report(report, opened.issues + issues)
    if not report.ok:
        return FormatParsed(report)
    units = sheet.text["unit"] if sheet.has("unit") else pd.Series("", index=sheet.text.index)
    new = _new_indicators(sheet.text["category"], units, set(create) & set(indicator))
    return FormatParsed(
        report, _observations(sheet, indicator, years, values, status), new, resolved.mappings, dens
    )
