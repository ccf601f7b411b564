"""What an SSMSI communal file says besides its counts: INSEE population and dwellings, and its rates.

The file carries, per row, the INSEE population and number of dwellings of the commune with their
vintage (``insee_pop``/``insee_pop_millesime``, ``insee_log``/``insee_log_millesime``; legacy ``POP``,
``millPOP``, ``LOG``, ``millLOG``). They are loaded as the observatory's denominators (residents,
dwellings) for that vintage year, and used to check the file's own rate per 1,000 (``taux_pour_mille``):
burglaries of dwellings per 1,000 dwellings, every other class per 1,000 inhabitants. The
``complement_info_*`` columns hold departmental figures and are never read for a commune.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.domain import Issue, ObservationStatus, Severity
from observatory.ingest.cells import detect_decimal, to_number
from observatory.ingest.rules import Sheet, flag

COLUMNS: dict[str, tuple[str, ...]] = {
    "rate": ("taux_pour_mille", "tauxpourmille"),
    "population": ("insee_pop", "pop"),
    "population_year": ("insee_pop_millesime", "millpop"),
    "dwellings": ("insee_log", "log"),
    "dwellings_year": ("insee_log_millesime", "milllog"),
}
_KINDS = {"population": "residents", "dwellings": "dwellings"}
_MISSING = frozenset({"na", "nan", ""})
#: Tolerance of the rate check (the file's rates are given to many decimals).
RATE_TOLERANCE = 1e-6
#: Paris, Lyon and Marseille: the commune as a whole and its arrondissements are all in the file.
CITIES_WITH_ARRONDISSEMENTS = {
    "75056": tuple(f"751{n:02d}" for n in range(1, 21)),
    "69123": tuple(f"6938{n}" for n in range(1, 10)),
    "13055": tuple(f"132{n:02d}" for n in range(1, 17)),
}


def _number(sheet: Sheet, column: str) -> pd.Series:
    text = sheet.text[column]
    return to_number(text, detect_decimal([text]), _MISSING).values.astype(float)


def _vintage(sheet: Sheet, column: str) -> pd.Series:
    years = pd.to_numeric(sheet.text[column], errors="coerce")
    return years.where(years >= 100, years + 2000)


def denominators(sheet: Sheet) -> tuple[pd.DataFrame, list[Issue]]:
    """The residents and dwellings of each commune by vintage year, as denominator rows.

    A commune given two different figures for one vintage is an error (the rows disagree).
    """
    parts, issues = [], []
    for column, kind in _KINDS.items():
        if not (sheet.has(column) and sheet.has(f"{column}_year")):
            continue
        rows = pd.DataFrame(
            {
                "area_code": sheet.text["commune"],
                "year": _vintage(sheet, f"{column}_year"),
                "kind": kind,
                "value": _number(sheet, column),
            }
        ).dropna(subset=["year", "value"])
        spread = rows.groupby(["area_code", "year"])["value"].transform("nunique")
        message = f"the commune's {kind} for this vintage differs from another row's"
        mask = pd.Series(False, index=sheet.text.index)
        mask[rows.index[spread > 1]] = True
        issues += flag(sheet, mask, "constraint-error", column, message)
        parts.append(rows.drop_duplicates(["area_code", "year"]))
    if not parts:
        return pd.DataFrame(columns=["area_code", "year", "kind", "value"]), issues
    found = pd.concat(parts, ignore_index=True)
    return found.assign(year=found["year"].astype("int64")), issues


def rate_issues(sheet: Sheet, counts: pd.Series, status: pd.Series) -> list[Issue]:
    """Warnings where 1,000 × count / denominator differs from the file's rate by more than 1e-6."""
    if not sheet.has("rate"):
        return []
    burglary = sheet.text["category"].str.casefold().str.contains("cambriolages de logement")
    population = _number(sheet, "population") if sheet.has("population") else np.nan
    dwellings = _number(sheet, "dwellings") if sheet.has("dwellings") else np.nan
    denominator = pd.Series(np.where(burglary, dwellings, population), index=sheet.text.index)
    computed = 1000.0 * counts / denominator
    given = _number(sheet, "rate")
    checked = (status == ObservationStatus.OK) & computed.notna() & given.notna()
    differs = checked & ((computed - given).abs() > RATE_TOLERANCE)
    message = "the file's rate per 1,000 differs from 1,000 × count / INSEE figure by more than 1e-6"
    return flag(sheet, differs, "rate-mismatch", "rate", message, severity=Severity.WARNING)


def both_levels(communes: pd.Series) -> list[Issue]:
    """A note where a city and its arrondissements are both kept: stored apart, never added together."""
    present = set(communes)
    notes = []
    for city, arrondissements in CITIES_WITH_ARRONDISSEMENTS.items():
        if city in present and present & set(arrondissements):
            message = (
                f"{city} is the whole commune and its arrondissements are in the file too: they are "
                "stored as separate areas and never added together"
            )
            notes.append(
                Issue("city-and-arrondissements", Severity.WARNING, message, column="commune", value=city)
            )
    return notes
