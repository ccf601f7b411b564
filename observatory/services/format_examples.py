"""Small example files of the published formats, written in each publisher's own dialect.

The upload page offers them as templates, so staff see what a file of each format looks like before
they fetch a real one. The rows use the demo city's district codes (``01``, ``02``) and points inside
its districts, so each example also passes its own dry run against the demo database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from observatory.domain import SourceFormat

__all__ = ["example"]

# The ministry's 2024 communal file: UTF-8 with BOM, ";" between fields, text quoted, decimal comma,
# two-digit years, "NA" where a rate or count is not given.
_SSMSI_HEADER = (
    "CODGEO_2024",
    "annee",
    "classe",
    "unité.de.compte",
    "valeur.publiée",
    "faits",
    "tauxpourmille",
    "complementinfoval",
    "complementinfotaux",
    "POP",
    "millPOP",
    "LOG",
    "millLOG",
)
_SSMSI_ROWS = (
    ("01", "23", "Cambriolages de logement", "Infraction", "diff", "12", "1,4", "NA", "NA", "8512", "23"),
    ("01", "23", "Vols de véhicules", "Véhicule", "ndiff", "NA", "NA", "3,2", "0,4", "8512", "23"),
    ("02", "23", "Cambriolages de logement", "Infraction", "diff", "7", "0,9", "NA", "NA", "7734", "23"),
    (
        "75056",
        "23",
        "Cambriolages de logement",
        "Infraction",
        "diff",
        "9815",
        "4,5",
        "NA",
        "NA",
        "2133111",
        "23",
    ),
)
_SSMSI_HOUSING = ("4127,5", "23")
# Columns written without quotes in the ministry's file: counts, rates and estimates.
_SSMSI_NUMERIC = frozenset({5, 6, 7, 8, 9, 11})

_POLICE_HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
# Points inside demo districts 01 and 02; police.uk leaves the crime id blank for anti-social behaviour.
_POLICE_ROWS = (
    ("a1f0", "2024-07", "-8.59019", "41.14033", "Burglary", "Under investigation"),
    ("b2e1", "2024-07", "-8.59019", "41.14033", "Robbery", "Unable to prosecute suspect"),
    ("", "2024-07", "-8.57758", "41.13727", "Anti-social behaviour", ""),
    ("c3d2", "2024-07", "", "", "Bicycle theft", "Investigation complete; no suspect identified"),
)


def _ssmsi() -> bytes:
    lines = [";".join(f'"{name}"' for name in _SSMSI_HEADER)]
    for row in _SSMSI_ROWS:
        cells = (*row, *_SSMSI_HOUSING)
        lines.append(";".join(c if i in _SSMSI_NUMERIC else f'"{c}"' for i, c in enumerate(cells)))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _lsoa(lon: str) -> tuple[str, str]:
    """police.uk leaves the LSOA blank where a crime has no location."""
    return ("E01000001", "Example 001A") if lon else ("", "")


def _police_uk() -> bytes:
    force, street = "Example Police", "On or near High Street"
    rows = [
        (crime_id, month, force, force, lon, lat, street, *_lsoa(lon), crime_type, outcome, "")
        for crime_id, month, lon, lat, crime_type, outcome in _POLICE_ROWS
    ]
    return _csv(_POLICE_HEADER, rows)


def _incidents() -> bytes:
    rows = (
        ("2024-07-03 22:15", "Burglary", "01"),
        ("2024-07-19", "Robbery", "02"),
        ("2024-08", "Vandalism", "01"),
        ("2024-08-11", "Noise complaint", "02"),
    )
    return _csv(("date", "category", "area"), rows)


def _wide() -> bytes:
    rows = (("burglary", "01", "12", "9"), ("burglary", "02", "7", ""), ("robbery", "01", "4", "ndiff"))
    return _csv(("indicator", "area", "2023", "2024"), rows)


_EXAMPLES = {
    SourceFormat.SSMSI: _ssmsi,
    SourceFormat.POLICE_UK: _police_uk,
    SourceFormat.INCIDENTS: _incidents,
    SourceFormat.WIDE: _wide,
}


def example(source: SourceFormat) -> bytes:
    """A small file of ``source`` in its publisher's dialect (SSMSI: BOM, ``;``, quoted, decimal comma)."""
    return _EXAMPLES[source]()
